"""The overlap engine: the text index plus every project's facts, kept current incrementally.

``check`` answers "who else is doing this?" for a draft or a published project;
``pairs`` and ``clusters`` give the ecosystem-wide picture.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace

import networkx as nx

from ecosystem.explain import reasons
from ecosystem.model import ProjectRecord
from ecosystem.overlap import (
    Gazetteer,
    OverlapConfig,
    OverlapMatch,
    OverlapPair,
    ProjectFacts,
    Relation,
    classify,
    facts_from_record,
    geography_between,
    partner_link,
    score_components,
)
from ecosystem.similarity import SimilarityIndex

__all__ = [
    "CheckResult",
    "Cluster",
    "HiddenMatch",
    "OverlapEngine",
    "assess",
    "clusters",
    "score_pair",
]

Visible = Callable[[ProjectFacts], bool]

# Relations that mean "doing the same thing"; complementary projects do not form clusters.
SAME_THING = frozenset({Relation.DUPLICATE, Relation.PARALLEL, Relation.SEQUENTIAL})


def assess(
    a: ProjectFacts, b: ProjectFacts, text_score: float, config: OverlapConfig
) -> tuple[Relation, float] | None:
    """The relation and score of ``b`` against ``a`` (None when not an overlap), unexplained."""
    geography, _ = geography_between(a, b)
    relation = classify(a, b, text_score, geography, config)
    if relation is None:
        return None
    score = config.weighted(score_components(a, b, text_score, config))
    return None if score < config.min_score else (relation, score)


def score_pair(
    a: ProjectFacts,
    b: ProjectFacts,
    text_score: float,
    shared_terms: tuple[tuple[str, float], ...],
    gazetteer: Gazetteer,
    config: OverlapConfig,
) -> OverlapMatch | None:
    """Score, classify and explain ``b`` as an overlap of ``a``; None when it is not one."""
    assessed = assess(a, b, text_score, config)
    if assessed is None:
        return None
    relation, score = assessed
    geography, place = geography_between(a, b)
    _, link = partner_link(a, b)
    shared_themes = tuple(sorted(a.themes & b.themes))
    shared_groups = tuple(sorted(a.target_groups & b.target_groups))
    danish, english = reasons(
        a,
        b,
        relation,
        shared_terms,
        shared_themes,
        shared_groups,
        geography,
        place,
        link,
        gazetteer,
    )
    return OverlapMatch(
        project_id=b.id,
        score=round(score, 4),
        relation=relation,
        text_score=round(text_score, 4),
        shared_terms=shared_terms,
        shared_themes=shared_themes,
        shared_target_groups=shared_groups,
        geography=geography,
        partner_link=link,
        reasons=danish,
        reasons_en=english,
    )


@dataclass(frozen=True)
class HiddenMatch:
    """A match the asker may not see, disclosed only as "a similar non-public project exists"."""

    organisation_kind: str
    regions: tuple[str, ...]
    relation: Relation


@dataclass(frozen=True)
class CheckResult:
    matches: list[OverlapMatch]
    hidden: list[HiddenMatch] = field(default_factory=list)


@dataclass(frozen=True)
class Cluster:
    """Connected projects doing the same thing, with a label from their key terms."""

    label: str
    project_ids: tuple[int, ...]
    pairs: tuple[OverlapPair, ...]


class OverlapEngine:
    """Every live project's facts and text, answering overlap questions."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        config: OverlapConfig | None = None,
        index: SimilarityIndex | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.config = config or OverlapConfig()
        self.index = index or SimilarityIndex()
        self.facts: dict[int, ProjectFacts] = {}
        self._pairs: list[OverlapPair] | None = None
        self._by_project: dict[int, list[OverlapPair]] | None = None

    def load(self, records: Iterable[ProjectRecord]) -> None:
        """Build from scratch (at start, or when reference data changed)."""
        self.facts = {
            r.id: facts_from_record(r, self.gazetteer) for r in records if not r.withdrawn
        }
        self.index.build((project_id, facts.text) for project_id, facts in self.facts.items())
        self._pairs = self._by_project = None

    def apply(self, records: Iterable[ProjectRecord]) -> None:
        """Take in changed projects without rebuilding: withdrawn ones leave the index."""
        for record in records:
            if record.withdrawn:
                if self.facts.pop(record.id, None) is not None:
                    self.index.remove(record.id)
                continue
            facts = facts_from_record(record, self.gazetteer)
            self.facts[record.id] = facts
            self.index.upsert(record.id, facts.text)
        self._pairs = self._by_project = None

    def check(
        self,
        draft: ProjectFacts,
        *,
        limit: int = 10,
        visible: Visible = lambda _facts: True,
        include_own: bool = False,
    ) -> CheckResult:
        """Ranked overlaps of ``draft`` (a draft, or a published project's facts)."""

        def candidate(project_id: int) -> bool:
            facts = self.facts.get(project_id)
            if facts is None or project_id == draft.id:
                return False
            own = (
                draft.organisation_id is not None and facts.organisation_id == draft.organisation_id
            )
            if own and not include_own:
                return False
            return visible(facts) or facts.disclose_when_private

        hits = self.index.query(draft.text, k=self.config.candidates, allowed=candidate)
        ranked = sorted(
            (
                (-assessed[1], hit.doc_id, hit, assessed[0])
                for hit in hits
                if (assessed := assess(draft, self.facts[hit.doc_id], hit.score, self.config))
            ),
            key=lambda item: item[:2],
        )
        # Explaining costs more than scoring, so only the matches shown are explained.
        shown_hits = [hit for _, _, hit, _ in ranked if visible(self.facts[hit.doc_id])][:limit]
        shown = [
            self._explained(draft, hit.doc_id, hit.score, hit.shared_terms) for hit in shown_hits
        ]
        hidden = [
            self._hidden(hit.doc_id, relation)
            for _, _, hit, relation in ranked
            if not visible(self.facts[hit.doc_id])
        ]
        return CheckResult(shown, _unique(hidden)[:3])

    def _explained(
        self,
        draft: ProjectFacts,
        project_id: int,
        text_score: float,
        terms: tuple[tuple[str, float], ...],
    ) -> OverlapMatch:
        match = score_pair(
            draft, self.facts[project_id], text_score, terms, self.gazetteer, self.config
        )
        assert match is not None  # it was assessed as a match with the same inputs
        return match

    def _hidden(self, project_id: int, relation: Relation) -> HiddenMatch:
        facts = self.facts[project_id]
        kind = self.gazetteer.organisation_kinds.get(facts.organisation_id or "", "other")
        return HiddenMatch(kind, tuple(sorted(facts.places["region"])), relation)

    def pairs(self) -> list[OverlapPair]:
        """Every cross-organisation overlap (without shared terms; see ``explained``)."""
        if self._pairs is None:
            self._pairs = list(self._all_pairs())
        return self._pairs

    def _all_pairs(self) -> Iterable[OverlapPair]:
        for first, second, similarity in self.index.pairs(self.config.pair_text_threshold):
            a, b = self.facts[min(first, second)], self.facts[max(first, second)]
            if a.organisation_id == b.organisation_id:
                continue
            match = score_pair(a, b, similarity, (), self.gazetteer, self.config)
            if match is not None:
                yield OverlapPair(a.id, b.id, match)

    def explained(self, pair: OverlapPair) -> OverlapPair:
        """The pair with its shared key terms filled in (they cost a lookup, so only on demand)."""
        terms = self.index.explain(pair.a, pair.b)
        a, b = self.facts[pair.a], self.facts[pair.b]
        match = score_pair(a, b, pair.match.text_score, terms, self.gazetteer, self.config)
        return replace(pair, match=match or pair.match)

    def visible_pairs(
        self, visible: Visible, projects: Collection[int] | None = None
    ) -> list[OverlapPair]:
        """Pairs whose two projects the asker may both see (and, if given, one is in ``projects``)."""
        if projects is None:
            candidates: Iterable[OverlapPair] = self.pairs()
        else:
            by_project = self._pairs_by_project()
            found = {id(p): p for project in projects for p in by_project.get(project, ())}
            candidates = sorted(found.values(), key=lambda p: (p.a, p.b))
        seen: dict[int, bool] = {}

        def may_see(project_id: int) -> bool:
            if project_id not in seen:
                seen[project_id] = visible(self.facts[project_id])
            return seen[project_id]

        return [pair for pair in candidates if may_see(pair.a) and may_see(pair.b)]

    def selected_pairs(
        self,
        visible: Visible,
        *,
        areas: Collection[str] | None = None,
        themes: Collection[str] = (),
        organisations: Collection[str] = (),
        relations: Collection[str] = (),
        min_score: float = 0.0,
    ) -> list[OverlapPair]:
        """Visible pairs above ``min_score`` where at least one project is in the selection.

        ``areas`` must already include everything inside them (a council's municipalities).
        """

        def chosen(facts: ProjectFacts) -> bool:
            places = set().union(*facts.places.values())
            return (
                (areas is None or bool(places & set(areas)))
                and (not themes or bool(facts.themes & set(themes)))
                and (not organisations or facts.organisation_id in organisations)
            )

        return [
            pair
            for pair in self.visible_pairs(visible)
            if pair.match.score >= min_score
            and (not relations or pair.match.relation in relations)
            and (chosen(self.facts[pair.a]) or chosen(self.facts[pair.b]))
        ]

    def _pairs_by_project(self) -> dict[int, list[OverlapPair]]:
        if self._by_project is None:
            index: dict[int, list[OverlapPair]] = {}
            for pair in self.pairs():
                index.setdefault(pair.a, []).append(pair)
                index.setdefault(pair.b, []).append(pair)
            self._by_project = index
        return self._by_project


def clusters(
    pairs: Iterable[OverlapPair], label_terms: Callable[[OverlapPair], Iterable[str]]
) -> list[Cluster]:
    """Connected groups of projects doing the same thing, largest first.

    Examples
    --------
    >>> from ecosystem.overlap import Geography, OverlapMatch, Relation
    >>> def pair(a, b):
    ...     match = OverlapMatch(b, 0.8, Relation.PARALLEL, 0.5, (), (), (), Geography.ELSEWHERE, None, ())
    ...     return OverlapPair(a, b, match)
    >>> [c.project_ids for c in clusters([pair(1, 2), pair(2, 3), pair(7, 8)], lambda p: ["kol"])]
    [(1, 2, 3), (7, 8)]
    """
    graph = nx.Graph()
    for pair in pairs:
        if pair.match.relation in SAME_THING:
            graph.add_edge(pair.a, pair.b, pair=pair)
    result = []
    for component in nx.connected_components(graph):
        edges = tuple(data["pair"] for _, _, data in graph.subgraph(component).edges(data=True))
        terms: Counter[str] = Counter()
        for edge in edges[:30]:  # enough edges to name even a large cluster
            terms.update(label_terms(edge))
        label = ", ".join(term for term, _ in terms.most_common(3))
        result.append(Cluster(label, tuple(sorted(component)), edges))
    result.sort(key=lambda c: (-len(c.project_ids), c.project_ids))
    return result


def _unique(items: list[HiddenMatch]) -> list[HiddenMatch]:
    return list(dict.fromkeys(items))
