"""Overlap checks and the overlap report."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from webargs.fields import DelimitedList

from api.schemas.common import CODE
from ecosystem.model import Stage
from ecosystem.portfolio import DESCRIPTION_MAX, TITLE_MAX, PartnerSchema
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
        metadata={
            "description": "duplicate, parallel, sequential, part_of, complementary or related"
        }
    )
    relation_label = fields.String()
    relation_label_en = fields.String()
    confidence = fields.String(
        metadata={"description": "same (sikkert samme indsats), possible (muligvis), related"}
    )
    confidence_label = fields.String()
    confidence_label_en = fields.String()
    agreement = fields.Float(
        metadata={"description": "Text agreement: standard deviations above an ordinary project"}
    )
    semantic_score = fields.Float(
        allow_none=True, metadata={"description": "Cosine of the embeddings (None: words only)"}
    )
    text_score = fields.Float(metadata={"description": "Lexical (TF-IDF) similarity"})
    link = fields.String(
        allow_none=True, metadata={"description": "A typed link: merged_into, scales, part_of …"}
    )
    highlights = fields.List(
        fields.String(), metadata={"description": "The matched project's best-matching sentences"}
    )
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


class ComparisonSchema(Schema):
    semantic = fields.Boolean(metadata={"description": "Compared by meaning (embeddings)"})
    model = fields.String(allow_none=True)
    lexical_only = fields.Integer(
        metadata={"description": "Candidates compared by words only: their vector is not ready"}
    )
    note = fields.String(metadata={"description": "Danish"})
    note_en = fields.String()


class CheckResultSchema(Schema):
    matches = fields.List(fields.Nested(MatchSchema))
    hidden = fields.List(fields.Nested(HiddenMatchSchema))
    comparison = fields.Nested(ComparisonSchema)
    catalog_version = fields.Integer()


class OverlapReportArgs(Schema):
    area = DelimitedList(fields.String(validate=CODE), load_default=list)
    theme = DelimitedList(fields.String(validate=CODE), load_default=list)
    organisation = DelimitedList(fields.String(validate=CODE), load_default=list)
    relation = DelimitedList(
        fields.String(
            validate=validate.OneOf(
                ["duplicate", "parallel", "sequential", "part_of", "complementary", "related"]
            )
        ),
        load_default=list,
    )
    min_score = fields.Float(load_default=0.0, validate=validate.Range(min=0, max=1))
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv", "xlsx"]))


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
    label = fields.String()
    projects = fields.List(fields.Dict())
    pairs = fields.Integer()


class OverlapReportSchema(Schema):
    pairs = fields.List(fields.Nested(PairSchema))
    clusters = fields.List(fields.Nested(ClusterSchema))
    total_pairs = fields.Integer()
