"""Decisions of a group's review and the owning organisations' responses.

A decision is tied to a finding of the review and never changes another organisation's
data; the organisations owning its projects answer. Both sides see a decision about a
project, as long as they may see all its projects.
"""

from __future__ import annotations

from typing import Any

from api.auth import current_principal
from api.db import transaction, unit_of_work
from api.parsing import Blueprint
from api.presenters.reviews import decision_view
from api.schemas.common import problems
from api.schemas.reviews import DecisionInSchema, DecisionSchema, ResponseInSchema
from ecosystem.reviews import DecisionKind, ResponseKind
from ecosystem.services import decisions

blp = Blueprint(
    "decisions",
    __name__,
    url_prefix="/api/v1",
    description="Beslutninger og svar / Decisions and responses",
)


@blp.route("/reviews/<int:review_id>/decisions", methods=["POST"])
@blp.arguments(DecisionInSchema)
@blp.response(201, DecisionSchema)
@problems(blp, 401, 403, 404, 422)
def record_decision(document: dict[str, Any], review_id: int) -> dict[str, Any]:
    """Record what the group recommends about a finding of the review"""
    with transaction() as uow:
        decision = decisions.record_decision(
            uow,
            current_principal(),
            review_id,
            finding=document["finding"],
            kind=DecisionKind(document["kind"]),
            counterparts=document["counterparts"],
            rationale=document["rationale"],
        )
    return decision_view(decision)


@blp.route("/decisions/<int:decision_id>")
@blp.response(200, DecisionSchema)
@problems(blp, 401, 404)
def get_decision(decision_id: int) -> dict[str, Any]:
    """One decision with every response"""
    return decision_view(decisions.get_decision(unit_of_work(), current_principal(), decision_id))


@blp.route("/decisions/<int:decision_id>/responses", methods=["POST"])
@blp.arguments(ResponseInSchema)
@blp.response(201, DecisionSchema)
@problems(blp, 401, 403, 404, 422)
def respond(document: dict[str, Any], decision_id: int) -> dict[str, Any]:
    """The owning organisation answers: agreed, declined or in dialogue, with a comment"""
    with transaction() as uow:
        decision = decisions.respond(
            uow,
            current_principal(),
            decision_id,
            response=ResponseKind(document["response"]),
            comment=document["comment"],
            organisation=document.get("organisation"),
        )
    return decision_view(decision)


@blp.route("/projects/<int:project_id>/decisions")
@blp.response(200, DecisionSchema(many=True))
@problems(blp, 401, 404)
def project_decisions(project_id: int) -> list[dict[str, Any]]:
    """Every decision about a project and the owner's responses (both sides see them)"""
    found = decisions.project_decisions(unit_of_work(), current_principal(), project_id)
    return [decision_view(d) for d in found]
