"""API tokens: issued once in clear text, stored only as SHA-256 hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from ecosystem.errors import InvalidInput, NotFound
from ecosystem.model import Principal, TokenInfo
from ecosystem.store.tables import ApiToken, Organisation, PageSession, utcnow

__all__ = [
    "IssuedToken",
    "end_old_page_sessions",
    "end_page_session",
    "find_token",
    "get_token",
    "issue",
    "issue_token",
    "list_tokens",
    "open_page_session",
    "page_session_token",
    "principal_for",
    "revoke_token",
    "touch_token",
]

_PREFIX = "eco_"
# "eco_" and 8 random characters: enough to tell tokens apart, far too few to guess the rest.
_SHOWN = len(_PREFIX) + 8


@dataclass(frozen=True)
class IssuedToken:
    """A token just issued: its secret (shown this once) and what may be shown later."""

    secret: str
    info: TokenInfo


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _info(row: ApiToken) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        prefix=row.prefix,
        organisation_id=row.organisation_id,
        is_admin=row.is_admin,
        label=row.label,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def issue(
    session: Session,
    organisation_id: str | None = None,
    *,
    admin: bool = False,
    label: str | None = None,
    expires_at: dt.datetime | None = None,
) -> IssuedToken:
    """Create a token bound to one organisation (a publisher) or to the admin role."""
    if admin == (organisation_id is not None):
        raise InvalidInput("A token is either for an organisation or for the admin role.", [])
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise NotFound(f"No organisation {organisation_id!r}.")
    token = _PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        token_hash=_hash(token),
        prefix=token[:_SHOWN],
        organisation_id=organisation_id,
        is_admin=admin,
        label=label,
        created_at=utcnow(),
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return IssuedToken(token, _info(row))


def issue_token(
    session: Session,
    organisation_id: str | None = None,
    *,
    admin: bool = False,
    label: str | None = None,
    expires_at: dt.datetime | None = None,
) -> str:
    """Like :func:`issue`, but only the secret (for seeds, benchmarks and tests)."""
    return issue(session, organisation_id, admin=admin, label=label, expires_at=expires_at).secret


def find_token(session: Session, token: str) -> TokenInfo | None:
    """The token with this secret, revoked and expired ones included; None if unknown."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    return None if row is None else _info(row)


def get_token(session: Session, token_id: int) -> TokenInfo | None:
    row = session.get(ApiToken, token_id)
    return None if row is None else _info(row)


def list_tokens(session: Session, organisation_id: str | None = None) -> list[TokenInfo]:
    """Every token (or one organisation's), oldest first."""
    query = select(ApiToken).order_by(ApiToken.id)
    if organisation_id is not None:
        query = query.where(ApiToken.organisation_id == organisation_id)
    return [_info(row) for row in session.scalars(query)]


def revoke_token(session: Session, token_id: int, now: dt.datetime) -> TokenInfo:
    """Revoke a token for good; revoking it again keeps the first time."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"No token {token_id}.")
    if row.revoked_at is None:
        row.revoked_at = now
        session.flush()
    return _info(row)


def touch_token(session: Session, token_id: int, now: dt.datetime, every: dt.timedelta) -> bool:
    """Record a use, unless one was recorded less than ``every`` ago; whether it wrote.

    The condition is in the UPDATE itself, so several workers that see the same stale
    time write once between them, and a busy token costs one write per ``every``.
    """
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where(or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - every))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def principal_for(session: Session, token: str) -> Principal | None:
    """The principal a token stands for, or None when it is unknown, revoked or expired."""
    info = find_token(session, token)
    if info is None or not info.is_usable(utcnow()):
        return None
    return info.principal


def open_page_session(session: Session, token_id: int, now: dt.datetime) -> str:
    """A new page session for the token; its secret goes into the cookie, its hash here."""
    secret = secrets.token_urlsafe(32)
    session.add(PageSession(id_hash=_hash(secret), token_id=token_id, created_at=now))
    session.flush()
    return secret


def page_session_token(session: Session, secret: str, since: dt.datetime) -> TokenInfo | None:
    """The token of a page session opened after ``since``; None if there is no such session."""
    row = session.scalar(
        select(ApiToken)
        .join(PageSession, PageSession.token_id == ApiToken.id)
        .where(PageSession.id_hash == _hash(secret), PageSession.created_at > since)
    )
    return None if row is None else _info(row)


def end_page_session(session: Session, secret: str) -> None:
    session.execute(delete(PageSession).where(PageSession.id_hash == _hash(secret)))


def end_old_page_sessions(session: Session, before: dt.datetime) -> int:
    """Forget sessions that are too old to be used anyway; how many."""
    result = session.execute(delete(PageSession).where(PageSession.created_at <= before))
    return int(getattr(result, "rowcount", 0))
