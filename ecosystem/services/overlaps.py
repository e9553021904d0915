"""Who else is doing this? Checking a draft or a published project, and the overlap report.

Every answer comes from the process's overlap engine (``uow.overlap_engine()``), caught up
with everything committed before the unit of work began. A result carries the projects it
names (their current cards), their owners and the labels the engine scored with, so that
whoever presents it never has to read anything again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ecosystem import hierarchy
from ecosystem.clusters import Cluster, clusters
from ecosystem.errors import InvalidInput
from ecosystem.groups import OrganisationInfo
from ecosystem.matching import CheckResult, OverlapEngine, Vector, Visible
from ecosystem.model import Principal, ProjectRecord
from ecosystem.overlap import Gazetteer, OverlapPair, ProjectFacts, facts_from_draft
from ecosystem.services.projects import known_organisation
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import lookup
from ecosystem.store import projects as project_store

__all__ = [
    "WITHDRAWN",
    "CheckOutcome",
    "Found",
    "OverlapReport",
    "ReportFilter",
    "check_draft",
    "overlap_report",
    "pairs_among",
    "project_overlaps",
    "published_overlaps",
    "query_vector",
    "strongest_among",
    "visible_to",
    "warm",
]

WITHDRAWN = "The project is withdrawn; it takes no part in overlap analysis."
EXPLAINED = 500  # report pairs explained with their shared terms (each costs a lookup)


@dataclass(frozen=True)
class Found:
    """The projects a result names (current cards, withdrawn ones too), owners and labels."""

    projects: Mapping[int, ProjectRecord]
    organisations: Mapping[str, OrganisationInfo]
    gazetteer: Gazetteer


@dataclass(frozen=True)
class CheckOutcome:
    """Ranked matches of one draft or project, and hints at similar non-public ones."""

    result: CheckResult
    found: Found
    model_id: str | None = None
    # the draft's vector (None: not embedded), for what else is asked of the same text
    draft_vector: Vector | None = None


@dataclass(frozen=True)
class OverlapReport:
    """Cross-organisation pairs (best first, the first ones explained) and their clusters."""

    pairs: list[OverlapPair]
    clusters: list[Cluster]
    total_pairs: int
    found: Found


@dataclass(frozen=True)
class ReportFilter:
    """Which pairs the report shows: at least one project in the selection, above a score."""

    areas: Collection[str] = ()
    themes: Collection[str] = ()
    organisations: Collection[str] = ()
    relations: Collection[str] = ()
    min_score: float = 0.0


def visible_to(principal: Principal) -> Visible:
    """Whether the principal may see a project (private projects never leak)."""

    def visible(facts: ProjectFacts) -> bool:
        return principal.can_see(facts.visibility, facts.organisation_id or "")

    return visible


def warm(uow: UnitOfWork) -> None:
    """Get a new worker ready for its first requests: the overlap engine first (a check
    needs nothing else) with the columns every check reads (a second at 100,000 projects),
    then the catalogue the other pages read."""
    engine = uow.overlap_engine()
    engine.fresh_rows()  # and the columns it is made from
    _ = uow.catalogue


def check_draft(
    uow: UnitOfWork,
    principal: Principal,
    draft: Mapping[str, Any],
    *,
    limit: int = 10,
    include_own: bool = False,
) -> CheckOutcome:
    """Check a validated draft (never stored) against every project the principal may see.

    The draft is the organisation's (default: the principal's), whose own projects are
    left out unless ``include_own``. An unknown organisation is :class:`NotFound`; unknown
    codes are :class:`InvalidInput`, named by their place in the draft.
    """
    card = dict(draft)
    organisation = card.pop("organisation", None) or principal.organisation_id
    if organisation is not None:
        known_organisation(uow, organisation)
    project_store.check_references(uow.session, [card], lambda _index: "")
    engine = uow.overlap_engine()
    facts = facts_from_draft(card, organisation, engine.gazetteer)
    vector = query_vector(uow, engine, facts.embedding_text)
    result = engine.check(
        facts, reader=principal, draft_vector=vector, limit=limit, include_own=include_own
    )
    return _outcome(uow, engine, result, vector)


def _outcome(
    uow: UnitOfWork, engine: OverlapEngine, result: CheckResult, vector: Vector | None = None
) -> CheckOutcome:
    found = _found(uow, engine, [m.project_id for m in result.matches])
    return CheckOutcome(result, found, engine.model_id if result.semantic else None, vector)


def query_vector(uow: UnitOfWork, engine: OverlapEngine, text: str) -> Vector | None:
    """The text's vector under the engine's model, or None (then the check is lexical).

    ``text`` as :func:`ecosystem.semantic.embedding_text` composes it for a project.
    """
    embedder = uow.embedder
    if embedder is None or engine.model_id != embedder.model_id:
        return None
    return embedder.query(text)


def project_overlaps(
    uow: UnitOfWork,
    principal: Principal,
    project_id: int,
    *,
    limit: int = 10,
    include_own: bool = False,
) -> CheckOutcome:
    """Overlaps of one published project; 404 unless visible, 422 when it is withdrawn."""
    record = project_store.get_project(uow.session, project_id, principal)
    if record.withdrawn:
        raise InvalidInput(WITHDRAWN, [])
    found = published_overlaps(uow, principal, project_id, limit=limit, include_own=include_own)
    return found or CheckOutcome(CheckResult([]), _found(uow, uow.overlap_engine(), []))


def published_overlaps(
    uow: UnitOfWork,
    principal: Principal,
    project_id: int,
    *,
    limit: int = 10,
    include_own: bool = False,
) -> CheckOutcome | None:
    """Overlaps of a live project; None when it takes no part (withdrawn) or is not visible."""
    engine, visible = uow.overlap_engine(), visible_to(principal)
    facts = engine.facts.get(project_id)
    if facts is None or not visible(facts):
        return None
    vector = engine.vector_of(project_id)
    if vector is None:  # not embedded yet: embed its text now rather than compare by words
        vector = query_vector(uow, engine, facts.embedding_text)
    result = engine.check(
        facts, reader=principal, draft_vector=vector, limit=limit, include_own=include_own
    )
    return _outcome(uow, engine, result)


def overlap_report(uow: UnitOfWork, principal: Principal, chosen: ReportFilter) -> OverlapReport:
    """Every cross-organisation overlap the principal may see among the chosen projects.

    An area selects everything inside it (a council its municipalities).
    """
    engine = uow.overlap_engine()
    areas = hierarchy.expand(engine.gazetteer.area_parents, chosen.areas) if chosen.areas else None
    pairs = engine.selected_pairs(
        visible_to(principal),
        areas=areas,
        themes=chosen.themes,
        organisations=chosen.organisations,
        relations=chosen.relations,
        min_score=chosen.min_score,
    )
    return _report(uow, engine, pairs)


def pairs_among(
    uow: UnitOfWork, principal: Principal, project_ids: Collection[int]
) -> list[OverlapPair]:
    """Overlapping pairs with at least one project among ``project_ids``; both visible."""
    return uow.overlap_engine().visible_pairs(visible_to(principal), project_ids)


def strongest_among(
    uow: UnitOfWork, principal: Principal, project_ids: Collection[int], *, limit: int
) -> OverlapReport:
    """The ``limit`` strongest overlaps of the given projects with others, as a report."""
    pairs = sorted(pairs_among(uow, principal, project_ids), key=_strongest_first)
    return _report(uow, uow.overlap_engine(), pairs[:limit])


def _report(uow: UnitOfWork, engine: OverlapEngine, pairs: Iterable[OverlapPair]) -> OverlapReport:
    ordered = sorted(pairs, key=_strongest_first)
    explained = [engine.explained(pair) for pair in ordered[:EXPLAINED]]
    grouped = clusters(ordered, lambda project_id: engine.facts[project_id].text)
    found = _found(uow, engine, {p.a for p in ordered} | {p.b for p in ordered})
    return OverlapReport(explained, grouped, len(ordered), found)


def _strongest_first(pair: OverlapPair) -> tuple[float, int, int]:
    return (-pair.match.score, pair.a, pair.b)


def _found(uow: UnitOfWork, engine: OverlapEngine, project_ids: Collection[int]) -> Found:
    # The cards are read whole: the catalogue keeps them without contact and long texts.
    records = lookup.records_by_id(uow.session, project_ids) if project_ids else {}
    return Found(records, uow.reference.reference.organisations, engine.gazetteer)
