"""Fetching current projects by id, for presenting analysis results; is there any at all?
Which organisations have declared their portfolio complete?"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecosystem.model import ProjectRecord
from ecosystem.store.projects import record_of
from ecosystem.store.tables import Organisation, Project

__all__ = ["complete_portfolios", "has_projects", "records_by_id"]


def records_by_id(session: Session, ids: Collection[int]) -> dict[int, ProjectRecord]:
    """The current state of the given projects (withdrawn ones included), keyed by id."""
    wanted = list(set(ids))
    found: dict[int, ProjectRecord] = {}
    for start in range(0, len(wanted), 1000):
        rows = session.scalars(select(Project).where(Project.id.in_(wanted[start : start + 1000])))
        found.update((row.id, record_of(row)) for row in rows)
    return found


def has_projects(session: Session) -> bool:
    """Whether any project was ever published (withdrawn ones count)."""
    return session.scalar(select(Project.id).limit(1)) is not None


def complete_portfolios(session: Session, organisation_ids: Collection[str]) -> set[str]:
    """Those of the organisations whose portfolio document says ``"complete": true``."""
    wanted = sorted(set(organisation_ids))
    found: set[str] = set()
    for start in range(0, len(wanted), 1000):
        found.update(
            session.scalars(
                select(Organisation.id).where(
                    Organisation.id.in_(wanted[start : start + 1000]),
                    Organisation.portfolio_complete.is_(True),
                )
            )
        )
    return found
