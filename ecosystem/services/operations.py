"""Running the service: health, and the database schema."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ecosystem.errors import DatabaseUnavailable
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import lookup, migrate
from ecosystem.store import projects as project_store

__all__ = ["Health", "health", "holds_projects", "schema_revision", "upgrade_schema"]


@dataclass(frozen=True)
class Health:
    """Is the database reachable, and does it have the schema this code expects?"""

    database_reachable: bool
    schema_revision: str | None = None
    schema_head: str | None = None
    catalog_version: int = 0

    @property
    def status(self) -> str:
        if not self.database_reachable:
            return "unavailable"
        return "ok" if self.schema_revision == self.schema_head else "schema-outdated"


def health(uow: UnitOfWork) -> Health:
    try:
        revision = migrate.revision_of(uow.session)
        version = project_store.catalog_version(uow.session)
    except DatabaseUnavailable:
        return Health(database_reachable=False)
    return Health(True, revision, _head(), version)


def upgrade_schema(uow: UnitOfWork) -> str | None:
    """Create or upgrade the schema to the newest migration; the revision it is now at."""
    migrate.upgrade(migrate.engine_of(uow.session))
    return migrate.revision_of(uow.session)


def schema_revision(uow: UnitOfWork) -> str | None:
    return migrate.revision_of(uow.session)


def holds_projects(uow: UnitOfWork) -> bool:
    """Whether the database holds any project yet (seeding the demo is then skipped)."""
    return lookup.has_projects(uow.session)


@cache
def _head() -> str | None:
    # The migrations shipped with the code do not change while it runs.
    return migrate.head_revision()
