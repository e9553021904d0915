"""Every project's facts as columns, and one query ranked against all of them at once.

The overlap engine keeps its projects' facts as plain records; ranking a query against
100,000 of them one by one in Python would take longer than the check may. Here the facts
become arrays (owners, visibility, target groups and named partners as sparse matrices,
titles and links as look-ups), so that visibility, the structure lifts and the ranking
are a few vector operations (see :mod:`ecosystem.ranking` for the rules).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ecosystem.model import Principal, Visibility
from ecosystem.overlap import ProjectFacts
from ecosystem.ranking import (
    RankingConfig,
    best_per_owner,
    final_scores,
    text_agreement,
)

__all__ = ["Columns", "QueryLinks", "Ranked", "columns_of", "rank", "title_key"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_VISIBILITY = {Visibility.PUBLIC: 0, Visibility.ECOSYSTEM: 1, Visibility.PRIVATE: 2}
# Links that make two projects one line of work: one is merged into, scales or is part of
# the other (``related`` and ``builds_on`` say less, and only lift).
STRUCTURAL_LINKS = frozenset({"merged_into", "scales", "part_of"})


def title_key(title: str) -> str:
    """Titles compared as people read them: case, spacing and punctuation aside."""
    return " ".join("".join(c if c.isalnum() else " " for c in title.casefold()).split())


@dataclass(frozen=True)
class Columns:
    """The facts of every project, row by row, in id order."""

    ids: IntArray
    owners: IntArray  # organisation number of each row
    organisations: tuple[str, ...]  # organisation number → id
    visibility: npt.NDArray[np.int8]
    disclose: BoolArray
    target_groups: sp.csr_matrix  # rows × target groups, 0/1
    group_codes: Mapping[str, int]
    partners: sp.csr_matrix  # rows × organisations named as partners, 0/1
    titles: Mapping[str, tuple[int, ...]]  # title key → rows
    keys: Mapping[tuple[str, str], int]  # (organisation, external id) → row
    # (organisation, external id) → the rows linking to it, each with the link's relation
    incoming: Mapping[tuple[str, str], tuple[tuple[int, str], ...]]

    def row(self, project_id: int) -> int | None:
        position = int(np.searchsorted(self.ids, project_id))
        if position < len(self.ids) and int(self.ids[position]) == project_id:
            return position
        return None

    def aligned(self, ids: IntArray, values: npt.ArrayLike, missing: float) -> FloatArray:
        """``values`` given for ``ids``, placed on this table's rows (``missing`` elsewhere)."""
        out = np.full(len(self.ids), missing, np.float64)
        if len(ids):
            positions = np.searchsorted(self.ids, ids)
            positions = np.minimum(positions, max(len(self.ids) - 1, 0))
            known = self.ids[positions] == ids
            out[positions[known]] = np.asarray(values, np.float64)[known]
        return out

    def visible_to(self, principal: Principal) -> BoolArray:
        """The rows the principal may see (private ones of its own organisation included)."""
        if principal.is_admin:
            return np.ones(len(self.ids), bool)
        visible: BoolArray = np.asarray(self.visibility == 0)
        if principal.is_authenticated:
            visible |= self.visibility == 1
            own = self.organisation_number(principal.organisation_id)
            if own is not None:
                visible |= self.owners == own
        return visible

    def organisation_number(self, organisation_id: str | None) -> int | None:
        try:
            return self.organisations.index(organisation_id) if organisation_id else None
        except ValueError:
            return None


def columns_of(facts: Mapping[int, ProjectFacts]) -> Columns:
    """The columns of ``facts`` (a rebuild: O(projects), done once per catalogue change)."""
    ids = np.array(sorted(facts), np.int64)
    rows = [facts[int(i)] for i in ids]
    organisations = tuple(sorted({f.organisation_id or "" for f in rows} | _named(rows)))
    number = {organisation: n for n, organisation in enumerate(organisations)}
    groups = sorted({g for f in rows for g in f.target_groups})
    group_codes = {code: n for n, code in enumerate(groups)}
    titles: dict[str, list[int]] = {}
    incoming: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for row, f in enumerate(rows):
        if key := title_key(f.title):
            titles.setdefault(key, []).append(row)
        for organisation, external_id, relation in f.links:
            incoming.setdefault((organisation, external_id), []).append((row, relation))
    return Columns(
        ids=ids,
        owners=np.array([number[f.organisation_id or ""] for f in rows], np.int64),
        organisations=organisations,
        visibility=np.array([_VISIBILITY.get(f.visibility, 2) for f in rows], np.int8),  # type: ignore[call-overload]
        disclose=np.array([f.disclose_when_private for f in rows], bool),
        target_groups=_incidence(
            [[group_codes[g] for g in f.target_groups] for f in rows], len(groups)
        ),
        group_codes=group_codes,
        partners=_incidence([[number[p] for p in f.partners] for f in rows], len(organisations)),
        titles={key: tuple(found) for key, found in titles.items()},
        keys={(f.organisation_id or "", f.external_id): row for row, f in enumerate(rows)},
        incoming={target: tuple(found) for target, found in incoming.items()},
    )


def _named(rows: Collection[ProjectFacts]) -> set[str]:
    return {p for f in rows for p in f.partners} | {o for f in rows for o, _, _ in f.links}


def _incidence(members: list[list[int]], width: int) -> sp.csr_matrix:
    indptr = np.cumsum([0, *(len(m) for m in members)])
    indices = np.array([c for m in members for c in m], np.int32)
    data = np.ones(len(indices), np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(members), max(width, 1)))


@dataclass(frozen=True)
class QueryLinks:
    """What of the query's structure the columns can use."""

    organisation_id: str | None
    target_groups: frozenset[str]
    partners: frozenset[str]
    links: frozenset[tuple[str, str, str]]
    title: str
    external_id: str = ""

    @classmethod
    def of(cls, facts: ProjectFacts) -> QueryLinks:
        return cls(
            facts.organisation_id,
            facts.target_groups,
            facts.partners,
            facts.links,
            facts.title,
            facts.external_id,
        )


@dataclass(frozen=True)
class Ranked:
    """One candidate's place in a query's ranking, with the parts of its score."""

    row: int
    project_id: int
    score: float
    agreement: float
    semantic: float | None
    lexical: float
    target_overlap: float
    link: str | None  # named_partner, same_title, or a link relation (merged_into, …)


def rank(
    columns: Columns,
    query: QueryLinks,
    semantic: FloatArray,
    lexical: FloatArray,
    candidates: BoolArray,
    population: BoolArray,
    config: RankingConfig,
    limit: int,
) -> list[Ranked]:
    """The best ``limit`` candidate rows for the query, best first (ties: project id).

    ``semantic`` and ``lexical`` are the raw similarities on the columns' rows (NaN for a
    project without a vector); ``population`` (the visible candidates) is what the
    scores are standardised against, so hidden projects never shift anyone's numbers.
    """
    agreement = text_agreement(semantic, lexical, population, config)
    link = _links(columns, query)
    partner = best_per_owner(agreement, link > 0, columns.owners) | (link >= 2)
    overlap = _target_overlap(columns, query.target_groups)
    mutual = _named_both_ways(columns, query)
    score = final_scores(agreement, overlap, partner & (link > 0), config, mutual)
    score = np.where(candidates, score, -np.inf)
    order = _best_rows(score, columns.ids, limit)
    names = {1: "named_partner", 2: "same_title"}
    return [
        Ranked(
            row=int(row),
            project_id=int(columns.ids[row]),
            score=float(score[row]),
            agreement=float(agreement[row]),
            semantic=float(semantic[row]) if np.isfinite(semantic[row]) else None,
            lexical=float(lexical[row]),
            target_overlap=float(overlap[row]),
            link=_structural(columns, query, int(row)) or names.get(int(link[row])),
        )
        for row in order
    ]


def _best_rows(score: FloatArray, ids: IntArray, limit: int) -> IntArray:
    finite = np.flatnonzero(np.isfinite(score))
    if len(finite) > limit:
        kth = len(finite) - limit
        finite = finite[np.argpartition(score[finite], kth)[kth:]]
    return finite[np.lexsort((ids[finite], -score[finite]))][:limit]


def _links(columns: Columns, query: QueryLinks) -> npt.NDArray[np.int8]:
    """Per row: 0 nothing, 1 a named partner either way, 2 the same title, 3 a typed link."""
    link = np.zeros(len(columns.ids), np.int8)
    named = [n for p in query.partners if (n := columns.organisation_number(p)) is not None]
    if named:
        link[np.isin(columns.owners, named)] = 1
    own = columns.organisation_number(query.organisation_id)
    if own is not None:
        link[np.flatnonzero(columns.partners[:, own].toarray().ravel())] = 1
    same_title = columns.titles.get(title_key(query.title), ())
    link[list(same_title)] = 2
    for organisation, external_id, _ in query.links:
        row = columns.keys.get((organisation, external_id))
        if row is not None:
            link[row] = 3
    for row, _ in columns.incoming.get((query.organisation_id or "", query.external_id), ()):
        link[row] = 3
    return link


def _named_both_ways(columns: Columns, query: QueryLinks) -> BoolArray:
    """Per row: the query names the row's organisation as a partner, and the row names the
    query's organisation."""
    both = np.zeros(len(columns.ids), bool)
    own = columns.organisation_number(query.organisation_id)
    named = [n for p in query.partners if (n := columns.organisation_number(p)) is not None]
    if own is None or not named:
        return both
    names_us = columns.partners[:, own].toarray().ravel() > 0
    both[np.isin(columns.owners, named) & names_us] = True
    return both


def _structural(columns: Columns, query: QueryLinks, row: int) -> str | None:
    """The typed link between the query and a row, in either direction, if any."""
    for organisation, external_id, relation in query.links:
        if columns.keys.get((organisation, external_id)) == row:
            return relation
    for linking, relation in columns.incoming.get(
        (query.organisation_id or "", query.external_id), ()
    ):
        if linking == row:
            return relation
    return None


def _target_overlap(columns: Columns, groups: frozenset[str]) -> FloatArray:
    """Jaccard of the query's target groups with each row's (0 where either has none)."""
    wanted = [columns.group_codes[g] for g in groups if g in columns.group_codes]
    if not groups:
        return np.zeros(len(columns.ids))
    sizes = np.asarray(columns.target_groups.sum(axis=1)).ravel()
    shared = (
        np.asarray(columns.target_groups[:, wanted].sum(axis=1)).ravel()
        if wanted
        else np.zeros(len(columns.ids))
    )
    union = sizes + len(groups) - shared
    return np.where((sizes > 0) & (union > 0), shared / np.maximum(union, 1), 0.0)
