"""Gap analysis: what a mandate's slice of the ecosystem does not cover.

Material for a group's conversation, not a verdict: each gap says in plain language
what is missing, how serious it looks, which of the slice's own projects are behind the
finding, and the nearest existing projects elsewhere that the group could learn from.

Counting rules (docs/groups.md):

* Only active projects count (idea to operation), weighted by stage: an idea counts
  0.25, an analysis 0.5, a pilot 0.75, implementation and operation 1. A cell below 1
  is *thin*; a cell with no project is *none*.
* A project counts in an area when one of its places lies inside the area or encloses
  it below the national level (a regional project counts in each of the region's
  municipalities). A nationwide project (``DK``) does not fill a local cell: it is
  listed with the cell as national reach, and lowers the severity of the gap.
* The coverage matrices and public-value checks look at all work on the mandate's
  themes in its areas, whatever its target group (the theme × target group matrix shows
  the target groups). Pipeline and goal checks look at the group's own projects
  (routing, :mod:`ecosystem.groups`).
* Pipeline: *renewal* is a project at idea or analysis; *ready to spread* is a mature
  project (implementation, operation, or completed with a positive evaluation). A pilot
  is neither: it is being tested.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from ecosystem.groups import (
    KIND_LABELS,
    STAGE_LABELS,
    Label,
    Mandate,
    ProjectInfo,
    Proximity,
    Reach,
    Reference,
    Scope,
)
from ecosystem.model import EvidenceOutcome, Stage

__all__ = [
    "NEAREST",
    "PUBLIC_VALUE_TAGS",
    "RENEWAL_STAGES",
    "STAGE_WEIGHTS",
    "THIN_BELOW",
    "Cell",
    "CellStatus",
    "Gap",
    "GapKind",
    "GapReport",
    "GoalRow",
    "Matrix",
    "Nearby",
    "PipelineRow",
    "PublicValue",
    "Severity",
    "ValueRow",
    "analyse_gaps",
    "gap_fits",
]

STAGE_WEIGHTS: Mapping[Stage, float] = {
    Stage.IDEA: 0.25,
    Stage.ANALYSIS: 0.5,
    Stage.PILOT: 0.75,
    Stage.IMPLEMENTATION: 1.0,
    Stage.OPERATION: 1.0,
}
THIN_BELOW = 1.0  # less than one project's worth of implementation is thin
RENEWAL_STAGES = frozenset({Stage.IDEA, Stage.ANALYSIS})
NEAREST = 3  # nearest existing projects shown per gap


class GapKind(StrEnum):
    THEME_AREA = "theme_area"
    THEME_TARGET_GROUP = "theme_target_group"
    GOAL_UNCOVERED = "goal_uncovered"
    GOAL_SINGLE_KIND = "goal_single_kind"
    PIPELINE_NO_EARLY = "pipeline_no_early"
    PIPELINE_NO_LATE = "pipeline_no_late"
    PUBLIC_VALUE = "public_value"

    @property
    def rank(self) -> int:
        return list(GapKind).index(self)  # sorting a few dozen gaps


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @property
    def label(self) -> Label:
        return {
            Severity.HIGH: Label("høj", "high"),
            Severity.MEDIUM: Label("middel", "medium"),
            Severity.LOW: Label("lav", "low"),
        }[self]


class CellStatus(StrEnum):
    NONE = "none"
    THIN = "thin"
    COVERED = "covered"


class PublicValue(StrEnum):
    """The public-value questions of the source article (DOMAIN.md §1.8)."""

    INEQUALITY = "inequality"
    OUTLYING_AREAS = "outlying_areas"
    OUTREACH = "outreach"
    PREVENTION = "prevention"

    @property
    def label(self) -> Label:
        return {
            PublicValue.INEQUALITY: Label("ulighed i sundhed", "health inequality"),
            PublicValue.OUTLYING_AREAS: Label("yderområder", "outlying areas"),
            PublicValue.OUTREACH: Label("opsøgende indsats", "outreach"),
            PublicValue.PREVENTION: Label("forebyggelse", "prevention"),
        }[self]


# dimension → (themes, each with its sub-themes; target groups) that tag a project with it.
# The broad theme T10 alone is not attributed to a dimension: it does not say which.
PUBLIC_VALUE_TAGS: Mapping[PublicValue, tuple[tuple[str, ...], tuple[str, ...]]] = {
    PublicValue.INEQUALITY: (("T10.1",), ("socialt-udsatte",)),
    PublicValue.OUTLYING_AREAS: (("T10.2",), ("yderomraader",)),
    PublicValue.OUTREACH: (("T9.1", "T10.3"), ()),
    PublicValue.PREVENTION: (("T9",), ()),
}


@dataclass(frozen=True)
class Cell:
    """One cell of a coverage matrix: a theme in an area, or a theme for a target group."""

    theme: str
    column: str
    weight: float
    projects: tuple[int, ...]
    national: tuple[int, ...]

    @property
    def status(self) -> CellStatus:
        if not self.projects:
            return CellStatus.NONE
        return CellStatus.THIN if self.weight < THIN_BELOW else CellStatus.COVERED


@dataclass(frozen=True)
class Matrix:
    """Themes × areas, or themes × target groups within ``area`` (None: the whole mandate)."""

    kind: GapKind
    area: str | None
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[Cell, ...]

    def cell(self, theme: str, column: str) -> Cell:
        return next(c for c in self.cells if c.theme == theme and c.column == column)


@dataclass(frozen=True)
class Nearby:
    project_id: int
    proximity: Proximity


@dataclass(frozen=True)
class Gap:
    """One thing missing, why it matters, and where to look."""

    id: str
    kind: GapKind
    severity: Severity
    explanation: Label
    subject: Label  # what is missing, in a few words: "projekter om Kronisk sygdom (T2)"
    theme: str | None = None
    area: str | None = None
    target_group: str | None = None
    goal: str | None = None
    dimension: PublicValue | None = None
    projects: tuple[int, ...] = ()  # the slice's own projects behind the finding
    national: tuple[int, ...] = ()  # nationwide projects that reach the place
    nearest: tuple[Nearby, ...] = ()


@dataclass(frozen=True)
class PipelineRow:
    theme: str
    renewal: tuple[int, ...]
    testing: tuple[int, ...]
    ready: tuple[int, ...]


@dataclass(frozen=True)
class GoalRow:
    goal: str
    projects: tuple[int, ...]
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class ValueRow:
    dimension: PublicValue
    weight: float
    projects: tuple[int, ...]
    national: tuple[int, ...]


@dataclass(frozen=True)
class GapReport:
    mandate: Mandate
    areas: tuple[str, ...]
    units: tuple[str, ...]
    gaps: tuple[Gap, ...]
    theme_area: Matrix
    theme_target_group: tuple[Matrix, ...]
    pipeline: tuple[PipelineRow, ...]
    goals: tuple[GoalRow, ...]
    public_value: tuple[ValueRow, ...]


def analyse_gaps(
    mandate: Mandate,
    projects: Iterable[ProjectInfo],
    reference: Reference,
    *,
    nearest: bool = True,
) -> GapReport:
    """Every gap in the mandate's slice.

    ``projects`` are the published projects the caller may see; those outside the
    mandate's themes or areas are used only as nearest existing projects (which
    ``nearest=False`` skips, for callers that only need the gaps).
    """
    scope = Scope(mandate, reference)
    pool = [p for p in projects if scope.themes_of(p) and not p.record.withdrawn]
    analysis = _Analysis(scope, pool, find_nearest=nearest)
    theme_area = analysis.theme_area_matrix()
    target_matrices = analysis.target_group_matrices()
    pipeline = analysis.pipeline_rows()
    goals = analysis.goal_rows()
    values = analysis.value_rows()
    gaps = [
        *analysis.theme_area_gaps(theme_area),
        *(gap for matrix in target_matrices for gap in analysis.target_group_gaps(matrix)),
        *analysis.pipeline_gaps(pipeline),
        *analysis.goal_gaps(goals),
        *analysis.value_gaps(values),
    ]
    gaps.sort(key=lambda g: (g.severity.rank, g.kind.rank, g.id))
    return GapReport(
        mandate=mandate,
        areas=scope.areas,
        units=scope.units,
        gaps=tuple(gaps),
        theme_area=theme_area,
        theme_target_group=tuple(target_matrices),
        pipeline=tuple(pipeline),
        goals=tuple(goals),
        public_value=tuple(values),
    )


def gap_fits(gap: Gap, project: ProjectInfo, scope: Scope) -> bool:
    """Whether a project does what the gap lacks (its place aside)."""
    if gap.kind in (GapKind.GOAL_UNCOVERED, GapKind.GOAL_SINGLE_KIND):
        return gap.goal in project.goals
    if gap.kind is GapKind.PUBLIC_VALUE:
        assert gap.dimension is not None
        return bool(scope.themes_of(project)) and _has_value(project, gap.dimension, scope)
    assert gap.theme is not None
    if not scope.in_row(project, gap.theme):
        return False
    if gap.kind is GapKind.THEME_TARGET_GROUP:
        return gap.target_group in project.target_groups
    return scope.target_group_fits(project)


def _has_value(project: ProjectInfo, dimension: PublicValue, scope: Scope) -> bool:
    themes, target_groups = _value_tags(dimension, scope)
    return bool(project.target_groups & target_groups or project.themes & themes)


def _value_tags(dimension: PublicValue, scope: Scope) -> tuple[frozenset[str], frozenset[str]]:
    """The theme codes (with sub-themes) and target groups that tag a dimension."""
    key = ("public value", dimension)
    if key not in scope.memo:
        themes, target_groups = PUBLIC_VALUE_TAGS[dimension]
        codes = frozenset().union(*(scope.reference.theme_and_subthemes(t) for t in themes))
        scope.memo[key] = (codes, frozenset(target_groups))
    tags: tuple[frozenset[str], frozenset[str]] = scope.memo[key]
    return tags


class _Analysis:
    """One mandate's slice, with the per-project facts computed once.

    Groups may have thousands of projects, so each fact about a project (its rows, its
    reach into the mandate, the units it reaches) is computed once, and every matrix is
    filled in one pass over the projects.
    """

    WHOLE = "*"  # the key of the whole mandate among the matrix areas

    def __init__(
        self, scope: Scope, pool: Sequence[ProjectInfo], *, find_nearest: bool = True
    ) -> None:
        self.scope = scope
        self.find_nearest = find_nearest
        self.reference = scope.reference
        self.pool = pool
        self.by_id = {p.id: p for p in pool}
        self.active = [p for p in pool if p.is_active]
        self.rows_of = {p.id: [r for r in scope.rows if scope.in_row(p, r)] for p in pool}
        self.reach_of = {p.id: scope.reach_into(p.places) for p in pool}
        # The group's own projects: routed (target groups included), active, any reach.
        self.routed = [
            p for p in self.active if self.reach_of[p.id] is not None and scope.covers(p)
        ]
        # Projects that can be shown as existing work elsewhere, indexed for the gaps.
        existing = [p for p in pool if p.is_active or p.is_mature]
        self._existing_in_row: dict[str, list[ProjectInfo]] = {row: [] for row in scope.rows}
        self._existing_for_goal: dict[str, list[ProjectInfo]] = {}
        for project in existing:
            for row in self.rows_of[project.id]:
                self._existing_in_row[row].append(project)
            for goal in project.goals:
                self._existing_for_goal.setdefault(goal, []).append(project)
        self._existing = existing
        # (area key, row) pairs with at least one local active project.
        self.row_present: set[tuple[str, str]] = set()

    # -- reach

    def local_in(self, project: ProjectInfo, area: str | None) -> Reach | None:
        """The project's reach into ``area`` (None: any mandate area)."""
        if area is None or area == self.scope.area:
            return self.reach_of[project.id]
        return self.scope.reach(project.places, area)

    def split(
        self, projects: Iterable[ProjectInfo], area: str | None
    ) -> tuple[list[ProjectInfo], list[ProjectInfo]]:
        """(local, national-only) projects for an area."""
        local: list[ProjectInfo] = []
        national: list[ProjectInfo] = []
        for project in projects:
            reach = self.local_in(project, area)
            if reach is None:
                continue
            (local if reach.is_local else national).append(project)
        return local, national

    def make_cell(
        self,
        theme: str,
        column: str,
        local: Sequence[ProjectInfo],
        national: Sequence[ProjectInfo],
    ) -> Cell:
        return Cell(
            theme=theme,
            column=column,
            weight=round(sum(STAGE_WEIGHTS[p.stage] for p in local), 2),
            projects=_ids(local),
            national=_ids(national),
        )

    def existing_for(self, gap: Gap) -> Sequence[ProjectInfo]:
        """Existing projects that might do what the gap lacks (a quick pre-selection)."""
        if gap.goal is not None:
            return self._existing_for_goal.get(gap.goal, [])
        if gap.theme is not None and gap.kind is not GapKind.PUBLIC_VALUE:
            return self._existing_in_row[gap.theme]
        return self._existing

    # -- coverage matrices

    def theme_area_matrix(self) -> Matrix:
        local: dict[tuple[str, str], list[ProjectInfo]] = {}
        national: dict[tuple[str, str], list[ProjectInfo]] = {}
        for project in self.active:
            rows = self.rows_of[project.id]
            if not rows:
                continue
            reached, nationally = self.scope.units_reached(project.places)
            reach = self.reach_of[project.id]
            for row in rows:
                if reach is not None and reach.is_local:
                    self.row_present.add((self.WHOLE, row))
                for unit in reached:
                    local.setdefault((row, unit), []).append(project)
                    self.row_present.add((unit, row))
                for unit in nationally:
                    national.setdefault((row, unit), []).append(project)
        cells = [
            self.make_cell(row, unit, local.get((row, unit), []), national.get((row, unit), []))
            for row in self.scope.rows
            for unit in self.scope.units
        ]
        return Matrix(GapKind.THEME_AREA, None, self.scope.rows, self.scope.units, tuple(cells))

    def target_group_columns(self) -> tuple[str, ...]:
        """The mandate's target groups; without any, those the themes' projects name.

        Without target groups in the mandate, a cell is only worth a look where the
        combination exists somewhere: then an empty cell shows uneven geography, not a
        combination nobody would expect (medicine procurement for pregnant women).
        """
        if self.scope.target_groups is not None:
            return self.scope.mandate.target_groups
        return tuple(sorted({group for p in self.pool for group in p.target_groups}))

    def per_unit_target_groups(self) -> bool:
        """A national mandate also looks at target groups region by region."""
        units = self.scope.units
        return len(units) > 1 and all(self.reference.scheme(u) == "region" for u in units)

    def target_group_matrices(self) -> list[Matrix]:
        """The whole mandate, and each region when the mandate is national."""
        columns = self.target_group_columns()
        wanted = set(columns)
        per_unit = self.per_unit_target_groups()
        local: dict[tuple[str, str, str], list[ProjectInfo]] = {}
        national: dict[tuple[str, str, str], list[ProjectInfo]] = {}
        for project in self.active:
            rows, groups = self.rows_of[project.id], project.target_groups & wanted
            reach = self.reach_of[project.id]
            if not rows or not groups or reach is None:
                continue
            reached, nationally = self.scope.units_reached(project.places) if per_unit else ((), ())
            for row in rows:
                for group in groups:
                    whole = local if reach.is_local else national
                    whole.setdefault((self.WHOLE, row, group), []).append(project)
                    for unit in reached:
                        local.setdefault((unit, row, group), []).append(project)
                    for unit in nationally:
                        national.setdefault((unit, row, group), []).append(project)
        expected = self.expected_combinations()
        keys: list[str] = [self.WHOLE, *(self.scope.units if per_unit else ())]
        matrices = []
        for key in keys:
            cells = [
                self.make_cell(
                    row,
                    column,
                    local.get((key, row, column), []),
                    national.get((key, row, column), []),
                )
                for row in self.scope.rows
                for column in columns
                if expected is None or (row, column) in expected
            ]
            area = self.scope.area if key == self.WHOLE else key
            matrices.append(
                Matrix(GapKind.THEME_TARGET_GROUP, area, self.scope.rows, columns, tuple(cells))
            )
        return matrices

    def expected_combinations(self) -> set[tuple[str, str]] | None:
        """(theme, target group) pairs that occur anywhere, when the mandate names no groups."""
        if self.scope.target_groups is not None:
            return None
        return {
            (row, group)
            for p in self.pool
            for row in self.rows_of[p.id]
            for group in p.target_groups
        }

    def theme_area_gaps(self, matrix: Matrix) -> list[Gap]:
        gaps = []
        for cell in matrix.cells:
            if cell.status is CellStatus.COVERED:
                continue
            theme, area = (
                self.reference.theme_label(cell.theme),
                self.reference.area_label(cell.column),
            )
            explanation = self.cell_explanation(cell, theme, Label("", ""), area)
            gap = Gap(
                id=_gap_id(GapKind.THEME_AREA, cell.theme, cell.column),
                kind=GapKind.THEME_AREA,
                severity=_cell_severity(cell, served_elsewhere=False),
                explanation=explanation,
                subject=Label(f"projekter om {theme.da}", f"projects on {theme.en}"),
                theme=cell.theme,
                area=cell.column,
                projects=cell.projects,
                national=cell.national,
            )
            gaps.append(self.with_nearest(gap, [cell.column]))
        return gaps

    def target_group_gaps(self, matrix: Matrix) -> list[Gap]:
        gaps = []
        area_label = (
            self.reference.area_label(matrix.area) if matrix.area else self.scope.area_label()
        )
        for cell in matrix.cells:
            if cell.status is CellStatus.COVERED:
                continue
            key = self.WHOLE if matrix.area == self.scope.area else str(matrix.area)
            if (key, cell.theme) not in self.row_present:
                continue  # the theme has nothing here at all: the theme × area gap says so
            served_elsewhere = any(
                other.theme != cell.theme
                and other.column == cell.column
                and other.status is not CellStatus.NONE
                for other in matrix.cells
            )
            group = self.reference.target_group_label(cell.column)
            theme = self.reference.theme_label(cell.theme)
            who = Label(f" for {_lower_first(group.da)}", f" for {_lower_first(group.en)}")
            explanation = self.cell_explanation(cell, theme, who, area_label)
            if cell.status is CellStatus.NONE:
                explanation += (
                    Label(
                        " Målgruppen har projekter under andre af mandatets temaer.",
                        " The target group has projects under other themes of the mandate.",
                    )
                    if served_elsewhere
                    else Label(
                        " Målgruppen har ingen projekter i mandatet.",
                        " The target group has no project in the mandate.",
                    )
                )
            gap = Gap(
                id=_gap_id(GapKind.THEME_TARGET_GROUP, cell.theme, matrix.area, cell.column),
                kind=GapKind.THEME_TARGET_GROUP,
                severity=_cell_severity(cell, served_elsewhere),
                explanation=explanation,
                subject=Label(
                    f"projekter om {theme.da}{who.da}", f"projects on {theme.en}{who.en}"
                ),
                theme=cell.theme,
                area=matrix.area,
                target_group=cell.column,
                projects=cell.projects,
                national=cell.national,
            )
            gaps.append(self.with_nearest(gap, self.areas_of(matrix.area)))
        return gaps

    def cell_explanation(self, cell: Cell, theme: Label, who: Label, where: Label) -> Label:
        if cell.status is CellStatus.NONE:
            text = Label(
                f"Ingen igangværende projekter om {theme.da}{who.da} i {where.da}.",
                f"No active projects on {theme.en}{who.en} in {where.en}.",
            )
        else:
            text = self.thin(theme + who, where, cell.projects)
        return text + self.national_note(cell.national)

    def thin(self, subject: Label, where: Label, ids: Sequence[int]) -> Label:
        """Thin coverage is always early work: anything in implementation would weigh 1."""
        stages = self.stage_list(ids)
        count = Label(
            f"{len(ids)} projekt" + ("er" if len(ids) > 1 else ""),
            f"{len(ids)} project" + ("s" if len(ids) > 1 else ""),
        )
        return Label(
            f"Spinkel dækning af {subject.da} i {where.da}: kun {count.da}, i tidlige faser "
            f"({stages.da}).",
            f"Thin coverage of {subject.en} in {where.en}: only {count.en}, at early stages "
            f"({stages.en}).",
        )

    def national_note(self, national: Sequence[int]) -> Label:
        if not national:
            return Label("", "")
        titles = "; ".join(f"«{self.by_id[i].title}»" for i in national[:3])
        return Label(
            f" Kun landsdækkende projekter når dertil: {titles}.",
            f" Only nationwide projects reach it: {titles}.",
        )

    def stage_list(self, ids: Iterable[int]) -> Label:
        stages = sorted({self.by_id[i].stage for i in ids}, key=lambda s: s.rank)
        return Label(
            ", ".join(STAGE_LABELS[s][0] for s in stages),
            ", ".join(STAGE_LABELS[s][1] for s in stages),
        )

    def areas_of(self, area: str | None) -> list[str]:
        return [area] if area else list(self.scope.areas)

    # -- pipeline

    def pipeline_rows(self) -> list[PipelineRow]:
        own = [
            p
            for p in self.pool
            if (p.is_active or p.is_mature)
            and (reach := self.reach_of[p.id]) is not None
            and reach.is_local
            and self.scope.covers(p)
        ]
        rows = []
        for row in self.scope.rows:
            mine = [p for p in own if row in self.rows_of[p.id]]
            rows.append(
                PipelineRow(
                    theme=row,
                    renewal=_ids(p for p in mine if p.stage in RENEWAL_STAGES),
                    testing=_ids(p for p in mine if p.stage is Stage.PILOT),
                    ready=_ids(p for p in mine if p.is_mature),
                )
            )
        return rows

    def pipeline_gaps(self, rows: Sequence[PipelineRow]) -> list[Gap]:
        gaps = []
        where = self.scope.area_label()
        for row in rows:
            everything = row.renewal + row.testing + row.ready
            if not everything:
                continue  # no project at all: the coverage matrices say so
            theme = self.reference.theme_label(row.theme)
            stages = self.stage_list(everything)
            if not row.renewal:
                gap = Gap(
                    id=_gap_id(GapKind.PIPELINE_NO_EARLY, row.theme, self.scope.area),
                    kind=GapKind.PIPELINE_NO_EARLY,
                    severity=Severity.MEDIUM,
                    explanation=Label(
                        f"Intet projekt om {theme.da} i {where.da} er på idé- eller analysestadiet: "
                        f"intet nyt er på vej (fornyelse). De {len(everything)} projekter er i "
                        f"faserne {stages.da}.",
                        f"No project on {theme.en} in {where.en} is at the idea or analysis "
                        f"stage: nothing new is coming (renewal). The {len(everything)} projects "
                        f"are at {stages.en}.",
                    ),
                    subject=Label(
                        f"nye idéer og analyser om {theme.da}",
                        f"new ideas and analyses on {theme.en}",
                    ),
                    theme=row.theme,
                    area=self.scope.area,
                    projects=everything,
                )
                gaps.append(self.with_nearest(gap, list(self.scope.areas), RENEWAL_STAGES))
            if not row.ready:
                gap = Gap(
                    id=_gap_id(GapKind.PIPELINE_NO_LATE, row.theme, self.scope.area),
                    kind=GapKind.PIPELINE_NO_LATE,
                    severity=Severity.MEDIUM,
                    explanation=Label(
                        f"Intet projekt om {theme.da} i {where.da} er i implementering eller drift: "
                        f"intet er klar til at blive udbredt. De {len(everything)} projekter er i "
                        f"faserne {stages.da}.",
                        f"No project on {theme.en} in {where.en} is in implementation or "
                        f"operation: nothing is ready to spread. The {len(everything)} projects "
                        f"are at {stages.en}.",
                    ),
                    subject=Label(
                        f"projekter om {theme.da}, der er klar til at blive udbredt",
                        f"projects on {theme.en} ready to spread",
                    ),
                    theme=row.theme,
                    area=self.scope.area,
                    projects=everything,
                )
                gaps.append(self.with_nearest(gap, list(self.scope.areas), mature_only=True))
        return gaps

    # -- goals

    def goal_rows(self) -> list[GoalRow]:
        rows = []
        for goal in self.reference.goals_of(self.scope.mandate):
            contributors = [p for p in self.routed if goal in p.goals]
            rows.append(
                GoalRow(
                    goal=goal,
                    projects=_ids(contributors),
                    kinds=tuple(sorted({p.organisation_kind for p in contributors})),
                )
            )
        return rows

    def goal_gaps(self, rows: Sequence[GoalRow]) -> list[Gap]:
        gaps = []
        where = self.scope.area_label()
        for row in rows:
            goal = self.reference.goal_label(row.goal)
            if not row.projects:
                gap = Gap(
                    id=_gap_id(GapKind.GOAL_UNCOVERED, None, self.scope.area, row.goal),
                    kind=GapKind.GOAL_UNCOVERED,
                    severity=Severity.HIGH,
                    explanation=Label(
                        f"Intet igangværende projekt i gruppens portefølje ({where.da}) bidrager "
                        f"til målet {goal.da}.",
                        f"No active project in the group's portfolio ({where.en}) contributes "
                        f"to the goal {goal.en}.",
                    ),
                    subject=Label(f"bidrag til målet {goal.da}", f"contributions to {goal.en}"),
                    area=self.scope.area,
                    goal=row.goal,
                )
                gaps.append(self.with_nearest(gap, list(self.scope.areas)))
            elif len(row.kinds) == 1:
                kind = KIND_LABELS.get(row.kinds[0], (row.kinds[0], row.kinds[0]))
                titles = "; ".join(f"«{self.by_id[i].title}»" for i in row.projects[:3])
                gap = Gap(
                    id=_gap_id(GapKind.GOAL_SINGLE_KIND, None, self.scope.area, row.goal),
                    kind=GapKind.GOAL_SINGLE_KIND,
                    severity=Severity.MEDIUM,
                    explanation=Label(
                        f"Kun {kind[0]} bidrager til målet {goal.da} i gruppens portefølje "
                        f"({where.da}): {titles}. Ingen andre slags organisationer er med.",
                        f"Only {kind[1]} contribute to the goal {goal.en} in the group's "
                        f"portfolio ({where.en}): {titles}. No other kind of organisation "
                        f"takes part.",
                    ),
                    subject=Label(
                        f"bidrag til målet {goal.da} fra andre end {kind[0]}",
                        f"contributions to {goal.en} from others than {kind[1]}",
                    ),
                    area=self.scope.area,
                    goal=row.goal,
                    projects=row.projects,
                )
                other_kinds = _other_kind(row.kinds[0])
                gaps.append(self.with_nearest(gap, list(self.scope.areas), extra=other_kinds))
        return gaps

    # -- public value

    def value_rows(self) -> list[ValueRow]:
        rows = []
        for dimension in PublicValue:
            themes, groups = _value_tags(dimension, self.scope)
            tagged = [p for p in self.active if p.target_groups & groups or p.themes & themes]
            local, national = self.split(tagged, None)
            rows.append(
                ValueRow(
                    dimension=dimension,
                    weight=round(sum(STAGE_WEIGHTS[p.stage] for p in local), 2),
                    projects=_ids(local),
                    national=_ids(national),
                )
            )
        return rows

    def value_gaps(self, rows: Sequence[ValueRow]) -> list[Gap]:
        gaps = []
        where = self.scope.area_label()
        themes = ", ".join(self.scope.mandate.themes) or "alle"
        themes_en = ", ".join(self.scope.mandate.themes) or "all"
        for row in rows:
            cell = Cell("", row.dimension.value, row.weight, row.projects, row.national)
            if cell.status is CellStatus.COVERED:
                continue
            value = row.dimension.label
            tag_themes, tag_groups = PUBLIC_VALUE_TAGS[row.dimension]
            tags = ", ".join((*tag_themes, *tag_groups))
            if cell.status is CellStatus.NONE:
                text = Label(
                    f"Ingen igangværende projekter om {value.da} ({tags}) under mandatets temaer "
                    f"({themes}) i {where.da}.",
                    f"No active projects on {value.en} ({tags}) under the mandate's themes "
                    f"({themes_en}) in {where.en}.",
                )
            else:
                text = self.thin(value + Label(f" ({tags})", f" ({tags})"), where, row.projects)
            theme = self.scope.mandate.themes[0] if len(self.scope.mandate.themes) == 1 else None
            gap = Gap(
                id=_gap_id(GapKind.PUBLIC_VALUE, theme, self.scope.area, row.dimension.value),
                kind=GapKind.PUBLIC_VALUE,
                severity=_cell_severity(cell, served_elsewhere=False),
                explanation=text + self.national_note(row.national),
                subject=Label(f"projekter om {value.da}", f"projects on {value.en}"),
                theme=theme,
                area=self.scope.area,
                target_group=tag_groups[0] if tag_groups else None,
                dimension=row.dimension,
                projects=row.projects,
                national=row.national,
            )
            gaps.append(self.with_nearest(gap, list(self.scope.areas)))
        return gaps

    # -- nearest existing projects

    def with_nearest(
        self,
        gap: Gap,
        areas: Sequence[str],
        stages: frozenset[Stage] | None = None,
        *,
        mature_only: bool = False,
        extra: Callable[[ProjectInfo], bool] | None = None,
    ) -> Gap:
        """The gap with up to NEAREST projects elsewhere that do what it lacks.

        Nearest first (same council, same region, elsewhere, nationwide), then the
        most mature, then those with a positive evaluation.
        """
        if not self.find_nearest:
            return gap
        fits = self.fits(gap)
        # Projects share their places, so where a place stands is worked out once.
        standing: dict[frozenset[str], Proximity | None] = {}
        found: list[tuple[tuple[int, int, int, int], Nearby]] = []
        for project in self.existing_for(gap):
            if (
                (stages is not None and project.stage not in stages)
                or (mature_only and not project.is_mature)
                or (extra is not None and not extra(project))
                or not fits(project)
            ):
                continue
            places = project.places
            if places not in standing:
                standing[places] = self.proximity_unless_there(places, areas)
            proximity = standing[places]
            if proximity is None:
                continue
            key = (
                proximity.rank,
                0 if project.is_mature else 1,
                0 if project.evidence_outcome == EvidenceOutcome.POSITIVE else 1,
                project.id,
            )
            found.append((key, Nearby(project.id, proximity)))
        if not found:
            return replace(
                gap,
                explanation=gap.explanation
                + Label(
                    " Heller ikke andre steder i økosystemet er der et projekt, som gør det.",
                    " Nowhere else in the ecosystem does a project do it either.",
                ),
            )
        nearest = heapq.nsmallest(NEAREST, found, key=lambda item: item[0])
        return replace(gap, nearest=tuple(nearby for _, nearby in nearest))

    def fits(self, gap: Gap) -> Callable[[ProjectInfo], bool]:
        """:func:`gap_fits` for projects already picked by :meth:`existing_for`."""
        if gap.kind is GapKind.PUBLIC_VALUE or gap.theme is None or gap.goal is not None:
            return lambda project: gap_fits(gap, project, self.scope)
        if gap.kind is GapKind.THEME_TARGET_GROUP:
            return lambda project: gap.target_group in project.target_groups
        return self.scope.target_group_fits

    def proximity_unless_there(
        self, places: frozenset[str], areas: Sequence[str]
    ) -> Proximity | None:
        """How near ``places`` are to the areas, or None when they already work there."""
        for area in areas:
            reach = self.scope.reach(places, area)
            if reach is not None and reach.is_local:
                return None
        return min((self.scope.proximity(places, a) for a in areas), key=lambda p: p.rank)


def _other_kind(kind: str) -> Callable[[ProjectInfo], bool]:
    return lambda project: project.organisation_kind != kind


def _cell_severity(cell: Cell, served_elsewhere: bool) -> Severity:
    """Thin is low. None is high, one step lower for each softening circumstance:
    nationwide projects reach the place, or the target group is served under another
    of the mandate's themes.
    """
    if cell.status is CellStatus.THIN:
        return Severity.LOW
    steps = int(bool(cell.national)) + int(served_elsewhere)
    return list(Severity)[min(steps, 2)]


def _lower_first(text: str) -> str:
    """'Borgere med KOL' → 'borgere med KOL' (acronyms keep their capitals)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _gap_id(kind: GapKind, theme: str | None, area: str | None, detail: str | None = None) -> str:
    return ":".join((kind.value, theme or "-", area or "-", detail or "-"))


def _ids(projects: Iterable[ProjectInfo]) -> tuple[int, ...]:
    return tuple(sorted(p.id for p in projects))
