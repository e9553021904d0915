"""Strategic goal pictures of organisations and groups, and how their goals are followed up.

Each save is a new revision (nothing earlier is lost); the picture's concrete goals are
registered as goals project cards can link to (each owner's codes are its own, see
:mod:`ecosystem.store.goals`). An organisation's goals are set by whoever
publishes for it, a group's by its coordinators and admins. More than ten goals is
accepted, with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ecosystem.errors import NotFound
from ecosystem.goal_pictures import GoalPictureSchema, goal_warnings
from ecosystem.goals_followup import GoalStatus, follow_up
from ecosystem.groups import Group
from ecosystem.model import Principal
from ecosystem.services.permissions import actor_name, may_set_goals
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import goals as store
from ecosystem.store import groups as group_store
from ecosystem.store.goals import GoalPictureRecord

__all__ = [
    "FollowUp",
    "GoalPicture",
    "GoalPictureRecord",
    "current_or_none",
    "find_follow_up",
    "follow_up_goals",
    "get_goal_picture",
    "may_edit_goals",
    "owner_is_demo",
    "owner_name",
    "put_goal_picture",
]

Warnings = list[dict[str, str]]


@dataclass(frozen=True)
class GoalPicture:
    """The current picture with its soft-limit warnings, and every revision, oldest first."""

    picture: GoalPictureRecord
    warnings: Warnings
    history: list[GoalPictureRecord]


@dataclass(frozen=True)
class FollowUp:
    """Each goal's status in the current picture: trends, distances, narrative, projects."""

    picture: GoalPictureRecord
    warnings: Warnings
    goals: list[GoalStatus]
    # Each goal's code as another organisation's card names it (``owner:code``).
    card_codes: dict[str, str]


def put_goal_picture(
    uow: UnitOfWork,
    principal: Principal,
    owner_kind: str,
    owner_id: str,
    document: Mapping[str, Any],
    *,
    expected_revision: int | None = None,
) -> GoalPicture:
    """Save a validated picture (``GoalPictureSchema``) as the owner's new revision.

    ``expected_revision`` (0: no picture yet), or the document's own ``revision``, guards
    against lost updates: a picture saved by someone else since is refused
    (:class:`~ecosystem.errors.StaleData`, 409).
    """
    name, group = _owner(uow, owner_kind, owner_id)
    may_set_goals(principal, owner_id, group)
    stored = store.save_picture(
        uow.session,
        owner_kind,
        owner_id,
        GoalPictureSchema().dump(document),
        owner_name=name,
        actor=actor_name(principal),
        expected_revision=document.get("revision", expected_revision),
    )
    return GoalPicture(stored, goal_warnings(stored.document), [])


def get_goal_picture(uow: UnitOfWork, owner_kind: str, owner_id: str) -> GoalPicture:
    """The current goal picture, with the revisions that came before."""
    _owner(uow, owner_kind, owner_id)
    history = store.picture_history(uow.session, owner_kind, owner_id)
    if not history:
        raise NotFound(f"Intet målbillede / No goal picture for {owner_kind}/{owner_id}.")
    return GoalPicture(history[-1], goal_warnings(history[-1].document), history)


def follow_up_goals(
    uow: UnitOfWork, principal: Principal, owner_kind: str, owner_id: str
) -> FollowUp:
    """Each goal's trend, distance to target and narrative; the projects behind it."""
    _owner(uow, owner_kind, owner_id)
    picture = store.current_picture(uow.session, owner_kind, owner_id)
    codes = [goal["code"] for goal in picture.document["goals"]]
    linked = store.projects_by_goal(uow.session, owner_kind, owner_id, codes, principal)
    goals = follow_up(picture.document, linked)
    set_id = store.goal_set_id(owner_kind, owner_id)
    card_codes = {
        code: store.registered_code(uow.session, set_id, owner_id, code) for code in codes
    }
    return FollowUp(picture, goal_warnings(picture.document), goals, card_codes)


def find_follow_up(
    uow: UnitOfWork, principal: Principal, owner_kind: str, owner_id: str
) -> FollowUp | None:
    """As :func:`follow_up_goals`, or None when the (known) owner has no picture yet."""
    if current_or_none(uow, owner_kind, owner_id) is None:
        return None
    return follow_up_goals(uow, principal, owner_kind, owner_id)


def current_or_none(uow: UnitOfWork, owner_kind: str, owner_id: str) -> GoalPictureRecord | None:
    """The owner's current picture, or None when it has none yet; 404 for an unknown owner."""
    _owner(uow, owner_kind, owner_id)
    history = store.picture_history(uow.session, owner_kind, owner_id)
    return history[-1] if history else None


def owner_name(uow: UnitOfWork, owner_kind: str, owner_id: str) -> str:
    """The organisation's or group's name; 404 for an unknown owner."""
    return _owner(uow, owner_kind, owner_id)[0]


def owner_is_demo(uow: UnitOfWork, owner_kind: str, owner_id: str) -> bool:
    """Whether the owner is a demo group, so its picture is fictional (404 for no owner).

    A picture carries no demo mark of its own: the demo loader writes only the demo
    group's (:mod:`seeds.goals`), and an organisation is never demo.
    """
    group = _owner(uow, owner_kind, owner_id)[1]
    return group is not None and group.demo


def may_edit_goals(uow: UnitOfWork, principal: Principal, owner_kind: str, owner_id: str) -> None:
    """Refuse (401/403) unless the principal may set the owner's goals; 404 for no owner."""
    _, group = _owner(uow, owner_kind, owner_id)
    may_set_goals(principal, owner_id, group)


def _owner(uow: UnitOfWork, owner_kind: str, owner_id: str) -> tuple[str, Group | None]:
    """The owner's name (and the group, for a group); 404 for an unknown kind or owner."""
    if owner_kind == "organisation":
        name = store.organisation_name(uow.session, owner_id)
        if name is not None:
            return name, None
    elif owner_kind == "group":
        group = group_store.get_group(uow.session, owner_id)
        return group.name, group
    raise NotFound(f"Ukendt ejer / Unknown owner {owner_kind}/{owner_id}.")
