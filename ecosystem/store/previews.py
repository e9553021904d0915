"""Stored import previews: any worker can show one, and publish it exactly once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, delete, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecosystem.previews import PENDING, PUBLISHED, Preview
from ecosystem.store.tables import Base, UTCDateTime

__all__ = ["ImportPreview", "add", "claim", "delete_expired", "get", "record_result"]


class ImportPreview(Base):
    """A stored dry run of one upload (see migration 0002)."""

    __tablename__ = "import_previews"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str | None] = mapped_column(String(300))
    full: Mapped[bool] = mapped_column(Boolean)
    fingerprint: Mapped[str] = mapped_column(String(64))
    publishable: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON())
    report: Mapped[dict[str, Any]] = mapped_column(JSON())
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


_FIELDS = tuple(Preview.__dataclass_fields__)


def delete_expired(session: Session, now: dt.datetime) -> None:
    """Forget the previews that expired before ``now`` (published ones included)."""
    session.execute(delete(ImportPreview).where(ImportPreview.expires_at < now))


def add(session: Session, preview: Preview) -> None:
    session.add(ImportPreview(**{name: getattr(preview, name) for name in _FIELDS}))
    session.flush()


def get(session: Session, preview_id: str) -> Preview | None:
    # Read afresh even if this session has seen the row: a publish may have changed it.
    row = session.get(ImportPreview, preview_id, populate_existing=True)
    if row is None:
        return None
    return Preview(**{name: getattr(row, name) for name in _FIELDS})


def claim(session: Session, preview_id: str, now: dt.datetime) -> bool:
    """Mark a pending preview published; False when another publish got there first.

    A second confirmation of the same preview waits here for the first to commit, then
    finds it taken.
    """
    claimed = session.execute(
        update(ImportPreview)
        .where(ImportPreview.id == preview_id, ImportPreview.status == PENDING)
        .values(status=PUBLISHED, published_at=now)
        .execution_options(synchronize_session=False)
    )
    return getattr(claimed, "rowcount", 0) == 1


def record_result(session: Session, preview_id: str, result: dict[str, Any]) -> None:
    """Keep what publishing the preview did, with the preview."""
    session.execute(
        update(ImportPreview)
        .where(ImportPreview.id == preview_id)
        .values(result=result)
        .execution_options(synchronize_session=False)
    )
