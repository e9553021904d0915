"""The ecosystem graph: which organisations work together and who funds whom.

Nodes are registered organisations. Two kinds of edge, each carrying the ids of the
projects behind it:

* ``partner`` (undirected): the owner of a project and every registered organisation it
  names as a partner all work together on it, so each pair of them is joined.
* ``funds`` (directed, funder -> owner): a funding source whose name is a registered
  organisation's id or name (case and surrounding spaces ignored). Own money is no edge.

Free-text partners and funders that are no registered organisation are left out: a name
typed on one card cannot be told apart from the same body typed differently on another,
and a node nobody can open would only mislead.

On the whole graph (both kinds, undirected) we compute betweenness centrality and
communities (Louvain with a fixed seed, so the same data gives the same answer). A
*bridge* is an organisation with positive betweenness that has neighbours in at least two
communities: it joins parts of the ecosystem that would otherwise be further apart.

The module is pure: it reads project records and organisation names, never a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

import networkx as nx

from ecosystem.model import FundingKind, ProjectRecord

__all__ = [
    "FUNDS",
    "PARTNER",
    "SEED",
    "EcosystemGraph",
    "GraphEdge",
    "GraphNode",
    "build_graph",
]

PARTNER = "partner"
FUNDS = "funds"
SEED = 15  # Louvain is randomised; a fixed seed makes communities reproducible
BRIDGES = 5  # how many bridges are named at most
# Money that is the owner's own (or unnamed) says nothing about who funds whom.
_NOT_A_FUNDER = frozenset({FundingKind.OWN})


@dataclass(frozen=True)
class GraphNode:
    id: str
    name: str
    projects: tuple[int, ...]  # the visible projects it owns, partners on or funds
    betweenness: float = 0.0
    community: int = 0


@dataclass(frozen=True)
class GraphEdge:
    kind: str  # PARTNER or FUNDS
    source: str  # for FUNDS, the funder
    target: str  # for FUNDS, the owner of the funded projects
    projects: tuple[int, ...]


@dataclass(frozen=True)
class EcosystemGraph:
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    communities: int
    bridges: tuple[str, ...]  # node ids, highest betweenness first

    def node(self, node_id: str) -> GraphNode | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def around(self, organisation_id: str) -> EcosystemGraph:
        """The organisation, its neighbours and the edges among them.

        Betweenness, communities and bridges stay those of the whole graph: whether an
        organisation bridges the ecosystem does not change by looking at part of it.
        """
        near = {organisation_id}
        for edge in self.edges:
            if organisation_id in (edge.source, edge.target):
                near |= {edge.source, edge.target}
        return self._restricted(near)

    def _restricted(self, keep: set[str]) -> EcosystemGraph:
        nodes = tuple(n for n in self.nodes if n.id in keep)
        edges = tuple(e for e in self.edges if e.source in keep and e.target in keep)
        bridges = tuple(b for b in self.bridges if b in keep)
        return replace(self, nodes=nodes, edges=edges, bridges=bridges)

    def node_link(self) -> dict[str, Any]:
        """The graph as node-link JSON (the shape of networkx ``node_link_data``, edges
        under ``links``), plus ``communities`` (how many) and ``bridges``."""
        return {
            "directed": True,
            "multigraph": True,
            "graph": {"communities": self.communities, "bridges": list(self.bridges)},
            "nodes": [
                {
                    "id": n.id,
                    "name": n.name,
                    "projects": list(n.projects),
                    "betweenness": round(n.betweenness, 6),
                    "community": n.community,
                    "bridge": n.id in self.bridges,
                }
                for n in self.nodes
            ],
            "links": [
                {
                    "kind": e.kind,
                    "source": e.source,
                    "target": e.target,
                    "projects": list(e.projects),
                }
                for e in self.edges
            ],
        }


def build_graph(
    records: Iterable[ProjectRecord], organisations: Mapping[str, str]
) -> EcosystemGraph:
    """The graph of ``records`` (already filtered to what the reader may see).

    ``organisations`` maps every registered organisation's id to its name. The records
    must carry their partners (full cards, not the catalogue's short ones).
    """
    by_name = {name.strip().casefold(): oid for oid, name in organisations.items()}
    edges: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    involved: dict[str, set[int]] = defaultdict(set)
    for record in records:
        owner, card = record.organisation_id, record.card
        team = {owner} | {
            p.organisation
            for p in card.partners
            if p.organisation is not None and p.organisation in organisations
        }
        for a, b in combinations(sorted(team), 2):
            edges[(PARTNER, a, b)].add(record.id)
        funders = {
            _funder(source.name, organisations, by_name)
            for source in card.funding_sources
            if source.kind not in _NOT_A_FUNDER
        }
        for funder in sorted(f for f in funders if f is not None and f != owner):
            edges[(FUNDS, funder, owner)].add(record.id)
            involved[funder].add(record.id)
        for member in team:
            involved[member].add(record.id)
    return _measured(edges, involved, organisations)


def _funder(name: str, organisations: Mapping[str, str], by_name: Mapping[str, str]) -> str | None:
    key = name.strip()
    if key in organisations:
        return key
    return by_name.get(key.casefold())


def _measured(
    edges: Mapping[tuple[str, str, str], set[int]],
    involved: Mapping[str, set[int]],
    organisations: Mapping[str, str],
) -> EcosystemGraph:
    # Only organisations on an edge are drawn: one working alone tells nothing about ties.
    linked = sorted({end for _, a, b in edges for end in (a, b)})
    graph = nx.Graph()
    graph.add_nodes_from(linked)  # sorted, so Louvain sees the same order every time
    graph.add_edges_from(sorted((a, b) for _, a, b in edges if a != b))
    betweenness = nx.betweenness_centrality(graph) if linked else {}
    communities = (
        nx.community.louvain_communities(graph, seed=SEED) if graph.number_of_edges() else []
    )
    # Number communities by their first member, so numbering does not depend on Louvain's order.
    ordered = sorted((sorted(c) for c in communities), key=lambda c: c[0])
    community = {node: i for i, members in enumerate(ordered) for node in members}
    nodes = tuple(
        GraphNode(
            oid,
            organisations.get(oid, oid),
            tuple(sorted(involved.get(oid, ()))),
            betweenness.get(oid, 0.0),
            community.get(oid, 0),
        )
        for oid in linked
    )
    return EcosystemGraph(
        nodes=nodes,
        edges=tuple(
            GraphEdge(kind, a, b, tuple(sorted(ids))) for (kind, a, b), ids in sorted(edges.items())
        ),
        communities=len(ordered),
        bridges=_bridges(graph, betweenness, community),
    )


def _bridges(
    graph: nx.Graph, betweenness: Mapping[str, float], community: Mapping[str, int]
) -> tuple[str, ...]:
    spanning = [
        node
        for node in graph.nodes
        if betweenness.get(node, 0.0) > 0
        and len({community[n] for n in graph.neighbors(node)} | {community[node]}) >= 2
    ]
    spanning.sort(key=lambda node: (-betweenness[node], node))
    return tuple(spanning[:BRIDGES])
