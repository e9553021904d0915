"""Overlap between projects of different organisations: scored with the graph, explained, classified.

Text similarity finds candidates; the graph (themes, target groups, geography, time,
stage, partners) re-scores them, and the relation class says what a coordinator could
do about it. Everything here is a pure function of plain data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ecosystem import hierarchy
from ecosystem.model import EARLY_STAGES, MATURE_STAGES, ProjectRecord, Stage

__all__ = [
    "GEOGRAPHY_SCORE",
    "Gazetteer",
    "Geography",
    "OverlapConfig",
    "OverlapMatch",
    "OverlapPair",
    "ProjectFacts",
    "Relation",
    "classify",
    "facts_from_draft",
    "facts_from_record",
    "geography_between",
    "partner_link",
    "score_components",
]


class Relation(StrEnum):
    """How two overlapping projects relate, and what that suggests."""

    DUPLICATE = "duplicate"  # the same thing in the same place
    PARALLEL = "parallel"  # the same thing elsewhere: coordinate and learn
    SEQUENTIAL = "sequential"  # one is mature, the other starting: adopt, don't reinvent
    COMPLEMENTARY = "complementary"  # same target group, different approach


class Geography(StrEnum):
    """The closest place two projects share, from nearest to farthest."""

    SAME_MUNICIPALITY = "same_municipality"
    SAME_COUNCIL = "same_council"
    SAME_REGION = "same_region"
    NATIONAL = "national"
    ELSEWHERE = "elsewhere"


@dataclass(frozen=True)
class OverlapMatch:
    """One project found to overlap another (or a draft), with the reasons."""

    project_id: int
    score: float
    relation: Relation
    text_score: float
    shared_terms: tuple[tuple[str, float], ...]
    shared_themes: tuple[str, ...]
    shared_target_groups: tuple[str, ...]
    geography: Geography
    partner_link: str | None
    reasons: tuple[str, ...]
    reasons_en: tuple[str, ...] = ()


@dataclass(frozen=True)
class OverlapPair:
    """Two published projects of different organisations that overlap (``a < b``)."""

    a: int
    b: int
    match: OverlapMatch


@dataclass(frozen=True)
class OverlapConfig:
    """Weights and thresholds; the defaults are justified by ``benchmarks/eval_overlap.py``.

    The score is a weighted mean of components in [0, 1]. Text similarity saturates at
    ``text_cap`` because two descriptions of the same intervention written by different
    people rarely share more than half their weighted vocabulary.
    """

    text: float = 0.60
    themes: float = 0.12
    target_groups: float = 0.17
    geography: float = 0.05
    time: float = 0.03
    partners: float = 0.07
    text_cap: float = 0.45
    same_thing_text: float = 0.12  # text similarity from which two projects do "the same thing"
    min_score: float = 0.25  # weaker matches are not reported
    candidates: int = 150  # text neighbours re-scored with the graph per query
    pair_text_threshold: float = 0.14  # all-pairs: text similarity worth re-scoring

    def weighted(self, components: Mapping[str, float]) -> float:
        weights: dict[str, float] = {name: float(getattr(self, name)) for name in components}
        return sum(weights[n] * components[n] for n in components) / sum(weights.values())


GEOGRAPHY_SCORE = {
    Geography.SAME_MUNICIPALITY: 1.0,
    Geography.SAME_COUNCIL: 0.8,
    Geography.SAME_REGION: 0.6,
    Geography.NATIONAL: 0.5,
    Geography.ELSEWHERE: 0.2,
}


@dataclass(frozen=True)
class Gazetteer:
    """What scoring needs to know about places, organisations and labels."""

    area_parents: Mapping[str, Collection[str]]
    area_schemes: Mapping[str, str]
    area_names: Mapping[str, str] = field(default_factory=dict)
    theme_parents: Mapping[str, Collection[str]] = field(default_factory=dict)
    theme_labels: Mapping[str, str] = field(default_factory=dict)
    target_group_labels: Mapping[str, str] = field(default_factory=dict)
    organisation_kinds: Mapping[str, str] = field(default_factory=dict)
    organisation_names: Mapping[str, str] = field(default_factory=dict)
    organisation_areas: Mapping[str, Collection[str]] = field(default_factory=dict)

    def places(self, areas: Iterable[str]) -> dict[str, frozenset[str]]:
        """Municipalities, councils and regions an area list lies in, and whether it is national."""
        found: dict[str, set[str]] = {
            "municipality": set(),
            "health_council": set(),
            "region": set(),
        }
        national = False
        for code in areas:
            for place in {code} | hierarchy.ancestors(self.area_parents, code):
                scheme = self.area_schemes.get(place)
                if scheme in found:
                    found[scheme].add(place)
            national = national or self.area_schemes.get(code) == "national"
        places = {scheme: frozenset(codes) for scheme, codes in found.items()}
        places["national"] = frozenset({"DK"}) if national else frozenset()
        return places


@dataclass(frozen=True)
class ProjectFacts:
    """A project (or a draft) as overlap scoring sees it."""

    id: int
    organisation_id: str | None
    text: str
    themes: frozenset[str]
    target_groups: frozenset[str]
    places: Mapping[str, frozenset[str]]
    stage: Stage | None
    start: dt.date | None
    end: dt.date | None
    partners: frozenset[str]
    funders: frozenset[str]
    visibility: str = "public"
    disclose_when_private: bool = False


def facts_from_record(record: ProjectRecord, gazetteer: Gazetteer) -> ProjectFacts:
    return _facts(record.id, record.organisation_id, record.data, gazetteer)


def facts_from_draft(
    draft: Mapping[str, Any], organisation_id: str | None, gazetteer: Gazetteer
) -> ProjectFacts:
    """A draft that is never stored; it has id 0 and is treated as starting."""
    return _facts(0, organisation_id, draft, gazetteer)


def _facts(
    project_id: int, organisation_id: str | None, data: Mapping[str, Any], gazetteer: Gazetteer
) -> ProjectFacts:
    areas = list(data.get("areas") or gazetteer.organisation_areas.get(organisation_id or "", []))
    themes = hierarchy.with_ancestors(gazetteer.theme_parents, data.get("themes") or [])
    stage = data.get("stage")
    return ProjectFacts(
        id=project_id,
        organisation_id=organisation_id,
        text=f"{data.get('title', '')}\n{data.get('description', '')}",
        themes=frozenset(themes),
        target_groups=frozenset(data.get("target_groups") or []),
        places=gazetteer.places(areas),
        stage=Stage(stage) if stage else None,
        start=_date(data.get("start_date")),
        end=_date(data.get("end_date")),
        partners=frozenset(
            p["organisation"] for p in data.get("partners") or [] if "organisation" in p
        ),
        funders=frozenset(
            str(f["name"]).casefold() for f in data.get("funding_sources") or [] if f.get("name")
        ),
        visibility=str(data.get("visibility") or "public"),
        disclose_when_private=bool(data.get("disclose_when_private")),
    )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if value else None


def geography_between(a: ProjectFacts, b: ProjectFacts) -> tuple[Geography, str | None]:
    """The nearest shared place, and its code (None when national or elsewhere)."""
    for scheme, relation in (
        ("municipality", Geography.SAME_MUNICIPALITY),
        ("health_council", Geography.SAME_COUNCIL),
        ("region", Geography.SAME_REGION),
    ):
        shared = a.places[scheme] & b.places[scheme]
        if shared:
            return relation, sorted(shared)[0]
    if a.places["national"] or b.places["national"]:
        return Geography.NATIONAL, None
    return Geography.ELSEWHERE, None


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _time_score(a: ProjectFacts, b: ProjectFacts) -> float:
    if not (a.start or a.end) or not (b.start or b.end):
        return 0.5  # unknown: neither evidence for nor against
    a_start, a_end = a.start or dt.date.min, a.end or dt.date.max
    b_start, b_end = b.start or dt.date.min, b.end or dt.date.max
    return 1.0 if a_start <= b_end and b_start <= a_end else 0.0


def partner_link(a: ProjectFacts, b: ProjectFacts) -> tuple[float, str | None]:
    if b.organisation_id in a.partners or a.organisation_id in b.partners:
        return 1.0, "named_partner"
    if a.partners & b.partners:
        return 0.5, "shared_partner"
    if a.funders & b.funders:
        return 0.5, "shared_funder"
    return 0.0, None


def _is_sequential(a: ProjectFacts, b: ProjectFacts) -> bool:
    """One is mature (or done) while the other is only starting; a draft counts as starting."""
    a_early = a.stage is None or a.stage in EARLY_STAGES
    b_early = b.stage is None or b.stage in EARLY_STAGES
    return (a.stage in MATURE_STAGES and b_early) or (b.stage in MATURE_STAGES and a_early)


def score_components(
    a: ProjectFacts, b: ProjectFacts, text_score: float, config: OverlapConfig
) -> dict[str, float]:
    """The graph-aware components of an overlap score, each in [0, 1]."""
    geography, _ = geography_between(a, b)
    return {
        "text": min(1.0, text_score / config.text_cap),
        "themes": _jaccard(a.themes, b.themes),
        "target_groups": _jaccard(a.target_groups, b.target_groups),
        "geography": GEOGRAPHY_SCORE[geography],
        "time": _time_score(a, b),
        "partners": partner_link(a, b)[0],
    }


def classify(
    a: ProjectFacts, b: ProjectFacts, text_score: float, geography: Geography, config: OverlapConfig
) -> Relation | None:
    """Duplicate, parallel, sequential or complementary — or not an overlap at all."""
    if text_score >= config.same_thing_text:
        if _is_sequential(a, b):
            return Relation.SEQUENTIAL
        if geography is Geography.SAME_MUNICIPALITY:
            return Relation.DUPLICATE
        return Relation.PARALLEL
    if a.target_groups & b.target_groups:
        return Relation.COMPLEMENTARY
    return None
