"""The overlap engine: every live project's facts, text index and vector, kept current.

``check`` answers "who else is doing this?" for a draft or a published project: every
candidate is ranked by text agreement (semantic and lexical, standardised per query,
:mod:`ecosystem.ranking`) with structure lifting only where the text agrees; the best are
classified and explained. ``pairs`` gives every project's nearest neighbours at other
organisations (bounded: a few per project), from which reports and clusters are made.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from ecosystem.candidates import Columns, QueryLinks, Ranked, columns_of, rank
from ecosystem.explain import Explanation, explain_match
from ecosystem.model import Principal, ProjectRecord, Visibility
from ecosystem.neighbours import neighbour_pairs
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
)
from ecosystem.ranking import Confidence, confidence
from ecosystem.semantic import VectorIndex, text_hash
from ecosystem.semantic.vectors import StoredRows
from ecosystem.similarity import SimilarityIndex

__all__ = [
    "SAME_THING",
    "CheckResult",
    "HiddenMatch",
    "OverlapEngine",
]

Visible = Callable[[ProjectFacts], bool]
Vector = npt.NDArray[np.float32]

# Relations that mean "doing the same thing"; complementary projects do not form clusters.
SAME_THING = frozenset(
    {Relation.DUPLICATE, Relation.PARALLEL, Relation.SEQUENTIAL, Relation.PART_OF}
)
HIDDEN_SHOWN = 3  # hints at non-public matches per check
# Seconds without a new vector after which a backlog counts as stalled (see ``pairs``).
BACKLOG_STALLED = 60.0


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
    semantic: bool = False  # whether the query itself was compared by meaning
    lexical_only: int = 0  # visible candidates compared by words only (vector not ready)


class OverlapEngine:
    """Every live project's facts, text and vector, answering overlap questions."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        config: OverlapConfig | None = None,
        index: SimilarityIndex | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.config = config or OverlapConfig()
        # Not ``index or ...``: an index with no documents yet is falsy (it has a length).
        self.index = index if index is not None else SimilarityIndex()
        self.facts: dict[int, ProjectFacts] = {}
        self.vectors: VectorIndex | None = None
        self.model_id: str | None = None
        self._columns: Columns | None = None
        self._fresh: npt.NDArray[np.bool_] | None = None
        self._pairs: list[OverlapPair] | None = None
        self._by_project: dict[int, list[OverlapPair]] | None = None
        # when vectors last arrived after the pairs were found (None: none since); the
        # pairs are found again once the backlog has drained, not after every batch
        self._vectors_since_pairs: float | None = None

    # ---------------------------------------------------------------- state
    def load(self, records: Iterable[ProjectRecord]) -> None:
        """Build from scratch (at start, or when reference data changed)."""
        self.facts = {
            r.id: facts_from_record(r, self.gazetteer) for r in records if not r.withdrawn
        }
        self.index.build(
            ((project_id, facts.text) for project_id, facts in self.facts.items()),
            counted=[i for i, f in self.facts.items() if f.visibility == Visibility.PUBLIC],
        )
        self._changed()

    def apply(self, records: Iterable[ProjectRecord]) -> None:
        """Take in changed projects without rebuilding: withdrawn ones leave the index."""
        for record in records:
            if record.withdrawn:
                if self.facts.pop(record.id, None) is not None:
                    self.index.remove(record.id)
                continue
            facts = facts_from_record(record, self.gazetteer)
            self.facts[record.id] = facts
            self.index.upsert(record.id, facts.text, counted=facts.visibility == Visibility.PUBLIC)
        self._changed()

    def use_vectors(self, model_id: str, dimensions: int, stored: StoredRows) -> None:
        """Start over with the stored vectors of ``model_id`` (at start, or a new model)."""
        self.model_id = model_id
        self.vectors = VectorIndex(dimensions)
        ids, hashes, matrix = stored
        self.vectors.load(ids, hashes, matrix)
        self._changed()

    def add_vectors(self, rows: Iterable[tuple[int, str, Vector]]) -> None:
        """Vectors embedded since (a project's newer vector replaces its older one)."""
        if self.vectors is None:
            return
        arrived = list(rows)
        if not arrived:
            return
        self.vectors.upsert_many(arrived)
        self._fresh = None
        self._vectors_since_pairs = time.monotonic()

    def current_hash(self, project_id: int) -> str | None:
        """The hash a current vector of the project must carry (None: no model)."""
        facts = self.facts.get(project_id)
        if facts is None or self.model_id is None:
            return None
        return text_hash(self.model_id, facts.embedding_text)

    def vector_of(self, project_id: int) -> Vector | None:
        """The project's vector, if it is current (made from today's text)."""
        if self.vectors is None or self.vectors.hash_of(project_id) != self.current_hash(
            project_id
        ):
            return None
        return self.vectors.vector(project_id)

    def _changed(self) -> None:
        self._columns = self._fresh = None
        self._pairs = self._by_project = None

    def columns(self) -> Columns:
        if self._columns is None:
            self._columns = columns_of(self.facts)
        return self._columns

    def fresh_rows(self) -> npt.NDArray[np.bool_]:
        """Per row of :meth:`columns`: whether its vector is current."""
        if self._fresh is None:
            ids = self.columns().ids
            self._fresh = np.fromiter(
                (self.vector_of(int(i)) is not None for i in ids), bool, len(ids)
            )
        return self._fresh

    # --------------------------------------------------------------- checks
    def check(
        self,
        draft: ProjectFacts,
        *,
        reader: Principal,
        draft_vector: Vector | None = None,
        limit: int = 10,
        include_own: bool = False,
    ) -> CheckResult:
        """Ranked overlaps of ``draft`` (a draft, or a published project's facts)."""
        columns = self.columns()
        if not len(columns.ids):
            return CheckResult([])
        vector = draft_vector if draft_vector is not None else self.vector_of(draft.id)
        semantic, lexical = self._similarities(draft, vector)
        others = columns.ids != draft.id
        own = columns.organisation_number(draft.organisation_id)
        if own is not None and not include_own:
            others &= columns.owners != own
        visible = others & columns.visible_to(reader)
        query = QueryLinks.of(draft)
        ranked = rank(columns, query, semantic, lexical, visible, visible, self.config, limit)
        shown = [found for found in ranked if found.score >= self.config.shown_from]
        matches = [self._match(draft, found) for found in shown]
        hidden = self._hidden(draft, query, semantic, lexical, others & ~visible, visible)
        lexical_only = int((visible & ~self.fresh_rows()).sum()) if self.vectors else 0
        return CheckResult(matches, hidden, vector is not None, lexical_only)

    def _similarities(
        self, draft: ProjectFacts, vector: Vector | None
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        if draft.id in self.index:
            ids, scores = self.index.scores_of(draft.id)
        else:
            ids, scores = self.index.scores(draft.text)
        return self._semantic(vector), self.columns().aligned(ids, scores, 0.0)

    def text_similarities(
        self, text: str, vector: Vector | None
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Every project's semantic and lexical similarity to a text, by row of :meth:`columns`.

        Semantic is NaN where a project has no current vector (and everywhere without
        ``vector``, the text's own, embedded as :attr:`ProjectFacts.embedding_text` is).
        """
        ids, scores = self.index.scores(text)
        return self._semantic(vector), self.columns().aligned(ids, scores, 0.0)

    def _semantic(self, vector: Vector | None) -> npt.NDArray[np.float64]:
        columns = self.columns()
        semantic = np.full(len(columns.ids), np.nan)
        if vector is not None and self.vectors is not None and len(self.vectors):
            vector_ids, cosines = self.vectors.scores(vector)
            semantic = columns.aligned(vector_ids, cosines, np.nan)
            semantic[~self.fresh_rows()] = np.nan
        return semantic

    def _hidden(
        self,
        draft: ProjectFacts,
        query: QueryLinks,
        semantic: npt.NDArray[np.float64],
        lexical: npt.NDArray[np.float64],
        invisible: npt.NDArray[np.bool_],
        population: npt.NDArray[np.bool_],
    ) -> list[HiddenMatch]:
        """Hints at strong non-public matches whose owners allowed it (never their content)."""
        columns = self.columns()
        disclosed = invisible & columns.disclose
        if not disclosed.any():
            return []
        found = rank(columns, query, semantic, lexical, disclosed, population, self.config, 10)
        hints = [
            self._hint(draft, item)
            for item in found
            if confidence(item.agreement, self.config) is not Confidence.RELATED
        ]
        return list(dict.fromkeys(hints))[:HIDDEN_SHOWN]

    def _hint(self, draft: ProjectFacts, item: Ranked) -> HiddenMatch:
        facts = self.facts[item.project_id]
        relation = self._relation(draft, facts, item)
        kind = self.gazetteer.organisation_kinds.get(facts.organisation_id or "", "other")
        return HiddenMatch(kind, tuple(sorted(facts.places["region"])), relation)

    def _relation(self, a: ProjectFacts, b: ProjectFacts, item: Ranked) -> Relation:
        band = confidence(item.agreement, self.config)
        geography, _ = geography_between(a, b)
        return classify(a, b, band, item.link, geography)

    def _match(self, a: ProjectFacts, item: Ranked, *, terms: bool = True) -> OverlapMatch:
        """Classify and explain one ranked candidate ``b`` of ``a``."""
        b = self.facts[item.project_id]
        band = confidence(item.agreement, self.config)
        geography, place = geography_between(a, b)
        _, partner = partner_link(a, b)
        relation = classify(a, b, band, item.link, geography)
        explanation = explain_match(
            Explanation(a, b, relation, band, geography, place, partner, item.link),
            self.index if terms else None,
            self.gazetteer,
        )
        return OverlapMatch(
            project_id=b.id,
            score=round(_unit_score(item.score, self.config), 4),
            relation=relation,
            text_score=round(item.lexical, 4),
            shared_terms=explanation.terms,
            shared_themes=explanation.themes,
            shared_target_groups=explanation.target_groups,
            geography=geography,
            partner_link=partner,
            reasons=explanation.danish,
            reasons_en=explanation.english,
            confidence=band,
            semantic_score=None if item.semantic is None else round(item.semantic, 4),
            agreement=round(item.agreement, 3),
            link=item.link,
            highlights=explanation.highlights,
        )

    # ---------------------------------------------------------------- pairs
    def pairs(self) -> list[OverlapPair]:
        """Each project's best few overlaps at other organisations (without shared terms).

        Found again when vectors have arrived since and every project's vector is current
        (or none has arrived for ``BACKLOG_STALLED`` seconds: a text that cannot be
        embedded must not freeze the report): while the embedding job is still working
        through a backlog, the last pairs are served, since each batch would otherwise
        cost a whole report.
        """
        if self._pairs is not None and self._vectors_since_pairs is not None:
            stalled = time.monotonic() - self._vectors_since_pairs > BACKLOG_STALLED
            if stalled or self.fresh_rows().all():
                self._pairs = self._by_project = None
        if self._pairs is None:
            self._vectors_since_pairs = None
            found = neighbour_pairs(self, self.config)
            self._pairs = [
                OverlapPair(a, b, self._match(self.facts[a], item, terms=False))
                for a, b, item in found
            ]
        return self._pairs

    def explained(self, pair: OverlapPair) -> OverlapPair:
        """The pair with its shared key terms and matching sentences filled in."""
        a = self.facts[pair.a]
        item = Ranked(
            row=-1,
            project_id=pair.b,
            score=_ranking_score(pair.match.score, self.config),
            agreement=pair.match.agreement,
            semantic=pair.match.semantic_score,
            lexical=pair.match.text_score,
            target_overlap=0.0,
            link=pair.match.link,
        )
        return replace(pair, match=self._match(a, item))

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


def _unit_score(score: float, config: OverlapConfig) -> float:
    """The ranking score shown in [0, 1]: 0.5 where "possibly the same" begins."""
    return 1.0 / (1.0 + math.exp(-(score - config.possible_from)))


def _ranking_score(unit: float, config: OverlapConfig) -> float:
    unit = min(max(unit, 1e-9), 1 - 1e-9)
    return config.possible_from + math.log(unit / (1.0 - unit))
