"""Goal pictures of organisations and groups, with history (table from migration 0004).

Each save adds a revision; the latest is current, and nothing earlier is lost. The
concrete goals are also registered in the shared ``goals`` table (in one goal set per
owner), so project cards can link to them by code with the existing ``goals`` field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecosystem.errors import FieldError, InvalidInput, NotFound
from ecosystem.model import Principal
from ecosystem.query import ProjectQuery
from ecosystem.store import projects as project_store
from ecosystem.store import reference
from ecosystem.store.tables import (
    Base,
    Goal,
    GoalSet,
    JsonType,
    Organisation,
    UTCDateTime,
    utcnow,
)

__all__ = [
    "GoalPicture",
    "GoalPictureRecord",
    "current_picture",
    "goal_set_id",
    "organisation_name",
    "picture_history",
    "projects_by_goal",
    "save_picture",
]

OWNER_KINDS = ("organisation", "group")


class GoalPicture(Base):
    """One revision of an owner's strategic goal picture and its concrete goals."""

    __tablename__ = "goal_pictures"
    __table_args__ = (UniqueConstraint("owner_kind", "owner_id", "revision"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_kind: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class GoalPictureRecord:
    """One stored revision of a goal picture: the document (text, period, goals) and who saved it."""

    owner_kind: str
    owner_id: str
    revision: int
    actor: str
    created_at: dt.datetime
    document: Mapping[str, Any]


def organisation_name(session: Session, organisation_id: str) -> str | None:
    """The organisation's name, or None when there is none by that id."""
    organisation = session.get(Organisation, organisation_id)
    return organisation.name if organisation is not None else None


def goal_set_id(owner_kind: str, owner_id: str) -> str:
    return f"maal-{owner_kind}-{owner_id}"[:64]


def save_picture(
    session: Session,
    owner_kind: str,
    owner_id: str,
    document: dict[str, Any],
    *,
    owner_name: str,
    actor: str,
) -> GoalPictureRecord:
    """Store a new revision of the picture and register its goals for project cards."""
    set_id = goal_set_id(owner_kind, owner_id)
    _check_codes(session, document, set_id)
    _register_goals(session, document, set_id, owner_kind, owner_id, owner_name, actor)
    latest = session.scalar(
        select(func.max(GoalPicture.revision)).where(
            GoalPicture.owner_kind == owner_kind, GoalPicture.owner_id == owner_id
        )
    )
    row = GoalPicture(
        owner_kind=owner_kind,
        owner_id=owner_id,
        revision=(latest or 0) + 1,
        data=document,
        actor=actor,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return _view(row)


def current_picture(session: Session, owner_kind: str, owner_id: str) -> GoalPictureRecord:
    history = picture_history(session, owner_kind, owner_id)
    if not history:
        raise NotFound(
            f"Intet målbillede for {owner_kind} {owner_id!r} / No goal picture for "
            f"{owner_kind} {owner_id!r}."
        )
    return history[-1]


def picture_history(session: Session, owner_kind: str, owner_id: str) -> list[GoalPictureRecord]:
    """Every revision, oldest first."""
    rows = session.scalars(
        select(GoalPicture)
        .where(GoalPicture.owner_kind == owner_kind, GoalPicture.owner_id == owner_id)
        .order_by(GoalPicture.revision)
    )
    return [_view(row) for row in rows]


def projects_by_goal(
    session: Session, codes: Collection[str], principal: Principal
) -> dict[str, list[int]]:
    """The live projects the principal may see that link to each goal code."""
    found: dict[str, list[int]] = {code: [] for code in codes}
    if not codes:
        return found
    query = ProjectQuery(goals=tuple(sorted(codes)))
    for record in project_store.list_projects(session, query, principal, per_page=None).items:
        for code in record.card.goals:
            if code in found:
                found[code].append(record.id)
    return found


def _view(row: GoalPicture) -> GoalPictureRecord:
    return GoalPictureRecord(
        owner_kind=row.owner_kind,
        owner_id=row.owner_id,
        revision=row.revision,
        actor=row.actor,
        created_at=row.created_at,
        document=row.data,
    )


def _check_codes(session: Session, document: dict[str, Any], set_id: str) -> None:
    """A goal code may not already belong to someone else's goals."""
    errors = []
    for index, goal in enumerate(document.get("goals", ())):
        existing = session.get(Goal, goal["code"])
        if existing is not None and existing.goal_set_id != set_id:
            errors.append(
                FieldError(
                    f"goals[{index}].code",
                    f"Koden {goal['code']!r} bruges allerede af et andet mål / The code is "
                    "already used by another goal.",
                )
            )
    if errors:
        raise InvalidInput("Målkoder er optaget / Goal codes are taken.", errors)


def _register_goals(
    session: Session,
    document: dict[str, Any],
    set_id: str,
    owner_kind: str,
    owner_id: str,
    owner_name: str,
    actor: str,
) -> None:
    organisation = owner_id if owner_kind == "organisation" else None
    if session.get(GoalSet, set_id) is None:
        reference.create(
            session,
            "goal_set",
            {"id": set_id, "organisation_id": organisation, "name_da": f"Mål for {owner_name}"},
            actor,
        )
    for goal in document.get("goals", ()):
        values = {"title_da": goal["title"], "title_en": goal.get("title_en")}
        if session.get(Goal, goal["code"]) is None:
            reference.create(
                session,
                "goal",
                {"code": goal["code"], "goal_set_id": set_id, "organisation_id": organisation}
                | values,
                actor,
            )
        else:
            reference.update(session, "goal", goal["code"], values, actor)
