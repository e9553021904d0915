"""One engine per app, one session per request, one commit per write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from ecosystem.store.engine import make_engine

__all__ = ["engine_of", "init_app", "session", "transaction"]


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["ecosystem.engine"] = engine
    app.extensions["ecosystem.sessions"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine_of(app: Flask) -> object:
    return app.extensions["ecosystem.engine"]


def session() -> Session:
    """The request's session, created on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["ecosystem.sessions"]()
    return g.db_session  # type: ignore[no-any-return]


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit what the block wrote, or roll all of it back if the block raises."""
    db = session()
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise


def _close_session(_exc: BaseException | None) -> None:
    db = g.pop("db_session", None)
    if db is not None:
        db.close()
