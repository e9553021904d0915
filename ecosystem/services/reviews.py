"""Reviews of a thematic group: opening one, its snapshot, what changed since last time, the pack.

Opening a review freezes its moment (and the overlaps found then: the engine has no
past); reading it recomputes the slice from project history as of that moment
(:mod:`ecosystem.reviews`), so an old review reads the same after later publishes. The
group's coordinators and admins open reviews; anyone may read what is public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ecosystem.errors import FieldError, InvalidInput
from ecosystem.groups import Group, Reference, Scope, group_from_document, group_to_document
from ecosystem.model import Principal
from ecosystem.overlap import OverlapPair
from ecosystem.reviews import (
    AgendaItem,
    Decision,
    Diff,
    Snapshot,
    Stale,
    ToDiscuss,
    agenda,
    build_snapshot,
    not_reviewed_since,
    pair_from_json,
    pair_to_json,
    since_last,
    to_discuss,
)
from ecosystem.services import overlaps
from ecosystem.services.catalogue import Lifetime
from ecosystem.services.deliberately_not import opt_outs_as_of
from ecosystem.services.permissions import actor_name, may_lead_reviews, signed_in
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import catalogue as catalogue_store
from ecosystem.store import groups as group_store
from ecosystem.store import reviews as store
from ecosystem.store.reviews import ReviewRecord
from ecosystem.store.tables import utcnow

__all__ = [
    "Comparison",
    "Discussion",
    "GroupReviews",
    "Pack",
    "RefreshList",
    "ReviewDetail",
    "ReviewRecord",
    "get_review",
    "group_reviews",
    "list_reviews",
    "open_review",
    "refresh_list",
    "review_pack",
    "review_since_last",
    "snapshot_of",
    "to_discuss_now",
]


@dataclass(frozen=True)
class ReviewDetail:
    """A review, its snapshot as the reader may see it, and the group's decisions they may see."""

    review: ReviewRecord
    snapshot: Snapshot
    decisions: list[Decision]


@dataclass(frozen=True)
class Comparison:
    """A review next to the group's previous one (none at the first review)."""

    review: ReviewRecord
    snapshot: Snapshot
    previous: ReviewRecord | None
    previous_snapshot: Snapshot | None
    diff: Diff | None
    decisions: list[Decision]


@dataclass(frozen=True)
class Pack(Comparison):
    """Everything a chair sends before the meeting: the comparison, the agenda, what to discuss."""

    agenda: list[AgendaItem]
    to_discuss: list[ToDiscuss]  # the three to seven items the pack opens with


@dataclass(frozen=True)
class Discussion:
    """What a group should discuss now, compared with its last review (none before the first)."""

    items: list[ToDiscuss]
    since: ReviewRecord | None


@dataclass(frozen=True)
class GroupReviews:
    group: Group
    reviews: list[ReviewRecord]  # oldest first


@dataclass(frozen=True)
class RefreshList:
    """Per organisation, its cards in the mandate not confirmed since the last review."""

    group: Group
    since: dt.date | None  # the last review's meeting date
    stale: dict[str, list[Stale]]
    contacts: dict[int, list[str]]  # the e-mail addresses on each stale card
    reference: Reference


# --- opening and reading -------------------------------------------------------------------


def open_review(
    uow: UnitOfWork,
    principal: Principal,
    group_id: str,
    *,
    meeting_date: dt.date,
    participants: Sequence[dict[str, str]] = (),
    title: str | None = None,
) -> ReviewRecord:
    """Freeze the moment of the group's slice (its coordinators and admins)."""
    signed_in(principal)
    group = group_store.get_group(uow.session, group_id)
    may_lead_reviews(principal, group)
    _check_participants(uow, participants)
    pairs = [pair_to_json(p) for p in _current_pairs(uow, group)]
    return store.open_review(
        uow.session,
        group,
        group_to_document(group),
        title=title or f"{group.name} – {meeting_date.isoformat()}",
        meeting_date=meeting_date,
        participants=participants,
        pairs=pairs,
        as_of=utcnow(),
        actor=actor_name(principal),
    )


def list_reviews(uow: UnitOfWork, group_id: str) -> list[ReviewRecord]:
    """The group's reviews, oldest first (404 for an unknown group)."""
    return group_reviews(uow, group_id).reviews


def group_reviews(uow: UnitOfWork, group_id: str) -> GroupReviews:
    group = group_store.get_group(uow.session, group_id)
    return GroupReviews(group, store.list_reviews(uow.session, group_id))


def get_review(uow: UnitOfWork, principal: Principal, review_id: int) -> ReviewDetail:
    """A review with its snapshot recomputed as of its moment, and the decisions."""
    review = store.get_review(uow.session, review_id)
    decisions = store.decisions_for_group(uow.session, review.group_id, principal)
    return ReviewDetail(review, snapshot_of(uow, review, principal), decisions)


def review_since_last(uow: UnitOfWork, principal: Principal, review_id: int) -> Comparison:
    """What changed between the group's previous review and this one."""
    return _compared(uow, principal, store.get_review(uow.session, review_id))


def review_pack(uow: UnitOfWork, principal: Principal, review_id: int) -> Pack:
    """The comparison, the agenda and what to discuss: what the review pack is made from."""
    found = _compared(uow, principal, store.get_review(uow.session, review_id))
    items = agenda(found.snapshot, found.diff, found.decisions)
    first = to_discuss(found.snapshot, found.previous_snapshot, found.decisions)
    return Pack(**vars(found), agenda=items, to_discuss=first)


def to_discuss_now(uow: UnitOfWork, principal: Principal, now: Snapshot) -> Discussion:
    """The items to discuss in the group's slice as it is now, against its last review.

    ``now`` is the slice the caller has already analysed (the group overview), so nothing
    is computed twice; the last review's snapshot is remembered like any other.
    """
    group_id = now.group.id
    decisions = store.decisions_for_group(uow.session, group_id, principal)
    last = store.last_review(uow.session, group_id)
    previous = snapshot_of(uow, last, principal) if last is not None else None
    return Discussion(to_discuss(now, previous, decisions), last)


def snapshot_of(uow: UnitOfWork, review: ReviewRecord, principal: Principal) -> Snapshot:
    """The review's slice as it was, recomputed from history, as ``principal`` may see it.

    A snapshot depends only on the stored review, the history before its moment (which
    never changes: projects' and the "fravalgt" register's), the reference data and who
    reads; so the process remembers it until reference data changes.
    """

    def recompute() -> Snapshot:
        group = _group_then(review)
        return build_snapshot(
            group,
            uow.reference.reference,
            store.records_as_of(uow.session, review.as_of),
            [pair_from_json(p) for p in review.overlap_pairs],
            as_of=review.as_of,
            principal=principal,
            opted_out=opt_outs_as_of(uow, group, review.as_of),
        )

    return uow.remember(
        ("review-snapshot", review.id, principal), recompute, lasts=Lifetime.UNTIL_REFERENCE_CHANGE
    )


def _compared(uow: UnitOfWork, principal: Principal, review: ReviewRecord) -> Comparison:
    decisions = store.decisions_for_group(uow.session, review.group_id, principal)
    snapshot = snapshot_of(uow, review, principal)
    previous = store.previous_review(uow.session, review)
    if previous is None:
        return Comparison(review, snapshot, None, None, None, decisions)
    old = snapshot_of(uow, previous, principal)
    diff = since_last(old, snapshot, decisions)
    return Comparison(review, snapshot, previous, old, diff, decisions)


def _group_then(review: ReviewRecord) -> Group:
    """The group as it was when the review was opened (groups change too)."""
    return group_from_document(
        dict(review.group_document),
        revision=review.group_revision,
        created_at=review.created_at,
        updated_at=review.created_at,
    )


def _current_pairs(uow: UnitOfWork, group: Group) -> list[OverlapPair]:
    """Every overlap touching the group's slice now (stored: the engine has no past)."""
    everyone = Principal(is_admin=True)
    found = uow.catalogue.slice(everyone, group.mandate)
    scope = Scope(group.mandate, found.reference)
    covered = [p.id for p in found.projects if scope.covers(p)]
    return overlaps.pairs_among(uow, everyone, covered)


def _check_participants(uow: UnitOfWork, participants: Sequence[Mapping[str, str]]) -> None:
    unknown = store.unknown_organisations(uow.session, (p["organisation"] for p in participants))
    errors = [
        FieldError(
            f"participants[{i}].organisation",
            f"Ukendt organisation / Unknown organisation {p['organisation']!r}",
        )
        for i, p in enumerate(participants)
        if p["organisation"] in unknown
    ]
    if errors:
        raise InvalidInput("Ukendte deltagere / Unknown participants.", errors)


# --- before the meeting: cards to refresh --------------------------------------------------


def refresh_list(uow: UnitOfWork, principal: Principal, group_id: str) -> RefreshList:
    """The group's last meeting date, the stale cards per organisation, and their contacts.

    Contacts are the e-mail addresses on the cards (read in full: the slice leaves long
    texts out).
    """
    group = group_store.get_group(uow.session, group_id)
    last = store.last_review(uow.session, group.id)
    since = last.meeting_date if last else None
    found = uow.catalogue.slice(principal, group.mandate)
    scope = Scope(group.mandate, found.reference)
    stale = not_reviewed_since((p for p in found.projects if scope.covers(p)), since)
    ids = [s.project.id for items in stale.values() for s in items]
    contacts: dict[int, list[str]] = {}
    for record in catalogue_store.projects_by_id(uow.session, principal, ids, full=True):
        email = record.card.contact.email if record.card.contact else None
        contacts[record.id] = [email] if email else []
    return RefreshList(group, since, stale, contacts, found.reference)
