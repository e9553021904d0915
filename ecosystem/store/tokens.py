"""API tokens: issued once in clear text, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecosystem.errors import InvalidInput, NotFound
from ecosystem.model import Principal
from ecosystem.store.tables import ApiToken, Organisation

__all__ = ["issue_token", "principal_for"]

_PREFIX = "eco_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    session: Session,
    organisation_id: str | None = None,
    *,
    admin: bool = False,
    label: str | None = None,
) -> str:
    """Create a token bound to one organisation (a publisher) or to the admin role."""
    if admin == (organisation_id is not None):
        raise InvalidInput("A token is either for an organisation or for the admin role.", [])
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise NotFound(f"No organisation {organisation_id!r}.")
    token = _PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            token_hash=_hash(token), organisation_id=organisation_id, is_admin=admin, label=label
        )
    )
    session.flush()
    return token


def principal_for(session: Session, token: str) -> Principal | None:
    """The principal a token stands for, or None when it is unknown or revoked."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    return Principal(organisation_id=row.organisation_id, is_admin=row.is_admin)
