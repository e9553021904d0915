"""The data quality report of one organisation's portfolio."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.schemas.common import OrganisationRefSchema
from ecosystem.safe_text import Text

__all__ = ["QualitySchema"]


class ProjectNameSchema(Schema):
    id = fields.Integer()
    external_id = Text()
    title = Text()


class GroupNameSchema(Schema):
    id = Text()
    name = Text()


class ScorePartSchema(Schema):
    key = Text(metadata={"description": "completeness, descriptions, current or codes"})
    label = Text(metadata={"description": "Danish"})
    label_en = Text()
    weight = fields.Integer(metadata={"description": "Points the part is worth (they add to 100)"})
    share = fields.Float(metadata={"description": "0..1: how much of the part is met"})
    points = fields.Float(metadata={"description": "weight × share"})
    explanation = Text(metadata={"description": "Danish"})
    explanation_en = Text()


class FieldSchema(Schema):
    key = Text(
        metadata={
            "description": "target_groups, areas, dates, stage, contact, value_risk or evidence"
        }
    )
    label = Text()
    label_en = Text()
    why = Text(metadata={"description": "What the analyses use the field for (Danish)"})
    why_en = Text()
    applies = fields.Integer(metadata={"description": "Projects the field applies to"})
    complete = fields.Integer()
    share = fields.Float()
    missing = fields.List(fields.Nested(ProjectNameSchema))


class PlaceholderSchema(Schema):
    project = fields.Nested(ProjectNameSchema)
    words = fields.Integer()
    same_as_title = fields.Boolean()


class StaleSchema(Schema):
    project = fields.Nested(ProjectNameSchema)
    confirmed = fields.Date(metadata={"description": "Last reviewed or changed, the later"})
    group = fields.Nested(GroupNameSchema)
    review_date = fields.Date(metadata={"description": "The group's last review it predates"})


class CodeProblemSchema(Schema):
    project = fields.Nested(ProjectNameSchema)
    field = Text()
    code = Text()
    reason = Text()
    reason_en = Text()


class SuggestionSchema(Schema):
    key = Text()
    text = Text(metadata={"description": "Danish"})
    text_en = Text()
    gain = fields.Float(metadata={"description": "Points gained if every project is fixed"})
    projects = fields.List(fields.Nested(ProjectNameSchema))


class GroupReviewSchema(Schema):
    group = fields.Nested(GroupNameSchema)
    meeting_date = fields.Date()


class QualitySchema(Schema):
    organisation = fields.Nested(OrganisationRefSchema)
    complete = fields.Boolean(
        metadata={
            "description": "True when the reader sees every live project (the owner, admins); "
            "otherwise the report covers only the projects the reader may see"
        }
    )
    as_of = fields.Date()
    projects = fields.Integer()
    score = fields.Integer(allow_none=True, metadata={"description": "0-100; null: no projects"})
    parts = fields.List(fields.Nested(ScorePartSchema))
    fields_ = fields.List(fields.Nested(FieldSchema), data_key="fields")
    placeholders = fields.List(fields.Nested(PlaceholderSchema))
    stale = fields.List(fields.Nested(StaleSchema))
    codes = fields.List(fields.Nested(CodeProblemSchema))
    suggestions = fields.List(fields.Nested(SuggestionSchema))
    reviews = fields.List(fields.Nested(GroupReviewSchema))
