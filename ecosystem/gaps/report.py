"""The gap report of one mandate: every check run over the slice, gaps ordered by severity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ecosystem.deliberately_not import OptOuts
from ecosystem.gaps.coverage import (
    target_group_gaps,
    target_group_matrices,
    theme_area_gaps,
    theme_area_matrix,
)
from ecosystem.gaps.deliberate import set_apart
from ecosystem.gaps.facts import SliceFacts
from ecosystem.gaps.goals import goal_gaps, goal_rows
from ecosystem.gaps.grouping import grouped_lines
from ecosystem.gaps.model import GapReport
from ecosystem.gaps.pipeline import pipeline_gaps, pipeline_rows
from ecosystem.gaps.public_value import value_gaps, value_rows
from ecosystem.groups import Mandate, ProjectInfo, Reference, Scope


def analyse_gaps(
    mandate: Mandate,
    projects: Iterable[ProjectInfo],
    reference: Reference,
    *,
    nearest: bool = True,
    inferred: Mapping[int, frozenset[str]] | None = None,
    opted_out: OptOuts | None = None,
) -> GapReport:
    """Every gap in the mandate's slice.

    ``projects`` are the published projects the caller may see; those outside the
    mandate's themes or areas are used only as nearest existing projects (which
    ``nearest=False`` skips, for callers that only need the gaps). ``inferred``: per
    project, the sub-themes its text names beyond its tags (:class:`SubthemeReader`);
    they count, shown as inferred from the text. ``opted_out``: the "fravalgt" entries in
    force; a gap they cover is reported under ``deliberately_not``, not among the open gaps.
    """
    scope = Scope(mandate, reference)
    pool = [p for p in projects if scope.themes_of(p) and not p.record.withdrawn]
    facts = SliceFacts(scope, pool, find_nearest=nearest, inferred=inferred)
    theme_area, present = theme_area_matrix(facts)
    target_matrices = target_group_matrices(facts)
    pipeline = pipeline_rows(facts)
    goals = goal_rows(facts)
    values = value_rows(facts)
    cells = [
        *theme_area_gaps(facts, theme_area),
        *(gap for matrix in target_matrices for gap in target_group_gaps(facts, matrix, present)),
        *pipeline_gaps(facts, pipeline),
        *goal_gaps(facts, goals),
        *value_gaps(facts, values),
    ]
    open_cells, opted = set_apart(facts, cells, opted_out)
    gaps = grouped_lines(facts, open_cells)
    gaps.sort(key=lambda g: (g.severity.rank, g.kind.rank, g.id))
    opted.sort(key=lambda o: (o.gap.severity.rank, o.gap.kind.rank, o.gap.id))
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
        deliberately_not=tuple(opted),
    )
