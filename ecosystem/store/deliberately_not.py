"""The "fravalgt" register, stored with its whole history (tables from migration 0009).

An entry is one row holding its current document; every creation, change and withdrawal
adds an immutable row to ``deliberately_not_revisions`` (who, when, which fields), read
back like a project's or a group's history (:func:`ecosystem.store.history.revisions_of`).
A withdrawn entry stays, marked withdrawn: nothing an owner once decided is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecosystem.deliberately_not import OptOut
from ecosystem.errors import Conflict, FieldError, InvalidInput, NotFound, StaleData
from ecosystem.model import Revision
from ecosystem.store.history import revisions_of
from ecosystem.store.tables import (
    CODE,
    Area,
    Base,
    JsonType,
    TargetGroup,
    Theme,
    UTCDateTime,
    utcnow,
)

__all__ = [
    "DeliberatelyNot",
    "DeliberatelyNotRevision",
    "add_entry",
    "check_references",
    "entries_as_of",
    "entries_of",
    "entry_history",
    "get_entry",
    "update_entry",
    "withdraw_entry",
]


class DeliberatelyNot(Base):
    """One entry as it stands now; its history is in DeliberatelyNotRevision."""

    __tablename__ = "deliberately_not"
    __table_args__ = (Index("ix_deliberately_not_owner", "owner_kind", "owner_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_kind: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[str] = mapped_column(String(CODE))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class DeliberatelyNotRevision(Base):
    """One immutable step in an entry's history."""

    __tablename__ = "deliberately_not_revisions"
    __table_args__ = (UniqueConstraint("entry_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("deliberately_not.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    changed_fields: Mapped[list[str]] = mapped_column(JsonType, default=list)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


_DOCUMENT = ("themes", "target_groups", "areas", "reason", "decided_by", "decided_on", "until")


def check_references(session: Session, document: Mapping[str, Any]) -> None:
    """Refuse codes that point nowhere, naming each one and its place (``themes[1]``)."""
    checks: list[tuple[str, Any]] = [
        ("themes", Theme.code),
        ("target_groups", TargetGroup.code),
        ("areas", Area.code),
    ]
    errors: list[FieldError] = []
    for place, column in checks:
        codes = list(document.get(place, ()))
        known = set(session.scalars(select(column).where(column.in_(codes)))) if codes else set()
        errors += [
            FieldError(f"{place}[{index}]", f"Ukendt kode {code!r} / Unknown code {code!r}.")
            for index, code in enumerate(codes)
            if code not in known
        ]
    if errors:
        raise InvalidInput("Fravalget henviser til koder, der ikke findes.", errors)


def add_entry(
    session: Session, owner_kind: str, owner_id: str, document: Mapping[str, Any], *, actor: str
) -> OptOut:
    """Store a new entry from its validated document (``OptOutSchema``)."""
    check_references(session, document)
    now = utcnow()
    row = DeliberatelyNot(
        owner_kind=owner_kind,
        owner_id=owner_id,
        revision=1,
        withdrawn=False,
        data=_stored(document),
        actor=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    _add_revision(session, row, "created", sorted(row.data))
    return _entry(row)


def update_entry(
    session: Session,
    entry_id: int,
    document: Mapping[str, Any],
    *,
    actor: str,
    expected_revision: int | None = None,
) -> OptOut:
    """Replace a live entry's document; a change that changes nothing writes nothing."""
    row = _row(session, entry_id)
    _expect(row, expected_revision)
    if row.withdrawn:
        raise Conflict(
            "Fravalget er trukket tilbage; opret et nyt / The entry is withdrawn; add a new one."
        )
    check_references(session, document)
    data = _stored(document)
    changed = sorted(k for k in data.keys() | row.data.keys() if data.get(k) != row.data.get(k))
    if not changed:
        return _entry(row)
    row.data = data
    _step(session, row, actor, "updated", changed)
    return _entry(row)


def withdraw_entry(
    session: Session, entry_id: int, *, actor: str, expected_revision: int | None = None
) -> OptOut:
    """Mark the entry withdrawn (kept, with a revision saying so); again is no change."""
    row = _row(session, entry_id)
    _expect(row, expected_revision)
    if not row.withdrawn:
        row.withdrawn = True
        _step(session, row, actor, "withdrawn", ["withdrawn"])
    return _entry(row)


def get_entry(session: Session, entry_id: int) -> OptOut:
    return _entry(_row(session, entry_id))


def entries_of(
    session: Session,
    owner_kind: str,
    owner_ids: Collection[str] | None,
    *,
    withdrawn: bool = True,
) -> list[OptOut]:
    """The owners' entries (None: every owner of the kind), newest decision first.

    ``withdrawn=False``: only the live ones.
    """
    stmt = select(DeliberatelyNot).where(DeliberatelyNot.owner_kind == owner_kind)
    if owner_ids is not None:
        stmt = stmt.where(DeliberatelyNot.owner_id.in_(sorted(set(owner_ids))))
    if not withdrawn:
        stmt = stmt.where(DeliberatelyNot.withdrawn.is_(False))
    entries = [_entry(row) for row in session.scalars(stmt)]
    entries.sort(key=lambda e: (e.withdrawn, -e.decided_on.toordinal(), -e.id))
    return entries


def entries_as_of(
    session: Session, owner_kind: str, owner_ids: Collection[str] | None, as_of: dt.datetime
) -> list[OptOut]:
    """The owners' entries as their last revision at or before ``as_of`` left them.

    What a review reads (like projects, :func:`ecosystem.store.reviews.records_as_of`):
    an entry added later is absent, one changed or withdrawn later reads as it was.
    Revisions never change, so the answer for a past moment never does either.
    """
    stmt = (
        select(DeliberatelyNotRevision, DeliberatelyNot.owner_id)
        .join(DeliberatelyNot, DeliberatelyNot.id == DeliberatelyNotRevision.entry_id)
        .where(DeliberatelyNot.owner_kind == owner_kind)
        .where(DeliberatelyNotRevision.created_at <= as_of)
        .order_by(DeliberatelyNotRevision.entry_id, DeliberatelyNotRevision.number)
    )
    if owner_ids is not None:
        stmt = stmt.where(DeliberatelyNot.owner_id.in_(sorted(set(owner_ids))))
    last: dict[int, tuple[DeliberatelyNotRevision, str]] = {}
    for revision, owner_id in session.execute(stmt):
        last[revision.entry_id] = (revision, owner_id)  # ordered by number: the last wins
    entries = [
        _from_document(
            revision.entry_id,
            owner_kind,
            owner_id,
            revision.data,
            withdrawn=bool(revision.data.get("withdrawn")),
            revision=revision.number,
            actor=revision.actor,
            updated_at=revision.created_at,
        )
        for revision, owner_id in last.values()
    ]
    entries.sort(key=lambda e: (e.withdrawn, -e.decided_on.toordinal(), -e.id))
    return entries


def entry_history(session: Session, entry_id: int) -> list[Revision]:
    """The entry's history, oldest first."""
    _row(session, entry_id)
    return revisions_of(
        session, DeliberatelyNotRevision, DeliberatelyNotRevision.entry_id, entry_id
    )


def _expect(row: DeliberatelyNot, expected: int | None) -> None:
    if expected is not None and expected != row.revision:
        raise StaleData(
            f"Fravalget er ændret siden revision {expected} (nu {row.revision}); læs det igen "
            f"/ The entry changed since revision {expected} (now {row.revision}); read it again."
        )


def _step(
    session: Session, row: DeliberatelyNot, actor: str, action: str, changed: list[str]
) -> None:
    row.revision += 1
    row.actor = actor
    row.updated_at = utcnow()
    session.flush()
    _add_revision(session, row, action, changed)


def _row(session: Session, entry_id: int) -> DeliberatelyNot:
    row = session.get(DeliberatelyNot, entry_id)
    if row is None:
        raise NotFound()
    return row


def _stored(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document in its normal form: codes as lists, dates as ISO text."""
    data = {name: document.get(name) for name in _DOCUMENT}
    for name in ("themes", "target_groups", "areas"):
        data[name] = list(data[name] or ())
    for name in ("decided_on", "until"):
        value = data[name]
        data[name] = value.isoformat() if isinstance(value, dt.date) else value
    return data


def _entry(row: DeliberatelyNot) -> OptOut:
    return _from_document(
        row.id,
        row.owner_kind,
        row.owner_id,
        row.data,
        withdrawn=row.withdrawn,
        revision=row.revision,
        actor=row.actor,
        updated_at=row.updated_at,
    )


def _from_document(
    entry_id: int,
    owner_kind: str,
    owner_id: str,
    data: Mapping[str, Any],
    *,
    withdrawn: bool,
    revision: int,
    actor: str,
    updated_at: dt.datetime,
) -> OptOut:
    """An entry from a stored document: the row's current one, or a revision's."""
    until = data.get("until")
    return OptOut(
        id=entry_id,
        owner_kind=owner_kind,
        owner_id=owner_id,
        reason=data["reason"],
        decided_by=data["decided_by"],
        decided_on=dt.date.fromisoformat(data["decided_on"]),
        themes=tuple(data.get("themes", ())),
        target_groups=tuple(data.get("target_groups", ())),
        areas=tuple(data.get("areas", ())),
        until=dt.date.fromisoformat(until) if until else None,
        withdrawn=withdrawn,
        revision=revision,
        actor=actor,
        updated_at=updated_at,
    )


def _add_revision(session: Session, row: DeliberatelyNot, action: str, changed: list[str]) -> None:
    session.add(
        DeliberatelyNotRevision(
            entry_id=row.id,
            number=row.revision,
            action=action,
            data={**row.data, "withdrawn": row.withdrawn},
            changed_fields=changed,
            actor=row.actor,
            created_at=row.updated_at,
        )
    )
    session.flush()
