"""Schemas of the reference data (areas, organisations, taxonomy, goals).

Shared by the admin API and the seed loader, so seeds pass the same validation.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ecosystem.model import OrgKind

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
    code = fields.String(required=True, validate=validate.And(CODE, SLUG))
    scheme = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name_da = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name_en = fields.String(required=True, validate=validate.Length(min=1, max=200))
    parents = fields.List(fields.String(validate=CODE), load_default=list)
    provisional = fields.Boolean(
        load_default=False,
        metadata={
            "description": "True where a membership (e.g. of a health council) is not confirmed."
        },
    )
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class OrganisationSchema(Schema):
    id = fields.String(required=True, validate=validate.And(CODE, SLUG))
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in OrgKind]))
    areas = fields.List(fields.String(validate=CODE), load_default=list)
    parent_id = fields.String(allow_none=True, validate=CODE)
    url = fields.Url(allow_none=True)
    email = fields.Email(allow_none=True)
    phone = fields.String(allow_none=True, validate=validate.Length(max=50))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class ThemeSchema(Schema):
    code = fields.String(required=True, validate=validate.And(CODE, SLUG))
    parent_code = fields.String(allow_none=True, validate=CODE)
    label_da = fields.String(required=True, validate=validate.Length(min=1, max=200))
    label_en = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description_da = fields.String(allow_none=True, validate=validate.Length(max=2000))
    description_en = fields.String(allow_none=True, validate=validate.Length(max=2000))


class TargetGroupSchema(Schema):
    code = fields.String(required=True, validate=validate.And(CODE, SLUG))
    label_da = fields.String(required=True, validate=validate.Length(min=1, max=200))
    label_en = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description_da = fields.String(allow_none=True, validate=validate.Length(max=2000))
    description_en = fields.String(allow_none=True, validate=validate.Length(max=2000))


class IndicatorSchema(Schema):
    name_da = fields.String(required=True, validate=validate.Length(min=1, max=300))
    name_en = fields.String(allow_none=True, validate=validate.Length(max=300))
    unit = fields.String(allow_none=True, validate=validate.Length(max=50))
    desired_direction = fields.String(allow_none=True, validate=validate.OneOf(["up", "down"]))


class GoalSchema(Schema):
    code = fields.String(required=True, validate=validate.And(CODE, SLUG))
    goal_set_id = fields.String(allow_none=True, validate=CODE)
    organisation_id = fields.String(allow_none=True, validate=CODE)
    title_da = fields.String(required=True, validate=validate.Length(min=1, max=300))
    title_en = fields.String(allow_none=True, validate=validate.Length(max=300))
    description_da = fields.String(allow_none=True, validate=validate.Length(max=4000))
    indicators = fields.List(fields.Nested(IndicatorSchema), load_default=list)


class GoalSetSchema(Schema):
    id = fields.String(required=True, validate=validate.And(CODE, SLUG))
    organisation_id = fields.String(allow_none=True, validate=CODE)
    name_da = fields.String(required=True, validate=validate.Length(min=1, max=300))
    name_en = fields.String(allow_none=True, validate=validate.Length(max=300))
    description_da = fields.String(allow_none=True, validate=validate.Length(max=4000))
    source = fields.String(allow_none=True, validate=validate.Length(max=2000))
