"""Goal pictures and their follow-up, as the API returns them.

The picture sent is validated by the core's ``GoalPictureSchema`` (its goals are
registered for project cards); here is what comes back.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from ecosystem.safe_text import Text

__all__ = ["FollowUpSchema", "GoalPictureDetailSchema", "GoalPictureOutSchema"]

MOMENT = {"format": "date-time"}


class GoalWarningSchema(Schema):
    field = Text()
    message = Text()
    message_en = Text()


class GoalPictureOutSchema(Schema):
    """One revision of a goal picture: the document as saved, and who saved it when."""

    owner_kind = Text(metadata={"description": "organisation or group"})
    owner_id = Text()
    revision = fields.Integer()
    actor = Text()
    created_at = Text(metadata=MOMENT)
    kind = Text(metadata={"description": "naersundhedsplan, or maalbillede (also when absent)"})
    text = Text()
    period = fields.Dict(metadata={"description": "{from, to}: years"})
    goals = fields.List(fields.Dict(), metadata={"description": "The goals as saved"})
    warnings = fields.List(
        fields.Nested(GoalWarningSchema), metadata={"description": "Soft limits, e.g. > 10 goals"}
    )


class PictureRevisionSchema(Schema):
    revision = fields.Integer()
    actor = Text()
    created_at = Text(metadata=MOMENT)


class GoalPictureDetailSchema(GoalPictureOutSchema):
    history = fields.List(fields.Nested(PictureRevisionSchema), metadata={"description": "All"})


class VariationSchema(Schema):
    first_period = Text()
    first_spread = fields.Float()
    latest_period = Text()
    latest_spread = fields.Float()
    change = Text(metadata={"description": "narrowing, unchanged or widening"})


class IndicatorStatusSchema(Schema):
    name = Text()
    unit = Text()
    direction = Text(metadata={"description": "up or down"})
    baseline = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    latest = fields.Float(allow_none=True)
    latest_period = Text(allow_none=True)
    trend = Text()
    distance_to_target = fields.Float(
        allow_none=True, metadata={"description": "How far is left (0: reached)"}
    )
    progress = fields.Float(
        allow_none=True, metadata={"description": "Share of the way from baseline to target"}
    )
    movement = Text(allow_none=True, metadata={"description": "up, down or flat: the arrow"})
    best_area = Text(allow_none=True, metadata={"description": "The best comparable area"})
    best_value = fields.Float(allow_none=True)
    distance_to_best = fields.Float(
        allow_none=True, metadata={"description": "How far behind the best area (0: level)"}
    )
    distance_to_best_before = fields.Float(
        allow_none=True, metadata={"description": "The same, one period before"}
    )
    variation = fields.Nested(
        VariationSchema,
        allow_none=True,
        metadata={"description": "Top-to-bottom gap between the areas, first and latest"},
    )


class GoalStatusSchema(Schema):
    code = Text()
    title = Text()
    description = Text()
    task_type = Text()
    measure_type = Text()
    fulfilment = Text()
    fulfilment_label = Text()
    fulfilment_label_en = Text()
    period = Text(allow_none=True)
    narrative = Text()
    real_change = Text()
    summary = Text()
    summary_en = Text()
    indicators = fields.List(fields.Nested(IndicatorStatusSchema))
    projects = fields.List(fields.Integer(), metadata={"description": "Linked live projects"})
    without_projects = fields.Boolean()


class FollowUpSchema(Schema):
    owner_kind = Text()
    owner_id = Text()
    revision = fields.Integer()
    kind = Text()
    kind_label = Text()
    kind_label_en = Text()
    text = Text()
    period = fields.Dict()
    warnings = fields.List(fields.Nested(GoalWarningSchema))
    goals = fields.List(fields.Nested(GoalStatusSchema))
