"""What a group's analyses find: routing, the projects a mandate covers, gaps, scaling
candidates, balance and overlap clusters.

Every analysis takes the mandate's slice from the catalogue (every live project the
reader may see, kept fresh once per unit of work) and computes in memory; ranked scaling
candidates are remembered until the next publish. A mandate can be a group's or given
ad hoc, as codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from ecosystem.balance import Balance, analyse_balance
from ecosystem.clusters import Cluster, clusters
from ecosystem.deliberately_not import OptOuts
from ecosystem.errors import FieldError, InvalidInput
from ecosystem.gaps import GapReport, SubthemeReader, analyse_gaps
from ecosystem.groups import (
    Coverage,
    Group,
    Mandate,
    OrganisationInfo,
    ProjectInfo,
    Reference,
    RoutingReport,
    Scope,
    Slice,
    route,
)
from ecosystem.model import Principal, ProjectRecord
from ecosystem.overlap import OverlapPair
from ecosystem.reviews import Snapshot
from ecosystem.scaling import Candidate, rank_candidates
from ecosystem.services import overlaps, reviews
from ecosystem.services.catalogue import Lifetime
from ecosystem.services.deliberately_not import opt_outs_for
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import catalogue as catalogue_store
from ecosystem.store import groups as group_store
from ecosystem.text.analyzer import default_analyzer

__all__ = [
    "Candidates",
    "GroupBalance",
    "GroupGaps",
    "GroupProjects",
    "Overview",
    "Routing",
    "ad_hoc_candidates",
    "ad_hoc_gaps",
    "group_balance",
    "group_candidates",
    "group_gaps",
    "group_overview",
    "group_projects",
    "known_mandate",
    "mandate_candidates",
    "mandate_gaps",
    "routing",
    "scaling_inputs",
]

# The names of the ad hoc query arguments, for errors about their codes.
_ARGUMENTS = {
    "mandate.themes": "theme",
    "mandate.target_groups": "target_group",
    "mandate.areas": "area",
    "mandate.goal_sets": "goal_set",
    "mandate.goals": "goal",
}


@dataclass(frozen=True)
class GroupGaps:
    """The gap report of a mandate and the slice it was found in."""

    report: GapReport
    found: Slice


@dataclass(frozen=True)
class Candidates:
    """The best scaling candidates of a mandate, how many there are in all, and the slice."""

    candidates: list[Candidate]
    total: int
    mandate: Mandate
    found: Slice


@dataclass(frozen=True)
class GroupBalance:
    balance: Balance
    found: Slice


@dataclass(frozen=True)
class Routing:
    """Which groups cover which active projects (``found`` holds the active projects)."""

    groups: list[Group]
    found: Slice
    report: RoutingReport


@dataclass(frozen=True)
class GroupProjects:
    """The projects a group's mandate covers, each with why, and one page of their cards."""

    group: Group
    reference: Reference
    covered: list[tuple[ProjectInfo, Coverage]]
    cards: list[ProjectRecord]  # the page's whole cards, in the order of ``covered``
    organisations: Mapping[str, OrganisationInfo]


@dataclass(frozen=True)
class Overview:
    """Everything a group's overview page shows, from one slice."""

    group: Group
    candidates: Candidates
    gaps: GapReport
    balance: Balance
    own: list[ProjectInfo]
    clusters: list[Cluster]
    to_discuss: reviews.Discussion  # what to discuss now, against the last review


# --- the slice and its overlaps ------------------------------------------------------------


def known_mandate(uow: UnitOfWork, mandate: Mandate) -> Mandate:
    """The ad hoc mandate, if its codes exist; unknown codes are named by query argument."""
    try:
        # The check reads a group document's lists; the mandate's fields are those lists.
        group_store.check_references(uow.session, {"mandate": asdict(mandate)})
    except InvalidInput as error:
        raise InvalidInput(
            "Ukendte koder i forespørgslen / Unknown codes in the query.",
            [_renamed(e) for e in error.errors],
        ) from error
    return mandate


def _renamed(error: FieldError) -> FieldError:
    head, _, rest = error.field.partition("[")
    name = _ARGUMENTS.get(head, head)
    return FieldError(f"{name}[{rest}" if rest else name, error.message)


# --- the analyses --------------------------------------------------------------------------


def group_gaps(uow: UnitOfWork, principal: Principal, group_id: str) -> GroupGaps:
    """The group's gaps; those it or the organisations concerned opted out of set apart."""
    group = group_store.get_group(uow.session, group_id)
    return mandate_gaps(uow, principal, group.mandate, opt_outs_for(uow, group))


def mandate_gaps(
    uow: UnitOfWork, principal: Principal, mandate: Mandate, opted_out: OptOuts | None = None
) -> GroupGaps:
    """Gaps in the mandate, each with its severity, explanation and nearest projects.

    ``opted_out``: the "fravalgt" entries to weigh (a group's analysis passes its own).
    """
    found = uow.catalogue.slice(principal, mandate)
    report = analyse_gaps(
        mandate,
        found.projects,
        found.reference,
        inferred=text_subthemes(uow),
        opted_out=opted_out,
    )
    return GroupGaps(report, found)


def text_subthemes(uow: UnitOfWork) -> Mapping[int, frozenset[str]]:
    """Per live project, the sub-themes its text names beyond its tags ("udledt af teksten").

    The rule is :mod:`ecosystem.gaps.inference`; the texts are the overlap engine's (title
    and description, which the slice leaves out). Reading every text costs a few hundred
    milliseconds at 2,000 projects and changes only with a publish, so it is remembered.
    """

    def read() -> Mapping[int, frozenset[str]]:
        engine = uow.overlap_engine()
        state = uow.catalogue
        reader = SubthemeReader(state.reference, default_analyzer())
        texts = {i: facts.text for i, facts in engine.facts.items() if i in state.projects}
        return reader.read_all(texts, {i: state.projects[i].themes for i in texts})

    return uow.remember(("text-subthemes",), read, lasts=Lifetime.UNTIL_PUBLISH)


def ad_hoc_gaps(uow: UnitOfWork, principal: Principal, mandate: Mandate) -> GroupGaps:
    """Gaps for a mandate given as codes (422 naming any unknown code by its argument)."""
    return mandate_gaps(uow, principal, known_mandate(uow, mandate), opt_outs_for(uow, None))


def group_candidates(
    uow: UnitOfWork, principal: Principal, group_id: str, limit: int | None = None
) -> Candidates:
    group = group_store.get_group(uow.session, group_id)
    return mandate_candidates(uow, principal, group.mandate, limit, opt_outs_for(uow, group))


def mandate_candidates(
    uow: UnitOfWork,
    principal: Principal,
    mandate: Mandate,
    limit: int | None = None,
    opted_out: OptOuts | None = None,
) -> Candidates:
    """The best ``limit`` scaling candidates and their total, using the overlap engine's pairs.

    Ranking against tens of thousands of overlap pairs costs about a second, and nothing
    it reads changes until a publish, so the process remembers the result (per state of
    the "fravalgt" register weighed: a new choice is a new key, never a stale answer).
    ``opted_out``: gaps it covers are not filled, and an adopter that chose not to do a
    candidate is listed last with its reason (:mod:`ecosystem.scaling.reasons`).
    """

    def rank() -> Candidates:
        found, report, pairs = scaling_inputs(uow, principal, mandate, opted_out)
        candidates, total = rank_candidates(
            mandate, found.projects, report, pairs, found.reference, limit, opted_out
        )
        return Candidates(candidates, total, mandate, found)

    register = opted_out.key() if opted_out is not None else None
    return uow.remember(
        ("scaling-candidates", mandate, principal, limit, register),
        rank,
        lasts=Lifetime.UNTIL_PUBLISH,
    )


def scaling_inputs(
    uow: UnitOfWork, principal: Principal, mandate: Mandate, opted_out: OptOuts | None = None
) -> tuple[Slice, GapReport, list[OverlapPair]]:
    """The slice, the gap report and the overlap engine's pairs the candidates come from."""
    found = uow.catalogue.slice(principal, mandate)
    report = analyse_gaps(
        mandate,
        found.projects,
        found.reference,
        nearest=False,
        inferred=text_subthemes(uow),
        opted_out=opted_out,
    )
    # Every pair that matters has a mature side: a candidate, or its footprint.
    mature = {p.id for p in found.projects if p.is_mature}
    pairs = overlaps.pairs_among(uow, principal, mature)
    missing = {i for pair in pairs for i in (pair.a, pair.b)} - found.by_id.keys()
    if missing:  # the other side of a pair may be on another theme
        everything = uow.catalogue.slice(principal)
        found.add(everything.by_id[i] for i in missing if i in everything.by_id)
    return found, report, list(pairs)


def ad_hoc_candidates(
    uow: UnitOfWork, principal: Principal, mandate: Mandate, limit: int | None = None
) -> Candidates:
    """Scaling candidates for a mandate given as codes (422 for unknown codes)."""
    return mandate_candidates(
        uow, principal, known_mandate(uow, mandate), limit, opt_outs_for(uow, None)
    )


def group_balance(uow: UnitOfWork, principal: Principal, group_id: str) -> GroupBalance:
    """Value × risk (Cooper et al. 2002), pipeline, care level, development and funding."""
    group = group_store.get_group(uow.session, group_id)
    found = uow.catalogue.slice(principal, group.mandate)
    scope = Scope(group.mandate, found.reference)
    own = [p for p in found.projects if scope.covers(p)]
    return GroupBalance(analyse_balance(own, group.ambition), found)


def routing(uow: UnitOfWork, principal: Principal) -> Routing:
    """Which groups cover which active projects; the projects no group covers, and several do."""
    groups = group_store.list_groups(uow.session)
    everything = uow.catalogue.slice(principal)
    found = Slice(everything.reference, [p for p in everything.projects if p.is_active])
    return Routing(groups, found, route(found.projects, groups, found.reference))


def group_projects(
    uow: UnitOfWork,
    principal: Principal,
    group_id: str,
    *,
    stages: Sequence[str] = (),
    page: int | None = None,
    per_page: int = 50,
) -> GroupProjects:
    """The projects the mandate covers, nearest first; ``page``: that page's whole cards too."""
    group = group_store.get_group(uow.session, group_id)
    found = uow.catalogue.slice(principal, group.mandate)
    scope = Scope(group.mandate, found.reference)
    covered = [
        (p, c)
        for p in found.projects
        if (c := scope.cover(p)) is not None and (not stages or p.stage.value in stages)
    ]
    covered.sort(key=lambda item: (item[1].reach.rank, item[0].id))
    cards: list[ProjectRecord] = []
    if page is not None:
        shown = [p.id for p, _ in covered[(page - 1) * per_page : page * per_page]]
        # The slice was read without long texts; the page's cards are read whole.
        whole = catalogue_store.projects_by_id(uow.session, principal, shown, full=True)
        by_id = {record.id: record for record in whole}
        cards = [by_id[i] for i in shown]
    organisations = uow.reference.reference.organisations
    return GroupProjects(group, found.reference, covered, cards, organisations)


def group_overview(
    uow: UnitOfWork,
    principal: Principal,
    group_id: str,
    *,
    candidates_shown: int,
    clusters_listed: int,
) -> Overview:
    """Balance, coverage, gaps, scaling candidates and overlap clusters of one group."""
    group = group_store.get_group(uow.session, group_id)
    register = opt_outs_for(uow, group)
    shown = mandate_candidates(uow, principal, group.mandate, candidates_shown, register)
    found = shown.found
    report = analyse_gaps(
        group.mandate,
        found.projects,
        found.reference,
        inferred=text_subthemes(uow),
        opted_out=register,
    )
    scope = Scope(group.mandate, found.reference)
    own = [p for p in found.projects if scope.covers(p)]
    balance = analyse_balance(own, group.ambition)
    pairs = _pairs(uow, principal, {p.id for p in own}, found)
    found_clusters = _clusters(uow, principal, group, pairs)
    now = Snapshot(
        as_of=dt.datetime.now(dt.UTC),
        group=group,
        reference=found.reference,
        projects={p.id: p for p in own},
        context=found.by_id,
        withdrawn=frozenset(),
        pairs=tuple(pairs),
        gaps=report,
        candidates=tuple(shown.candidates),
        balance=balance,
    )
    discussion = reviews.to_discuss_now(uow, principal, now)
    return Overview(
        group, shown, report, balance, own, found_clusters[:clusters_listed], discussion
    )


def _clusters(
    uow: UnitOfWork, principal: Principal, group: Group, pairs: list[OverlapPair]
) -> list[Cluster]:
    """The group's overlap clusters; community detection and labelling cost a few hundred
    milliseconds at 2,000 projects and read nothing a publish would not change."""

    def detect() -> list[Cluster]:
        engine = uow.overlap_engine()
        return clusters(pairs, lambda project_id: engine.facts[project_id].text)

    key = ("group-clusters", group.id, group.mandate, principal)
    return uow.remember(key, detect, lasts=Lifetime.UNTIL_PUBLISH)


def _pairs(uow: UnitOfWork, principal: Principal, own: set[int], found: Slice) -> list[OverlapPair]:
    """The overlaps that involve the group's projects, both sides in the slice."""
    return [
        p
        for p in overlaps.pairs_among(uow, principal, own)
        if p.a in found.by_id and p.b in found.by_id
    ]
