"""Overlap checks and the overlap report."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from webargs.fields import DelimitedList

from api.schemas.common import CODE
from ecosystem.model import Stage
from ecosystem.portfolio import DESCRIPTION_MAX, TITLE_MAX, PartnerSchema
from ecosystem.safe_text import Text
from ecosystem.services.overlaps import ReportFilter

__all__ = [
    "CheckArgs",
    "CheckResultSchema",
    "DraftSchema",
    "OverlapReportArgs",
    "OverlapReportSchema",
    "report_filter",
]


class DraftSchema(Schema):
    """A draft project to check before starting; never stored. Only title and description are required."""

    class Meta:
        unknown = RAISE

    title = Text(required=True, validate=validate.Length(min=1, max=TITLE_MAX))
    description = Text(required=True, validate=validate.Length(min=1, max=DESCRIPTION_MAX))
    organisation = Text(
        validate=CODE,
        metadata={"description": "Whose draft it is (default: the token's organisation)."},
    )
    themes = fields.List(Text(validate=CODE), load_default=list)
    target_groups = fields.List(Text(validate=CODE), load_default=list)
    areas = fields.List(Text(validate=CODE), load_default=list)
    goals = fields.List(Text(validate=CODE), load_default=list)
    partners = fields.List(fields.Nested(PartnerSchema), load_default=list)
    stage = Text(validate=validate.OneOf([s.value for s in Stage]))
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
    term = Text()
    weight = fields.Float()


class CodeLabelSchema(Schema):
    code = Text()
    label = Text()


class MatchSchema(Schema):
    project = fields.Dict(
        metadata={"description": "id, title, organisation, stage, areas, contact"}
    )
    score = fields.Float()
    relation = Text(
        metadata={
            "description": "duplicate, parallel, sequential, part_of, complementary or related"
        }
    )
    relation_label = Text()
    relation_label_en = Text()
    confidence = Text(
        metadata={"description": "same (sikkert samme indsats), possible (muligvis), related"}
    )
    confidence_label = Text()
    confidence_label_en = Text()
    agreement = fields.Float(
        metadata={"description": "Text agreement: standard deviations above an ordinary project"}
    )
    semantic_score = fields.Float(
        allow_none=True, metadata={"description": "Cosine of the embeddings (None: words only)"}
    )
    text_score = fields.Float(metadata={"description": "Lexical (TF-IDF) similarity"})
    link = Text(
        allow_none=True, metadata={"description": "A typed link: merged_into, scales, part_of …"}
    )
    highlights = fields.List(
        Text(), metadata={"description": "The matched project's best-matching sentences"}
    )
    shared_terms = fields.List(fields.Nested(SharedTermSchema))
    shared_themes = fields.List(fields.Nested(CodeLabelSchema))
    shared_target_groups = fields.List(fields.Nested(CodeLabelSchema))
    geography = Text()
    partner_link = Text(allow_none=True)
    reasons = fields.List(Text(), metadata={"description": "Danish"})
    reasons_en = fields.List(Text())


class HiddenMatchSchema(Schema):
    message = Text()
    message_en = Text()
    organisation_kind = Text()
    regions = fields.List(Text())
    relation = Text()


class ComparisonSchema(Schema):
    semantic = fields.Boolean(metadata={"description": "Compared by meaning (embeddings)"})
    model = Text(allow_none=True)
    lexical_only = fields.Integer(
        metadata={"description": "Candidates compared by words only: their vector is not ready"}
    )
    note = Text(metadata={"description": "Danish"})
    note_en = Text()


class CheckResultSchema(Schema):
    matches = fields.List(fields.Nested(MatchSchema))
    hidden = fields.List(fields.Nested(HiddenMatchSchema))
    comparison = fields.Nested(ComparisonSchema)
    catalog_version = fields.Integer()


class OverlapReportArgs(Schema):
    area = DelimitedList(Text(validate=CODE), load_default=list)
    theme = DelimitedList(Text(validate=CODE), load_default=list)
    organisation = DelimitedList(Text(validate=CODE), load_default=list)
    relation = DelimitedList(
        Text(
            validate=validate.OneOf(
                ["duplicate", "parallel", "sequential", "part_of", "complementary", "related"]
            )
        ),
        load_default=list,
    )
    min_score = fields.Float(load_default=0.0, validate=validate.Range(min=0, max=1))
    format = Text(load_default="json", validate=validate.OneOf(["json", "csv", "xlsx"]))


def report_filter(args: dict[str, Any]) -> ReportFilter:
    """The report's selection for its parsed query arguments."""
    return ReportFilter(
        areas=tuple(args["area"]),
        themes=tuple(args["theme"]),
        organisations=tuple(args["organisation"]),
        relations=tuple(args["relation"]),
        min_score=args["min_score"],
    )


class PairSchema(Schema):
    a = fields.Dict()
    b = fields.Dict()
    match = fields.Nested(MatchSchema)


class ClusterSchema(Schema):
    label = Text()
    projects = fields.List(fields.Dict())
    pairs = fields.Integer()


class OverlapReportSchema(Schema):
    pairs = fields.List(fields.Nested(PairSchema))
    clusters = fields.List(fields.Nested(ClusterSchema))
    total_pairs = fields.Integer()
