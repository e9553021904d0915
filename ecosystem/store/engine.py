"""Engines for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

__all__ = ["Session", "SessionFactory", "make_engine"]

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
