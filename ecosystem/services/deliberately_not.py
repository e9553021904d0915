"""The "fravalgt" register: organisations and groups record what they deliberately do not do.

Anyone may read an owner's register; the organisation itself (its token) or the group's
coordinators and admins add, change and withdraw entries (:func:`~ecosystem.services.
permissions.may_decide_opt_outs`). Every step is a revision; a withdrawn entry is kept as
history. What the gap analysis reads is :func:`opt_outs_for`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ecosystem.deliberately_not import OptOut, OptOuts
from ecosystem.errors import AuthenticationRequired, NotFound, PermissionDenied
from ecosystem.groups import Group
from ecosystem.model import Principal, Revision
from ecosystem.services.permissions import actor_name, may_decide_opt_outs
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import deliberately_not as store
from ecosystem.store import goals as goal_store
from ecosystem.store import groups as group_store

__all__ = [
    "EntryHistory",
    "add_entry",
    "change_entry",
    "entry_history",
    "list_entries",
    "may_decide",
    "opt_outs_as_of",
    "opt_outs_for",
    "require_decider",
    "today",
    "withdraw_entry",
]


@dataclass(frozen=True)
class EntryHistory:
    entry: OptOut
    revisions: list[Revision]


def today() -> dt.date:
    """The date entries are judged in force on (a lapsed ``until`` reopens the gap)."""
    return dt.datetime.now(dt.UTC).date()


def list_entries(uow: UnitOfWork, owner_kind: str, owner_id: str) -> list[OptOut]:
    """The owner's entries: live ones first (newest decision first), then withdrawn ones."""
    _owner(uow, owner_kind, owner_id)
    return store.entries_of(uow.session, owner_kind, [owner_id])


def may_decide(uow: UnitOfWork, principal: Principal, owner_kind: str, owner_id: str) -> bool:
    """Whether the principal may write the owner's register (asked without raising)."""
    try:
        may_decide_opt_outs(principal, owner_id, _owner(uow, owner_kind, owner_id))
    except (AuthenticationRequired, PermissionDenied):
        return False
    return True


def require_decider(
    uow: UnitOfWork, principal: Principal, owner_kind: str, owner_id: str
) -> Principal:
    """The principal, if it may write the owner's register; 401/403/404 otherwise."""
    return may_decide_opt_outs(principal, owner_id, _owner(uow, owner_kind, owner_id))


def add_entry(
    uow: UnitOfWork,
    principal: Principal,
    owner_kind: str,
    owner_id: str,
    document: Mapping[str, Any],
) -> OptOut:
    """Record a validated entry (``OptOutSchema``) for the owner."""
    may_decide_opt_outs(principal, owner_id, _owner(uow, owner_kind, owner_id))
    return store.add_entry(uow.session, owner_kind, owner_id, document, actor=actor_name(principal))


def change_entry(
    uow: UnitOfWork,
    principal: Principal,
    owner_kind: str,
    owner_id: str,
    entry_id: int,
    document: Mapping[str, Any],
) -> OptOut:
    """Replace the entry's document; ``revision``, when given, guards against lost updates."""
    may_decide_opt_outs(principal, owner_id, _owner(uow, owner_kind, owner_id))
    _owned(uow, owner_kind, owner_id, entry_id)
    changes = dict(document)
    expected = changes.pop("revision", None)
    return store.update_entry(
        uow.session, entry_id, changes, actor=actor_name(principal), expected_revision=expected
    )


def withdraw_entry(
    uow: UnitOfWork,
    principal: Principal,
    owner_kind: str,
    owner_id: str,
    entry_id: int,
    revision: int | None = None,
) -> OptOut:
    """Withdraw the entry: it no longer counts, and stays in the history."""
    may_decide_opt_outs(principal, owner_id, _owner(uow, owner_kind, owner_id))
    _owned(uow, owner_kind, owner_id, entry_id)
    return store.withdraw_entry(
        uow.session, entry_id, actor=actor_name(principal), expected_revision=revision
    )


def entry_history(uow: UnitOfWork, owner_kind: str, owner_id: str, entry_id: int) -> EntryHistory:
    """The entry as it stands and every step before, oldest first."""
    _owner(uow, owner_kind, owner_id)
    entry = _owned(uow, owner_kind, owner_id, entry_id)
    return EntryHistory(entry, store.entry_history(uow.session, entry_id))


def opt_outs_for(uow: UnitOfWork, group: Group | None) -> OptOuts:
    """The live entries a gap report weighs: the group's, and every organisation's.

    Organisations' entries are few (a handful each), so all are read; the gap core keeps
    those of the organisations answering for each cell.
    """
    organisations: dict[str, list[OptOut]] = {}
    for entry in store.entries_of(uow.session, "organisation", None, withdrawn=False):
        organisations.setdefault(entry.owner_id, []).append(entry)
    own: Sequence[OptOut] = (
        store.entries_of(uow.session, "group", [group.id], withdrawn=False) if group else ()
    )
    return OptOuts(today(), own, organisations)


def opt_outs_as_of(uow: UnitOfWork, group: Group, as_of: dt.datetime) -> OptOuts:
    """The entries a review weighs: the register as it stood at the review's moment.

    Judged in force on that moment's date, so a choice made, changed, withdrawn or
    lapsed later does not change what an old review said.
    """
    organisations: dict[str, list[OptOut]] = {}
    for entry in store.entries_as_of(uow.session, "organisation", None, as_of):
        organisations.setdefault(entry.owner_id, []).append(entry)
    own = store.entries_as_of(uow.session, "group", [group.id], as_of)
    return OptOuts(as_of.date(), own, organisations)


def _owner(uow: UnitOfWork, owner_kind: str, owner_id: str) -> Group | None:
    """The group for a group (None for an organisation); 404 for an unknown owner."""
    if owner_kind == "group":
        return group_store.get_group(uow.session, owner_id)
    if owner_kind == "organisation" and goal_store.organisation_name(uow.session, owner_id):
        return None
    raise NotFound(f"Ukendt ejer / Unknown owner {owner_kind}/{owner_id}.")


def _owned(uow: UnitOfWork, owner_kind: str, owner_id: str, entry_id: int) -> OptOut:
    """The entry, if it is the owner's; another owner's entry is not found under this one."""
    entry = store.get_entry(uow.session, entry_id)
    if (entry.owner_kind, entry.owner_id) != (owner_kind, owner_id):
        raise NotFound()
    return entry
