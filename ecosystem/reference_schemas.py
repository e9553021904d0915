"""Schemas of the reference data (areas, organisations, taxonomy, goals).

Shared by the admin API and the seed loader, so seeds pass the same validation.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ecosystem.model import OrgKind
from ecosystem.safe_text import Text, TextEmail, TextUrl

__all__ = [
    "AreaSchema",
    "GoalSchema",
    "GoalSetSchema",
    "IndicatorSchema",
    "OrganisationSchema",
    "TargetGroupSchema",
    "ThemeSchema",
]

CODE = validate.Length(min=1, max=64)
SLUG = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", error="Use letters, digits, '.', '_', '-'.")


class AreaSchema(Schema):
    code = Text(required=True, validate=validate.And(CODE, SLUG))
    scheme = Text(required=True, validate=validate.Length(min=1, max=32))
    name_da = Text(required=True, validate=validate.Length(min=1, max=200))
    name_en = Text(required=True, validate=validate.Length(min=1, max=200))
    parents = fields.List(Text(validate=CODE), load_default=list)
    provisional = fields.Boolean(
        load_default=False,
        metadata={
            "description": "True where a membership (e.g. of a health council) is not confirmed."
        },
    )
    note = Text(allow_none=True, validate=validate.Length(max=2000))


class OrganisationSchema(Schema):
    id = Text(required=True, validate=validate.And(CODE, SLUG))
    name = Text(required=True, validate=validate.Length(min=1, max=300))
    kind = Text(required=True, validate=validate.OneOf([k.value for k in OrgKind]))
    areas = fields.List(Text(validate=CODE), load_default=list)
    parent_id = Text(allow_none=True, validate=CODE)
    url = TextUrl(allow_none=True)
    email = TextEmail(allow_none=True)
    phone = Text(allow_none=True, validate=validate.Length(max=50))
    note = Text(allow_none=True, validate=validate.Length(max=2000))


class ThemeSchema(Schema):
    code = Text(required=True, validate=validate.And(CODE, SLUG))
    parent_code = Text(allow_none=True, validate=CODE)
    label_da = Text(required=True, validate=validate.Length(min=1, max=200))
    label_en = Text(required=True, validate=validate.Length(min=1, max=200))
    description_da = Text(allow_none=True, validate=validate.Length(max=2000))
    description_en = Text(allow_none=True, validate=validate.Length(max=2000))


class TargetGroupSchema(Schema):
    code = Text(required=True, validate=validate.And(CODE, SLUG))
    label_da = Text(required=True, validate=validate.Length(min=1, max=200))
    label_en = Text(required=True, validate=validate.Length(min=1, max=200))
    description_da = Text(allow_none=True, validate=validate.Length(max=2000))
    description_en = Text(allow_none=True, validate=validate.Length(max=2000))


class IndicatorSchema(Schema):
    name_da = Text(required=True, validate=validate.Length(min=1, max=300))
    name_en = Text(allow_none=True, validate=validate.Length(max=300))
    unit = Text(allow_none=True, validate=validate.Length(max=50))
    desired_direction = Text(allow_none=True, validate=validate.OneOf(["up", "down"]))


class GoalSchema(Schema):
    code = Text(required=True, validate=validate.And(CODE, SLUG))
    goal_set_id = Text(allow_none=True, validate=CODE)
    organisation_id = Text(allow_none=True, validate=CODE)
    title_da = Text(required=True, validate=validate.Length(min=1, max=300))
    title_en = Text(allow_none=True, validate=validate.Length(max=300))
    description_da = Text(allow_none=True, validate=validate.Length(max=4000))
    indicators = fields.List(fields.Nested(IndicatorSchema), load_default=list)


class GoalSetSchema(Schema):
    id = Text(required=True, validate=validate.And(CODE, SLUG))
    organisation_id = Text(allow_none=True, validate=CODE)
    name_da = Text(required=True, validate=validate.Length(min=1, max=300))
    name_en = Text(allow_none=True, validate=validate.Length(max=300))
    description_da = Text(allow_none=True, validate=validate.Length(max=4000))
    source = Text(allow_none=True, validate=validate.Length(max=2000))
