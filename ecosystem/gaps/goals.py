"""Goals: does the group's own active work contribute to each goal it follows, and from whom?"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ecosystem.gaps import wording
from ecosystem.gaps.facts import SliceFacts, gap_id, ids_of
from ecosystem.gaps.model import Gap, GapKind, GoalRow, Severity
from ecosystem.gaps.nearest import with_nearest
from ecosystem.groups import ProjectInfo


def goal_rows(facts: SliceFacts) -> list[GoalRow]:
    rows = []
    for goal in facts.reference.goals_of(facts.scope.mandate):
        contributors = [p for p in facts.routed if goal in p.goals]
        rows.append(
            GoalRow(
                goal=goal,
                projects=ids_of(contributors),
                kinds=tuple(sorted({p.organisation_kind for p in contributors})),
            )
        )
    return rows


def goal_gaps(facts: SliceFacts, rows: Sequence[GoalRow]) -> list[Gap]:
    """Goals nobody contributes to (high), and goals only one kind of organisation does (medium)."""
    gaps = []
    scope = facts.scope
    where = scope.area_label()
    for row in rows:
        goal = facts.reference.goal_label(row.goal)
        if not row.projects:
            explanation, subject = wording.goal_uncovered(goal, where)
            gap = Gap(
                id=gap_id(GapKind.GOAL_UNCOVERED, None, scope.area, row.goal),
                kind=GapKind.GOAL_UNCOVERED,
                severity=Severity.HIGH,
                severity_reason=wording.GOAL_UNCOVERED_SEVERITY,
                explanation=explanation,
                subject=subject,
                area=scope.area,
                goal=row.goal,
            )
            gaps.append(with_nearest(facts, gap, list(scope.areas)))
        elif len(row.kinds) == 1:
            contributors = facts.projects(row.projects)
            explanation, subject = wording.goal_single_kind(goal, where, row.kinds[0], contributors)
            gap = Gap(
                id=gap_id(GapKind.GOAL_SINGLE_KIND, None, scope.area, row.goal),
                kind=GapKind.GOAL_SINGLE_KIND,
                severity=Severity.MEDIUM,
                severity_reason=wording.GOAL_SINGLE_KIND_SEVERITY,
                explanation=explanation,
                subject=subject,
                area=scope.area,
                goal=row.goal,
                projects=row.projects,
            )
            other_kinds = _other_kind(row.kinds[0])
            gaps.append(with_nearest(facts, gap, list(scope.areas), extra=other_kinds))
    return gaps


def _other_kind(kind: str) -> Callable[[ProjectInfo], bool]:
    return lambda project: project.organisation_kind != kind
