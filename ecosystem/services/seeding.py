"""Loading the data the service starts with: reference records, the demo portfolio and groups.

Loading is idempotent and never overwrites: a record that already exists is left as it
is (an admin may have changed it), a demo project is never written over a project an
organisation published itself, and a group that exists keeps what its coordinators made
of it. The loaders in :mod:`seeds` read the files; these are the writes they make.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ecosystem.model import Principal, PublishResult
from ecosystem.services import groups, publishing, reference
from ecosystem.services.permissions import require_admin
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import projects as project_store
from ecosystem.store import reference as reference_store

__all__ = ["add_missing", "add_missing_groups", "publish_demo"]


def add_missing(
    uow: UnitOfWork, principal: Principal, entity: str, records: Iterable[dict[str, Any]]
) -> list[bool]:
    """Add the validated reference records whose key is new; for each, whether it was added."""
    existing = reference_store.known_codes(uow.session, entity)
    key = reference_store.ENTITIES[entity].key
    added = []
    for values in records:
        is_new = values[key] not in existing
        if is_new:
            reference.create(uow, principal, entity, values)
        added.append(is_new)
    return added


def publish_demo(
    uow: UnitOfWork, principal: Principal, organisation_id: str, cards: Sequence[dict[str, Any]]
) -> PublishResult:
    """Publish validated demo cards without withdrawing anything.

    A card whose external id the organisation already uses for a project of its own (not
    a demo one) is left out, so the demo never overwrites real data.
    """
    is_demo = project_store.external_ids(uow.session, organisation_id)
    demo = [card for card in cards if is_demo.get(card["external_id"], True)]
    return publishing.publish_projects(uow, principal, organisation_id, demo, full=False)


def add_missing_groups(
    uow: UnitOfWork, principal: Principal, documents: Iterable[dict[str, Any]]
) -> int:
    """Create the validated groups whose id is new; how many were created."""
    require_admin(principal)
    existing = {group.id for group in groups.list_groups(uow)}
    added = 0
    for document in documents:
        if document["id"] not in existing:
            groups.create_group(uow, principal, document)
            added += 1
    return added
