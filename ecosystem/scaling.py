"""Scaling candidates: mature projects that others could adopt instead of reinventing them.

"Pick ideas up where they have matured" (DOMAIN.md §1.9). A candidate is a mature
project (implementation or operation, or completed with a positive evaluation; never one
evaluated negatively) for which at least one of these holds:

* **it fills a gap** of the mandate: its theme (and target group, where the gap names
  one) is missing or thin somewhere in the mandate, or the mandate has nothing ready to
  spread in its theme, or it carries a public value the mandate lacks;
* **others are starting the same thing**: the overlap engine pairs it, as parallel or
  sequential, with another organisation's project at idea, analysis or pilot inside the
  mandate.

The candidate adopters are the organisations that answer for the places that lack it
(:meth:`ecosystem.groups.Reference.owners_of`), and the organisations starting the same
thing. When others are starting it, the areas of the mandate where neither the
candidate nor anything like it exists are adopters too.

Candidates are ranked by a transparent score, shown with its reasons: each gap filled
counts by severity (high 3, medium 2, low 1); each organisation starting the same thing
counts 3 in sequence and 2 in parallel; each area with nothing like it counts 1; a
positive evaluation adds 2 and operation adds 1. The score orders the list; the reasons
are what the group discusses.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ecosystem.gaps import Gap, GapKind, GapReport, Severity, gap_fits
from ecosystem.groups import (
    STAGE_LABELS,
    Label,
    Mandate,
    ProjectInfo,
    Reference,
    Scope,
)
from ecosystem.model import EARLY_STAGES, EvidenceOutcome, Stage
from ecosystem.overlap import OverlapPair, Relation

__all__ = [
    "FILLABLE",
    "Adopter",
    "Candidate",
    "Reason",
    "ReasonKind",
    "find_candidates",
    "rank_candidates",
]

# The gaps a mature project elsewhere can fill by being adopted.
FILLABLE = frozenset(
    {
        GapKind.THEME_AREA,
        GapKind.THEME_TARGET_GROUP,
        GapKind.PUBLIC_VALUE,
        GapKind.PIPELINE_NO_LATE,
    }
)
SEVERITY_POINTS = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}
STARTING_POINTS = {Relation.SEQUENTIAL: 3, Relation.PARALLEL: 2}
SAME_THING = frozenset({Relation.DUPLICATE, Relation.PARALLEL, Relation.SEQUENTIAL})


class ReasonKind(StrEnum):
    GAP = "gap"  # fills a gap of the mandate
    STARTING = "starting"  # another organisation is starting the same thing
    ABSENT = "absent"  # nothing like it in an area of the mandate
    EVIDENCE = "evidence"  # a positive evaluation


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    text: Label
    points: int
    gap_id: str | None = None
    project_id: int | None = None


@dataclass(frozen=True)
class Adopter:
    """An organisation (or an area without one) that could take the project up."""

    organisation: str | None
    areas: tuple[str, ...]
    reasons: tuple[Label, ...]
    starting: tuple[int, ...] = ()  # its own projects that start the same thing


@dataclass(frozen=True)
class Candidate:
    project_id: int
    rank: int
    score: int
    reasons: tuple[Reason, ...]
    adopters: tuple[Adopter, ...]
    evidence: Mapping[str, Any] = field(default_factory=dict)


def find_candidates(
    mandate: Mandate,
    projects: Iterable[ProjectInfo],
    gaps: GapReport,
    pairs: Sequence[OverlapPair],
    reference: Reference,
) -> list[Candidate]:
    """The mandate's scaling candidates, best first.

    ``projects`` are the projects the caller may see (mature ones anywhere, and the
    mandate's own); ``gaps`` is the mandate's gap report; ``pairs`` are the overlaps
    the engine found among them.
    """
    return rank_candidates(mandate, projects, gaps, pairs, reference)[0]


def rank_candidates(
    mandate: Mandate,
    projects: Iterable[ProjectInfo],
    gaps: GapReport,
    pairs: Sequence[OverlapPair],
    reference: Reference,
    limit: int | None = None,
) -> tuple[list[Candidate], int]:
    """The best ``limit`` candidates with their reasons, and how many there are in all.

    Every mature project on a theme may fill a municipality's gap in that theme, so the
    candidates are first ranked on their scores alone, and only those shown get their
    reasons and adopters written out.
    """
    scope = Scope(mandate, reference)
    by_id = {p.id: p for p in projects if not p.record.withdrawn}
    drafts: dict[int, _Draft] = {}

    def draft(project: ProjectInfo) -> _Draft:
        if project.id not in drafts:
            drafts[project.id] = _Draft(project)
        return drafts[project.id]

    for project, gap in _filling(gaps, by_id.values(), scope):
        draft(project).gaps.append(gap)
    same_thing = [p for p in pairs if p.match.relation in SAME_THING]
    for candidate, other, pair in _starting(same_thing, by_id, scope):
        draft(candidate).starters.append((other, pair))
    starting = {d.project.id for d in drafts.values() if d.starters}
    alike = _same_thing(same_thing, by_id, starting)
    for project_id in starting:
        found = drafts[project_id]
        found.absent, found.doing_it = _lacking(found.project, alike.get(project_id, []), scope)
    ranked = sorted(
        (d for d in drafts.values() if d.adopter_keys(scope)),
        key=lambda d: d.rank_key(scope),
    )
    shown = ranked if limit is None else ranked[:limit]
    candidates = [
        _Builder(d, reference, scope).build(rank) for rank, d in enumerate(shown, start=1)
    ]
    return candidates, len(ranked)


def _filling(
    gaps: GapReport, projects: Iterable[ProjectInfo], scope: Scope
) -> Iterable[tuple[ProjectInfo, Gap]]:
    """(mature project, a gap of the mandate it could fill where it is not yet)."""
    mature = [p for p in projects if p.is_mature]
    mature_in_row = {row: [p for p in mature if scope.in_row(p, row)] for row in scope.rows}
    for gap in gaps.gaps:
        if gap.kind not in FILLABLE:
            continue
        # Theme gaps need the theme, so only that theme's mature projects are tried.
        tried = (
            mature_in_row[gap.theme]
            if gap.kind is not GapKind.PUBLIC_VALUE and gap.theme
            else mature
        )
        for project in tried:
            if gap_fits(gap, project, scope) and not _is_there(project, gap, scope):
                yield project, gap


def _same_thing(
    pairs: Sequence[OverlapPair], by_id: Mapping[int, ProjectInfo], wanted: Collection[int]
) -> dict[int, list[ProjectInfo]]:
    """For each wanted project, the projects the engine says do the same thing."""
    alike: dict[int, list[ProjectInfo]] = {}
    for pair in pairs:
        for one, other in ((pair.a, pair.b), (pair.b, pair.a)):
            if one in wanted and other in by_id:
                alike.setdefault(one, []).append(by_id[other])
    return alike


def _is_there(project: ProjectInfo, gap: Gap, scope: Scope) -> bool:
    """Whether the project already works locally where the gap is."""
    areas = [gap.area] if gap.area else list(scope.areas)
    return any(
        (reach := scope.reach(project.places, area)) is not None and reach.is_local
        for area in areas
    )


def _starting(
    pairs: Sequence[OverlapPair], by_id: Mapping[int, ProjectInfo], scope: Scope
) -> Iterable[tuple[ProjectInfo, ProjectInfo, OverlapPair]]:
    """(mature project, another organisation's early project in the mandate, the pair)."""
    starting = {p.id for p in by_id.values() if p.stage in EARLY_STAGES and scope.covers(p)}
    for pair in pairs:
        if pair.match.relation not in STARTING_POINTS:
            continue
        for one, other in ((pair.a, pair.b), (pair.b, pair.a)):
            if other not in starting:
                continue
            candidate, starter = by_id.get(one), by_id[other]
            if (
                candidate is not None
                and candidate.is_mature
                and starter.organisation_id != candidate.organisation_id
            ):
                yield candidate, starter, pair


def _lacking(
    project: ProjectInfo, alike: Sequence[ProjectInfo], scope: Scope
) -> tuple[list[str], set[str]]:
    """The mandate's areas with nothing like the project, and the organisations doing it.

    "Like it" is the project and every project the engine pairs with it as the same
    thing (duplicate, parallel, sequential); a nationwide one reaches every area.
    """
    footprint = [project, *alike]
    reached: set[str] = set()
    for places in {p.places for p in footprint}:
        local, nationally = scope.units_reached(places)
        reached |= local | nationally
    lacking = [unit for unit in scope.units if unit not in reached]
    return lacking, {p.organisation_id for p in footprint}


class _Draft:
    """What makes one project a candidate, before anything is written out."""

    def __init__(self, project: ProjectInfo) -> None:
        self.project = project
        self.gaps: list[Gap] = []
        self.starters: list[tuple[ProjectInfo, OverlapPair]] = []
        self.absent: list[str] = []
        self.doing_it: set[str] = set()
        self._keys: set[str] | None = None

    @property
    def positive(self) -> bool:
        return self.project.evidence_outcome == EvidenceOutcome.POSITIVE

    @property
    def score(self) -> int:
        return (
            sum(SEVERITY_POINTS[gap.severity] for gap in self.gaps)
            + sum(STARTING_POINTS[pair.match.relation] for _, pair in self.starters)
            + len(self.absent)
            + (2 if self.positive else 0)
            + (1 if self.project.stage is Stage.OPERATION else 0)
        )

    def adopter_keys(self, scope: Scope) -> set[str]:
        """Who could adopt it: organisation ids, or ``area:CODE`` for an area without one."""
        if self._keys is None:
            keys = {other.organisation_id for other, _ in self.starters}
            for gap in self.gaps:
                for area in [gap.area] if gap.area else scope.areas:
                    keys |= _owner_keys(area, scope, self.project, set())
            for area in self.absent:
                keys |= _owner_keys(area, scope, self.project, self.doing_it)
            self._keys = keys
        return self._keys

    def rank_key(self, scope: Scope) -> tuple[int, int, int, int, int]:
        stage = self.project.stage
        return (
            -self.score,
            0 if self.positive else 1,
            -stage.rank if stage is not Stage.COMPLETED else 0,
            -len(self.adopter_keys(scope)),
            self.project.id,
        )


def _owner_keys(area: str, scope: Scope, project: ProjectInfo, excluded: set[str]) -> set[str]:
    owners = scope.reference.owners_of(area, scope.units)
    if not owners:
        return {f"area:{area}"}
    return {o for o in owners if o != project.organisation_id and o not in excluded}


class _Builder:
    """Writes out one ranked candidate's reasons and adopters."""

    def __init__(self, draft: _Draft, reference: Reference, scope: Scope) -> None:
        self.draft = draft
        self.project = draft.project
        self.reference = reference
        self.scope = scope
        self.reasons: list[Reason] = []
        self.adopters: dict[str, dict[str, Any]] = {}

    def _adopter(self, key: str, organisation: str | None) -> dict[str, Any]:
        return self.adopters.setdefault(
            key, {"organisation": organisation, "areas": [], "reasons": [], "starting": []}
        )

    def _add_area(self, area: str, reason: Label, excluded: set[str]) -> None:
        for key in sorted(_owner_keys(area, self.scope, self.project, excluded)):
            adopter = self._adopter(key, None if key.startswith("area:") else key)
            if area not in adopter["areas"]:
                adopter["areas"].append(area)
            if reason not in adopter["reasons"]:
                adopter["reasons"].append(reason)

    def fills(self, gap: Gap) -> None:
        self.reasons.append(
            Reason(
                ReasonKind.GAP,
                Label(
                    f"Kan udfylde et hul ({gap.severity.label.da}): {gap.explanation.da}",
                    f"Could fill a gap ({gap.severity.label.en}): {gap.explanation.en}",
                ),
                SEVERITY_POINTS[gap.severity],
                gap_id=gap.id,
            )
        )
        for area in [gap.area] if gap.area else self.scope.areas:
            label = self.reference.area_label(area)
            self._add_area(
                area,
                Label(
                    f"{label.da} mangler {gap.subject.da}.", f"{label.en} lacks {gap.subject.en}."
                ),
                set(),
            )

    def starting(self, other: ProjectInfo, pair: OverlapPair) -> None:
        organisation = self.reference.organisation(other.organisation_id)
        stage = STAGE_LABELS[other.stage]
        relation = pair.match.relation
        how = (
            Label("i forlængelse af dette (sekventielt)", "after this one (sequential)")
            if relation is Relation.SEQUENTIAL
            else Label("sideløbende (parallelt)", "alongside (parallel)")
        )
        text = Label(
            f"{organisation.name} starter det samme {how.da}: «{other.title}» ({stage[0]}).",
            f"{organisation.name} is starting the same thing {how.en}: «{other.title}» "
            f"({stage[1]}).",
        )
        self.reasons.append(
            Reason(ReasonKind.STARTING, text, STARTING_POINTS[relation], project_id=other.id)
        )
        adopter = self._adopter(other.organisation_id, other.organisation_id)
        adopter["starting"].append(other.id)
        adopter["reasons"].append(text)
        for area in sorted(other.places):
            if area not in adopter["areas"]:
                adopter["areas"].append(area)

    def absent_in(self, area: str) -> None:
        label = self.reference.area_label(area)
        text = Label(f"Intet lignende projekt i {label.da}.", f"Nothing like it in {label.en}.")
        self.reasons.append(Reason(ReasonKind.ABSENT, text, 1))
        self._add_area(area, text, self.draft.doing_it)

    def build(self, rank: int) -> Candidate:
        for gap in self.draft.gaps:
            self.fills(gap)
        for other, pair in self.draft.starters:
            self.starting(other, pair)
        for area in self.draft.absent:
            self.absent_in(area)
        evidence = dict(self.project.record.data.get("evidence") or {})
        if self.draft.positive:
            summary = evidence.get("summary") or ""
            self.reasons.append(
                Reason(
                    ReasonKind.EVIDENCE,
                    Label(
                        f"Positiv evaluering. {summary}".strip(),
                        f"Positive evaluation. {summary}".strip(),
                    ),
                    2,
                )
            )
        adopters = [
            Adopter(
                organisation=a["organisation"],
                areas=tuple(a["areas"]),
                reasons=tuple(a["reasons"]),
                starting=tuple(sorted(a["starting"])),
            )
            for a in self.adopters.values()
        ]
        # Those already starting it first, then by how much they lack.
        adopters.sort(key=lambda a: (not a.starting, -len(a.reasons), a.organisation or ""))
        return Candidate(
            self.project.id, rank, self.draft.score, tuple(self.reasons), tuple(adopters), evidence
        )
