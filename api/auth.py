"""Who is calling: API tokens in the Authorization header (stored only as hashes)."""

from __future__ import annotations

from flask import current_app, g, request

from api import throttle
from api.db import new_unit_of_work, unit_of_work
from ecosystem.errors import AuthenticationRequired
from ecosystem.model import Principal, TokenInfo
from ecosystem.services import tokens

__all__ = ["authenticated", "current_principal", "record_use"]


def current_principal() -> Principal:
    """The caller; anonymous when no token is sent, 401 when a sent token is not valid."""
    if "principal" not in g:
        g.principal = _from_header()
    return g.principal  # type: ignore[no-any-return]


def _from_header() -> Principal:
    header = request.headers.get("Authorization", "")
    if not header:
        return Principal()
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        throttle.check("token")
        throttle.failed("token")
        raise AuthenticationRequired("Use 'Authorization: Bearer <token>'.")
    return authenticated(secret.strip()).principal


def authenticated(secret: str) -> TokenInfo:
    """The token with this secret if it may be used now (its use recorded); 401 if not.

    429 instead when this address or this token has failed too often lately.
    """
    throttle.check("token", secret)
    try:
        found = tokens.authenticate(unit_of_work(), secret)
    except AuthenticationRequired:
        throttle.failed("token", secret)
        raise
    record_use(found)
    return found


def record_use(found: TokenInfo) -> None:
    """Write the token's last use, at most once a minute, in a transaction of its own.

    Its own, because the request's unit of work commits only what the view writes (and a
    read-only request never commits); a write lost to a busy database is not worth a 500.
    """
    if not tokens.use_is_due(found):
        return
    uow = new_unit_of_work(current_app)
    try:
        with uow:
            tokens.record_use(uow, found.id)
    except Exception:  # recording a use must never refuse the request itself
        if current_app.testing:
            raise
        current_app.logger.warning("could not record the use of token %s", found.id)
    finally:
        uow.close()
