"""Overlap between projects of different organisations: the facts compared, and the relation.

Text agreement (semantic and lexical, :mod:`ecosystem.ranking`) ranks candidates; the
facts here (themes, target groups, geography, stage, partners, typed links) say what two
overlapping projects are to each other, and so what a coordinator could do about it.
Everything here is a pure function of plain data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ecosystem import hierarchy
from ecosystem.card import ProjectCard
from ecosystem.draft import ProjectDraft
from ecosystem.model import EARLY_STAGES, MATURE_STAGES, ProjectRecord, Stage
from ecosystem.ranking import Confidence, RankingConfig
from ecosystem.semantic.texts import embedding_text

__all__ = [
    "GENERIC_FUNDERS",
    "STRUCTURAL_LINKS",
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
    "shared_funders",
]


class Relation(StrEnum):
    """How two overlapping projects relate, and what that suggests."""

    DUPLICATE = "duplicate"  # the same intervention, for the same population, in the same place
    PARALLEL = "parallel"  # the same intervention elsewhere: coordinate and learn
    SEQUENTIAL = "sequential"  # one is proven or rolled out over the other: adopt it
    PART_OF = "part_of"  # one is merged into, scales or is part of the other (a typed link)
    COMPLEMENTARY = "complementary"  # same target group, different intervention
    RELATED = "related"  # related work, neither the same intervention nor the same people


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
    confidence: Confidence = Confidence.RELATED
    semantic_score: float | None = None  # cosine of the two texts' embeddings
    agreement: float = 0.0  # text agreement, standard deviations above the ordinary
    link: str | None = None  # a typed link between the two (merged_into, scales, …)
    highlights: tuple[str, ...] = ()  # the matched project's sentences that match best


@dataclass(frozen=True)
class OverlapPair:
    """Two published projects of different organisations that overlap (``a < b``)."""

    a: int
    b: int
    match: OverlapMatch


@dataclass(frozen=True)
class OverlapConfig(RankingConfig):
    """The ranking (see :class:`ecosystem.ranking.RankingConfig`) and the pair report.

    The pair report keeps, for every project, its ``neighbours`` best candidates at other
    organisations whose score reaches ``pair_floor`` (below that they are only related).
    """

    neighbours: int = 8
    pair_floor: float = 3.0
    semantic_candidates: int = 40  # per project in the pair report, before re-ranking


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
    external_id: str = ""
    title: str = ""
    # typed links to other projects: (organisation, external id, relation)
    links: frozenset[tuple[str, str, str]] = frozenset()
    embedding_text: str = ""  # what the project's vector is made from (ecosystem.semantic)


def facts_from_record(record: ProjectRecord, gazetteer: Gazetteer) -> ProjectFacts:
    return _facts(record.id, record.organisation_id, record.card, gazetteer, record.external_id)


def facts_from_draft(
    draft: ProjectDraft | Mapping[str, Any], organisation_id: str | None, gazetteer: Gazetteer
) -> ProjectFacts:
    """A draft that is never stored; it has id 0 and is treated as starting."""
    if not isinstance(draft, ProjectDraft):
        draft = ProjectDraft.from_data(draft)
    return _facts(0, organisation_id, draft, gazetteer)


def _facts(
    project_id: int,
    organisation_id: str | None,
    card: ProjectCard | ProjectDraft,
    gazetteer: Gazetteer,
    external_id: str = "",
) -> ProjectFacts:
    areas = card.areas or gazetteer.organisation_areas.get(organisation_id or "", [])
    return ProjectFacts(
        id=project_id,
        organisation_id=organisation_id,
        text=f"{card.title}\n{card.description}",
        themes=frozenset(hierarchy.with_ancestors(gazetteer.theme_parents, card.themes)),
        target_groups=frozenset(card.target_groups),
        places=gazetteer.places(areas),
        stage=card.stage,
        start=card.start_date,
        end=card.end_date,
        partners=frozenset(card.partner_organisations),
        funders=frozenset(f.name.casefold() for f in card.funding_sources if f.name),
        visibility=str(card.visibility),
        disclose_when_private=card.disclose_when_private,
        external_id=external_id,
        title=card.title,
        links=frozenset(
            (link.organisation, link.external_id, str(link.relation)) for link in card.links
        ),
        embedding_text=embedding_text(
            card.title,
            card.description,
            [gazetteer.target_group_labels.get(g, g) for g in card.target_groups],
        ),
    )


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


def partner_link(a: ProjectFacts, b: ProjectFacts) -> tuple[float, str | None]:
    if b.organisation_id in a.partners or a.organisation_id in b.partners:
        return 1.0, "named_partner"
    if a.partners & b.partners:
        return 0.5, "shared_partner"
    if shared_funders(a, b):
        return 0.5, "shared_funder"
    return 0.0, None


def _is_sequential(a: ProjectFacts, b: ProjectFacts) -> bool:
    """One is mature (or done) while the other is only starting; a draft counts as starting."""
    a_early = a.stage is None or a.stage in EARLY_STAGES
    b_early = b.stage is None or b.stage in EARLY_STAGES
    return (a.stage in MATURE_STAGES and b_early) or (b.stage in MATURE_STAGES and a_early)


# Funding names that say where money comes from in general, not who funds: two projects
# "both on own funds" share no funder.
GENERIC_FUNDERS = frozenset(
    {"egne midler", "egen finansiering", "egne", "drift", "driftsmidler", "own funds", "own"}
)


def shared_funders(a: ProjectFacts, b: ProjectFacts) -> frozenset[str]:
    return (a.funders & b.funders) - GENERIC_FUNDERS


def classify(
    a: ProjectFacts,
    b: ProjectFacts,
    band: Confidence,
    link: str | None,
    geography: Geography,
) -> Relation:
    """What ``b`` is to ``a``, given how sure the text is that they are the same intervention.

    A typed link (merged into, scales, part of) says it outright. Otherwise, for the
    same intervention (band *same* or *possible*): *sequential* when one side is proven
    (mature) while the other starts, or a national or regional rollout covers the
    other's area; *duplicate* only when the text is sure, for the same population (a
    shared target group) in the same municipality — never the same place alone; else
    *parallel*. Not the same intervention: *complementary* for a shared target group,
    else *related*.
    """
    if link in STRUCTURAL_LINKS:
        return Relation.PART_OF
    if band is not Confidence.RELATED:
        if _is_sequential(a, b) or _rollout_covers(a, b) or _rollout_covers(b, a):
            return Relation.SEQUENTIAL
        same_people = bool(a.target_groups & b.target_groups)
        if band is Confidence.SAME and same_people and geography is Geography.SAME_MUNICIPALITY:
            return Relation.DUPLICATE
        return Relation.PARALLEL
    if a.target_groups & b.target_groups:
        return Relation.COMPLEMENTARY
    return Relation.RELATED


STRUCTURAL_LINKS = frozenset({"merged_into", "scales", "part_of"})


def _rollout_covers(wide: ProjectFacts, local: ProjectFacts) -> bool:
    """A rollout under way (implementation or operation) whose area contains the other's."""
    if wide.stage not in (Stage.IMPLEMENTATION, Stage.OPERATION):
        return False
    if wide.places["national"]:
        return not local.places["national"]
    regions = wide.places["region"]
    return (
        bool(regions)
        and not wide.places["municipality"]
        and bool(local.places["municipality"])
        and local.places["region"] <= regions
    )
