"""One engine and one catalogue per app, one unit of work per request, one commit per write."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from ecosystem.overlap import OverlapConfig
from ecosystem.services import overlaps
from ecosystem.services.catalogue import Catalogue
from ecosystem.services.engine_snapshot import EngineSnapshots
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store.engine import make_engine
from ecosystem.store.vector_files import VectorFiles

__all__ = [
    "catalogue_of",
    "engine_of",
    "init_app",
    "new_unit_of_work",
    "retried_transaction",
    "transaction",
    "unit_of_work",
    "warm_in_background",
]


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["ecosystem.engine"] = engine
    app.extensions["ecosystem.sessions"] = sessionmaker(engine, expire_on_commit=False)
    app.extensions["ecosystem.catalogue"] = Catalogue(
        OverlapConfig(**app.config.get("OVERLAP", {})),
        embedder=app.config["EMBEDDER"],
        vector_files=_vector_files(app),
        engine_snapshots=_engine_snapshots(app),
    )
    app.teardown_appcontext(_close)


def _vector_files(app: Flask) -> VectorFiles | None:
    """Where the workers of this host share their vectors (memory-mapped snapshots)."""
    path = _shared_folder(app, "VECTOR_SNAPSHOTS", "vectors")
    return None if path is None else VectorFiles(path, database=str(app.config["DATABASE_URL"]))


def _engine_snapshots(app: Flask) -> EngineSnapshots | None:
    """Where the workers of this host share the built overlap engine (see the catalogue)."""
    path = _shared_folder(app, "ENGINE_SNAPSHOTS", "engine")
    if path is None:
        return None
    return EngineSnapshots(path, database=str(app.config["DATABASE_URL"]))


def _shared_folder(app: Flask, setting: str, default: str) -> Path | None:
    """The folder a setting names, ``instance/<default>`` when unset, None for "none"
    (and when unset in tests, which ask for such folders themselves)."""
    folder = app.config.get(setting)
    if folder == "none" or (folder is None and app.testing):
        return None
    return Path(folder) if folder else Path(app.instance_path) / default


def engine_of(app: Flask) -> Engine:
    return app.extensions["ecosystem.engine"]  # type: ignore[no-any-return]


def catalogue_of(app: Flask) -> Catalogue:
    """The app's per-process read model (see :mod:`ecosystem.services.catalogue`)."""
    return app.extensions["ecosystem.catalogue"]  # type: ignore[no-any-return]


def new_unit_of_work(app: Flask) -> UnitOfWork:
    """A unit of work of its own, for work outside a request (a background thread)."""
    return UnitOfWork(app.extensions["ecosystem.sessions"], catalogue_of(app))


def unit_of_work() -> UnitOfWork:
    """The request's unit of work, created on first use and closed at teardown."""
    if "unit_of_work" not in g:
        g.unit_of_work = new_unit_of_work(current_app)
    return g.unit_of_work  # type: ignore[no-any-return]


@contextmanager
def transaction() -> Iterator[UnitOfWork]:
    """Commit what the block wrote, or roll all of it back if the block raises."""
    with unit_of_work() as uow:
        yield uow


T = TypeVar("T")


def retried_transaction(work: Callable[[UnitOfWork], T]) -> T:
    """``work(uow)`` committed once, run again if it clashed with a concurrent write.

    For writes that concurrent requests contend for (publishing to one organisation):
    after a few clashes it raises ``Busy`` (409 with Retry-After); see ``UnitOfWork.run``.
    """
    return unit_of_work().run(work)


def warm_in_background(app: Flask) -> threading.Thread:
    """Build the overlap engine now, off the request path, so a worker's first check does not wait.

    Requests that arrive meanwhile wait on the same lock and then find it built; if the
    build fails it is logged and the first request simply builds it again.
    """

    def build() -> None:
        uow = new_unit_of_work(app)
        try:
            overlaps.warm(uow)
        except Exception:  # logged; the first request builds it again
            app.logger.exception("warming the overlap index failed")
        finally:
            uow.close()

    thread = threading.Thread(target=build, name="overlap-index-warm-up", daemon=True)
    thread.start()
    return thread


def _close(_exc: BaseException | None) -> None:
    uow = g.pop("unit_of_work", None)
    if uow is not None:
        uow.close()
