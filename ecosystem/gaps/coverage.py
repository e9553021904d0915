"""Coverage: themes × areas and themes × target groups, and the cells that are gaps.

A cell counts the active local projects, weighted by stage (:data:`STAGE_WEIGHTS`); a
cell below :data:`THIN_BELOW` is thin, a cell without a project is none. Nationwide
projects that reach a place are listed with the cell, but do not fill it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from ecosystem.gaps import wording
from ecosystem.gaps.facts import WHOLE, SliceFacts, gap_id, ids_of
from ecosystem.gaps.model import (
    STAGE_WEIGHTS,
    Cell,
    CellStatus,
    Finding,
    Gap,
    GapKind,
    Matrix,
    Severity,
)
from ecosystem.gaps.nearest import with_nearest
from ecosystem.groups import ProjectInfo
from ecosystem.labels import Label

# (area key, row): there is local active work on the row there
Present: TypeAlias = set[tuple[str, str]]
# (area key, row, target group) -> projects
_ByCell: TypeAlias = dict[tuple[str, str, str], list[ProjectInfo]]


def make_cell(
    theme: str,
    column: str,
    local: Sequence[ProjectInfo],
    national: Sequence[ProjectInfo],
    facts: SliceFacts | None = None,
) -> Cell:
    """A cell; projects in the row by their text alone count, and are marked as inferred."""
    return Cell(
        theme=theme,
        column=column,
        weight=round(sum(STAGE_WEIGHTS[p.stage] for p in local), 2),
        projects=ids_of(local),
        national=ids_of(national),
        inferred=ids_of(p for p in local if facts and theme in facts.text_rows_of[p.id]),
    )


def finding_of(cell: Cell, readable: bool) -> Finding | None:
    """Without tagged local work: found only in texts or not at all (``readable``: texts read)."""
    if cell.tagged:
        return None
    return Finding.NOT_FOUND if readable and not cell.projects else Finding.NOT_TAGGED


def cell_severity(cell: Cell, served_elsewhere: bool) -> Severity:
    """Thin is low. None is high, one step lower for each softening circumstance:
    nationwide projects reach the place, or the target group is served under another
    of the mandate's themes.
    """
    if cell.status is CellStatus.THIN:
        return Severity.LOW
    steps = int(bool(cell.national)) + int(served_elsewhere)
    return list(Severity)[min(steps, 2)]


# -- themes × areas


def theme_area_matrix(facts: SliceFacts) -> tuple[Matrix, Present]:
    """Themes × the mandate's units, and where each row has local work at all."""
    scope = facts.scope
    local: dict[tuple[str, str], list[ProjectInfo]] = {}
    national: dict[tuple[str, str], list[ProjectInfo]] = {}
    present: Present = set()
    for project in facts.active:
        rows = facts.all_rows_of(project)
        if not rows:
            continue
        reached, nationally = scope.units_reached(project.places)
        reach = facts.reach_of[project.id]
        for row in rows:
            if reach is not None and reach.is_local:
                present.add((WHOLE, row))
            for unit in reached:
                local.setdefault((row, unit), []).append(project)
                present.add((unit, row))
            for unit in nationally:
                national.setdefault((row, unit), []).append(project)
    cells = [
        make_cell(row, unit, local.get((row, unit), []), national.get((row, unit), []), facts)
        for row in scope.rows
        for unit in scope.units
    ]
    return Matrix(GapKind.THEME_AREA, None, scope.rows, scope.units, tuple(cells)), present


def theme_area_gaps(facts: SliceFacts, matrix: Matrix) -> list[Gap]:
    gaps = []
    for cell in matrix.cells:
        if cell.status is CellStatus.COVERED:
            continue
        theme, area = (
            facts.reference.theme_label(cell.theme),
            facts.reference.area_label(cell.column),
        )
        gap = Gap(
            id=gap_id(GapKind.THEME_AREA, cell.theme, cell.column),
            kind=GapKind.THEME_AREA,
            severity=cell_severity(cell, served_elsewhere=False),
            severity_reason=wording.cell_severity_reason(cell.status, bool(cell.national)),
            explanation=_explanation(facts, cell, theme, wording.EMPTY, area),
            subject=wording.projects_on(theme),
            theme=cell.theme,
            area=cell.column,
            projects=cell.projects,
            national=cell.national,
            finding=finding_of(cell, facts.readable(cell.theme)),
            inferred=cell.inferred,
        )
        gaps.append(with_nearest(facts, gap, [cell.column]))
    return gaps


# -- themes × target groups


def target_group_columns(facts: SliceFacts) -> tuple[str, ...]:
    """The mandate's target groups; without any, those the themes' projects name.

    Without target groups in the mandate, a cell is only worth a look where the
    combination exists somewhere: then an empty cell shows uneven geography, not a
    combination nobody would expect (medicine procurement for pregnant women).
    """
    if facts.scope.target_groups is not None:
        return facts.scope.mandate.target_groups
    return tuple(sorted({group for p in facts.pool for group in p.target_groups}))


def per_unit_target_groups(facts: SliceFacts) -> bool:
    """A national mandate also looks at target groups region by region."""
    units = facts.scope.units
    return len(units) > 1 and all(facts.reference.scheme(u) == "region" for u in units)


def target_group_matrices(facts: SliceFacts) -> list[Matrix]:
    """The whole mandate, and each region when the mandate is national."""
    scope = facts.scope
    columns = target_group_columns(facts)
    per_unit = per_unit_target_groups(facts)
    local, national = _target_group_projects(facts, columns, per_unit)
    expected = expected_combinations(facts)
    keys: list[str] = [WHOLE, *(scope.units if per_unit else ())]
    matrices = []
    for key in keys:
        cells = [
            make_cell(
                row,
                column,
                local.get((key, row, column), []),
                national.get((key, row, column), []),
                facts,
            )
            for row in scope.rows
            for column in columns
            if expected is None or (row, column) in expected
        ]
        area = scope.area if key == WHOLE else key
        matrices.append(Matrix(GapKind.THEME_TARGET_GROUP, area, scope.rows, columns, tuple(cells)))
    return matrices


def _target_group_projects(
    facts: SliceFacts, columns: Sequence[str], per_unit: bool
) -> tuple[_ByCell, _ByCell]:
    """(local, national-only) active projects per (area key, row, target group)."""
    wanted = set(columns)
    local: _ByCell = {}
    national: _ByCell = {}
    for project in facts.active:
        rows, groups = facts.all_rows_of(project), project.target_groups & wanted
        reach = facts.reach_of[project.id]
        if not rows or not groups or reach is None:
            continue
        reached, nationally = facts.scope.units_reached(project.places) if per_unit else ((), ())
        for row in rows:
            for group in groups:
                whole = local if reach.is_local else national
                whole.setdefault((WHOLE, row, group), []).append(project)
                for unit in reached:
                    local.setdefault((unit, row, group), []).append(project)
                for unit in nationally:
                    national.setdefault((unit, row, group), []).append(project)
    return local, national


def expected_combinations(facts: SliceFacts) -> set[tuple[str, str]] | None:
    """(theme, target group) pairs that occur anywhere, when the mandate names no groups."""
    if facts.scope.target_groups is not None:
        return None
    return {
        (row, group) for p in facts.pool for row in facts.rows_of[p.id] for group in p.target_groups
    }


def target_group_gaps(facts: SliceFacts, matrix: Matrix, present: Present) -> list[Gap]:
    """The gaps of one theme × target group matrix where the theme has local work at all."""
    gaps = []
    reference, scope = facts.reference, facts.scope
    where = reference.area_label(matrix.area) if matrix.area else scope.area_label()
    for cell in matrix.cells:
        if cell.status is CellStatus.COVERED:
            continue
        key = WHOLE if matrix.area == scope.area else str(matrix.area)
        if (key, cell.theme) not in present:
            continue  # the theme has nothing here at all: the theme × area gap says so
        served_elsewhere = _served_elsewhere(cell, matrix)
        theme = reference.theme_label(cell.theme)
        who = wording.for_target_group(reference.target_group_label(cell.column))
        explanation = _explanation(facts, cell, theme, who, where)
        if cell.status is CellStatus.NONE:
            explanation += wording.target_group_note(served_elsewhere)
        gap = Gap(
            id=gap_id(GapKind.THEME_TARGET_GROUP, cell.theme, matrix.area, cell.column),
            kind=GapKind.THEME_TARGET_GROUP,
            severity=cell_severity(cell, served_elsewhere),
            severity_reason=wording.cell_severity_reason(
                cell.status, bool(cell.national), served_elsewhere
            ),
            explanation=explanation,
            subject=wording.projects_on(theme, who),
            theme=cell.theme,
            area=matrix.area,
            target_group=cell.column,
            projects=cell.projects,
            national=cell.national,
            finding=finding_of(cell, facts.readable(cell.theme)),
            inferred=cell.inferred,
        )
        areas = [matrix.area] if matrix.area else list(scope.areas)
        gaps.append(with_nearest(facts, gap, areas))
    return gaps


def _served_elsewhere(cell: Cell, matrix: Matrix) -> bool:
    """Whether the cell's target group has projects under another theme of the matrix."""
    return any(
        other.theme != cell.theme
        and other.column == cell.column
        and other.status is not CellStatus.NONE
        for other in matrix.cells
    )


def _explanation(facts: SliceFacts, cell: Cell, theme: Label, who: Label, where: Label) -> Label:
    return wording.cell_explanation(
        cell.status,
        theme,
        who,
        where,
        facts.projects(cell.projects),
        facts.projects(cell.national),
    ) + wording.finding_note(
        finding_of(cell, facts.readable(cell.theme)), facts.projects(cell.inferred)
    )
