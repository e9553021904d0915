"""The group document's marshmallow schemas: what a group may be created or changed with."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
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

from ecosystem.groups.model import (
    QUADRANT_KEYS,
    RESERVED_GROUP_IDS,
    MandateLevel,
    MemberRole,
    ReviewCadence,
)
from ecosystem.model import ACTIVE_STAGES
from ecosystem.safe_text import Text

_CODE = validate.Length(min=1, max=64)
_MAX_CODES = 100
_SLUG = validate.Regexp(
    r"^[a-z0-9][a-z0-9-]{1,63}$",
    error="Brug små bogstaver, cifre og '-' (2–64 tegn) / Use lower-case letters, digits and '-' (2–64 characters).",
)


def _codes(description: str) -> fields.List[str]:
    return fields.List(
        Text(validate=_CODE),
        load_default=list,
        validate=validate.Length(max=_MAX_CODES),
        metadata={"description": description},
    )


def _choice(enum: type[StrEnum]) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum])


def _shares(keys: Collection[str], what: str) -> fields.Dict:
    return fields.Dict(
        keys=Text(validate=validate.OneOf(sorted(keys))),
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
    level = Text(load_default=MandateLevel.ADVISE.value, validate=_choice(MandateLevel))


class MemberSchema(_Strict):
    organisation = Text(required=True, validate=_CODE)
    role = Text(required=True, validate=_choice(MemberRole))


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

    id = Text(required=True, validate=_SLUG)
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    description = Text(load_default="", validate=validate.Length(max=5000))
    mandate = fields.Nested(MandateSchema, required=True)
    members = fields.List(
        fields.Nested(MemberSchema), load_default=list, validate=validate.Length(max=500)
    )
    coordinators = fields.List(
        Text(validate=_CODE),
        required=True,
        validate=validate.Length(min=1, max=50),
        metadata={"description": "Organisations that may change the group (besides admins)."},
    )
    review_cadence = Text(
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

    name = Text(validate=validate.Length(min=1, max=200))
    description = Text(validate=validate.Length(max=5000))
    mandate = fields.Dict(metadata={"description": "Mandate fields to change."})
    members = fields.List(fields.Dict(), validate=validate.Length(max=500))
    coordinators = fields.List(Text(validate=_CODE), validate=validate.Length(min=1))
    review_cadence = Text(validate=_choice(ReviewCadence))
    ambition = fields.Dict(allow_none=True)
    demo = fields.Boolean()
    revision = fields.Integer(
        strict=True, metadata={"description": "The revision you read (optimistic locking)."}
    )
