"""The pipeline: is something new on its way, and is something ready to spread?

*Renewal* is a project at idea or analysis; *ready to spread* is a mature project
(implementation, operation, or completed with a positive evaluation). A pilot is
neither: it is being tested. Only the group's own local projects count.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecosystem.gaps import wording
from ecosystem.gaps.facts import SliceFacts, gap_id, ids_of
from ecosystem.gaps.model import RENEWAL_STAGES, Gap, GapKind, PipelineRow, Severity
from ecosystem.gaps.nearest import with_nearest
from ecosystem.labels import Label
from ecosystem.model import Stage


def pipeline_rows(facts: SliceFacts) -> list[PipelineRow]:
    own = [
        p
        for p in facts.pool
        if (p.is_active or p.is_mature)
        and (reach := facts.reach_of[p.id]) is not None
        and reach.is_local
        and facts.scope.covers(p)
    ]
    rows = []
    for row in facts.scope.rows:
        mine = [p for p in own if row in facts.rows_of[p.id]]
        rows.append(
            PipelineRow(
                theme=row,
                renewal=ids_of(p for p in mine if p.stage in RENEWAL_STAGES),
                testing=ids_of(p for p in mine if p.stage is Stage.PILOT),
                ready=ids_of(p for p in mine if p.is_mature),
            )
        )
    return rows


def pipeline_gaps(facts: SliceFacts, rows: Sequence[PipelineRow]) -> list[Gap]:
    gaps = []
    scope = facts.scope
    where = scope.area_label()
    for row in rows:
        everything = row.renewal + row.testing + row.ready
        if not everything:
            continue  # no project at all: the coverage matrices say so
        theme = facts.reference.theme_label(row.theme)
        projects = facts.projects(everything)
        if not row.renewal:
            words = wording.no_renewal(theme, where, projects)
            gap = _gap(GapKind.PIPELINE_NO_EARLY, row, scope.area, words, everything)
            gaps.append(with_nearest(facts, gap, list(scope.areas), RENEWAL_STAGES))
        if not row.ready:
            words = wording.nothing_ready(theme, where, projects)
            gap = _gap(GapKind.PIPELINE_NO_LATE, row, scope.area, words, everything)
            gaps.append(with_nearest(facts, gap, list(scope.areas), mature_only=True))
    return gaps


def _gap(
    kind: GapKind,
    row: PipelineRow,
    area: str | None,
    words: tuple[Label, Label],
    projects: tuple[int, ...],
) -> Gap:
    explanation, subject = words
    return Gap(
        id=gap_id(kind, row.theme, area),
        kind=kind,
        severity=Severity.MEDIUM,
        severity_reason=wording.PIPELINE_SEVERITY,
        explanation=explanation,
        subject=subject,
        theme=row.theme,
        area=area,
        projects=projects,
    )
