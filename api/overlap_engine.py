"""Transitional: the overlap engine for callers not yet moved onto services.

Everything here delegates to :mod:`ecosystem.services.overlaps` (and the warm-up to
:func:`api.db.warm_in_background`); this module goes once its last callers (the group and
review routes and pages) call the service.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from api.db import unit_of_work, warm_in_background
from ecosystem.matching import OverlapEngine
from ecosystem.model import Principal
from ecosystem.overlap import OverlapPair
from ecosystem.services import overlaps
from ecosystem.services.overlaps import visible_to

__all__ = ["engine", "pairs_among", "visible_to", "warm_in_background"]


def engine(_db: Session) -> OverlapEngine:
    """The engine, brought up to date with everything committed so far."""
    return unit_of_work().overlap_engine()


def pairs_among(
    _db: Session, principal: Principal, project_ids: Collection[int]
) -> list[OverlapPair]:
    """Overlapping pairs with at least one project among ``project_ids``; both visible."""
    return overlaps.pairs_among(unit_of_work(), principal, project_ids)
