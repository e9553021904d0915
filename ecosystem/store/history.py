"""Revision histories: the one way a project's or a group's steps are read back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ecosystem.model import Revision

__all__ = ["revisions_of"]


def revisions_of(
    session: Session, table: type[Any], owner: InstrumentedAttribute[Any], owner_id: object
) -> list[Revision]:
    """Every revision in ``table`` whose ``owner`` column is ``owner_id``, oldest first.

    ``table`` is a revision table (``number``, ``action``, ``actor``, ``created_at``,
    ``changed_fields``, ``data``), e.g. project or group revisions.
    """
    rows = session.scalars(select(table).where(owner == owner_id).order_by(table.number))
    return [
        Revision(
            number=row.number,
            action=row.action,
            actor=row.actor,
            created_at=row.created_at,
            changed_fields=list(row.changed_fields or ()),
            data=row.data,
        )
        for row in rows
    ]
