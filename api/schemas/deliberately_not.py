"""The "fravalgt" register as the API returns it.

An entry sent is validated by the core's ``OptOutSchema``; here is what comes back.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from ecosystem.safe_text import Text

__all__ = ["OptOutDetailSchema", "OptOutListSchema", "OptOutOutSchema"]

MOMENT = {"format": "date-time"}
DAY = {"format": "date"}


class OptOutOutSchema(Schema):
    """One entry as it stands: its scope, reason, who decided when, and whether it counts."""

    id = fields.Integer()
    owner_kind = Text(metadata={"description": "organisation or group"})
    owner_id = Text()
    themes = fields.List(Text())
    target_groups = fields.List(Text())
    areas = fields.List(Text())
    reason = Text()
    decided_by = Text()
    decided_on = Text(metadata=DAY)
    until = Text(allow_none=True, metadata=DAY)
    withdrawn = fields.Boolean()
    in_force = fields.Boolean(
        metadata={"description": "Counts in gap analyses today (not withdrawn, not lapsed)"}
    )
    label = Text(metadata={"description": "Fravalgt: <reason> (<who>, <date>)"})
    label_en = Text()
    revision = fields.Integer()
    actor = Text()
    updated_at = Text(metadata=MOMENT)


class OptOutRevisionSchema(Schema):
    number = fields.Integer()
    action = Text(metadata={"description": "created, updated or withdrawn"})
    actor = Text()
    created_at = Text(metadata=MOMENT)
    changed_fields = fields.List(Text())
    data = fields.Dict(metadata={"description": "The entry as that step left it"})


class OptOutDetailSchema(OptOutOutSchema):
    history = fields.List(fields.Nested(OptOutRevisionSchema), metadata={"description": "All"})


class OptOutListSchema(Schema):
    items = fields.List(
        fields.Nested(OptOutOutSchema),
        metadata={"description": "Live entries first (newest decision first), then withdrawn"},
    )
