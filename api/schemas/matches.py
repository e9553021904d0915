"""Matchmaking: an organisation's consent, its matches and its answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import CODE, OrganisationRefSchema
from ecosystem.matchmaking import Answer, NotRelevantBecause
from ecosystem.safe_text import Text

__all__ = [
    "AnswerInSchema",
    "MatchArgs",
    "MatchmakingConsentInSchema",
    "MatchmakingConsentSchema",
    "MatchmakingSchema",
]

MOMENT = {"format": "date-time"}
ANSWERS = [a.value for a in Answer]
REASON_KINDS = [b.value for b in NotRelevantBecause]

# --- consent ---------------------------------------------------------------------------------


class MatchmakingConsentInSchema(Schema):
    opted_in = fields.Boolean(
        required=True,
        truthy={True},
        falsy={False},
        metadata={"description": "Whether the organisation wants to be told of matches"},
    )
    excluded_projects = fields.List(
        Text(validate=validate.Length(min=1, max=100)),
        load_default=list,
        validate=validate.Length(max=10_000),
        metadata={"description": "External ids of projects kept out of matchmaking"},
    )


class MatchmakingConsentSchema(Schema):
    organisation = Text(attribute="organisation_id")
    opted_in = fields.Boolean()
    excluded_projects = fields.List(Text())


# --- matches ---------------------------------------------------------------------------------


class MatchArgs(Schema):
    organisation = Text(
        validate=CODE,
        metadata={"description": "Whose matches (admins only; default: the token's organisation)"},
    )


class AnswerInSchema(Schema):
    answer = Text(
        required=True,
        validate=validate.OneOf(ANSWERS),
        metadata={"description": "interested, in_contact (already in contact) or not_relevant"},
    )
    reason = Text(load_default="", validate=validate.Length(max=2_000))
    because = Text(
        validate=validate.OneOf(REASON_KINDS),
        metadata={
            "description": "With not_relevant only: why — different_intervention, "
            "different_target_group (later matches of the project must share a target group), "
            "different_place (… a region) or other"
        },
    )
    organisation = Text(validate=CODE, metadata={"description": "Admins: the answering side"})


class MatchProjectSchema(Schema):
    id = fields.Integer()
    external_id = Text()
    title = Text()
    organisation = fields.Nested(OrganisationRefSchema)
    withdrawn = fields.Boolean()


class MatchmakingHintSchema(Schema):
    message = Text()
    message_en = Text()


class MatchAnswerSchema(Schema):
    side = Text(metadata={"description": "own or other"})
    answer = Text()
    answer_label = Text()
    answer_label_en = Text()
    reason = Text()
    because = Text(allow_none=True)
    because_label = Text(allow_none=True)
    because_label_en = Text(allow_none=True)
    created_at = Text(metadata=MOMENT)


class MatchmakingSchema(Schema):
    id = fields.Integer()
    created_at = Text(metadata=MOMENT)
    organisation = Text(metadata={"description": "Whose view of the match this is"})
    own = fields.Nested(MatchProjectSchema)
    other = fields.Nested(
        MatchProjectSchema,
        allow_none=True,
        metadata={"description": "None when the other project is private (see other_hint)"},
    )
    other_hint = fields.Nested(MatchmakingHintSchema, allow_none=True)
    confidence = Text()
    confidence_label = Text()
    confidence_label_en = Text()
    relation = Text()
    relation_label = Text()
    relation_label_en = Text()
    reasons = fields.List(Text())
    reasons_en = fields.List(Text())
    shared_terms = fields.List(Text())
    highlights = fields.List(Text())
    own_answer = fields.Nested(MatchAnswerSchema, allow_none=True)
    other_answer = fields.Nested(MatchAnswerSchema, allow_none=True)
    answers = fields.List(fields.Nested(MatchAnswerSchema))
