"""Reference data as the analyses read it: places and how they nest, themes, organisations, goals."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from ecosystem import hierarchy
from ecosystem.groups.model import Mandate
from ecosystem.labels import Label

NATIONAL = "DK"
MUNICIPALITY, COUNCIL, REGION, NATIONAL_SCHEME = (
    "municipality",
    "health_council",
    "region",
    "national",
)


class Reach(StrEnum):
    """How a project's places relate to an area."""

    INSIDE = "inside"  # a place inside the area (or the area itself)
    ENCLOSING = "enclosing"  # a region or council that contains the area
    NATIONAL = "national"  # only through a nationwide project (DK)

    @property
    def is_local(self) -> bool:
        return self is not Reach.NATIONAL

    @property
    def rank(self) -> int:
        return _REACH_RANK[self]


class Proximity(StrEnum):
    """How near a project is to an area, for 'nearest existing projects'."""

    SAME_COUNCIL = "same_council"
    SAME_REGION = "same_region"
    ELSEWHERE = "elsewhere"
    NATIONAL = "national"

    @property
    def rank(self) -> int:
        return _PROXIMITY_RANK[self]


# Ranks are looked up in hot loops over thousands of projects.
_REACH_RANK = {reach: rank for rank, reach in enumerate(Reach)}
_PROXIMITY_RANK = {proximity: rank for rank, proximity in enumerate(Proximity)}


@dataclass(frozen=True)
class OrganisationInfo:
    id: str
    name: str
    kind: str
    areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    """Places, taxonomy, organisations and goals, as plain maps.

    ``area_parents`` maps a code to the codes that contain it (a municipality to its
    council and region, a council to its region, a region to DK).
    """

    area_parents: Mapping[str, Sequence[str]]
    area_schemes: Mapping[str, str]
    area_names: Mapping[str, Label] = field(default_factory=dict)
    theme_parents: Mapping[str, str | None] = field(default_factory=dict)
    theme_labels: Mapping[str, Label] = field(default_factory=dict)
    target_group_labels: Mapping[str, Label] = field(default_factory=dict)
    organisations: Mapping[str, OrganisationInfo] = field(default_factory=dict)
    goal_sets: Mapping[str, Sequence[str]] = field(default_factory=dict)  # set → its goals
    goal_labels: Mapping[str, Label] = field(default_factory=dict)

    # -- themes

    @cached_property
    def _theme_tree(self) -> dict[str, list[str]]:
        return {code: [parent] for code, parent in self.theme_parents.items() if parent}

    @cached_property
    def _subtheme_cache(self) -> dict[str, frozenset[str]]:
        return {}

    def theme_and_subthemes(self, code: str) -> frozenset[str]:
        cache = self._subtheme_cache
        if code not in cache:
            cache[code] = frozenset(hierarchy.descendants(self._theme_tree, code))
        return cache[code]

    @cached_property
    def top_level_themes(self) -> tuple[str, ...]:
        return tuple(
            sorted((c for c, p in self.theme_parents.items() if not p), key=_theme_sort_key)
        )

    def theme_label(self, code: str) -> Label:
        label = self.theme_labels.get(code)
        return Label(f"{label.da} ({code})", f"{label.en} ({code})") if label else Label(code, code)

    def target_group_label(self, code: str) -> Label:
        return self.target_group_labels.get(code, Label(code, code))

    def goal_label(self, code: str) -> Label:
        label = self.goal_labels.get(code)
        return Label(f"{code} {label.da}", f"{code} {label.en}") if label else Label(code, code)

    # -- places

    def scheme(self, code: str) -> str:
        return self.area_schemes.get(code, "")

    def area_label(self, code: str) -> Label:
        return self.area_names.get(code, Label(code, code))

    @cached_property
    def _inside_cache(self) -> dict[str, frozenset[str]]:
        return {}

    @cached_property
    def _enclosing_cache(self) -> dict[str, frozenset[str]]:
        return {}

    def inside(self, code: str) -> frozenset[str]:
        """``code`` and every area inside it."""
        cache = self._inside_cache
        if code not in cache:
            cache[code] = frozenset(hierarchy.descendants(self.area_parents, code))
        return cache[code]

    def enclosing(self, code: str) -> frozenset[str]:
        """Every area that contains ``code`` (not ``code`` itself)."""
        cache = self._enclosing_cache
        if code not in cache:
            cache[code] = frozenset(hierarchy.ancestors(self.area_parents, code))
        return cache[code]

    def units_of(self, code: str) -> tuple[str, ...]:
        """The columns of a coverage matrix for one mandate area.

        A council or a region is compared municipality by municipality; Denmark is
        compared region by region (a national group's first question is which region
        lacks something); a municipality is its own unit.
        """
        scheme = self.scheme(code)
        if scheme == NATIONAL_SCHEME:
            wanted = REGION
        elif scheme in (REGION, COUNCIL):
            wanted = MUNICIPALITY
        else:
            return (code,)
        units = sorted(a for a in self.inside(code) if self.scheme(a) == wanted)
        return tuple(units) or (code,)

    def proximity(self, places: Collection[str], code: str) -> Proximity:
        """How near the nearest of ``places`` is to area ``code``."""
        if not places:
            return Proximity.ELSEWHERE
        best = Proximity.NATIONAL
        for place in places:
            if self.scheme(place) == NATIONAL_SCHEME:
                continue
            if self._levels(place, COUNCIL) & self._levels(code, COUNCIL):
                return Proximity.SAME_COUNCIL
            if self._levels(place, REGION) & self._levels(code, REGION):
                best = Proximity.SAME_REGION
            elif best is Proximity.NATIONAL:
                best = Proximity.ELSEWHERE
        return best

    def _levels(self, code: str, scheme: str) -> frozenset[str]:
        """The areas of one scheme that ``code`` is, or lies in."""
        around = self.enclosing(code) | {code}
        return frozenset(a for a in around if self.scheme(a) == scheme)

    # -- organisations

    @cached_property
    def _public_bodies(self) -> dict[str, dict[str, list[str]]]:
        """area code → kind → ids of the municipalities and regions whose own area it is."""
        index: dict[str, dict[str, list[str]]] = {}
        for organisation in sorted(self.organisations.values(), key=lambda o: o.id):
            if organisation.kind in (MUNICIPALITY, REGION):
                for area in organisation.areas:
                    index.setdefault(area, {}).setdefault(organisation.kind, []).append(
                        organisation.id
                    )
        return index

    def owners_of(self, code: str, units: Collection[str] = ()) -> tuple[str, ...]:
        """The organisations that answer for an area and could adopt something there.

        The municipality or region whose own area it is (a health council is a forum
        and answers through its members), and those of the ``units`` that lie inside
        it: a region-wide gap in a regional mandate concerns each of its
        municipalities, while in a national mandate it concerns the region.
        """
        key = (code, frozenset(units))
        if key not in self._owners_cache:
            self._owners_cache[key] = self._owners(code, units)
        return self._owners_cache[key]

    @cached_property
    def _owners_cache(self) -> dict[tuple[str, frozenset[str]], tuple[str, ...]]:
        return {}

    def _owners(self, code: str, units: Collection[str]) -> tuple[str, ...]:
        bodies = self._public_bodies
        inside = self.inside(code)
        areas = [code, *sorted(u for u in units if u in inside and u != code)]
        owners = [
            o
            for area in areas
            for kind in (REGION, MUNICIPALITY)
            for o in bodies.get(area, {}).get(kind, [])
        ]
        return tuple(dict.fromkeys(owners))

    def organisation(self, organisation_id: str) -> OrganisationInfo:
        return self.organisations.get(
            organisation_id, OrganisationInfo(organisation_id, organisation_id, "other")
        )

    def goals_of(self, mandate: Mandate) -> tuple[str, ...]:
        """The goals a mandate follows: the goals named, or else every goal of its sets."""
        if mandate.goals:
            return mandate.goals
        return tuple(
            goal for goal_set in mandate.goal_sets for goal in self.goal_sets.get(goal_set, ())
        )


def _theme_sort_key(code: str) -> tuple[int, ...]:
    """T2 before T10, T2.1 before T2.10."""
    digits = code.lstrip("T").split(".")
    return tuple(int(d) if d.isdigit() else 0 for d in digits)
