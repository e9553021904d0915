"""The overlap engine of the app's catalogue (transitional: callers move onto services)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection

from flask import Flask
from sqlalchemy.orm import Session

from api.db import new_unit_of_work, unit_of_work
from ecosystem.matching import OverlapEngine
from ecosystem.model import Principal
from ecosystem.overlap import OverlapPair, ProjectFacts

__all__ = ["engine", "pairs_among", "visible_to", "warm_in_background"]


def engine(_db: Session) -> OverlapEngine:
    """The engine, brought up to date with everything committed so far."""
    return unit_of_work().overlap_engine()


def warm_in_background(app: Flask) -> threading.Thread:
    """Build the engine now, off the request path, so a worker's first check does not wait.

    Requests that arrive meanwhile wait on the same lock and then find it built; if the
    build fails it is logged and the first request simply builds it again.
    """

    def build() -> None:
        uow = new_unit_of_work(app)
        try:
            uow.overlap_engine()
        except Exception:  # logged; the first request builds it again
            app.logger.exception("warming the overlap index failed")
        finally:
            uow.close()

    thread = threading.Thread(target=build, name="overlap-index-warm-up", daemon=True)
    thread.start()
    return thread


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
