"""Publishing: an organisation's whole portfolio, or one project at a time.

A publish never deletes: a project left out of a whole-portfolio publish is withdrawn,
and every change is kept as a revision. Every publish first locks its organisation
(:func:`ecosystem.store.publishing.lock_organisation`), so concurrent publishes to one
organisation take turns and each plans from what the one before committed; callers run
them with ``UnitOfWork.run``, which retries what still clashes. The core decides what a publish changes
(:mod:`ecosystem.publishing`); the store reads what it starts from and writes the plan
(:mod:`ecosystem.store.publishing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ecosystem import publishing as core
from ecosystem.errors import FieldError, InvalidInput
from ecosystem.model import Principal, PublishResult
from ecosystem.publishing import PublishPlan
from ecosystem.services.permissions import actor_name, may_publish_for
from ecosystem.services.projects import ProjectDetail, find_project
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import goals as goal_store
from ecosystem.store import publishing as store

__all__ = [
    "PutResult",
    "check_external_id",
    "plan_publish",
    "publish_portfolio",
    "publish_projects",
    "put_intention",
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
    result = publish_projects(uow, principal, organisation_id, document["projects"], full=True)
    # The flag belongs to the whole document, so only a whole-portfolio publish sets it;
    # leaving it out says "not complete" (P2: partial is the normal case).
    store.set_portfolio_complete(uow.session, organisation_id, bool(document.get("complete")))
    return result


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
    store.lock_organisation(uow.session, organisation_id)
    plan = plan_publish(uow, organisation_id, cards, full=full)
    return store.apply_plan(uow.session, plan, actor=actor_name(principal))


def plan_publish(
    uow: UnitOfWork,
    organisation_id: str,
    cards: Sequence[dict[str, Any]],
    *,
    full: bool,
    path_of: Callable[[int], str] = lambda index: f"projects[{index}]",
) -> PublishPlan:
    """What publishing ``cards`` would do; writes nothing.

    Unknown codes raise :class:`InvalidInput` naming each place (``path_of(index)`` is
    where card ``index`` came from) before anything is planned. The organisation's own
    goals may be named by their bare codes; the plan holds their full codes.
    """
    store.require_organisation(uow.session, organisation_id)
    cards = [dict(card) for card in cards]  # the caller's cards stay as they were
    goal_store.resolve_own_goals(uow.session, organisation_id, cards)
    store.check_references(uow.session, cards, path_of)
    current = store.current_cards(uow.session, organisation_id)
    return core.plan_publish(organisation_id, current, cards, full=full)


def put_project(
    uow: UnitOfWork, principal: Principal, organisation_id: str, card: dict[str, Any]
) -> PutResult:
    """Create or replace one project from its validated card."""
    may_publish_for(principal, organisation_id)
    store.lock_organisation(uow.session, organisation_id)
    plan = plan_publish(uow, organisation_id, [card], full=False, path_of=lambda _: "")
    result = store.apply_plan(uow.session, plan, actor=actor_name(principal))
    detail = find_project(uow, principal, organisation_id, card["external_id"])
    return PutResult(detail, created=bool(result.created), changed=result.changed)


def put_intention(
    uow: UnitOfWork,
    principal: Principal,
    organisation_id: str,
    card: dict[str, Any],
    *,
    day: dt.date,
) -> PutResult:
    """Save a checked draft as a new project of the organisation (issue 15: "an intention").

    The card is validated as any other (its ``external_id`` is replaced); it gets the
    next free ``HENSIGT-<day>-<n>`` id, chosen under the organisation's lock so two saves
    at once never take the same one. From here on it is a published project like any
    other, so matchmaking (with consent) sees it.
    """
    may_publish_for(principal, organisation_id)
    store.lock_organisation(uow.session, organisation_id)
    taken = store.current_cards(uow.session, organisation_id)
    named = {**card, "external_id": core.intention_id(taken, day)}
    return put_project(uow, principal, organisation_id, named)


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
    store.lock_organisation(uow.session, organisation_id)
    stored = store.current_card(uow.session, organisation_id, external_id)
    plan = core.plan_withdrawal(organisation_id, stored, external_id)
    store.apply_plan(uow.session, plan, actor=actor_name(principal))
