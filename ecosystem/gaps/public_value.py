"""Public value: is there local work on inequality, outlying areas, outreach and prevention?

A project carries a dimension through its themes (with their sub-themes) or target
groups (:data:`PUBLIC_VALUE_TAGS`); the checks look at all work on the mandate's themes
in its areas, whatever its target group.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecosystem.gaps import wording
from ecosystem.gaps.coverage import cell_severity, finding_of
from ecosystem.gaps.facts import SliceFacts, gap_id, ids_of
from ecosystem.gaps.fits import value_tags
from ecosystem.gaps.model import (
    PUBLIC_VALUE_TAGS,
    STAGE_WEIGHTS,
    Cell,
    CellStatus,
    Gap,
    GapKind,
    PublicValue,
    ValueRow,
)
from ecosystem.gaps.nearest import with_nearest


def value_rows(facts: SliceFacts) -> list[ValueRow]:
    rows = []
    for dimension in PublicValue:
        themes, groups = value_tags(dimension, facts.scope)
        tagged = [p for p in facts.active if p.target_groups & groups or p.themes & themes]
        seen = {p.id for p in tagged}
        # Projects whose text names one of the dimension's sub-themes count too, as inferred.
        read = [
            p
            for p in facts.active
            if p.id not in seen and facts.inferred.get(p.id, frozenset()) & themes
        ]
        local, national = facts.split([*tagged, *read], None)
        by_text = {p.id for p in read}
        rows.append(
            ValueRow(
                dimension=dimension,
                weight=round(sum(STAGE_WEIGHTS[p.stage] for p in local), 2),
                projects=ids_of(local),
                national=ids_of(p for p in national if p.id not in by_text),
                inferred=ids_of(p for p in local if p.id in by_text),
            )
        )
    return rows


def readable(dimension: PublicValue) -> bool:
    """Whether a dimension's work can be read from texts: all its theme tags are sub-themes."""
    themes, _ = PUBLIC_VALUE_TAGS[dimension]
    return all("." in code for code in themes)


def value_gaps(facts: SliceFacts, rows: Sequence[ValueRow]) -> list[Gap]:
    """Dimensions with no or only thin local work, counted like a coverage cell."""
    gaps = []
    scope = facts.scope
    where = scope.area_label()
    for row in rows:
        cell = Cell("", row.dimension.value, row.weight, row.projects, row.national, row.inferred)
        if cell.status is CellStatus.COVERED:
            continue
        _, tag_groups = PUBLIC_VALUE_TAGS[row.dimension]
        theme = scope.mandate.themes[0] if len(scope.mandate.themes) == 1 else None
        explanation = wording.value_explanation(
            cell.status,
            row.dimension,
            scope.mandate.themes,
            where,
            facts.projects(row.projects),
            facts.projects(row.national),
        )
        finding = finding_of(cell, readable(row.dimension))
        explanation += wording.finding_note(finding, facts.projects(row.inferred))
        gap = Gap(
            id=gap_id(GapKind.PUBLIC_VALUE, theme, scope.area, row.dimension.value),
            kind=GapKind.PUBLIC_VALUE,
            severity=cell_severity(cell, served_elsewhere=False),
            severity_reason=wording.cell_severity_reason(cell.status, bool(cell.national)),
            explanation=explanation,
            subject=wording.projects_on(row.dimension.label),
            theme=theme,
            area=scope.area,
            target_group=tag_groups[0] if tag_groups else None,
            dimension=row.dimension,
            projects=row.projects,
            national=row.national,
            finding=finding,
            inferred=row.inferred,
        )
        gaps.append(with_nearest(facts, gap, list(scope.areas)))
    return gaps
