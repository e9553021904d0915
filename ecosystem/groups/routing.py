"""Routing: which mandates cover a project, and why.

The rule (docs/groups.md):

* **Theme**: the project carries a mandate theme or one of its sub-themes. A mandate
  without themes covers every theme.
* **Target group**: when the mandate names target groups, a project that names target
  groups must name one of them. A project that names none is not excluded: publishing
  is light, and an empty field says nothing about who the project is for.
* **Area**: the project's areas (or, when it names none, its organisation's areas) must
  reach a mandate area: lie inside it (a municipality of the council), or enclose it (a
  regional project reaches every council and municipality of the region; a national
  project, area ``DK``, reaches everywhere). A mandate without areas covers Denmark.

How far a project reaches is kept as its :class:`~ecosystem.groups.Reach`: the gap
analysis counts projects inside or enclosing an area as local work there, and lists
national projects separately, because a nationwide programme is not the same as local
work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ecosystem.groups.model import Group, Mandate
from ecosystem.groups.projects import ProjectInfo
from ecosystem.groups.reference import (
    NATIONAL,
    NATIONAL_SCHEME,
    Proximity,
    Reach,
    Reference,
    _theme_sort_key,
)
from ecosystem.labels import Label


@dataclass(frozen=True)
class Coverage:
    """Why one project falls under one mandate."""

    project_id: int
    reach: Reach
    themes: tuple[str, ...]
    target_groups: tuple[str, ...]
    areas: tuple[str, ...]

    def reasons(self, reference: Reference) -> list[Label]:
        themes = ", ".join(self.themes)
        reasons = [Label(f"Tema: {themes}", f"Theme: {themes}")]
        if self.target_groups:
            groups = ", ".join(self.target_groups)
            reasons.append(Label(f"Målgruppe: {groups}", f"Target group: {groups}"))
        places = ", ".join(reference.area_label(a).da for a in self.areas)
        places_en = ", ".join(reference.area_label(a).en for a in self.areas)
        reasons.append(
            {
                Reach.INSIDE: Label(f"Område: {places}", f"Area: {places_en}"),
                Reach.ENCLOSING: Label(
                    f"Regionalt projekt, der dækker mandatets område ({places})",
                    f"Regional project covering the mandate's area ({places_en})",
                ),
                Reach.NATIONAL: Label("Landsdækkende projekt (DK)", "Nationwide project (DK)"),
            }[self.reach]
        )
        return reasons


class Scope:
    """A mandate resolved against the reference data, ready to test projects quickly."""

    def __init__(self, mandate: Mandate, reference: Reference) -> None:
        self.mandate = mandate
        self.reference = reference
        self.rows: tuple[str, ...] = mandate.themes or reference.top_level_themes
        self.row_codes: dict[str, frozenset[str]] = {
            row: reference.theme_and_subthemes(row) for row in self.rows
        }
        self.theme_codes: frozenset[str] | None = (
            frozenset().union(*self.row_codes.values()) if mandate.themes else None
        )
        self.target_groups: frozenset[str] | None = (
            frozenset(mandate.target_groups) if mandate.target_groups else None
        )
        self.areas: tuple[str, ...] = mandate.areas or (NATIONAL,)
        self.units: tuple[str, ...] = tuple(
            dict.fromkeys(unit for area in self.areas for unit in reference.units_of(area))
        )
        # Many projects share their places, so everything about places is memoised.
        self._reach_memo: dict[tuple[frozenset[str], str], Reach | None] = {}
        self._best_memo: dict[frozenset[str], tuple[Reach, tuple[str, ...]] | None] = {}
        self._units_memo: dict[frozenset[str], tuple[frozenset[str], frozenset[str]]] = {}
        self._proximity_memo: dict[tuple[frozenset[str], str], Proximity] = {}
        self.memo: dict[Any, Any] = {}  # for what the analyses derive from the scope

    @property
    def area(self) -> str | None:
        """The mandate's one area, or None when it has several."""
        return self.areas[0] if len(self.areas) == 1 else None

    def area_label(self) -> Label:
        labels = [self.reference.area_label(a) for a in self.areas]
        return Label(", ".join(x.da for x in labels), ", ".join(x.en for x in labels))

    def reach(self, places: frozenset[str], area: str) -> Reach | None:
        """How ``places`` reach ``area`` (memoised: many projects share their places)."""
        key = (places, area)
        if key not in self._reach_memo:
            self._reach_memo[key] = _reach(self.reference, places, area)
        return self._reach_memo[key]

    def best_reach(self, places: frozenset[str]) -> tuple[Reach, tuple[str, ...]] | None:
        """The closest reach into any mandate area, with the places that give it."""
        if places not in self._best_memo:
            self._best_memo[places] = self._best_reach(places)
        return self._best_memo[places]

    def _best_reach(self, places: frozenset[str]) -> tuple[Reach, tuple[str, ...]] | None:
        found: list[Reach] = [r for a in self.areas if (r := self.reach(places, a)) is not None]
        if not found:
            return None
        best = min(found, key=lambda r: r.rank)
        matching = sorted(
            p for p in places for a in self.areas if self.reach(frozenset({p}), a) is best
        )
        return best, tuple(dict.fromkeys(matching))

    def reach_into(self, places: frozenset[str]) -> Reach | None:
        """The closest reach into any mandate area."""
        best = self.best_reach(places)
        return best[0] if best else None

    def units_reached(self, places: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """(units reached locally, units reached only by a nationwide project)."""
        if places not in self._units_memo:
            local: set[str] = set()
            national: set[str] = set()
            for unit in self.units:
                reach = self.reach(places, unit)
                if reach is not None:
                    (local if reach.is_local else national).add(unit)
            self._units_memo[places] = (frozenset(local), frozenset(national))
        return self._units_memo[places]

    def proximity(self, places: frozenset[str], area: str) -> Proximity:
        key = (places, area)
        if key not in self._proximity_memo:
            self._proximity_memo[key] = self.reference.proximity(places, area)
        return self._proximity_memo[key]

    def covers(self, info: ProjectInfo) -> bool:
        """Whether the mandate covers the project (the quick test behind :meth:`cover`)."""
        return (
            bool(self.themes_of(info))
            and self.target_group_fits(info)
            and self.reach_into(info.places) is not None
        )

    def themes_of(self, info: ProjectInfo) -> frozenset[str]:
        if self.theme_codes is None:
            return info.themes
        return info.themes & self.theme_codes

    def in_row(self, info: ProjectInfo, row: str) -> bool:
        return bool(info.themes & self.row_codes[row])

    def target_group_fits(self, info: ProjectInfo) -> bool:
        """Lenient: a project that names no target group is not excluded."""
        if self.target_groups is None or not info.target_groups:
            return True
        return bool(info.target_groups & self.target_groups)

    def cover(self, info: ProjectInfo) -> Coverage | None:
        """Whether, and why, the mandate covers the project."""
        themes = self.themes_of(info)
        if not themes or not self.target_group_fits(info):
            return None
        reach = self.best_reach(info.places)
        if reach is None:
            return None
        target_groups = (
            info.target_groups & self.target_groups
            if self.target_groups is not None
            else frozenset()
        )
        return Coverage(
            project_id=info.id,
            reach=reach[0],
            themes=tuple(sorted(themes, key=_theme_sort_key)),
            target_groups=tuple(sorted(target_groups)),
            areas=reach[1],
        )


def _reach(reference: Reference, places: frozenset[str], area: str) -> Reach | None:
    if places & reference.inside(area):
        return Reach.INSIDE
    enclosing = places & reference.enclosing(area)
    if any(reference.scheme(p) != NATIONAL_SCHEME for p in enclosing):
        return Reach.ENCLOSING
    return Reach.NATIONAL if enclosing else None


@dataclass(frozen=True)
class RoutingReport:
    """Which groups cover which projects; the uncovered and the multiply covered."""

    by_group: Mapping[str, tuple[Coverage, ...]]
    uncovered: tuple[int, ...]
    several: Mapping[int, tuple[tuple[str, Coverage], ...]]


def route(
    projects: Iterable[ProjectInfo], groups: Sequence[Group], reference: Reference
) -> RoutingReport:
    """Match every project to the groups whose mandates cover it."""
    scopes = [(group.id, Scope(group.mandate, reference)) for group in groups]
    by_group: dict[str, list[Coverage]] = {group.id: [] for group in groups}
    uncovered: list[int] = []
    several: dict[int, tuple[tuple[str, Coverage], ...]] = {}
    for info in projects:
        found = [(gid, c) for gid, scope in scopes if (c := scope.cover(info)) is not None]
        for group_id, coverage in found:
            by_group[group_id].append(coverage)
        if not found:
            uncovered.append(info.id)
        elif len(found) > 1:
            several[info.id] = tuple(found)
    return RoutingReport(
        by_group={gid: tuple(items) for gid, items in by_group.items()},
        uncovered=tuple(uncovered),
        several=several,
    )
