"""Publishing: an organisation's whole portfolio, or one project at a time.

A publish never deletes: a project left out of a whole-portfolio publish is withdrawn,
and every change is kept as a revision (see :mod:`ecosystem.store.projects`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ecosystem.errors import FieldError, InvalidInput
from ecosystem.model import Principal, PublishResult
from ecosystem.services.permissions import actor_name, may_publish_for
from ecosystem.services.projects import ProjectDetail, find_project
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import projects as store

__all__ = [
    "PutResult",
    "check_external_id",
    "publish_portfolio",
    "publish_projects",
    "put_project",
    "withdraw_project",
]


@dataclass(frozen=True)
class PutResult:
    """The project as stored after a single-project publish: is it new, did anything change?"""

    detail: ProjectDetail
    created: bool
    changed: bool = True


def publish_portfolio(
    uow: UnitOfWork, principal: Principal, organisation_id: str, document: dict[str, Any]
) -> PublishResult:
    """Publish a whole portfolio document; projects left out are withdrawn (kept in history)."""
    may_publish_for(principal, organisation_id)
    if document["organisation"] != organisation_id:
        raise InvalidInput(
            f"The document is for {document['organisation']!r}, not {organisation_id!r}.",
            [FieldError("organisation", f"Must be {organisation_id!r}, as in the URL.")],
        )
    return publish_projects(uow, principal, organisation_id, document["projects"], full=True)


def publish_projects(
    uow: UnitOfWork,
    principal: Principal,
    organisation_id: str,
    cards: Sequence[dict[str, Any]],
    *,
    full: bool,
) -> PublishResult:
    """Create or update validated cards (``full``: withdraw the organisation's others too)."""
    may_publish_for(principal, organisation_id)
    return store.publish(
        uow.session, organisation_id, cards, actor=actor_name(principal), full=full
    )


def put_project(
    uow: UnitOfWork, principal: Principal, organisation_id: str, card: dict[str, Any]
) -> PutResult:
    """Create or replace one project from its validated card."""
    may_publish_for(principal, organisation_id)
    result = store.publish(
        uow.session,
        organisation_id,
        [card],
        actor=actor_name(principal),
        full=False,
        path_of=lambda _: "",
    )
    detail = find_project(uow, principal, organisation_id, card["external_id"])
    return PutResult(detail, created=bool(result.created), changed=result.changed)


def check_external_id(card: dict[str, Any], external_id: str) -> None:
    """A card published at a project's address must carry that project's id."""
    if card["external_id"] != external_id:
        raise InvalidInput(
            "external_id in the body must match the URL.",
            [FieldError("external_id", f"Must be {external_id!r}, as in the URL.")],
        )


def withdraw_project(
    uow: UnitOfWork, principal: Principal, organisation_id: str, external_id: str
) -> None:
    """Withdraw one project; it stays readable in history and as-of reads."""
    may_publish_for(principal, organisation_id)
    store.withdraw(uow.session, organisation_id, external_id, actor=actor_name(principal))
