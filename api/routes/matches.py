"""Matchmaking: an organisation's consent, its matches with other organisations, answers.

Both organisations must opt in (``PUT /organisations/{id}/matchmaking``; off by default)
before either is told of the other; a project can be kept out. A match is one record both
sides read and answer; a private project is only hinted at.
"""

from __future__ import annotations

from typing import Any

from api.auth import current_principal
from api.db import transaction, unit_of_work
from api.parsing import Blueprint
from api.presenters.matches import consent_view, match_view
from api.schemas.common import problems
from api.schemas.matches import (
    AnswerInSchema,
    MatchArgs,
    MatchmakingConsentInSchema,
    MatchmakingConsentSchema,
    MatchmakingSchema,
)
from ecosystem.matchmaking import Answer, NotRelevantBecause
from ecosystem.services import matches

blp = Blueprint(
    "matches",
    __name__,
    url_prefix="/api/v1",
    description="Match mellem organisationer, med samtykke / Matchmaking with consent",
)


@blp.route("/matches")
@blp.arguments(MatchArgs, location="query")
@blp.response(200, MatchmakingSchema(many=True))
@problems(blp, 401, 403, 404, 422)
def list_matches(args: dict[str, Any]) -> list[dict[str, Any]]:
    """The token's organisation's matches with other organisations' projects, newest first"""
    uow = unit_of_work()
    found = matches.inbox(uow, current_principal(), args.get("organisation"))
    reference = uow.reference.reference
    return [match_view(view, reference) for view in found]


@blp.route("/matches/<int:match_id>/answer", methods=["POST"])
@blp.arguments(AnswerInSchema)
@blp.response(201, MatchmakingSchema)
@problems(blp, 401, 403, 404, 422)
def answer_match(document: dict[str, Any], match_id: int) -> dict[str, Any]:
    """The organisation owning one side answers: interested, already in contact or not
    relevant, with a reason (an earlier answer is kept)"""
    with transaction() as uow:
        view = matches.answer(
            uow,
            current_principal(),
            match_id,
            said=Answer(document["answer"]),
            reason=document["reason"],
            because=NotRelevantBecause(document["because"]) if document.get("because") else None,
            organisation=document.get("organisation"),
        )
        reference = uow.reference.reference
    return match_view(view, reference)


@blp.route("/organisations/<string:organisation_id>/matchmaking")
@blp.response(200, MatchmakingConsentSchema)
@problems(blp, 401, 403, 404)
def get_consent(organisation_id: str) -> dict[str, Any]:
    """Whether the organisation takes part in matchmaking, and the projects it keeps out"""
    return consent_view(matches.consent(unit_of_work(), current_principal(), organisation_id))


@blp.route("/organisations/<string:organisation_id>/matchmaking", methods=["PUT"])
@blp.arguments(MatchmakingConsentInSchema)
@blp.response(200, MatchmakingConsentSchema)
@problems(blp, 401, 403, 404, 422)
def put_consent(document: dict[str, Any], organisation_id: str) -> dict[str, Any]:
    """Opt in or out of matchmaking (off by default) and name the projects kept out"""
    with transaction() as uow:
        found = matches.set_consent(
            uow,
            current_principal(),
            organisation_id,
            opted_in=document["opted_in"],
            excluded_projects=document["excluded_projects"],
        )
    return consent_view(found)
