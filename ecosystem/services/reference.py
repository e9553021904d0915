"""Reference data: areas, organisations, taxonomy and goals; every change is audited."""

from __future__ import annotations

from typing import Any

from ecosystem.model import Principal
from ecosystem.services.permissions import actor_name, require_admin
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import reference as store

__all__ = ["ENTITIES", "create", "get", "list_all", "update"]

ENTITIES = tuple(store.ENTITIES)


def list_all(uow: UnitOfWork, entity: str, **filters: Any) -> list[dict[str, Any]]:
    """Every record of one kind, optionally filtered on equal columns."""
    return store.list_all(uow.session, entity, **filters)


def get(uow: UnitOfWork, entity: str, key: str) -> dict[str, Any]:
    return store.get(uow.session, entity, key)


def create(
    uow: UnitOfWork, principal: Principal, entity: str, values: dict[str, Any]
) -> dict[str, Any]:
    """Add a record (admins); its key must be new and its linked codes must exist."""
    require_admin(principal)
    return store.create(uow.session, entity, values, actor_name(principal))


def update(
    uow: UnitOfWork, principal: Principal, entity: str, key: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change some fields of a record (admins); the key itself cannot change."""
    require_admin(principal)
    return store.update(uow.session, entity, key, changes, actor_name(principal))
