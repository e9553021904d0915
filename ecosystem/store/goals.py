"""Goal pictures of organisations and groups, with history (table from migration 0004).

Each save adds a revision; the latest is current, and nothing earlier is lost. The
concrete goals are also registered in the shared ``goals`` table (in one goal set per
owner), so project cards can link to them by code with the existing ``goals`` field.

A picture's goal codes are the owner's own: two owners may both have ``DR-MAAL-1``. In
the shared table, where codes are unique, an owner's goal is registered as
``owner:code`` (``kommune-aarhus:DR-MAAL-1``); the owner's own project cards may still
write the bare code, which publishing resolves (:func:`resolve_own_goals`). Goals that an
owner registered bare before codes were namespaced keep their code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecosystem.errors import FieldError, InvalidInput, NotFound, StaleData
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
    "registered_code",
    "resolve_own_goals",
    "save_picture",
]

OWNER_KINDS = ("organisation", "group")
# Picture codes never hold it (see GoalPictureSchema), so a qualified code meets no bare one.
SEPARATOR = ":"
CODE_LENGTH = 64  # goals.code


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
    expected_revision: int | None = None,
) -> GoalPictureRecord:
    """Store a new revision of the picture and register its goals for project cards.

    A picture exactly like the current one writes nothing and returns the current
    revision: saving it again is no change to the reference data, so no worker rebuilds.
    ``expected_revision``, when given, is the revision the change was based on (0: none
    yet); another is refused, so an editor never overwrites a save it has not seen.
    """
    latest = session.scalars(
        select(GoalPicture)
        .where(GoalPicture.owner_kind == owner_kind, GoalPicture.owner_id == owner_id)
        .order_by(GoalPicture.revision.desc())
        .limit(1)
    ).first()
    current = latest.revision if latest is not None else 0
    if expected_revision is not None and expected_revision != current:
        raise StaleData(
            f"Målbilledet er ændret siden revision {expected_revision} (nu {current}); læs det "
            f"igen / The goal picture changed since revision {expected_revision} (now "
            f"{current}); read it again."
        )
    if latest is not None and latest.data == document:
        return _view(latest)
    set_id = goal_set_id(owner_kind, owner_id)
    codes = _check_codes(session, document, set_id, owner_id)
    _register_goals(session, document, codes, set_id, (owner_kind, owner_id, owner_name), actor)
    row = GoalPicture(
        owner_kind=owner_kind,
        owner_id=owner_id,
        revision=current + 1,
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
    session: Session, owner_kind: str, owner_id: str, codes: Collection[str], principal: Principal
) -> dict[str, list[int]]:
    """The live projects the principal may see that link to each of the owner's goal codes."""
    set_id = goal_set_id(owner_kind, owner_id)
    picture_code = {registered_code(session, set_id, owner_id, code): code for code in codes}
    found: dict[str, list[int]] = {code: [] for code in codes}
    if not codes:
        return found
    query = ProjectQuery(goals=tuple(sorted(picture_code)))
    for record in project_store.list_projects(session, query, principal, per_page=None).items:
        for code in record.card.goals:
            if code in picture_code:
                found[picture_code[code]].append(record.id)
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


def registered_code(session: Session, set_id: str, owner_id: str, code: str) -> str:
    """The code under which the owner's goal ``code`` is (or will be) in the shared table."""
    legacy = session.get(Goal, code)
    if legacy is not None and legacy.goal_set_id == set_id:
        return code  # registered bare before codes were namespaced: links keep working
    return f"{owner_id}{SEPARATOR}{code}"


def resolve_own_goals(
    session: Session, organisation_id: str, cards: Sequence[dict[str, Any]]
) -> None:
    """Rewrite, in the cards, the bare codes of the organisation's own goals to their full codes.

    A code that is registered as it stands (a national goal, a full code) means that goal;
    only a code that is not is looked up among the organisation's own goals. Anything
    still unknown is left for the reference check to name.
    """
    wanted = {code for card in cards for code in card.get("goals", ())}
    if not wanted:
        return
    known = set(session.scalars(select(Goal.code).where(Goal.code.in_(wanted))))
    own = {
        code: f"{organisation_id}{SEPARATOR}{code}"
        for code in wanted - known
        if SEPARATOR not in code
    }
    found = set(session.scalars(select(Goal.code).where(Goal.code.in_(list(own.values())))))
    for card in cards:
        if "goals" in card:
            card["goals"] = [
                own[code] if own.get(code) in found else code for code in card["goals"]
            ]


def _check_codes(
    session: Session, document: dict[str, Any], set_id: str, owner_id: str
) -> dict[str, str]:
    """Each goal's code in the shared table; refused if it cannot be the owner's.

    Only an owner whose id is another owner's too (an organisation and a group) can meet
    a taken code, or one too long once the owner's id is put in front.
    """
    errors, codes = [], {}
    for index, goal in enumerate(document.get("goals", ())):
        code = registered_code(session, set_id, owner_id, goal["code"])
        existing = session.get(Goal, code)
        if existing is not None and existing.goal_set_id != set_id:
            message = (
                f"Koden {goal['code']!r} bruges allerede af et andet mål / The code is "
                "already used by another goal."
            )
        elif len(code) > CODE_LENGTH:
            message = (
                f"Koden er for lang sammen med ejerens id ({code!r}, højst {CODE_LENGTH} tegn) / "
                f"The code is too long together with the owner's id (at most {CODE_LENGTH})."
            )
        else:
            codes[goal["code"]] = code
            continue
        errors.append(FieldError(f"goals[{index}].code", message))
    if errors:
        raise InvalidInput("Målkoder er optaget / Goal codes are taken.", errors)
    return codes


def _register_goals(
    session: Session,
    document: dict[str, Any],
    codes: Mapping[str, str],
    set_id: str,
    owner: tuple[str, str, str],
    actor: str,
) -> None:
    """Create the owner's goal set and goals in the shared table; update changed titles."""
    owner_kind, owner_id, owner_name = owner
    organisation = owner_id if owner_kind == "organisation" else None
    if session.get(GoalSet, set_id) is None:
        reference.create(
            session,
            "goal_set",
            {"id": set_id, "organisation_id": organisation, "name_da": f"Mål for {owner_name}"},
            actor,
        )
    for goal in document.get("goals", ()):
        code = codes[goal["code"]]
        values = {"title_da": goal["title"], "title_en": goal.get("title_en")}
        existing = session.get(Goal, code)
        if existing is None:
            reference.create(
                session,
                "goal",
                {"code": code, "goal_set_id": set_id, "organisation_id": organisation} | values,
                actor,
            )
        elif (existing.title_da, existing.title_en) != (values["title_da"], values["title_en"]):
            # Only a real change is audited: each audit entry is a new reference version.
            reference.update(session, "goal", code, values, actor)
