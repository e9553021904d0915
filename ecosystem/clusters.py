"""Clusters of projects doing the same intervention, each labelled by its own words.

Connected components of an overlap graph chain unrelated work together through one
loose pair ("borger, telemedicin, patient" swallowing five interventions). Communities
do not: Louvain (Blondel et al. 2008, networkx) on the graph weighted by overlap score
finds groups that are denser inside than out, and a group larger than ``MAX_SIZE`` is
split again at a finer resolution. A cluster is named by class-based TF-IDF of its
members' texts (Grootendorst 2022): the words frequent in this cluster and rare in the
others, never words every health project uses.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from ecosystem.explain import generic_terms
from ecosystem.overlap import OverlapPair, Relation
from ecosystem.text import default_analyzer

__all__ = ["MAX_SIZE", "Cluster", "clusters"]

MAX_SIZE = 25  # projects in one cluster; a meeting can discuss that many
LABEL_TERMS = 3
SAME_THING = frozenset(
    {Relation.DUPLICATE, Relation.PARALLEL, Relation.SEQUENTIAL, Relation.PART_OF}
)


@dataclass(frozen=True)
class Cluster:
    """Projects doing the same thing, with a label from their own words."""

    label: str
    project_ids: tuple[int, ...]
    pairs: tuple[OverlapPair, ...]


def clusters(
    pairs: Iterable[OverlapPair], text_of: Callable[[int], str], *, max_size: int = MAX_SIZE
) -> list[Cluster]:
    """Communities of the same-intervention pairs, largest first, each at most ``max_size``.

    Examples
    --------
    >>> from ecosystem.overlap import Geography, OverlapMatch
    >>> def pair(a, b):
    ...     match = OverlapMatch(b, 0.8, Relation.PARALLEL, 0.5, (), (), (), Geography.ELSEWHERE, None, ())
    ...     return OverlapPair(a, b, match)
    >>> texts = {1: "KOL telemedicin", 2: "KOL telemedicin", 3: "KOL måling", 7: "rygestop", 8: "rygestop"}
    >>> [(c.project_ids, c.label) for c in clusters([pair(1, 2), pair(2, 3), pair(7, 8)], texts.get)]
    [((1, 2, 3), 'KOL, telemedicin, måling'), ((7, 8), 'rygestop')]
    """
    graph = nx.Graph()
    for pair in pairs:
        if pair.match.relation in SAME_THING:
            graph.add_edge(pair.a, pair.b, weight=max(pair.match.score, 1e-6), pair=pair)
    groups = [
        part
        for component in nx.connected_components(graph)
        for part in _bounded(graph.subgraph(component), max_size)
    ]
    labels = _labels(groups, text_of)
    found = [
        Cluster(
            label,
            tuple(sorted(group)),
            tuple(d["pair"] for _, _, d in graph.subgraph(group).edges(data=True)),
        )
        for group, label in zip(groups, labels, strict=True)
        if len(group) > 1
    ]
    found.sort(key=lambda c: (-len(c.project_ids), c.project_ids))
    return found


def _bounded(graph: nx.Graph, max_size: int, resolution: float = 1.0) -> list[set[int]]:
    """Communities of ``graph``; one larger than ``max_size`` is split again, finer."""
    nodes = sorted(graph.nodes)
    if len(nodes) <= 2:
        return [set(nodes)]
    parts = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=0)
    if max(len(p) for p in parts) < 2 or (len(parts) == 1 and resolution > 64):
        # No finer structure (every pair as close as any other): cut in a stable order.
        return [set(nodes[i : i + max_size]) for i in range(0, len(nodes), max_size)]
    if len(parts) == 1:
        if len(nodes) <= max_size:
            return [set(nodes)]
        return _bounded(graph, max_size, resolution * 2)
    found: list[set[int]] = []
    for part in parts:
        if len(part) > max_size:
            found += _bounded(graph.subgraph(part), max_size, resolution * 2)
        else:
            found.append(set(part))
    return found


def _labels(groups: Sequence[set[int]], text_of: Callable[[int], str]) -> list[str]:
    """Class-based TF-IDF: each group's terms weighed against all groups'."""
    analyzer = default_analyzer()
    generic = generic_terms()
    counts: list[Counter[str]] = []
    surfaces: dict[str, str] = {}
    for group in groups:
        counter: Counter[str] = Counter()
        for project_id in group:
            analysis = analyzer.analyze(text_of(project_id) or "")
            for term, surface in analysis.surface_map().items():
                surfaces.setdefault(term, surface)
            counter.update(t for t in set(analysis.terms) if t not in generic and len(t) > 2)
        counts.append(counter)
    across: Counter[str] = Counter()
    for counter in counts:
        across.update(counter)
    average = sum(sum(c.values()) for c in counts) / max(len(counts), 1)
    labels = []
    for group, counter in zip(groups, counts, strict=True):
        weight = {t: n / len(group) * math.log(1 + average / across[t]) for t, n in counter.items()}
        best = sorted(weight, key=lambda t: (-weight[t], t))[:LABEL_TERMS]
        labels.append(", ".join(_display(surfaces.get(t, t)) for t in best))
    return labels


def _display(surface: str) -> str:
    return surface.upper() if len(surface) <= 3 else surface
