"""Drafts: what makes each project a candidate, worked out before anything is written.

Every mature project on a theme may fill a municipality's gap in that theme, so the
facts behind a candidacy (the gaps it fills, who is starting the same thing, the areas
with nothing like it) are collected and scored first; only the candidates shown are
written out (:mod:`ecosystem.scaling.reasons`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from ecosystem.gaps import Gap, GapKind, GapReport, gap_fits
from ecosystem.groups import ProjectInfo, Scope
from ecosystem.model import EARLY_STAGES, EvidenceOutcome, Stage
from ecosystem.overlap import OverlapPair
from ecosystem.scaling.adopters import Places, Suggestion, suggest
from ecosystem.scaling.model import FILLABLE, SAME_THING, SEVERITY_POINTS, STARTING_POINTS


def collect_drafts(
    gaps: GapReport,
    projects: Iterable[ProjectInfo],
    pairs: Sequence[OverlapPair],
    scope: Scope,
) -> list[Draft]:
    """A draft for every project that fills a gap or that others are starting again."""
    by_id = {p.id: p for p in projects if not p.record.withdrawn}
    drafts: dict[int, Draft] = {}

    def draft(project: ProjectInfo) -> Draft:
        if project.id not in drafts:
            drafts[project.id] = Draft(project)
        return drafts[project.id]

    for project, gap in _filling(gaps, by_id.values(), scope):
        draft(project).gaps.append(gap)
    same_thing = [p for p in pairs if p.match.relation in SAME_THING]
    for candidate, other, pair in _starting(same_thing, by_id, scope):
        draft(candidate).starters.append((other, pair))
    alike = _same_thing(same_thing, by_id, set(drafts))
    for found in drafts.values():
        found.alike = alike.get(found.project.id, [])
        if found.starters:
            found.absent, found.doing_it = _lacking(found.project, found.alike, scope)
    return list(drafts.values())


def _filling(
    gaps: GapReport, projects: Iterable[ProjectInfo], scope: Scope
) -> Iterable[tuple[ProjectInfo, Gap]]:
    """(mature project, a gap of the mandate it could fill where it is not yet)."""
    mature = [p for p in projects if p.is_mature]
    mature_in_row = {row: [p for p in mature if scope.in_row(p, row)] for row in scope.rows}
    # One finding per cell: a candidate fills a gap in one area at a time.
    for gap in gaps.findings():
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


class Draft:
    """What makes one project a candidate, before anything is written out."""

    def __init__(self, project: ProjectInfo) -> None:
        self.project = project
        self.gaps: list[Gap] = []
        self.starters: list[tuple[ProjectInfo, OverlapPair]] = []
        self.alike: list[ProjectInfo] = []  # what the engine says does the same thing
        self.absent: list[str] = []
        self.doing_it: set[str] = set()
        self._suggested: list[Suggestion] | None = None

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

    def suggested(self, places: Places) -> list[Suggestion]:
        """Who could adopt it (:mod:`ecosystem.scaling.adopters`), best first."""
        if self._suggested is None:
            self._suggested = suggest(self.project, self.gaps, self.starters, self.alike, places)
        return self._suggested

    def rank_key(self, places: Places) -> tuple[int, int, int, int, int]:
        stage = self.project.stage
        return (
            -self.score,
            0 if self.positive else 1,
            -stage.rank if stage is not Stage.COMPLETED else 0,
            -len(self.suggested(places)),
            self.project.id,
        )
