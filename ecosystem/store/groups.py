"""Thematic portfolio groups, stored with their whole history.

A group is one row holding its current document; every creation and change adds an
immutable row to ``thematic_group_revisions`` (who, when, which fields), so nothing a
coordinator changes is lost. The tables are created by migration 0003.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecosystem.errors import Conflict, FieldError, InvalidInput, NotFound, StaleData
from ecosystem.groups import Group, group_from_document, group_to_document
from ecosystem.model import Revision
from ecosystem.store.history import revisions_of
from ecosystem.store.tables import (
    CODE,
    Area,
    Base,
    Goal,
    GoalSet,
    JsonType,
    Organisation,
    TargetGroup,
    Theme,
    UTCDateTime,
    utcnow,
)

__all__ = [
    "ThematicGroup",
    "ThematicGroupRevision",
    "check_references",
    "create_group",
    "get_group",
    "group_revisions",
    "list_groups",
    "update_group",
]


class ThematicGroup(Base):
    """The current definition of a group; its history is in ThematicGroupRevision."""

    __tablename__ = "thematic_groups"
    id: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ThematicGroupRevision(Base):
    """One immutable step in a group's history."""

    __tablename__ = "thematic_group_revisions"
    __table_args__ = (UniqueConstraint("group_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("thematic_groups.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    changed_fields: Mapped[list[str]] = mapped_column(JsonType, default=list)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


# --- groups --------------------------------------------------------------------------------


def create_group(session: Session, document: dict[str, Any], *, actor: str) -> Group:
    """Store a new group from its validated document (``GroupSchema``)."""
    group_id = document["id"]
    if session.get(ThematicGroup, group_id) is not None:
        raise Conflict(f"Gruppen {group_id!r} findes allerede / Group {group_id!r} already exists.")
    check_references(session, document)
    now = utcnow()
    data = _stored(document)
    session.add(
        ThematicGroup(
            id=group_id,
            name=document["name"],
            data=data,
            demo=bool(document.get("demo")),
            revision=1,
            created_at=now,
            updated_at=now,
        )
    )
    session.flush()
    _add_revision(session, group_id, 1, "created", data, sorted(data), actor, now)
    return get_group(session, group_id)


def update_group(
    session: Session,
    group_id: str,
    document: dict[str, Any],
    *,
    actor: str,
    expected_revision: int | None = None,
) -> Group:
    """Replace a group's document with a validated new one; a change that changes nothing writes nothing."""
    row = _row(session, group_id)
    if expected_revision is not None and expected_revision != row.revision:
        raise StaleData(
            f"Gruppen er ændret siden revision {expected_revision} (nu {row.revision}); læs den "
            f"igen / The group changed since revision {expected_revision} (now {row.revision}); "
            "read it again."
        )
    check_references(session, document)
    data = _stored(document)
    changed = sorted(k for k in data.keys() | row.data.keys() if data.get(k) != row.data.get(k))
    if not changed:
        return get_group(session, group_id)
    now = utcnow()
    row.data, row.name, row.demo = data, document["name"], bool(document.get("demo"))
    row.revision += 1
    row.updated_at = now
    session.flush()
    _add_revision(session, group_id, row.revision, "updated", data, changed, actor, now)
    return get_group(session, group_id)


def get_group(session: Session, group_id: str) -> Group:
    return _group(_row(session, group_id))


def list_groups(session: Session, *, demo: bool | None = None) -> list[Group]:
    stmt = select(ThematicGroup).order_by(ThematicGroup.id)
    if demo is not None:
        stmt = stmt.where(ThematicGroup.demo.is_(demo))
    return [_group(row) for row in session.scalars(stmt)]


def group_revisions(session: Session, group_id: str) -> list[Revision]:
    """The group's history, oldest first."""
    _row(session, group_id)
    return revisions_of(session, ThematicGroupRevision, ThematicGroupRevision.group_id, group_id)


def check_references(session: Session, document: Mapping[str, Any]) -> None:
    """Refuse codes that point nowhere, naming each one and its place."""
    mandate = document["mandate"]
    checks: list[tuple[str, Collection[str], Any]] = [
        ("mandate.themes", mandate.get("themes", ()), Theme.code),
        ("mandate.target_groups", mandate.get("target_groups", ()), TargetGroup.code),
        ("mandate.areas", mandate.get("areas", ()), Area.code),
        ("mandate.goal_sets", mandate.get("goal_sets", ()), GoalSet.id),
        ("mandate.goals", mandate.get("goals", ()), Goal.code),
        ("coordinators", document.get("coordinators", ()), Organisation.id),
        (
            "members",
            [m["organisation"] for m in document.get("members", ())],
            Organisation.id,
        ),
    ]
    errors: list[FieldError] = []
    for place, codes, column in checks:
        known = set(session.scalars(select(column).where(column.in_(list(codes)))))
        suffix = ".organisation" if place == "members" else ""
        errors += [
            FieldError(
                f"{place}[{index}]{suffix}",
                f"Ukendt kode {code!r} / Unknown code {code!r}.",
            )
            for index, code in enumerate(codes)
            if code not in known
        ]
    if errors:
        raise InvalidInput("Gruppen henviser til koder, der ikke findes.", errors)


def _row(session: Session, group_id: str) -> ThematicGroup:
    row = session.get(ThematicGroup, group_id)
    if row is None:
        raise NotFound()
    return row


def _group(row: ThematicGroup) -> Group:
    return group_from_document(
        {**row.data, "id": row.id},
        revision=row.revision,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _stored(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document in its normal form, without the id (which is the key)."""
    normal = group_to_document(group_from_document(document))
    normal.pop("id")
    return normal


def _add_revision(
    session: Session,
    group_id: str,
    number: int,
    action: str,
    data: dict[str, Any],
    changed: list[str],
    actor: str,
    now: dt.datetime,
) -> None:
    session.add(
        ThematicGroupRevision(
            group_id=group_id,
            number=number,
            action=action,
            data=data,
            changed_fields=changed,
            actor=actor,
            created_at=now,
        )
    )
    session.flush()
