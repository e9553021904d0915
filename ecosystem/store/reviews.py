"""Reviews, the decisions made at them and the owners' responses (tables from migration 0004).

A review stores its moment, the group's document as it was and the overlap pairs found
then; the slice itself is re-read from project history (:func:`records_as_of`). Decisions
and responses are append-only: a later decision on the same finding supersedes an
earlier one without erasing it, and each response is a new row. Reviews are read back
as :class:`ReviewRecord`, decisions as the core's :class:`~ecosystem.reviews.Decision`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Date, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecosystem.errors import NotFound
from ecosystem.groups import Group
from ecosystem.model import Principal, ProjectRecord
from ecosystem.query import ProjectQuery
from ecosystem.reviews import Decision, DecisionKind, Response, ResponseKind
from ecosystem.store import projects as project_store
from ecosystem.store.tables import (
    CODE,
    Base,
    JsonType,
    Organisation,
    Project,
    UTCDateTime,
    utcnow,
)

__all__ = [
    "DecisionResponse",
    "Review",
    "ReviewDecision",
    "ReviewRecord",
    "add_decision",
    "add_response",
    "decisions_for_group",
    "decisions_for_project",
    "get_decision",
    "get_review",
    "last_review",
    "list_reviews",
    "may_see_decision",
    "open_review",
    "owners_of",
    "previous_review",
    "records_as_of",
    "unknown_organisations",
]


class Review(Base):
    """A review meeting of a group and the moment its snapshot was frozen."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("thematic_groups.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[dt.date] = mapped_column(Date)
    participants: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    as_of: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    catalog_version: Mapped[int] = mapped_column(Integer)
    group_revision: Mapped[int] = mapped_column(Integer)
    group_document: Mapped[dict[str, Any]] = mapped_column(JsonType)
    overlap_pairs: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ReviewDecision(Base):
    """What a group recommended about one finding at one review."""

    __tablename__ = "review_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    group_id: Mapped[str] = mapped_column(String(CODE), index=True)
    finding_key: Mapped[str] = mapped_column(String(200))
    finding: Mapped[dict[str, Any]] = mapped_column(JsonType)
    project_ids: Mapped[list[int]] = mapped_column(JsonType)
    kind: Mapped[str] = mapped_column(String(32))
    counterparts: Mapped[list[str]] = mapped_column(JsonType)
    rationale: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class DecisionResponse(Base):
    """An owning organisation's answer to a decision; later answers add rows."""

    __tablename__ = "decision_responses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("review_decisions.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    response: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class ReviewRecord:
    """A stored review: its moment, the group as it was, and the overlaps found then."""

    id: int
    group_id: str
    title: str
    meeting_date: dt.date
    participants: tuple[Mapping[str, str], ...]
    as_of: dt.datetime
    catalog_version: int
    group_revision: int
    group_document: Mapping[str, Any]
    overlap_pairs: tuple[Mapping[str, Any], ...]
    actor: str
    created_at: dt.datetime


def _record(row: Review) -> ReviewRecord:
    return ReviewRecord(
        id=row.id,
        group_id=row.group_id,
        title=row.title,
        meeting_date=row.meeting_date,
        participants=tuple(row.participants),
        as_of=row.as_of,
        catalog_version=row.catalog_version,
        group_revision=row.group_revision,
        group_document=row.group_document,
        overlap_pairs=tuple(row.overlap_pairs),
        actor=row.actor,
        created_at=row.created_at,
    )


# --- reviews -------------------------------------------------------------------------------


def open_review(
    session: Session,
    group: Group,
    group_document: dict[str, Any],
    *,
    title: str,
    meeting_date: dt.date,
    participants: Sequence[dict[str, str]],
    pairs: Sequence[dict[str, Any]],
    as_of: dt.datetime,
    actor: str,
) -> ReviewRecord:
    """Freeze the moment of a new review of ``group``."""
    review = Review(
        group_id=group.id,
        title=title,
        meeting_date=meeting_date,
        participants=[dict(p) for p in participants],
        as_of=as_of,
        catalog_version=project_store.catalog_version(session),
        group_revision=group.revision,
        group_document=group_document,
        overlap_pairs=list(pairs),
        actor=actor,
        created_at=utcnow(),
    )
    session.add(review)
    session.flush()
    return _record(review)


def get_review(session: Session, review_id: int) -> ReviewRecord:
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound()
    return _record(review)


def list_reviews(session: Session, group_id: str) -> list[ReviewRecord]:
    """The group's reviews, oldest first."""
    stmt = select(Review).where(Review.group_id == group_id).order_by(Review.as_of, Review.id)
    return [_record(row) for row in session.scalars(stmt)]


def last_review(session: Session, group_id: str) -> ReviewRecord | None:
    """The group's latest review (by the moment frozen), if it has one."""
    return _latest(session, Review.group_id == group_id)


def previous_review(session: Session, review: ReviewRecord) -> ReviewRecord | None:
    """The group's review just before ``review`` (by the moment frozen)."""
    return _latest(session, Review.group_id == review.group_id, Review.as_of < review.as_of)


def _latest(session: Session, *conditions: ColumnElement[bool]) -> ReviewRecord | None:
    # One row: every review carries its frozen pairs, too many to decode just to pick one.
    stmt = (
        select(Review).where(*conditions).order_by(Review.as_of.desc(), Review.id.desc()).limit(1)
    )
    row = session.scalars(stmt).first()
    return _record(row) if row is not None else None


def unknown_organisations(session: Session, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` that name no organisation."""
    wanted = set(ids)
    known = set(session.scalars(select(Organisation.id).where(Organisation.id.in_(wanted))))
    return wanted - known


def records_as_of(session: Session, as_of: dt.datetime) -> list[ProjectRecord]:
    """Every project as its last revision at or before ``as_of`` left it, withdrawn included."""
    query = ProjectQuery(as_of=as_of, include_withdrawn=True)
    everyone = Principal(is_admin=True)  # the caller filters by what its reader may see
    return project_store.list_projects(session, query, everyone, per_page=None).items


# --- decisions and responses ---------------------------------------------------------------


def add_decision(
    session: Session,
    review: ReviewRecord,
    *,
    finding_key: str,
    finding: dict[str, Any],
    project_ids: Sequence[int],
    kind: DecisionKind,
    counterparts: Sequence[str],
    rationale: str,
    actor: str,
) -> Decision:
    row = ReviewDecision(
        review_id=review.id,
        group_id=review.group_id,
        finding_key=finding_key,
        finding=finding,
        project_ids=list(project_ids),
        kind=kind.value,
        counterparts=list(counterparts),
        rationale=rationale,
        actor=actor,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return _decisions(session, [row])[0]


def add_response(
    session: Session,
    decision_id: int,
    *,
    organisation_id: str,
    response: ResponseKind,
    comment: str,
    actor: str,
) -> Decision:
    row = _decision_row(session, decision_id)
    session.add(
        DecisionResponse(
            decision_id=row.id,
            organisation_id=organisation_id,
            response=response.value,
            comment=comment,
            actor=actor,
            created_at=utcnow(),
        )
    )
    session.flush()
    return _decisions(session, [row])[0]


def get_decision(session: Session, decision_id: int) -> Decision:
    return _decisions(session, [_decision_row(session, decision_id)])[0]


def decisions_for_group(
    session: Session, group_id: str, principal: Principal | None = None
) -> list[Decision]:
    """The group's decisions, oldest first; with ``principal``, only those about projects
    it may see (a decision's rationale says something about its projects)."""
    stmt = (
        select(ReviewDecision)
        .where(ReviewDecision.group_id == group_id)
        .order_by(ReviewDecision.created_at, ReviewDecision.id)
    )
    rows = list(session.scalars(stmt))
    if principal is not None and not principal.is_admin:
        visible = _visible_ids(session, {p for r in rows for p in (r.project_ids or [])}, principal)
        rows = [r for r in rows if set(r.project_ids or ()) <= visible]
    return _decisions(session, rows)


def _visible_ids(session: Session, project_ids: Collection[int], principal: Principal) -> set[int]:
    if not project_ids:
        return set()
    rows = session.execute(
        select(Project.id, Project.organisation_id, Project.visibility).where(
            Project.id.in_(sorted(project_ids))
        )
    )
    return {i for i, owner, visibility in rows if principal.can_see(visibility, owner)}


def decisions_for_project(
    session: Session, project_id: int, principal: Principal
) -> list[Decision]:
    """Every decision that names the project and whose projects the principal may all see.

    Decisions are few; the project ids are JSON, so they are filtered here rather than
    in SQL (the same on SQLite and PostgreSQL).
    """
    rows = [
        r
        for r in session.scalars(
            select(ReviewDecision).order_by(ReviewDecision.created_at, ReviewDecision.id)
        )
        if project_id in (r.project_ids or [])
    ]
    if not principal.is_admin:
        visible = _visible_ids(session, {p for r in rows for p in (r.project_ids or [])}, principal)
        rows = [r for r in rows if set(r.project_ids or ()) <= visible]
    return _decisions(session, rows)


def may_see_decision(session: Session, decision: Decision, principal: Principal) -> bool:
    if principal.is_admin:
        return True
    return set(decision.project_ids) <= _visible_ids(session, decision.project_ids, principal)


def owners_of(session: Session, project_ids: Collection[int]) -> dict[int, str]:
    if not project_ids:
        return {}
    rows = session.execute(
        select(Project.id, Project.organisation_id).where(Project.id.in_(sorted(project_ids)))
    )
    return {project_id: owner for project_id, owner in rows}


def _decision_row(session: Session, decision_id: int) -> ReviewDecision:
    row = session.get(ReviewDecision, decision_id)
    if row is None:
        raise NotFound()
    return row


def _decisions(session: Session, rows: Sequence[ReviewDecision]) -> list[Decision]:
    ids = [r.id for r in rows]
    responses: dict[int, list[Response]] = {}
    if ids:
        stmt = (
            select(DecisionResponse)
            .where(DecisionResponse.decision_id.in_(ids))
            .order_by(DecisionResponse.created_at, DecisionResponse.id)
        )
        for r in session.scalars(stmt):
            responses.setdefault(r.decision_id, []).append(
                Response(
                    r.organisation_id, ResponseKind(r.response), r.comment, r.actor, r.created_at
                )
            )
    owners = owners_of(session, {p for r in rows for p in (r.project_ids or [])})
    return [
        Decision(
            id=r.id,
            review_id=r.review_id,
            group_id=r.group_id,
            finding_key=r.finding_key,
            finding=r.finding,
            project_ids=tuple(r.project_ids or ()),
            kind=DecisionKind(r.kind),
            counterparts=tuple(r.counterparts or ()),
            rationale=r.rationale,
            actor=r.actor,
            created_at=r.created_at,
            responses=tuple(responses.get(r.id, ())),
            owners=tuple(sorted({owners[p] for p in (r.project_ids or []) if p in owners})),
        )
        for r in rows
    ]
