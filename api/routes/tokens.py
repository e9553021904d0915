"""Issuing API tokens (admins); publishers usually get theirs from `ecosystem token issue`."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import current_principal
from api.db import transaction
from api.schemas.common import problems
from api.schemas.operations import TokenRequestSchema, TokenSchema
from ecosystem.services import tokens

blp = Blueprint("tokens", __name__, url_prefix="/api/v1", description="Adgang / Access")


@blp.route("/tokens", methods=["POST"])
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@problems(blp, 401, 403, 404, 422)
def issue(request: dict[str, Any]) -> dict[str, Any]:
    """Issue a token for an organisation or the admin role (admin); shown once"""
    organisation = request.get("organisation")
    with transaction() as uow:
        token = tokens.issue_token(
            uow,
            current_principal(),
            organisation,
            admin=request["admin"],
            label=request.get("label"),
        )
    return {"token": token, "organisation": organisation, "admin": request["admin"]}
