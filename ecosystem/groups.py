"""Thematic portfolio groups: their mandate, and which projects a mandate covers.

A group (porteføljestyringsgruppe) has a mandate over a slice of the ecosystem: themes,
target groups and areas. Routing decides, for each published project, which mandates
cover it and why. Everything here is a pure function over plain data; the analyses of a
group's slice live in :mod:`ecosystem.gaps`, :mod:`ecosystem.scaling` and
:mod:`ecosystem.balance`.

The routing rule (docs/groups.md):

* **Theme**: the project carries a mandate theme or one of its sub-themes. A mandate
  without themes covers every theme.
* **Target group**: when the mandate names target groups, a project that names target
  groups must name one of them. A project that names none is not excluded: publishing
  is light, and an empty field says nothing about who the project is for.
* **Area**: the project's areas (or, when it names none, its organisation's areas) must
  reach a mandate area: lie inside it (a municipality of the council), or enclose it (a
  regional project reaches every council and municipality of the region; a national
  project, area ``DK``, reaches everywhere). A mandate without areas covers Denmark.

How far a project reaches is kept as its :class:`Reach`: the gap analysis counts
projects inside or enclosing an area as local work there, and lists national projects
separately, because a nationwide programme is not the same as local work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from ecosystem import hierarchy
from ecosystem.model import ACTIVE_STAGES, EvidenceOutcome, ProjectRecord, Stage

__all__ = [
    "KIND_LABELS",
    "QUADRANT_KEYS",
    "RESERVED_GROUP_IDS",
    "STAGE_LABELS",
    "Ambition",
    "Coverage",
    "Group",
    "GroupPatchSchema",
    "GroupSchema",
    "Label",
    "Mandate",
    "MandateLevel",
    "Member",
    "MemberRole",
    "OrganisationInfo",
    "ProjectInfo",
    "Proximity",
    "Reach",
    "Reference",
    "ReviewCadence",
    "RoutingReport",
    "Scope",
    "Slice",
    "group_from_document",
    "group_to_document",
    "route",
]

NATIONAL = "DK"
MUNICIPALITY, COUNCIL, REGION, NATIONAL_SCHEME = (
    "municipality",
    "health_council",
    "region",
    "national",
)
# Value/risk quadrant keys (Cooper, Edgett & Kleinschmidt 2002); see ecosystem.balance.
QUADRANT_KEYS = ("pearls", "oysters", "bread_and_butter", "white_elephants")
# Path segments under /groups that are endpoints, so they cannot be group ids.
RESERVED_GROUP_IDS = frozenset({"routing"})


STAGE_LABELS: Mapping[str, tuple[str, str]] = {
    Stage.IDEA: ("idé", "idea"),
    Stage.ANALYSIS: ("analyse", "analysis"),
    Stage.PILOT: ("afprøvning/pilot", "pilot"),
    Stage.IMPLEMENTATION: ("implementering/udbredelse", "implementation"),
    Stage.OPERATION: ("drift", "operation"),
    Stage.COMPLETED: ("afsluttet", "completed"),
    Stage.STOPPED: ("stoppet", "stopped"),
}
# Organisation kinds in the plural, for sentences such as "only hospitals contribute".
KIND_LABELS: Mapping[str, tuple[str, str]] = {
    "region": ("regioner", "regions"),
    "municipality": ("kommuner", "municipalities"),
    "hospital": ("hospitaler", "hospitals"),
    "general_practice": ("almen praksis", "general practice"),
    "university": ("universiteter", "universities"),
    "university_college": ("professionshøjskoler", "university colleges"),
    "national_body": ("nationale myndigheder", "national bodies"),
    "joint_regional_body": ("fællesregionale organisationer", "joint regional bodies"),
    "health_council": ("sundhedsråd", "health councils"),
    "patient_org": ("patientforeninger", "patient organisations"),
    "ngo": ("civilsamfundsorganisationer", "NGOs"),
    "company": ("virksomheder", "companies"),
    "foundation": ("fonde", "foundations"),
    "other": ("andre", "others"),
}


class MandateLevel(StrEnum):
    """How far a group's word goes (DOMAIN.md §1.9): it never edits others' projects."""

    ADVISE = "advise"  # rådgive
    PRIORITISE = "prioritise"  # prioritere
    ALLOCATE = "allocate"  # tildele midler


class MemberRole(StrEnum):
    """The leadership chain (DOMAIN.md §1.10)."""

    POLITICAL = "political"
    ADMINISTRATIVE = "administrative"
    PROFESSIONAL = "professional"


class ReviewCadence(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"  # the default: quarterly portfolio conversations (DOMAIN.md P4)
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


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
class Label:
    """A text in Danish (shown first) and English."""

    da: str
    en: str

    def __add__(self, other: Label) -> Label:
        return Label(self.da + other.da, self.en + other.en)


# --- the group ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mandate:
    """The slice of the ecosystem a group looks after; empty lists mean 'all'."""

    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    goal_sets: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    level: MandateLevel = MandateLevel.ADVISE


@dataclass(frozen=True)
class Member:
    organisation: str
    role: MemberRole


@dataclass(frozen=True)
class Ambition:
    """Target shares of the group's active projects (each between 0 and 1)."""

    stage_shares: Mapping[str, float] = field(default_factory=dict)
    quadrant_shares: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    mandate: Mandate
    coordinators: tuple[str, ...]
    description: str = ""
    members: tuple[Member, ...] = ()
    review_cadence: ReviewCadence = ReviewCadence.QUARTERLY
    ambition: Ambition | None = None
    demo: bool = False
    revision: int = 1
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


def group_from_document(
    document: Mapping[str, Any],
    *,
    revision: int = 1,
    created_at: dt.datetime | None = None,
    updated_at: dt.datetime | None = None,
) -> Group:
    """A group from its validated document (see :class:`GroupSchema`)."""
    mandate = document["mandate"]
    ambition = document.get("ambition")
    return Group(
        id=document["id"],
        name=document["name"],
        description=document.get("description") or "",
        mandate=Mandate(
            themes=tuple(mandate.get("themes", ())),
            target_groups=tuple(mandate.get("target_groups", ())),
            areas=tuple(mandate.get("areas", ())),
            goal_sets=tuple(mandate.get("goal_sets", ())),
            goals=tuple(mandate.get("goals", ())),
            level=MandateLevel(mandate.get("level", MandateLevel.ADVISE)),
        ),
        members=tuple(
            Member(m["organisation"], MemberRole(m["role"])) for m in document.get("members", ())
        ),
        coordinators=tuple(document["coordinators"]),
        review_cadence=ReviewCadence(document.get("review_cadence", ReviewCadence.QUARTERLY)),
        ambition=Ambition(
            stage_shares=dict(ambition.get("stage_shares") or {}),
            quadrant_shares=dict(ambition.get("quadrant_shares") or {}),
        )
        if ambition
        else None,
        demo=bool(document.get("demo")),
        revision=revision,
        created_at=created_at,
        updated_at=updated_at,
    )


def group_to_document(group: Group) -> dict[str, Any]:
    """The group as the plain document it was created from (JSON-ready)."""
    ambition = group.ambition
    return {
        "id": group.id,
        "name": group.name,
        "description": group.description,
        "mandate": {
            "themes": list(group.mandate.themes),
            "target_groups": list(group.mandate.target_groups),
            "areas": list(group.mandate.areas),
            "goal_sets": list(group.mandate.goal_sets),
            "goals": list(group.mandate.goals),
            "level": group.mandate.level.value,
        },
        "members": [{"organisation": m.organisation, "role": m.role.value} for m in group.members],
        "coordinators": list(group.coordinators),
        "review_cadence": group.review_cadence.value,
        "ambition": {
            "stage_shares": dict(ambition.stage_shares),
            "quadrant_shares": dict(ambition.quadrant_shares),
        }
        if ambition
        else None,
        "demo": group.demo,
    }


# --- the group document ------------------------------------------------------------------

_CODE = validate.Length(min=1, max=64)
_MAX_CODES = 100
_SLUG = validate.Regexp(
    r"^[a-z0-9][a-z0-9-]{1,63}$",
    error="Brug små bogstaver, cifre og '-' (2–64 tegn) / Use lower-case letters, digits and '-' (2–64 characters).",
)


def _codes(description: str) -> fields.List[str]:
    return fields.List(
        fields.String(validate=_CODE),
        load_default=list,
        validate=validate.Length(max=_MAX_CODES),
        metadata={"description": description},
    )


def _choice(enum: type[StrEnum]) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum])


def _shares(keys: Collection[str], what: str) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf(sorted(keys))),
        values=fields.Float(allow_nan=False, validate=validate.Range(min=0, max=1)),
        load_default=dict,
        metadata={"description": f"Target share (0–1) per {what}; the shares add up to at most 1."},
    )


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class MandateSchema(_Strict):
    themes = _codes("Theme codes; a theme covers its sub-themes. Empty: every theme.")
    target_groups = _codes("Target-group codes. Empty: every target group.")
    areas = _codes("Area codes, e.g. a health council (covers its municipalities). Empty: DK.")
    goal_sets = _codes("Goal sets whose goals the group follows (when no goals are named).")
    goals = _codes("Goal codes the group follows.")
    level = fields.String(load_default=MandateLevel.ADVISE.value, validate=_choice(MandateLevel))


class MemberSchema(_Strict):
    organisation = fields.String(required=True, validate=_CODE)
    role = fields.String(required=True, validate=_choice(MemberRole))


class AmbitionSchema(_Strict):
    stage_shares = _shares([stage.value for stage in ACTIVE_STAGES], "active stage")
    quadrant_shares = _shares(QUADRANT_KEYS, "value/risk quadrant")

    @validates_schema
    def _shares_add_up(self, data: dict[str, Any], **_: Any) -> None:
        for name in ("stage_shares", "quadrant_shares"):
            total = sum((data.get(name) or {}).values())
            if total > 1.0 + 1e-9:
                raise ValidationError(
                    f"Andelene summerer til {total:.2f}, højst 1 / The shares add up to {total:.2f}; at most 1.",
                    name,
                )


class GroupSchema(_Strict):
    """A thematic portfolio group as created (POST) or stored."""

    id = fields.String(required=True, validate=_SLUG)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    mandate = fields.Nested(MandateSchema, required=True)
    members = fields.List(
        fields.Nested(MemberSchema), load_default=list, validate=validate.Length(max=500)
    )
    coordinators = fields.List(
        fields.String(validate=_CODE),
        required=True,
        validate=validate.Length(min=1, max=50),
        metadata={"description": "Organisations that may change the group (besides admins)."},
    )
    review_cadence = fields.String(
        load_default=ReviewCadence.QUARTERLY.value, validate=_choice(ReviewCadence)
    )
    ambition = fields.Nested(AmbitionSchema, allow_none=True, load_default=None)
    demo = fields.Boolean(load_default=False)

    @validates("id")
    def _not_reserved(self, value: str, **_: Any) -> None:
        if value in RESERVED_GROUP_IDS:
            raise ValidationError(f"'{value}' er reserveret / '{value}' is reserved.")

    @post_load
    def _without_duplicates(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["coordinators"] = list(dict.fromkeys(data["coordinators"]))
        mandate = data["mandate"]
        for key in ("themes", "target_groups", "areas", "goal_sets", "goals"):
            mandate[key] = list(dict.fromkeys(mandate.get(key, [])))
        return data


class GroupPatchSchema(_Strict):
    """A change to a group: the fields named replace the stored ones.

    ``mandate`` is merged field by field (name only what changes); ``revision``, when
    given, must be the revision the change was based on, or the change is refused.
    """

    name = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=5000))
    mandate = fields.Dict(metadata={"description": "Mandate fields to change."})
    members = fields.List(fields.Dict(), validate=validate.Length(max=500))
    coordinators = fields.List(fields.String(validate=_CODE), validate=validate.Length(min=1))
    review_cadence = fields.String(validate=_choice(ReviewCadence))
    ambition = fields.Dict(allow_none=True)
    demo = fields.Boolean()
    revision = fields.Integer(
        strict=True, metadata={"description": "The revision you read (optimistic locking)."}
    )


# --- reference data the analyses need ------------------------------------------------------


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


# --- projects as the analyses see them -----------------------------------------------------


@dataclass(frozen=True)
class ProjectInfo:
    """What routing and the analyses need from one published project, computed once."""

    record: ProjectRecord
    id: int
    organisation_id: str
    themes: frozenset[str]
    target_groups: frozenset[str]
    goals: frozenset[str]
    places: frozenset[str]
    organisation_kind: str
    stage: Stage
    evidence_outcome: str | None
    is_active: bool
    is_mature: bool

    @classmethod
    def of(cls, record: ProjectRecord, reference: Reference) -> ProjectInfo:
        data = record.data
        organisation = reference.organisation(record.organisation_id)
        # A project that names no area is placed where its organisation works.
        places = data.get("areas") or organisation.areas
        stage = Stage(data["stage"])
        outcome = (data.get("evidence") or {}).get("outcome") or None
        return cls(
            record=record,
            id=record.id,
            organisation_id=record.organisation_id,
            themes=frozenset(data.get("themes", ())),
            target_groups=frozenset(data.get("target_groups", ())),
            goals=frozenset(data.get("goals", ())),
            places=frozenset(places),
            organisation_kind=organisation.kind,
            stage=stage,
            evidence_outcome=outcome,
            is_active=stage in ACTIVE_STAGES,
            is_mature=_is_mature(stage, outcome),
        )

    @property
    def title(self) -> str:
        return str(self.record.data.get("title", ""))


@dataclass
class Slice:
    """The projects an analysis works on, with the reference data to read them."""

    reference: Reference
    projects: list[ProjectInfo]

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.projects}

    def add(self, more: Iterable[ProjectInfo]) -> None:
        for project in more:
            if project.id not in self.by_id:
                self.projects.append(project)
                self.by_id[project.id] = project


def _is_mature(stage: Stage, outcome: str | None) -> bool:
    """Ready to spread: in implementation or operation, or completed with a positive evaluation.

    A negative evaluation takes a project out, whatever its stage.
    """
    if outcome == EvidenceOutcome.NEGATIVE:
        return False
    if stage in (Stage.IMPLEMENTATION, Stage.OPERATION):
        return True
    return stage is Stage.COMPLETED and outcome == EvidenceOutcome.POSITIVE


# --- routing -------------------------------------------------------------------------------


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
