"""The "fravalgt" register: what an organisation or a group deliberately does not do, and why.

P12 (DOMAIN.md): "What should we deliberately *not* do because others solve it better?"
An entry names a scope in the shared taxonomy (themes — a theme covers its sub-themes —
target groups and areas, the codes project cards and group mandates use), the reason in
words, who decided and when, and optionally until when it holds (the date to revisit it).

The gap analysis reads the entries in force as plain data: a gap in a cell that its group,
or every organisation answering for the place, has chosen not to work on is shown as
"Fravalgt: <reason> (<who>, <date>)" and not as an open gap (:mod:`ecosystem.gaps.report`).
Gaps stay honest: "nobody does this, on purpose" is not "nobody does this".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from ecosystem.dates import day_label
from ecosystem.groups.reference import Reference
from ecosystem.labels import Label
from ecosystem.safe_text import Text

__all__ = [
    "OWNER_KINDS",
    "SCOPE_FIELDS",
    "OptOut",
    "OptOutSchema",
    "OptOuts",
    "chose",
    "covering",
    "covers",
    "in_force",
    "said",
]

OWNER_KINDS = ("organisation", "group")
SCOPE_FIELDS = ("themes", "target_groups", "areas")
REASON_MAX = 2000
DECIDED_BY_MAX = 200
_CODE = validate.Length(min=1, max=64)
_MAX_CODES = 100


def _codes(description: str) -> fields.List[str]:
    return fields.List(
        Text(validate=_CODE),
        load_default=list,
        validate=validate.Length(max=_MAX_CODES),
        metadata={"description": description},
    )


class OptOutSchema(Schema):
    """One entry as written (POST) or replaced (PUT): its scope, reason, who and when."""

    class Meta:
        unknown = RAISE

    themes = _codes("Theme or sub-theme codes; a theme covers its sub-themes. Empty: any theme.")
    target_groups = _codes("Target-group codes. Empty: any target group.")
    areas = _codes("Area codes (covers what lies inside). Empty: wherever the owner works.")
    reason = Text(
        required=True,
        validate=validate.Length(max=REASON_MAX),
        metadata={"description": "Why, in Danish: e.g. 'Region Midtjylland løfter det'."},
    )
    decided_by = Text(
        required=True,
        validate=validate.Length(max=DECIDED_BY_MAX),
        metadata={"description": "Who decided, e.g. 'Sundheds- og omsorgsudvalget'."},
    )
    decided_on = fields.Date(required=True, metadata={"description": "When it was decided."})
    until = fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "Until when it holds (revisit by then); empty: until changed."},
    )
    revision = fields.Integer(
        strict=True,
        load_only=True,
        metadata={"description": "On a change: the revision you read (optimistic locking)."},
    )

    @validates_schema(skip_on_field_errors=False)
    def _checked(self, data: dict[str, Any], **_: Any) -> None:
        errors: dict[str, list[str]] = {}
        if not any(data.get(name) for name in SCOPE_FIELDS):
            errors["themes"] = [
                "Angiv mindst ét tema, én målgruppe eller ét område / Name at least one "
                "theme, target group or area."
            ]
        for name in ("reason", "decided_by"):
            if isinstance(data.get(name), str) and not data[name].strip():
                errors[name] = ["Must not be blank."]
        decided, until = data.get("decided_on"), data.get("until")
        if decided and until and until < decided:
            errors["until"] = [
                "Må ikke ligge før beslutningsdatoen / Must not be before the decision date."
            ]
        if errors:
            raise ValidationError(errors)

    @post_load
    def _without_duplicates(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        for name in SCOPE_FIELDS:
            data[name] = list(dict.fromkeys(data.get(name, [])))
        data["reason"] = data["reason"].strip()
        data["decided_by"] = data["decided_by"].strip()
        return data


@dataclass(frozen=True)
class OptOut:
    """One entry of the register as it stands now (``withdrawn`` ones are kept as history)."""

    id: int
    owner_kind: str
    owner_id: str
    reason: str
    decided_by: str
    decided_on: dt.date
    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    until: dt.date | None = None
    withdrawn: bool = False
    revision: int = 1
    actor: str = ""
    updated_at: dt.datetime | None = None

    def document(self) -> dict[str, Any]:
        """The entry as its schema writes it (what a revision stores)."""
        return {
            "themes": list(self.themes),
            "target_groups": list(self.target_groups),
            "areas": list(self.areas),
            "reason": self.reason,
            "decided_by": self.decided_by,
            "decided_on": self.decided_on.isoformat(),
            "until": self.until.isoformat() if self.until else None,
        }


def said(entry: OptOut) -> Label:
    """How a gap says it is chosen: "Fravalgt: <reason> (<who>, <date>)"."""
    day = day_label(entry.decided_on)
    return Label(
        f"Fravalgt: {entry.reason} ({entry.decided_by}, {day.da})",
        f"Opted out: {entry.reason} ({entry.decided_by}, {day.en})",
    )


def chose(entry: OptOut) -> Label:
    """How an adopter says it chose not to: "Har fravalgt det: <reason> (<who>, <date>)"."""
    day = day_label(entry.decided_on)
    return Label(
        f"Har fravalgt det: {entry.reason} ({entry.decided_by}, {day.da})",
        f"Has opted out of it: {entry.reason} ({entry.decided_by}, {day.en})",
    )


def in_force(entry: OptOut, today: dt.date) -> bool:
    """Not withdrawn, and not past its date: a lapsed choice is open again until renewed."""
    return not entry.withdrawn and (entry.until is None or today <= entry.until)


@dataclass(frozen=True)
class OptOuts:
    """The entries a gap report weighs: the group's own, and each organisation's.

    ``today`` is given, not read: the core reads no clock.
    """

    today: dt.date
    group: Sequence[OptOut] = ()
    organisations: Mapping[str, Sequence[OptOut]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.group) or any(self.organisations.values())

    def key(self) -> tuple[object, ...]:
        """What tells two sets of entries apart (each entry's id and revision): a cache key."""
        return (
            self.today,
            tuple((e.id, e.revision) for e in self.group),
            tuple(
                (owner, tuple((e.id, e.revision) for e in entries))
                for owner, entries in sorted(self.organisations.items())
            ),
        )


def covers(
    entry: OptOut,
    reference: Reference,
    *,
    theme: str | None,
    target_group: str | None,
    areas: Collection[str],
) -> bool:
    """Whether the entry's scope holds a cell: every dimension it names must contain the cell's.

    A dimension the entry leaves empty holds anything; one it names holds only a cell that
    has it (a theme-only cell is not held by an entry about one target group). A cell's
    areas are all held when each lies inside one of the entry's areas.
    """
    if entry.themes and (
        theme is None or not any(theme in reference.theme_and_subthemes(t) for t in entry.themes)
    ):
        return False
    if entry.target_groups and target_group not in entry.target_groups:
        return False
    if entry.areas:
        if not areas:
            return False
        inside = frozenset().union(*(reference.inside(a) for a in entry.areas))
        if not all(area in inside for area in areas):
            return False
    return True


def covering(
    choices: OptOuts,
    reference: Reference,
    *,
    theme: str | None,
    target_group: str | None,
    areas: Collection[str],
    concerned: Collection[str],
) -> tuple[OptOut, ...]:
    """The entries that make a cell fravalgt, or none when it is an open gap.

    The group's own entry is enough. Otherwise every organisation ``concerned`` (those
    answering for the place) must have chosen it; one that has not leaves the gap open.
    """

    def chosen(entries: Sequence[OptOut]) -> list[OptOut]:
        return [
            e
            for e in entries
            if in_force(e, choices.today)
            and covers(e, reference, theme=theme, target_group=target_group, areas=areas)
        ]

    own = chosen(choices.group)
    if own:
        return tuple(own)
    if not concerned:
        return ()
    found: list[OptOut] = []
    for organisation in concerned:
        theirs = chosen(choices.organisations.get(organisation, ()))
        if not theirs:
            return ()
        found.extend(theirs)
    return tuple(found)
