"""Fetching current projects by id, for presenting analysis results."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecosystem.model import ProjectRecord
from ecosystem.store.projects import record_of
from ecosystem.store.tables import Project

__all__ = ["records_by_id"]


def records_by_id(session: Session, ids: Collection[int]) -> dict[int, ProjectRecord]:
    """The current state of the given projects (withdrawn ones included), keyed by id."""
    wanted = list(set(ids))
    found: dict[int, ProjectRecord] = {}
    for start in range(0, len(wanted), 1000):
        rows = session.scalars(select(Project).where(Project.id.in_(wanted[start : start + 1000])))
        found.update((row.id, record_of(row)) for row in rows)
    return found
