"""Reviews, decisions and responses: what is sent to open and decide, and what comes back.

Moments in review bodies are ISO 8601 text (``date-time``); a review's snapshot reuses
the group analyses' shapes (:mod:`api.schemas.groups`).
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as SchemaError

from api.schemas.common import CODE
from api.schemas.groups import (
    REF,
    BalanceSchema,
    CandidateOutSchema,
    GapOutSchema,
    OptedOutGapSchema,
)
from ecosystem.groups import MemberRole
from ecosystem.reviews import DecisionKind, FindingKind, ResponseKind
from ecosystem.safe_text import Text

__all__ = [
    "DecisionInSchema",
    "DecisionSchema",
    "PackArgs",
    "PackSchema",
    "RefreshListSchema",
    "ResponseInSchema",
    "ReviewHeaderSchema",
    "ReviewInSchema",
    "ReviewSchema",
    "SinceLastSchema",
    "ToDiscussSchema",
]

TEXT = validate.Length(min=1, max=5_000)
MOMENT = {"format": "date-time"}

# --- request shapes ------------------------------------------------------------------------


class ParticipantSchema(Schema):
    organisation = Text(required=True, validate=CODE)
    role = Text(required=True, validate=validate.OneOf([r.value for r in MemberRole]))


class ReviewInSchema(Schema):
    meeting_date = fields.Date(required=True)
    title = Text(validate=validate.Length(min=1, max=200))
    participants = fields.List(fields.Nested(ParticipantSchema), load_default=list)


class FindingSchema(Schema):
    kind = Text(required=True, validate=validate.OneOf([k.value for k in FindingKind]))
    projects = fields.List(fields.Integer(), load_default=list)
    gap = Text(validate=validate.Length(min=1, max=180))

    @validates_schema
    def _shape(self, data: dict[str, Any], **_: Any) -> None:
        kind = FindingKind(data["kind"])
        count = len(set(data.get("projects", ())))
        wanted = {FindingKind.OVERLAP: 2, FindingKind.SCALING_CANDIDATE: 1, FindingKind.PROJECT: 1}
        if kind in wanted and count != wanted[kind]:
            raise SchemaError(
                f"Angiv præcis {wanted[kind]} projekt(er) / Give exactly {wanted[kind]} project(s).",
                "projects",
            )
        if kind is FindingKind.CLUSTER and count < 2:
            raise SchemaError("Angiv mindst 2 projekter / Give at least 2 projects.", "projects")
        if kind is FindingKind.GAP and not data.get("gap"):
            raise SchemaError("Angiv hullets id / Give the gap's id.", "gap")


class DecisionInSchema(Schema):
    finding = fields.Nested(FindingSchema, required=True)
    kind = Text(required=True, validate=validate.OneOf([k.value for k in DecisionKind]))
    counterparts = fields.List(Text(validate=CODE), load_default=list)
    rationale = Text(required=True, validate=TEXT)

    @validates_schema
    def _counterparts(self, data: dict[str, Any], **_: Any) -> None:
        needs = {DecisionKind.COORDINATE, DecisionKind.MERGE, DecisionKind.SCALE}
        if DecisionKind(data["kind"]) in needs and not data.get("counterparts"):
            raise SchemaError(
                "Angiv med hvem eller hvortil (projekt-id, organisation eller område) / "
                "Say with whom or where to (project id, organisation or area).",
                "counterparts",
            )


class ResponseInSchema(Schema):
    response = Text(required=True, validate=validate.OneOf([r.value for r in ResponseKind]))
    comment = Text(load_default="", validate=validate.Length(max=5_000))
    organisation = Text(validate=CODE)


class PackArgs(Schema):
    format = Text(load_default="json", validate=validate.OneOf(["json", "xlsx"]))


# --- decisions -----------------------------------------------------------------------------


class DecisionResponseSchema(Schema):
    organisation = Text()
    response = Text(metadata={"description": "agreed, declined or in_dialogue"})
    response_label = Text()
    response_label_en = Text()
    comment = Text()
    actor = Text()
    created_at = Text(metadata=MOMENT)


class DecisionSchema(Schema):
    id = fields.Integer()
    review_id = fields.Integer()
    group_id = Text()
    finding_key = Text(metadata={"description": "e.g. overlap:3-7, gap:<id>, project:5"})
    finding = fields.Dict(metadata={"description": "The finding as sent: kind, projects, gap"})
    projects = fields.List(fields.Integer())
    owners = fields.List(Text(), metadata={"description": "Organisations that respond"})
    kind = Text()
    kind_label = Text()
    kind_label_en = Text()
    counterparts = fields.List(Text())
    rationale = Text()
    settles = fields.Boolean(metadata={"description": "Whether the finding is settled by it"})
    actor = Text()
    created_at = Text(metadata=MOMENT)
    responses = fields.List(fields.Nested(DecisionResponseSchema), metadata={"description": "All"})
    current_responses = fields.Dict(
        keys=Text(),
        values=Text(),
        metadata={"description": "organisation → its latest response"},
    )


# --- reviews -------------------------------------------------------------------------------


class ReviewHeaderSchema(Schema):
    id = fields.Integer()
    group_id = Text()
    title = Text()
    meeting_date = Text(metadata={"format": "date"})
    participants = fields.List(fields.Nested(ParticipantSchema))
    as_of = Text(metadata={**MOMENT, "description": "The moment the snapshot is of"})
    catalog_version = fields.Integer()
    group_revision = fields.Integer()
    actor = Text()
    created_at = Text(metadata=MOMENT)


class ReviewPairSchema(Schema):
    key = Text(metadata={"description": "overlap:<a>-<b>"})
    a = fields.Dict(metadata={"description": REF})
    b = fields.Dict(metadata={"description": REF})
    score = fields.Float()
    relation = Text()
    reasons = fields.List(Text())
    reasons_en = fields.List(Text())
    settled = fields.Boolean()


class SnapshotGapSchema(GapOutSchema):
    settled = fields.Boolean()


class SnapshotSchema(Schema):
    projects = fields.List(fields.Dict(), metadata={"description": f"Covered then: {REF}"})
    overlaps = fields.List(fields.Nested(ReviewPairSchema))
    gaps = fields.List(fields.Nested(SnapshotGapSchema))
    scaling_candidates = fields.List(fields.Nested(CandidateOutSchema))
    balance = fields.Nested(BalanceSchema)


class ReviewSchema(ReviewHeaderSchema):
    group = fields.Dict(metadata={"description": "The group's document when it was opened"})
    snapshot = fields.Nested(SnapshotSchema)
    decisions = fields.List(fields.Nested(DecisionSchema))


class StageChangeSchema(Schema):
    project = fields.Dict(metadata={"description": REF})
    before = Text()
    after = Text()


class ScoreChangeSchema(Schema):
    project = fields.Dict(metadata={"description": REF})
    field = Text(metadata={"description": "value_score or risk_score"})
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class SeverityChangeSchema(Schema):
    gap = Text()
    severity_before = Text()
    severity_after = Text()


class OverlapChangeSchema(Schema):
    change = Text(metadata={"description": "appeared or disappeared"})
    key = Text(metadata={"description": "overlap:<a>-<b>"})
    a = fields.Dict(metadata={"description": REF})
    b = fields.Dict(metadata={"description": REF})
    score = fields.Float()
    relation = Text()
    text = Text(metadata={"description": "The change in one sentence, by name (Danish)"})
    text_en = Text()


class GapChangeSchema(Schema):
    change = Text(metadata={"description": "opened, closed, opted_out (fravalgt) or severity"})
    gap = Text(metadata={"description": "The gap's id"})
    kind = Text()
    theme = Text(allow_none=True)
    target_group = Text(allow_none=True)
    areas = fields.List(Text())
    where = Text(metadata={"description": "Theme × target group × areas, by name (Danish)"})
    where_en = Text()
    severity_before = Text(allow_none=True, metadata={"description": "None: new"})
    severity_after = Text(allow_none=True, metadata={"description": "None: closed"})
    text = Text(metadata={"description": "The change in one sentence, by name (Danish)"})
    text_en = Text()
    opted_out_label = Text(metadata={"description": "opted_out only: Fravalgt: <reason> …"})
    opted_out_label_en = Text()


class ChangesSchema(Schema):
    new_projects = fields.List(fields.Dict(), metadata={"description": REF})
    withdrawn = fields.List(fields.Dict())
    left_mandate = fields.List(fields.Dict())
    stage_changes = fields.List(fields.Nested(StageChangeSchema))
    score_changes = fields.List(fields.Nested(ScoreChangeSchema))
    overlaps_appeared = fields.List(Text())
    overlaps_disappeared = fields.List(Text())
    gaps_opened = fields.List(Text())
    gaps_closed = fields.List(Text())
    gaps_opted_out = fields.List(
        Text(), metadata={"description": "Open at the previous review, fravalgt at this one"}
    )
    gaps_changed = fields.List(fields.Nested(SeverityChangeSchema))
    new_scaling_candidates = fields.List(fields.Dict())
    decisions = fields.List(fields.Nested(DecisionSchema))
    overlap_changes = fields.List(
        fields.Nested(OverlapChangeSchema), metadata={"description": "Each pair, by name"}
    )
    gap_changes = fields.List(
        fields.Nested(GapChangeSchema), metadata={"description": "Each gap, by name"}
    )


class SinceLastSchema(Schema):
    review = fields.Nested(ReviewHeaderSchema)
    previous = fields.Nested(ReviewHeaderSchema, allow_none=True)
    changes = fields.Nested(ChangesSchema, allow_none=True, metadata={"description": "None first"})


class AgendaItemSchema(Schema):
    key = Text()
    title = Text()
    title_en = Text()
    prompt = Text()
    prompt_en = Text()
    findings = fields.List(Text())


class PublicValueQuestionSchema(Schema):
    text = Text()
    text_en = Text()


class ToDiscussSchema(Schema):
    """One of the 3–7 items a pack opens with (rules: ecosystem.reviews.discuss, docs/reviews.md)."""

    kind = Text(
        metadata={"description": "overlap, gap, scaling_candidate or decision (in this order)"}
    )
    kind_label = Text(metadata={"description": "The kind's name in Danish"})
    kind_label_en = Text()
    key = Text(
        metadata={
            "description": "The finding: overlap:<a>-<b>, gap:<id>, scaling:<project id> or "
            "decision:<id>; the same key as in the lists and decisions"
        }
    )
    title = Text(metadata={"description": "What it is about, by name (Danish)"})
    title_en = Text()
    reason = Text(metadata={"description": "Why it is on the table, one sentence (Danish)"})
    reason_en = Text()
    projects = fields.List(fields.Integer(), metadata={"description": "The projects concerned"})


class PackSchema(Schema):
    to_discuss = fields.List(
        fields.Nested(ToDiscussSchema),
        metadata={"description": "3–7 items to discuss first (fewer only in a tiny slice)"},
    )
    review = fields.Nested(ReviewHeaderSchema)
    group = fields.Dict()
    previous = fields.Nested(ReviewHeaderSchema, allow_none=True)
    agenda = fields.List(fields.Nested(AgendaItemSchema))
    since_last = fields.Nested(ChangesSchema, allow_none=True)
    balance = fields.Nested(BalanceSchema)
    overlaps_to_discuss = fields.List(fields.Nested(ReviewPairSchema))
    settled = fields.List(fields.Nested(ReviewPairSchema))
    gaps = fields.List(fields.Nested(GapOutSchema))
    deliberately_not = fields.List(
        fields.Nested(OptedOutGapSchema),
        metadata={"description": "Gaps fravalgt in the register as it stood at the review"},
    )
    scaling_candidates = fields.List(fields.Nested(CandidateOutSchema))
    public_value_questions = fields.List(fields.Nested(PublicValueQuestionSchema))
    pending_decisions = fields.List(fields.Nested(DecisionSchema))
    projects = fields.List(fields.Dict(), metadata={"description": REF})


# --- before the meeting ----------------------------------------------------------------------


class NamedOrganisationSchema(Schema):
    id = Text()
    name = Text()


class StaleOrganisationSchema(Schema):
    organisation = fields.Nested(NamedOrganisationSchema)
    contacts = fields.List(Text(), metadata={"description": "E-mail addresses"})
    projects = fields.List(fields.Dict(), metadata={"description": f"{REF}, last_reviewed"})


class RefreshListSchema(Schema):
    group = Text()
    since = Text(allow_none=True, metadata={"format": "date"})
    organisations = fields.List(fields.Nested(StaleOrganisationSchema))
