"""Engines for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

__all__ = ["Session", "SessionFactory", "is_contention", "make_engine"]

# The services hand sessions to the store without using them: they name the type from
# here, so that only the store (and the unit of work) import SQLAlchemy.
SessionFactory = Callable[[], Session]


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine with the settings each backend needs to serve several workers."""
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **options)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets gunicorn workers read while one writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # SQLite's own lower() folds only ASCII; Danish text needs "Æ" to match "æ".
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


# PostgreSQL's SQLSTATEs for a transaction that lost a race with another one:
# serialization_failure, deadlock_detected, lock_not_available (lock_timeout).
_CONTENTION_STATES = frozenset({"40001", "40P01", "55P03"})
# SQLite's words for "another connection holds the write lock" (after busy_timeout).
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


def is_contention(error: BaseException) -> bool:
    """Did ``error`` come from a clash with a concurrent transaction?

    Running the whole unit of work again, on fresh data, may well succeed: a duplicate
    revision number or a lock wait that timed out. A database that cannot be reached is
    not contention (that is a 503, not a retry).
    """
    if isinstance(error, IntegrityError):
        return True
    if not isinstance(error, DBAPIError) or error.connection_invalidated:
        return False
    state = getattr(error.orig, "sqlstate", None)
    if state in _CONTENTION_STATES:
        return True
    return isinstance(error.orig, sqlite3.Error) and any(
        words in str(error.orig).lower() for words in _SQLITE_BUSY
    )
