"""Who is calling: API tokens in the Authorization header (stored only as hashes)."""

from __future__ import annotations

from flask import g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from api.db import session
from ecosystem.model import Principal
from ecosystem.store.tokens import principal_for

__all__ = ["actor_name", "current_principal", "require_admin", "require_writer"]


def current_principal() -> Principal:
    """The caller; anonymous when no token is sent, 401 when a sent token is not valid."""
    if "principal" not in g:
        g.principal = _from_header()
    return g.principal  # type: ignore[no-any-return]


def _from_header() -> Principal:
    header = request.headers.get("Authorization", "")
    if not header:
        return Principal()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("Use 'Authorization: Bearer <token>'.")
    principal = principal_for(session(), token.strip())
    if principal is None:
        raise _unauthorized("The token is unknown or revoked.")
    return principal


def _unauthorized(description: str) -> Unauthorized:
    return Unauthorized(
        description, www_authenticate=WWWAuthenticate("Bearer", {"realm": "ecosystem"})
    )


def require_writer(organisation_id: str) -> Principal:
    """The caller, if it may publish for ``organisation_id``; 401 or 403 otherwise."""
    principal = current_principal()
    if not principal.is_authenticated:
        raise _unauthorized("Publishing requires a token.")
    if not principal.can_write_for(organisation_id):
        raise Forbidden(f"This token may not publish for {organisation_id!r}.")
    return principal


def require_admin() -> Principal:
    principal = current_principal()
    if not principal.is_authenticated:
        raise _unauthorized("This requires an admin token.")
    if not principal.is_admin:
        raise Forbidden("This requires an admin token.")
    return principal


def actor_name(principal: Principal) -> str:
    """How the history names who made a change."""
    return "admin" if principal.is_admin else f"org:{principal.organisation_id}"
