"""API tokens: issued once in clear text, stored only as hashes; who a token stands for."""

from __future__ import annotations

from ecosystem.model import Principal
from ecosystem.services.permissions import require_admin
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import tokens as store

__all__ = ["issue_token", "principal_for"]


def issue_token(
    uow: UnitOfWork,
    principal: Principal,
    organisation_id: str | None = None,
    *,
    admin: bool = False,
    label: str | None = None,
) -> str:
    """A new token for an organisation or the admin role (admins only); shown once."""
    require_admin(principal)
    return store.issue_token(uow.session, organisation_id, admin=admin, label=label)


def principal_for(uow: UnitOfWork, token: str) -> Principal | None:
    """The principal a token stands for, or None when it is unknown or revoked."""
    return store.principal_for(uow.session, token)
