"""The per-process overlap engine, kept fresh against the database (filled in by the overlap issue)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from ecosystem.model import Principal
from ecosystem.overlap import OverlapPair


def pairs_among(
    db: Session, principal: Principal, project_ids: Collection[int]
) -> list[OverlapPair]:
    """Overlapping pairs among the given projects that the principal may see."""
    return []
