"""API tokens: issued by admins, listed and revoked by admins and their organisations.

Publishers usually get theirs from `ecosystem token issue`. A token's secret is shown
only when it is issued; listings show its first characters.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from api.auth import current_principal
from api.db import transaction, unit_of_work
from api.parsing import Blueprint
from api.schemas.common import problems
from api.schemas.operations import IssuedTokenSchema, TokenRequestSchema, TokenSchema
from ecosystem.model import TokenInfo
from ecosystem.services import tokens

blp = Blueprint("tokens", __name__, url_prefix="/api/v1", description="Adgang / Access")


@blp.route("/tokens", methods=["POST"])
@blp.arguments(TokenRequestSchema)
@blp.response(201, IssuedTokenSchema)
@problems(blp, 401, 403, 404, 422)
def issue(request: dict[str, Any]) -> dict[str, Any]:
    """Issue a token for an organisation or the admin role (admin); shown once"""
    with transaction() as uow:
        issued = tokens.issue_token(
            uow,
            current_principal(),
            request.get("organisation"),
            admin=request["admin"],
            label=request.get("label"),
            expires_at=request.get("expires_at"),
        )
    return {**asdict(issued.info), "token": issued.secret}


@blp.route("/tokens", methods=["GET"])
@blp.response(200, TokenSchema(many=True))
@problems(blp, 401)
def list_tokens() -> list[TokenInfo]:
    """List tokens: all of them (admin) or your organisation's (never their secrets)"""
    return tokens.list_tokens(unit_of_work(), current_principal())


@blp.route("/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
@problems(blp, 401, 404)
def revoke(token_id: int) -> None:
    """Revoke a token (admin, or the token's own organisation); it stops working at once"""
    with transaction() as uow:
        tokens.revoke_token(uow, current_principal(), token_id)
