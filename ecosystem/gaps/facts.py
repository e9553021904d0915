"""One mandate's slice, with the facts about each project that every check reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ecosystem.gaps.model import Gap, GapKind
from ecosystem.groups import ProjectInfo, Reach, Scope

WHOLE = "*"  # the key of the whole mandate among the matrix areas


class SliceFacts:
    """One mandate's slice, with the per-project facts computed once.

    Groups may have thousands of projects, so each fact about a project (its rows, its
    reach into the mandate, the units it reaches) is computed once, and every matrix is
    filled in one pass over the projects.
    """

    def __init__(
        self,
        scope: Scope,
        pool: Sequence[ProjectInfo],
        *,
        find_nearest: bool = True,
        inferred: Mapping[int, frozenset[str]] | None = None,
    ) -> None:
        self.scope = scope
        # Sub-themes each project's text names beyond its tags (ecosystem.gaps.inference).
        self.inferred: Mapping[int, frozenset[str]] = inferred or {}
        self.find_nearest = find_nearest
        self.reference = scope.reference
        self.pool = pool
        self.by_id = {p.id: p for p in pool}
        self.active = [p for p in pool if p.is_active]
        self.rows_of = {p.id: [r for r in scope.rows if scope.in_row(p, r)] for p in pool}
        # Sub-theme rows a project is in by its text alone (top-level rows: tags only).
        self.text_rows_of = {
            p.id: [
                r
                for r in scope.rows
                if self.readable(r)
                and r not in self.rows_of[p.id]
                and self.inferred.get(p.id, frozenset()) & scope.row_codes[r]
            ]
            for p in pool
        }
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

    def readable(self, row: str) -> bool:
        """Whether a row's work can be read from texts: a sub-theme's (not a whole theme's)."""
        return bool(self.reference.theme_parents.get(row))

    def all_rows_of(self, project: ProjectInfo) -> list[str]:
        """The rows a project is in by its tags, then by its text."""
        return self.rows_of[project.id] + self.text_rows_of[project.id]

    def projects(self, ids: Iterable[int]) -> list[ProjectInfo]:
        """The projects with these ids, in that order."""
        return [self.by_id[i] for i in ids]

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

    def existing_for(self, gap: Gap) -> Sequence[ProjectInfo]:
        """Existing projects that might do what the gap lacks (a quick pre-selection)."""
        if gap.goal is not None:
            return self._existing_for_goal.get(gap.goal, [])
        if gap.theme is not None and gap.kind is not GapKind.PUBLIC_VALUE:
            return self._existing_in_row[gap.theme]
        return self._existing


def gap_id(kind: GapKind, theme: str | None, area: str | None, detail: str | None = None) -> str:
    """A gap's stable id: kind, theme, area and detail (decisions refer to it)."""
    return ":".join((kind.value, theme or "-", area or "-", detail or "-"))


def ids_of(projects: Iterable[ProjectInfo]) -> tuple[int, ...]:
    """The projects' ids, sorted."""
    return tuple(sorted(p.id for p in projects))
