"""The nearest existing projects elsewhere that do what a gap lacks."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeAlias

from ecosystem.gaps import wording
from ecosystem.gaps.facts import SliceFacts
from ecosystem.gaps.fits import gap_fits
from ecosystem.gaps.model import NEAREST, Gap, GapKind, Nearby
from ecosystem.groups import ProjectInfo, Proximity, Scope
from ecosystem.model import EvidenceOutcome, Stage

Wanted: TypeAlias = Callable[[ProjectInfo], bool]
# (proximity, not mature, not evaluated positively, id): smallest is shown first
_Key: TypeAlias = tuple[int, int, int, int]


def with_nearest(
    facts: SliceFacts,
    gap: Gap,
    areas: Sequence[str],
    stages: frozenset[Stage] | None = None,
    *,
    mature_only: bool = False,
    extra: Wanted | None = None,
) -> Gap:
    """The gap with up to NEAREST projects elsewhere that do what it lacks.

    Nearest first (same council, same region, elsewhere, nationwide), then the
    most mature, then those with a positive evaluation. Without any, the gap's
    explanation says that nowhere else does a project do it either.
    """
    if not facts.find_nearest:
        return gap
    fits = _fits(gap, facts.scope)

    def wanted(project: ProjectInfo) -> bool:
        return not (
            (stages is not None and project.stage not in stages)
            or (mature_only and not project.is_mature)
            or (extra is not None and not extra(project))
            or not fits(project)
        )

    found = _nearby(facts, gap, areas, wanted)
    if not found:
        return replace(gap, explanation=gap.explanation + wording.NOWHERE_ELSE)
    nearest = heapq.nsmallest(NEAREST, found, key=lambda item: item[0])
    return replace(gap, nearest=tuple(nearby for _, nearby in nearest))


def _nearby(
    facts: SliceFacts, gap: Gap, areas: Sequence[str], wanted: Wanted
) -> list[tuple[_Key, Nearby]]:
    """Every wanted existing project that does not yet work in ``areas``, with its key."""
    # Projects share their places, so where a place stands is worked out once.
    standing: dict[frozenset[str], Proximity | None] = {}
    found: list[tuple[_Key, Nearby]] = []
    for project in facts.existing_for(gap):
        if not wanted(project):
            continue
        places = project.places
        if places not in standing:
            standing[places] = _proximity_unless_there(facts.scope, places, areas)
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
    return found


def _fits(gap: Gap, scope: Scope) -> Wanted:
    """:func:`gap_fits` for projects already picked by :meth:`SliceFacts.existing_for`."""
    if gap.kind is GapKind.PUBLIC_VALUE or gap.theme is None or gap.goal is not None:
        return lambda project: gap_fits(gap, project, scope)
    if gap.kind is GapKind.THEME_TARGET_GROUP:
        return lambda project: gap.target_group in project.target_groups
    return scope.target_group_fits


def _proximity_unless_there(
    scope: Scope, places: frozenset[str], areas: Sequence[str]
) -> Proximity | None:
    """How near ``places`` are to the areas, or None when they already work there."""
    for area in areas:
        reach = scope.reach(places, area)
        if reach is not None and reach.is_local:
            return None
    return min((scope.proximity(places, a) for a in areas), key=lambda p: p.rank)
