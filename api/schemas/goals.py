"""Goal pictures and their follow-up, as the API returns them.

The picture sent is validated by the core's ``GoalPictureSchema`` (its goals are
registered for project cards); here is what comes back.
"""

from __future__ import annotations

from marshmallow import Schema, fields

__all__ = ["FollowUpSchema", "GoalPictureDetailSchema", "GoalPictureOutSchema"]

MOMENT = {"format": "date-time"}


class GoalWarningSchema(Schema):
    field = fields.String()
    message = fields.String()
    message_en = fields.String()


class GoalPictureOutSchema(Schema):
    """One revision of a goal picture: the document as saved, and who saved it when."""

    owner_kind = fields.String(metadata={"description": "organisation or group"})
    owner_id = fields.String()
    revision = fields.Integer()
    actor = fields.String()
    created_at = fields.String(metadata=MOMENT)
    text = fields.String()
    period = fields.Dict(metadata={"description": "{from, to}: years"})
    goals = fields.List(fields.Dict(), metadata={"description": "The goals as saved"})
    warnings = fields.List(
        fields.Nested(GoalWarningSchema), metadata={"description": "Soft limits, e.g. > 10 goals"}
    )


class PictureRevisionSchema(Schema):
    revision = fields.Integer()
    actor = fields.String()
    created_at = fields.String(metadata=MOMENT)


class GoalPictureDetailSchema(GoalPictureOutSchema):
    history = fields.List(fields.Nested(PictureRevisionSchema), metadata={"description": "All"})


class IndicatorStatusSchema(Schema):
    name = fields.String()
    unit = fields.String()
    direction = fields.String(metadata={"description": "up or down"})
    baseline = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    latest = fields.Float(allow_none=True)
    latest_period = fields.String(allow_none=True)
    trend = fields.String()
    distance_to_target = fields.Float(
        allow_none=True, metadata={"description": "How far is left (0: reached)"}
    )
    progress = fields.Float(
        allow_none=True, metadata={"description": "Share of the way from baseline to target"}
    )


class GoalStatusSchema(Schema):
    code = fields.String()
    title = fields.String()
    task_type = fields.String()
    measure_type = fields.String()
    fulfilment = fields.String()
    fulfilment_label = fields.String()
    fulfilment_label_en = fields.String()
    period = fields.String(allow_none=True)
    narrative = fields.String()
    real_change = fields.String()
    summary = fields.String()
    summary_en = fields.String()
    indicators = fields.List(fields.Nested(IndicatorStatusSchema))
    projects = fields.List(fields.Integer(), metadata={"description": "Linked live projects"})
    without_projects = fields.Boolean()


class FollowUpSchema(Schema):
    owner_kind = fields.String()
    owner_id = fields.String()
    revision = fields.Integer()
    text = fields.String()
    period = fields.Dict()
    warnings = fields.List(fields.Nested(GoalWarningSchema))
    goals = fields.List(fields.Nested(GoalStatusSchema))
