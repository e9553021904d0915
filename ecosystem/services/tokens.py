"""API tokens: issued once in clear text, stored only as hashes; listed, revoked, expired.

Who may see and revoke a token: an admin any token, an organisation's token the tokens
of its own organisation. To anybody else a token does not exist (404), so that ids
cannot be probed.
"""

from __future__ import annotations

import datetime as dt

from ecosystem.errors import AuthenticationRequired, FieldError, InvalidInput, NotFound
from ecosystem.model import Principal, TokenInfo
from ecosystem.services.permissions import require_admin, signed_in
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import tokens as store
from ecosystem.store.tables import utcnow
from ecosystem.store.tokens import IssuedToken

__all__ = [
    "USE_RECORDED_EVERY",
    "IssuedToken",
    "authenticate",
    "end_page_session",
    "issue_token",
    "list_tokens",
    "open_page_session",
    "page_session",
    "principal_for",
    "record_use",
    "revoke_token",
    "token",
    "use_is_due",
]

# A token's last use is written at most this often, not on every request.
USE_RECORDED_EVERY = dt.timedelta(minutes=1)

UNKNOWN = "The token is unknown or revoked."
EXPIRED = "The token has expired."


def issue_token(
    uow: UnitOfWork,
    principal: Principal,
    organisation_id: str | None = None,
    *,
    admin: bool = False,
    label: str | None = None,
    expires_at: dt.datetime | None = None,
) -> IssuedToken:
    """A new token for an organisation or the admin role (admins only); shown once."""
    require_admin(principal)
    if expires_at is not None and expires_at <= utcnow():
        raise InvalidInput(
            "The expiry is in the past; nothing was written.",
            [FieldError("expires_at", "Udløbet skal ligge i fremtiden / Must be in the future.")],
        )
    return store.issue(
        uow.session, organisation_id, admin=admin, label=label, expires_at=expires_at
    )


def list_tokens(uow: UnitOfWork, principal: Principal) -> list[TokenInfo]:
    """Every token for an admin; an organisation's own tokens for its token."""
    signed_in(principal)
    scope = None if principal.is_admin else principal.organisation_id
    return store.list_tokens(uow.session, scope)


def token(uow: UnitOfWork, principal: Principal, token_id: int) -> TokenInfo:
    """One token the principal may see; :class:`NotFound` for any other."""
    signed_in(principal)
    found = store.get_token(uow.session, token_id)
    if found is None or not (
        principal.is_admin or found.organisation_id == principal.organisation_id
    ):
        raise NotFound(f"No token {token_id}.")
    return found


def revoke_token(uow: UnitOfWork, principal: Principal, token_id: int) -> TokenInfo:
    """Revoke a token the principal may see; it stops working at once, in pages too."""
    token(uow, principal, token_id)
    return store.revoke_token(uow.session, token_id, utcnow())


def authenticate(uow: UnitOfWork, secret: str) -> TokenInfo:
    """The token with this secret, if it may be used now; :class:`AuthenticationRequired` if not."""
    found = store.find_token(uow.session, secret)
    if found is None or found.revoked_at is not None:
        raise AuthenticationRequired(UNKNOWN)
    if found.is_expired(utcnow()):
        raise AuthenticationRequired(EXPIRED)
    return found


def principal_for(uow: UnitOfWork, secret: str) -> Principal | None:
    """The principal a token stands for, or None when it is unknown, revoked or expired."""
    return store.principal_for(uow.session, secret)


def use_is_due(found: TokenInfo) -> bool:
    """Whether this use should be written down (the last one is older than a minute)."""
    last = found.last_used_at
    return last is None or utcnow() - last >= USE_RECORDED_EVERY


def record_use(uow: UnitOfWork, token_id: int) -> bool:
    """Write down that the token was used now, unless another request just did."""
    return store.touch_token(uow.session, token_id, utcnow(), USE_RECORDED_EVERY)


def open_page_session(
    uow: UnitOfWork, secret: str, lifetime: dt.timedelta
) -> tuple[TokenInfo, str]:
    """Sign in on the pages with a token: the token, and the new session's secret.

    Sessions older than ``lifetime`` are forgotten on the way, so the table stays small.
    """
    found = authenticate(uow, secret)
    now = utcnow()
    store.end_old_page_sessions(uow.session, now - lifetime)
    return found, store.open_page_session(uow.session, found.id, now)


def page_session(uow: UnitOfWork, session_secret: str, lifetime: dt.timedelta) -> TokenInfo | None:
    """The token behind a page session, if the session is live and the token usable now."""
    now = utcnow()
    found = store.page_session_token(uow.session, session_secret, now - lifetime)
    return found if found is not None and found.is_usable(now) else None


def end_page_session(uow: UnitOfWork, session_secret: str) -> None:
    """Sign out: the session is gone on the server, so a copied cookie no longer works."""
    store.end_page_session(uow.session, session_secret)
