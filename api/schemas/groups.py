"""Thematic groups and their analyses: query arguments, groups, gaps, candidates, balance.

The group document itself is validated by the core's ``GroupSchema`` (the seed loader
reads it too); here are the shapes only the HTTP API has.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate
from webargs.fields import DelimitedList

from api.schemas.common import PageArgs, codes
from api.schemas.deliberately_not import OptOutOutSchema
from api.schemas.projects import RevisionSchema
from api.tabular import FORMATS
from ecosystem.gaps import Severity
from ecosystem.groups import GroupSchema, Mandate
from ecosystem.model import Stage
from ecosystem.safe_text import Text

__all__ = [
    "AdHocCandidateArgs",
    "AdHocGapArgs",
    "BalanceSchema",
    "CandidateArgs",
    "CandidateListSchema",
    "CandidateOutSchema",
    "FormatArgs",
    "GapArgs",
    "GapOutSchema",
    "GapReportSchema",
    "GroupDetailSchema",
    "GroupListArgs",
    "GroupOutSchema",
    "GroupProjectsArgs",
    "GroupProjectsSchema",
    "MandateArgs",
    "RoutingArgs",
    "RoutingSchema",
    "mandate_of",
]

# --- request shapes ------------------------------------------------------------------------


class FormatArgs(Schema):
    format = Text(
        load_default="json",
        validate=validate.OneOf(FORMATS),
        metadata={"description": "json (default), csv (Danish Excel) or xlsx."},
    )


class MandateArgs(FormatArgs):
    theme = codes("Theme codes (a theme covers its sub-themes). None: every theme.")
    target_group = codes("Target-group codes. None: every target group.")
    area = codes("Area codes (a council covers its municipalities). None: Denmark.")
    goal_set = codes("Goal sets whose goals to follow.")
    goal = codes("Goal codes to follow.")


def mandate_of(args: dict[str, Any]) -> Mandate:
    """The ad hoc mandate of parsed :class:`MandateArgs` (each code once, in order)."""
    return Mandate(
        themes=tuple(dict.fromkeys(args["theme"])),
        target_groups=tuple(dict.fromkeys(args["target_group"])),
        areas=tuple(dict.fromkeys(args["area"])),
        goal_sets=tuple(dict.fromkeys(args["goal_set"])),
        goals=tuple(dict.fromkeys(args["goal"])),
    )


class GapArgs(FormatArgs):
    severity = DelimitedList(
        Text(validate=validate.OneOf([s.value for s in Severity])),
        load_default=list,
        metadata={"description": "Only gaps of these severities (high, medium, low)."},
    )


class AdHocGapArgs(MandateArgs, GapArgs):
    pass


class CandidateArgs(FormatArgs):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=2000))
    adopter = Text(
        load_default=None,
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "An organisation id or an area code: only the candidates it could "
            "take up, ranked by their fit to it (each candidate gets `fit` and `adopter`). "
            "On /scaling-candidates without `area`, the adopter's own areas are searched."
        },
    )


class AdHocCandidateArgs(MandateArgs, CandidateArgs):
    pass


class GroupListArgs(Schema):
    demo = fields.Boolean(metadata={"description": "Only demo groups (true) or only real (false)."})


class GroupProjectsArgs(FormatArgs, PageArgs):
    stage = DelimitedList(
        Text(validate=validate.OneOf([s.value for s in Stage])), load_default=list
    )


class RoutingArgs(FormatArgs):
    limit = fields.Integer(
        load_default=200,
        validate=validate.Range(min=1, max=20_000),
        metadata={"description": "At most this many projects per list (totals are given)."},
    )
    list = Text(
        load_default="uncovered",
        validate=validate.OneOf(["uncovered", "several"]),
        metadata={"description": "Which list to export with format=csv or xlsx."},
    )


# --- response shapes -----------------------------------------------------------------------

REF = "id, external_id, title, stage, organisation {id, name, kind}, themes, target_groups, areas"


class GroupOutSchema(GroupSchema):
    revision = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class GroupDetailSchema(GroupOutSchema):
    revisions = fields.List(fields.Nested(RevisionSchema), dump_only=True)


class GapOutSchema(Schema):
    id = Text()
    kind = Text(
        metadata={
            "description": "theme_area, theme_target_group, goal_uncovered, goal_single_kind, "
            "pipeline_no_early, pipeline_no_late or public_value"
        }
    )
    severity = Text(metadata={"description": "high, medium or low"})
    severity_reason = Text(metadata={"description": "Why that severity, in words (Danish)"})
    severity_reason_en = Text()
    explanation = Text(metadata={"description": "Danish"})
    explanation_en = Text()
    subject = Text(metadata={"description": "What is missing, in a few words (Danish)"})
    subject_en = Text()
    theme = Text(allow_none=True)
    area = Text(allow_none=True)
    areas = fields.List(
        Text(), metadata={"description": "Every area the line lists (one line per theme)"}
    )
    target_group = Text(allow_none=True)
    goal = Text(allow_none=True)
    dimension = Text(allow_none=True)
    projects = fields.List(fields.Dict(), metadata={"description": f"The slice's own: {REF}"})
    projects_total = fields.Integer()
    finding = Text(
        allow_none=True,
        metadata={
            "description": "Without tagged local work: not_tagged (no project tagged) or "
            "not_found (nor named in any project text)"
        },
    )
    finding_label = Text(allow_none=True)
    finding_label_en = Text(allow_none=True)
    inferred_projects = fields.List(
        fields.Dict(),
        metadata={"description": f"Of projects, those counted from their text: {REF}"},
    )
    national_projects = fields.List(fields.Dict(), metadata={"description": REF})
    nearest = fields.List(
        fields.Dict(), metadata={"description": "{project, proximity}: nearest existing projects"}
    )


class OptedOutGapSchema(GapOutSchema):
    """A gap nobody works on on purpose: the line, and the "fravalgt" entries behind it."""

    opted_out = fields.List(
        fields.Nested(OptOutOutSchema),
        metadata={"description": "The group's entry, or one of each organisation concerned"},
    )
    opted_out_label = Text(metadata={"description": "Fravalgt: <reason> (<who>, <date>); …"})
    opted_out_label_en = Text()


class GapReportSchema(Schema):
    gaps = fields.List(fields.Nested(GapOutSchema), metadata={"description": "The open gaps"})
    deliberately_not = fields.List(
        fields.Nested(OptedOutGapSchema),
        metadata={
            "description": "Gaps the group, or every organisation concerned, chose not to work "
            "on (fravalgt), kept apart from the open gaps"
        },
    )
    mandate = fields.Dict()
    matrices = fields.Dict(
        metadata={"description": "theme_area and theme_target_group cells with project ids"}
    )
    pipeline = fields.List(fields.Dict())
    goals = fields.List(fields.Dict())
    public_value = fields.List(fields.Dict())
    summary = fields.Dict()


class CandidateOutSchema(Schema):
    rank = fields.Integer()
    project = fields.Dict(metadata={"description": REF})
    reasons = fields.List(fields.Dict(), metadata={"description": "{kind, text, text_en, points}"})
    evidence = fields.Dict(metadata={"description": "summary, outcome, url"})
    adopters = fields.List(
        fields.Dict(),
        metadata={
            "description": "{organisation, areas, need, reason, reason_en, reasons, "
            "reasons_en, starting, opted_out}: who lacks it and needs it, the one sentence "
            "why first; an organisation whose fravalgt entries (ids in opted_out) cover the "
            "candidate comes last, 'Har fravalgt det: …' as its reason"
        },
    )
    score = fields.Integer()
    fit = fields.Dict(
        metadata={
            "description": "Only with `adopter`: {points, obvious, factors: [{kind (gap, "
            "starting, target_group, evidence, maturity, nearby), points, text, text_en}]}"
        }
    )
    adopter = fields.Dict(
        metadata={"description": "Only with `adopter`: the adopter's own entry of `adopters`"}
    )


class CandidateListSchema(Schema):
    candidates = fields.List(fields.Nested(CandidateOutSchema))
    mandate = fields.Dict()
    summary = fields.Dict()
    adopter = fields.Dict(
        metadata={"description": "Only with `adopter`: {id, name, kind} of whom it ranks for"}
    )


class BalanceSchema(Schema):
    quadrants = fields.List(fields.Dict())
    not_assessed = fields.List(fields.Integer())
    attribution = Text()
    attribution_en = Text()
    pipeline = fields.List(fields.Dict())
    pipeline_notes = fields.List(fields.Dict())
    care_levels = fields.List(fields.Dict())
    development_types = fields.List(fields.Dict())
    funding = fields.List(fields.Dict())
    ambition = fields.List(fields.Dict())
    projects = fields.List(
        fields.Dict(),
        metadata={
            "description": "Every project once: id, title, organisation, stage, value_score, "
            "risk_score, value_rationale, risk_rationale, quadrant"
        },
    )
    organisations = fields.List(fields.Dict(), metadata={"description": "id, name, kind"})
    summary = fields.Dict()


class GroupProjectsSchema(Schema):
    items = fields.List(fields.Dict(), metadata={"description": "Project cards with 'coverage'"})
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class RoutingSchema(Schema):
    uncovered = fields.List(fields.Dict())
    several = fields.List(fields.Dict())
    groups = fields.List(fields.Dict())
    summary = fields.Dict()
