"""Fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is found through ``TEST_DATABASE_URL`` (a throwaway database, as CI makes) or
the local server at 127.0.0.1:5432, where a throwaway database is created for the run.
Locally without PostgreSQL its leg is skipped (and said so); in CI (``CI=true``) a
missing PostgreSQL fails the run loudly.
"""

from __future__ import annotations

import email
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from api import create_app
from ecosystem.store import migrate
from ecosystem.store.engine import make_engine
from ecosystem.store.tables import Base
from ecosystem.store.tokens import issue_token

POSTGRES_SERVER = os.environ.get(
    "TEST_POSTGRES_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_REQUIRED = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _postgres_database() -> Iterator[str]:
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    server = make_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            name = f"ecosystem_test_{uuid.uuid4().hex[:10]}"
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        server.dispose()
        if POSTGRES_REQUIRED:
            pytest.fail(f"PostgreSQL is required in CI but not reachable: {error}", pytrace=False)
        pytest.skip(f"PostgreSQL skipped: not reachable at {POSTGRES_SERVER}")
    try:
        yield POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database of each backend, for the whole test session."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"])
    else:
        urls = _postgres_database()
    url = next(urls)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    for _ in urls:  # finish the generator: drops the throwaway database
        pass


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The test database, emptied before each test (the schema stays as migrated)."""
    engine = make_engine(database_url)
    _empty(engine)
    yield engine
    engine.dispose()


def _empty(engine: Engine) -> None:
    """Delete every row, children first, and restart PostgreSQL's id sequences.

    ``DELETE`` rather than ``TRUNCATE``: on tables holding a test's few rows, PostgreSQL's
    ``TRUNCATE`` of 28 tables took 0.45-0.5 s (it rewrites each table's files), ``DELETE``
    10-25 ms — run before some 650 tests, that was most of the PostgreSQL leg.
    """
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name != "catalog_state"]
    with engine.begin() as connection:
        for table in tables:
            connection.execute(table.delete())
        if engine.dialect.name == "postgresql":
            connection.execute(
                text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'")
            )
        connection.execute(text("UPDATE catalog_state SET version = 0"))


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session for arranging and inspecting data directly (commit to make it visible)."""
    with sessionmaker(engine, expire_on_commit=False)() as session:
        yield session


@pytest.fixture
def app(engine: Engine, database_url: str) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url})
    yield app
    app.extensions["ecosystem.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def reference_data(db: Session) -> None:
    """A small, real slice of the gazetteer, organisations and taxonomy."""
    from tests.builders import load_small_reference

    load_small_reference(db)
    db.commit()


@pytest.fixture
def token_for(db: Session) -> Callable[..., dict[str, str]]:
    """Returns a callable that issues a token and gives the Authorization header for it."""

    def issue(organisation_id: str | None = None, *, admin: bool = False) -> dict[str, str]:
        token = issue_token(db, organisation_id, admin=admin)
        db.commit()
        return {"Authorization": f"Bearer {token}"}

    return issue


class MailSink:
    """An SMTP sink: keeps every message it is sent (see the ``inbox`` fixture)."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.envelopes: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[MailSink, int]]:
    """A local SMTP server (aiosmtpd) on a free port: the sink and its port."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = MailSink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()
