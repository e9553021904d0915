"""Projects and portfolios: listing arguments, cards, revisions, publish results."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate
from webargs.fields import DelimitedList

from api.schemas.common import MomentField, OrganisationRefSchema, PageArgs, codes
from ecosystem.model import OrgKind, Stage
from ecosystem.portfolio import ProjectSchema
from ecosystem.query import ProjectQuery
from ecosystem.safe_text import Text

__all__ = [
    "AsOfArgs",
    "CardSchema",
    "PortfolioOutSchema",
    "ProjectDetailSchema",
    "ProjectListSchema",
    "ProjectOutSchema",
    "ProjectQueryArgs",
    "PublishResultSchema",
    "RevisionSchema",
    "project_query",
]


class ProjectQueryArgs(PageArgs):
    organisation = codes("Owning organisation ids, comma-separated.")
    organisation_kind = DelimitedList(
        Text(validate=validate.OneOf([k.value for k in OrgKind])), load_default=list
    )
    theme = codes("Theme codes; a theme matches its sub-themes.")
    target_group = codes("Target-group codes.")
    area = codes("Area codes; an area matches everything inside it (a council its municipalities).")
    goal = codes("Goal codes.")
    stage = DelimitedList(
        Text(validate=validate.OneOf([s.value for s in Stage])), load_default=list
    )
    q = Text(validate=validate.Length(max=500), metadata={"description": "Free text."})
    updated_since = MomentField()
    as_of = MomentField(metadata={"description": "Read the state at this moment (history)."})
    include_withdrawn = fields.Boolean(load_default=False)
    demo = fields.Boolean(metadata={"description": "Only demo (true) or only real (false)."})


def project_query(args: dict[str, Any]) -> ProjectQuery:
    """The core query for the listing's parsed query arguments (listing, exports, pages)."""
    return ProjectQuery(
        organisations=tuple(args.get("organisation", ())),
        organisation_kinds=tuple(args.get("organisation_kind", ())),
        themes=tuple(args.get("theme", ())),
        target_groups=tuple(args.get("target_group", ())),
        areas=tuple(args.get("area", ())),
        goals=tuple(args.get("goal", ())),
        stages=tuple(args.get("stage", ())),
        text=args.get("q"),
        updated_since=args.get("updated_since"),
        as_of=args.get("as_of"),
        include_withdrawn=args.get("include_withdrawn", False),
        demo=args.get("demo"),
    )


class AsOfArgs(Schema):
    as_of = MomentField()


class CardSchema(ProjectSchema):
    """A project card as stored: dates are already ISO strings."""

    class Meta:
        ordered = True

    start_date = Text(metadata={"format": "date"})  # type: ignore[assignment]
    end_date = Text(metadata={"format": "date"})  # type: ignore[assignment]
    funding_ends = Text(metadata={"format": "date"})  # type: ignore[assignment]
    last_reviewed = Text(metadata={"format": "date"})  # type: ignore[assignment]


class PortfolioOutSchema(Schema):
    """A portfolio read back: the same document format that is published."""

    organisation = Text()
    complete = fields.Boolean(
        metadata={"description": "Declared complete by the organisation (now, not as of)."}
    )
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
    action = Text(metadata={"description": "created, updated, withdrawn or restored"})
    actor = Text()
    created_at = fields.DateTime()
    changed_fields = fields.List(Text())
    data = fields.Dict()


class ProjectDetailSchema(ProjectOutSchema):
    revisions = fields.List(fields.Nested(RevisionSchema), dump_only=True)


class ProjectListSchema(Schema):
    items = fields.List(fields.Nested(ProjectOutSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class PublishResultSchema(Schema):
    organisation = Text()
    created = fields.List(Text())
    updated = fields.List(Text())
    unchanged = fields.List(Text())
    withdrawn = fields.List(Text())
