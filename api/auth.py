"""Who is calling: API tokens in the Authorization header (stored only as hashes)."""

from __future__ import annotations

from flask import g, request

from api.db import unit_of_work
from ecosystem.errors import AuthenticationRequired
from ecosystem.model import Principal
from ecosystem.services import tokens

__all__ = ["current_principal"]


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
        raise AuthenticationRequired("Use 'Authorization: Bearer <token>'.")
    principal = tokens.principal_for(unit_of_work(), token.strip())
    if principal is None:
        raise AuthenticationRequired("The token is unknown or revoked.")
    return principal
