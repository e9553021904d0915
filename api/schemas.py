"""Request and response shapes of the HTTP API (the portfolio document lives in the core)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from webargs.fields import DelimitedList

from ecosystem.model import OrgKind, Stage
from ecosystem.portfolio import DESCRIPTION_MAX, TITLE_MAX, PartnerSchema, ProjectSchema
from ecosystem.reference_schemas import (
    AreaSchema,
    GoalSchema,
    GoalSetSchema,
    OrganisationSchema,
    TargetGroupSchema,
    ThemeSchema,
)

__all__ = [
    "AreaSchema",
    "GoalSchema",
    "GoalSetSchema",
    "HealthSchema",
    "OrganisationSchema",
    "PageArgs",
    "PortfolioOutSchema",
    "ProjectListSchema",
    "ProjectOutSchema",
    "ProjectQueryArgs",
    "PublishResultSchema",
    "RevisionSchema",
    "TargetGroupSchema",
    "ThemeSchema",
    "TokenRequestSchema",
    "TokenSchema",
]

CODE = validate.Length(min=1, max=64)


class MomentField(fields.Field[dt.datetime]):
    """A moment in time: an ISO datetime, or a date meaning the end of that day (UTC)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.datetime:
        if not isinstance(value, str):
            raise ValidationError("Not a valid date or datetime.")
        try:
            if len(value) == 10:
                day = dt.date.fromisoformat(value)
                return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as error:
            raise ValidationError("Not a valid date or datetime (ISO 8601).") from error
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def _codes(description: str) -> DelimitedList:
    return DelimitedList(
        fields.String(validate=CODE), metadata={"description": description}, load_default=()
    )


class ProjectQueryArgs(PageArgs):
    organisation = _codes("Owning organisation ids, comma-separated.")
    organisation_kind = DelimitedList(
        fields.String(validate=validate.OneOf([k.value for k in OrgKind])), load_default=()
    )
    theme = _codes("Theme codes; a theme matches its sub-themes.")
    target_group = _codes("Target-group codes.")
    area = _codes(
        "Area codes; an area matches everything inside it (a council its municipalities)."
    )
    goal = _codes("Goal codes.")
    stage = DelimitedList(
        fields.String(validate=validate.OneOf([s.value for s in Stage])), load_default=()
    )
    q = fields.String(validate=validate.Length(max=500), metadata={"description": "Free text."})
    updated_since = MomentField()
    as_of = MomentField(metadata={"description": "Read the state at this moment (history)."})
    include_withdrawn = fields.Boolean(load_default=False)
    demo = fields.Boolean(metadata={"description": "Only demo (true) or only real (false)."})


class AsOfArgs(Schema):
    as_of = MomentField()


class OrganisationRefSchema(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()


class CardSchema(ProjectSchema):
    """A project card as stored: dates are already ISO strings."""

    class Meta:
        ordered = True

    start_date = fields.String(metadata={"format": "date"})  # type: ignore[assignment]
    end_date = fields.String(metadata={"format": "date"})  # type: ignore[assignment]
    last_reviewed = fields.String(metadata={"format": "date"})  # type: ignore[assignment]


class PortfolioOutSchema(Schema):
    """A portfolio read back: the same document format that is published."""

    organisation = fields.String()
    projects = fields.List(fields.Nested(CardSchema))


class ProjectOutSchema(CardSchema):
    """A published project: the card as published plus what the service knows about it."""

    id = fields.Integer(dump_only=True)
    organisation = fields.Nested(OrganisationRefSchema, dump_only=True)
    revision = fields.Integer(dump_only=True)
    withdrawn = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class RevisionSchema(Schema):
    number = fields.Integer()
    action = fields.String(metadata={"description": "created, updated, withdrawn or restored"})
    actor = fields.String()
    created_at = fields.DateTime()
    changed_fields = fields.List(fields.String())
    data = fields.Dict()


class ProjectDetailSchema(ProjectOutSchema):
    revisions = fields.List(fields.Nested(RevisionSchema), dump_only=True)


class ProjectListSchema(Schema):
    items = fields.List(fields.Nested(ProjectOutSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class PublishResultSchema(Schema):
    organisation = fields.String()
    created = fields.List(fields.String())
    updated = fields.List(fields.String())
    unchanged = fields.List(fields.String())
    withdrawn = fields.List(fields.String())


class HealthSchema(Schema):
    status = fields.String()
    database = fields.String()
    schema_revision = fields.String(allow_none=True)
    schema_head = fields.String(allow_none=True)
    catalog_version = fields.Integer()


class TokenRequestSchema(Schema):
    organisation = fields.String(validate=CODE)
    admin = fields.Boolean(load_default=False)
    label = fields.String(validate=validate.Length(max=200))


class TokenSchema(Schema):
    token = fields.String(metadata={"description": "Shown once; only its hash is stored."})
    organisation = fields.String(allow_none=True)
    admin = fields.Boolean()


class DraftSchema(Schema):
    """A draft project to check before starting; never stored. Only title and description are required."""

    class Meta:
        unknown = RAISE

    title = fields.String(required=True, validate=validate.Length(min=1, max=TITLE_MAX))
    description = fields.String(required=True, validate=validate.Length(min=1, max=DESCRIPTION_MAX))
    organisation = fields.String(
        validate=CODE,
        metadata={"description": "Whose draft it is (default: the token's organisation)."},
    )
    themes = fields.List(fields.String(validate=CODE), load_default=list)
    target_groups = fields.List(fields.String(validate=CODE), load_default=list)
    areas = fields.List(fields.String(validate=CODE), load_default=list)
    goals = fields.List(fields.String(validate=CODE), load_default=list)
    partners = fields.List(fields.Nested(PartnerSchema), load_default=list)
    stage = fields.String(validate=validate.OneOf([s.value for s in Stage]))
    start_date = fields.Date()
    end_date = fields.Date()

    @validates_schema
    def _has_words(self, data: dict[str, Any], **_: Any) -> None:
        if not any(ch.isalnum() for ch in data.get("title", "") + data.get("description", "")):
            raise ValidationError(
                "Title and description contain no words.", field_name="description"
            )


class CheckArgs(Schema):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))
    include_own = fields.Boolean(
        load_default=False,
        metadata={"description": "Also list the asking organisation's own projects."},
    )


class SharedTermSchema(Schema):
    term = fields.String()
    weight = fields.Float()


class CodeLabelSchema(Schema):
    code = fields.String()
    label = fields.String()


class MatchSchema(Schema):
    project = fields.Dict(
        metadata={"description": "id, title, organisation, stage, areas, contact"}
    )
    score = fields.Float()
    relation = fields.String(
        metadata={"description": "duplicate, parallel, sequential or complementary"}
    )
    relation_label = fields.String()
    relation_label_en = fields.String()
    text_score = fields.Float()
    shared_terms = fields.List(fields.Nested(SharedTermSchema))
    shared_themes = fields.List(fields.Nested(CodeLabelSchema))
    shared_target_groups = fields.List(fields.Nested(CodeLabelSchema))
    geography = fields.String()
    partner_link = fields.String(allow_none=True)
    reasons = fields.List(fields.String(), metadata={"description": "Danish"})
    reasons_en = fields.List(fields.String())


class HiddenMatchSchema(Schema):
    message = fields.String()
    message_en = fields.String()
    organisation_kind = fields.String()
    regions = fields.List(fields.String())
    relation = fields.String()


class CheckResultSchema(Schema):
    matches = fields.List(fields.Nested(MatchSchema))
    hidden = fields.List(fields.Nested(HiddenMatchSchema))
    catalog_version = fields.Integer()


class OverlapReportArgs(Schema):
    area = DelimitedList(fields.String(validate=CODE), load_default=())
    theme = DelimitedList(fields.String(validate=CODE), load_default=())
    organisation = DelimitedList(fields.String(validate=CODE), load_default=())
    relation = DelimitedList(
        fields.String(
            validate=validate.OneOf(["duplicate", "parallel", "sequential", "complementary"])
        ),
        load_default=(),
    )
    min_score = fields.Float(load_default=0.0, validate=validate.Range(min=0, max=1))
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv", "xlsx"]))


class PairSchema(Schema):
    a = fields.Dict()
    b = fields.Dict()
    match = fields.Nested(MatchSchema)


class ClusterSchema(Schema):
    label = fields.String()
    projects = fields.List(fields.Dict())
    pairs = fields.Integer()


class OverlapReportSchema(Schema):
    pairs = fields.List(fields.Nested(PairSchema))
    clusters = fields.List(fields.Nested(ClusterSchema))
    total_pairs = fields.Integer()
