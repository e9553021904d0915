"""Tag suggestions for a text: themes, sub-themes and target groups its nearest tagged projects carry.

A suggestion is never a tag. The publisher sees each one with its confidence and the
projects behind it, and accepts it or not; nothing here writes a card.

How a suggestion is made (k-nearest-neighbour voting, weighted by similarity):

* the ``k`` most similar tagged projects are found by whatever similarity the caller has
  (the lexical index, or the text agreement of semantic vectors and words through
  :func:`agreement_neighbours`): each arrives as a :class:`Neighbour` with its score in
  [0, 1] and its tags;
* a tag's confidence is the similarity of the neighbours carrying it over the similarity
  of all of them plus a ``prior``: ``sum(s_i for i with tag) / (sum(s_i) + prior)``. The
  prior keeps a tag carried by the one faint neighbour of an unusual text from scoring
  1.0: with little evidence every confidence stays low;
* a sub-theme votes for itself and for its theme (a project about type 2 diabetes is about
  chronic disease), so a theme is suggested by neighbours tagging it or any sub-theme of it;
* tags the text already has are not suggested again; the rest are kept from ``threshold``
  up, most confident first.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "AGREEMENT_SCALE",
    "DEFAULT_K",
    "DEFAULT_PRIOR",
    "DEFAULT_THRESHOLD",
    "HYBRID_SEMANTIC_WEIGHT",
    "KINDS",
    "LEXICAL_K",
    "LEXICAL_PRIOR",
    "LEXICAL_THRESHOLD",
    "Kind",
    "Neighbour",
    "Suggestion",
    "Tags",
    "agreement_neighbours",
    "suggest",
    "suggest_from",
    "tag_keys",
]

Kind = Literal["theme", "subtheme", "target_group"]
KINDS: tuple[Kind, ...] = ("theme", "subtheme", "target_group")

# Neighbours by text agreement (meaning and words, as a check ranks): chosen on the demo
# organisations of the tuning half, the "hybrid" row of benchmarks/eval_suggestions.py.
DEFAULT_K = 10
DEFAULT_THRESHOLD = 0.3
DEFAULT_PRIOR = 0.2
HYBRID_SEMANTIC_WEIGHT = 0.9  # of the agreement; the rest is lexical

# Neighbours by raw lexical similarity, where there are no vectors: chosen on the demo
# organisations of the tuning half, the "lexical" row of benchmarks/eval_suggestions.py.
LEXICAL_K = 20
LEXICAL_THRESHOLD = 0.2
LEXICAL_PRIOR = 0.5

# The text agreement (standard deviations above an ordinary project, ecosystem.ranking) at
# which a neighbour's vote weighs fully: where "the same intervention" begins
# (RankingConfig.same_from). A neighbour no more alike than an ordinary project weighs 0.
AGREEMENT_SCALE = 4.5


@dataclass(frozen=True)
class Tags:
    """The tags of one project (or of a draft: those it has already)."""

    themes: frozenset[str] = frozenset()
    target_groups: frozenset[str] = frozenset()

    @classmethod
    def of(cls, themes: Iterable[str] = (), target_groups: Iterable[str] = ()) -> Tags:
        return cls(frozenset(themes), frozenset(target_groups))


@dataclass(frozen=True)
class Neighbour:
    """A tagged project similar to the text, with its similarity in [0, 1]."""

    project_id: int
    score: float
    tags: Tags


@dataclass(frozen=True)
class Suggestion:
    """One suggested tag.

    Attributes
    ----------
    kind
        ``theme`` (top level), ``subtheme`` or ``target_group``.
    code
        The theme or target-group code.
    confidence
        In [0, 1]: the similarity-weighted share of the neighbours that carry it.
    supporters
        The neighbours carrying it, ``(project id, similarity)``, most similar first.
    """

    kind: Kind
    code: str
    confidence: float
    supporters: tuple[tuple[int, float], ...] = field(default=())


def suggest(
    neighbours: Sequence[Neighbour],
    parents: Mapping[str, str | None],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    prior: float = DEFAULT_PRIOR,
    already: Tags = Tags(),
) -> list[Suggestion]:
    """Suggestions from these neighbours, from ``threshold`` up, most confident first.

    ``parents``: each theme code's parent (None or absent: a top-level theme).

    Examples
    --------
    >>> parents = {"T2": None, "T2.1": "T2", "T6": None}
    >>> near = [Neighbour(1, 0.6, Tags.of(["T2.1"], ["kol"])),
    ...         Neighbour(2, 0.3, Tags.of(["T6"], ["kol"]))]
    >>> [(s.kind, s.code, round(s.confidence, 2))
    ...  for s in suggest(near, parents, threshold=0.3, prior=0.2)]
    [('target_group', 'kol', 0.82), ('theme', 'T2', 0.55), ('subtheme', 'T2.1', 0.55)]
    >>> [s.code for s in suggest(near, parents, threshold=0.3, already=Tags.of(["T2"], ["kol"]))]
    ['T2.1']
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be in [0, 1]")
    if prior < 0.0:
        raise ValueError("prior must not be negative")
    live = [n for n in neighbours if n.score > 0.0]
    total = sum(n.score for n in live) + prior
    if total <= 0.0:
        return []
    votes: dict[tuple[Kind, str], list[tuple[int, float]]] = {}
    for neighbour in live:
        for key in tag_keys(neighbour.tags, parents):
            votes.setdefault(key, []).append((neighbour.project_id, neighbour.score))
    have = tag_keys(already, parents)
    found = []
    for (kind, code), supporters in votes.items():
        confidence = min(1.0, sum(score for _, score in supporters) / total)
        if (kind, code) in have or confidence < threshold:
            continue
        ordered = tuple(sorted(supporters, key=lambda s: (-s[1], s[0])))
        found.append(Suggestion(kind, code, confidence, ordered))
    return sorted(found, key=lambda s: (-s.confidence, KINDS.index(s.kind), s.code))


def suggest_from(
    nearest: Callable[[int], Sequence[tuple[int, float]]],
    tags_of: Callable[[int], Tags | None],
    parents: Mapping[str, str | None],
    *,
    k: int = DEFAULT_K,
    threshold: float = DEFAULT_THRESHOLD,
    prior: float = DEFAULT_PRIOR,
    already: Tags = Tags(),
    exclude: Collection[int] = (),
) -> list[Suggestion]:
    """Suggestions from the ``k`` nearest *tagged* projects ``nearest(limit)`` returns.

    ``nearest(limit)``: up to ``limit`` ``(project id, similarity)``, most similar first
    (an index query); ``tags_of(project id)``: its tags (None: unknown). Untagged and excluded projects are skipped and do not use up one of
    the ``k`` places, so more are asked for than ``k``.
    """
    if k <= 0:
        return []
    picked: list[Neighbour] = []
    for project_id, score in nearest(k * 3 + len(exclude)):
        tags = tags_of(project_id)
        if project_id in exclude or tags is None or not (tags.themes or tags.target_groups):
            continue
        picked.append(Neighbour(project_id, score, tags))
        if len(picked) == k:
            break
    return suggest(picked, parents, threshold=threshold, prior=prior, already=already)


def tag_keys(tags: Tags, parents: Mapping[str, str | None]) -> set[tuple[Kind, str]]:
    """What a project's tags vote for: a sub-theme also votes for its theme."""
    keys: set[tuple[Kind, str]] = {("target_group", code) for code in tags.target_groups}
    for code in tags.themes:
        parent = parents.get(code)
        if parent:
            keys.add(("subtheme", code))
            keys.add(("theme", _root(parent, parents)))
        else:
            keys.add(("theme", code))
    return keys


def _root(code: str, parents: Mapping[str, str | None]) -> str:
    seen = {code}
    while (parent := parents.get(code)) and parent not in seen:
        seen.add(parent)
        code = parent
    return code


def agreement_neighbours(
    ids: npt.NDArray[np.int64],
    agreement: npt.NDArray[np.float64],
    allowed: npt.NDArray[np.bool_],
    limit: int,
) -> list[tuple[int, float]]:
    """Up to ``limit`` allowed projects of highest text agreement, best first, each with its
    vote weight: the agreement over :data:`AGREEMENT_SCALE`, cut to [0, 1].

    Raw cosines of sentence embeddings crowd together (most pairs of project texts lie
    between 0.8 and 0.9), so they would weigh a near-copy and an ordinary project almost
    alike; the agreement, standardised per query, tells them apart. Projects no more alike
    than an ordinary one (agreement <= 0, or NaN: nothing to compare) are not neighbours.

    Examples
    --------
    >>> agreement_neighbours(np.array([7, 8, 9, 10]), np.array([2.25, 9.0, -1.0, 3.0]),
    ...                      np.array([True, True, True, False]), 3)
    [(8, 1.0), (7, 0.5)]
    """
    usable = allowed & np.isfinite(agreement) & (agreement > 0.0)
    rows = np.flatnonzero(usable)
    if limit <= 0 or not len(rows):
        return []
    if len(rows) > limit:
        rows = rows[np.argpartition(-agreement[rows], limit - 1)[:limit]]
    rows = rows[np.lexsort((ids[rows], -agreement[rows]))]
    weights = np.minimum(agreement[rows] / AGREEMENT_SCALE, 1.0)
    return [(int(i), float(w)) for i, w in zip(ids[rows], weights, strict=True)]
