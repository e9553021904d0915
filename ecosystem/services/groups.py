"""Thematic portfolio groups: their definitions and every version of them.

A group recommends; it never edits other organisations' projects (DOMAIN.md §2). Anyone
may read a group; an admin, or an organisation naming itself as a coordinator, creates
one; its coordinators and admins change it, and the history keeps every version. What
the groups' analyses find is in :mod:`ecosystem.services.analyses`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ecosystem.groups import Group, GroupSchema, group_to_document
from ecosystem.model import Principal, Revision
from ecosystem.services.permissions import (
    CHANGING_GROUPS,
    actor_name,
    keeps_itself,
    may_change_group,
    may_create_group,
    signed_in,
    visible_history,
)
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import groups as store

__all__ = [
    "GroupDetail",
    "create_group",
    "get_group",
    "group_with_history",
    "list_groups",
    "update_group",
]


@dataclass(frozen=True)
class GroupDetail:
    """A group as it is now, and every version it has had, oldest first."""

    group: Group
    revisions: list[Revision]


def list_groups(uow: UnitOfWork, *, demo: bool | None = None) -> list[Group]:
    """Every group by id (``demo``: only demo groups, or only real ones)."""
    return store.list_groups(uow.session, demo=demo)


def get_group(uow: UnitOfWork, group_id: str) -> Group:
    """The group; :class:`~ecosystem.errors.NotFound` when there is none by that id."""
    return store.get_group(uow.session, group_id)


def group_with_history(uow: UnitOfWork, principal: Principal, group_id: str) -> GroupDetail:
    """The group and the versions the principal may read (by the rule projects' follow).

    A group is open to all today, so every version is; reading the history through the
    one rule keeps it that way should a group ever carry a visibility.
    """
    group = store.get_group(uow.session, group_id)
    revisions = store.group_revisions(uow.session, group_id)
    return GroupDetail(group, visible_history(revisions, principal, group_id))


def create_group(uow: UnitOfWork, principal: Principal, document: dict[str, Any]) -> Group:
    """Store a new group from its validated document (``GroupSchema``)."""
    may_create_group(principal, document)
    return store.create_group(uow.session, document, actor=actor_name(principal))


def update_group(
    uow: UnitOfWork, principal: Principal, group_id: str, changes: Mapping[str, Any]
) -> Group:
    """Apply a validated PATCH (``GroupPatchSchema``); ``revision`` guards against lost updates."""
    signed_in(principal, CHANGING_GROUPS)
    changes = dict(changes)
    expected = changes.pop("revision", None)
    group = store.get_group(uow.session, group_id)
    may_change_group(principal, group)
    document = _merged(group, changes)
    keeps_itself(principal, document)
    return store.update_group(
        uow.session, group_id, document, actor=actor_name(principal), expected_revision=expected
    )


def _merged(group: Group, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The group's document with the PATCH applied (mandate merged field by field), validated."""
    document = group_to_document(group)
    for key, value in changes.items():
        if key == "mandate":
            document["mandate"] = {**document["mandate"], **value}
        else:
            document[key] = value
    return dict(GroupSchema().load(document))
