"""Migration 0008 on a database that already holds organisations, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from ecosystem.store import migrate
from ecosystem.store.engine import make_engine
from tests.conftest import POSTGRES_SERVER


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """An empty database nobody has migrated yet (the session's test database is at head)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    server = make_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    name = f"ecosystem_migration_{uuid.uuid4().hex[:10]}"
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server here: the leg is skipped, as in conftest
        server.dispose()
        pytest.skip(f"PostgreSQL skipped: {error}")
    engine = make_engine(POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def test_existing_organisations_are_taken_as_partial_after_the_upgrade(fresh_engine):
    migrate.upgrade(fresh_engine, "0007")
    with fresh_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organisations (id, name, kind, created_at, updated_at) "
                "VALUES ('kommune-x', 'X Kommune', 'municipality', :now, :now)"
            ),
            {"now": "2026-01-01 00:00:00+00:00"},
        )
    migrate.upgrade(fresh_engine, "0008")
    assert migrate.current_revision(fresh_engine) == "0008"
    with fresh_engine.begin() as connection:
        assert connection.execute(
            text("SELECT portfolio_complete FROM organisations WHERE id = 'kommune-x'")
        ).scalar_one() in (False, 0)
        # A new organisation without the column named gets the default too.
        connection.execute(
            text(
                "INSERT INTO organisations (id, name, kind, created_at, updated_at) "
                "VALUES ('kommune-y', 'Y Kommune', 'municipality', :now, :now)"
            ),
            {"now": "2026-01-01 00:00:00+00:00"},
        )
        flags = connection.execute(
            text("SELECT id, portfolio_complete FROM organisations ORDER BY id")
        ).all()
    assert [(row[0], bool(row[1])) for row in flags] == [("kommune-x", False), ("kommune-y", False)]
