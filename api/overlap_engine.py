"""The per-process overlap engine, kept fresh against the database.

Each gunicorn worker holds its own engine. Before answering, a request reads the
catalogue version (one small query) and takes in every project changed since the
engine last looked, so a response includes every publish committed before the request
began. A change to reference data (areas, organisations, taxonomy) rebuilds the engine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy.orm import Session

from api.db import session as db_session
from ecosystem.matching import OverlapEngine
from ecosystem.model import Principal
from ecosystem.overlap import OverlapConfig, OverlapPair, ProjectFacts
from ecosystem.store import projects, reference

__all__ = ["engine", "init_app", "pairs_among", "visible_to", "warm_in_background"]


@dataclass
class _Holder:
    lock: threading.Lock = field(default_factory=threading.Lock)
    engine: OverlapEngine | None = None
    version: int = -1
    reference_version: int = -1


def init_app(app: Flask) -> None:
    app.extensions["ecosystem.overlaps"] = _Holder()


def engine(db: Session) -> OverlapEngine:
    """The engine, brought up to date with everything committed so far."""
    holder: _Holder = current_app.extensions["ecosystem.overlaps"]
    version = projects.catalog_version(db)
    reference_version = reference.reference_version(db)
    with holder.lock:
        if holder.engine is None or reference_version != holder.reference_version:
            fresh = OverlapEngine(reference.gazetteer(db), _config())
            fresh.load(projects.changed_since(db, 0))
            holder.engine, holder.reference_version = fresh, reference_version
        elif version > holder.version:
            holder.engine.apply(projects.changed_since(db, holder.version))
        holder.version = max(holder.version, version)
        return holder.engine


def warm_in_background(app: Flask) -> threading.Thread:
    """Build the engine now, off the request path, so a worker's first check does not wait.

    Requests that arrive meanwhile wait on the same lock and then find it built; if the
    build fails it is logged and the first request simply builds it again.
    """

    def build() -> None:
        with app.app_context():
            try:
                engine(db_session())
            except Exception:  # logged; the first request builds it again
                app.logger.exception("warming the overlap index failed")

    thread = threading.Thread(target=build, name="overlap-index-warm-up", daemon=True)
    thread.start()
    return thread


def _config() -> OverlapConfig:
    return OverlapConfig(**current_app.config.get("OVERLAP", {}))


def visible_to(principal: Principal) -> Callable[[ProjectFacts], bool]:
    """Whether the principal may see a project (private projects never leak)."""

    def visible(facts: ProjectFacts) -> bool:
        return principal.can_see(facts.visibility, facts.organisation_id or "")

    return visible


def pairs_among(
    db: Session, principal: Principal, project_ids: Collection[int]
) -> list[OverlapPair]:
    """Overlapping pairs with at least one project among ``project_ids``; both visible."""
    return engine(db).visible_pairs(visible_to(principal), project_ids)
