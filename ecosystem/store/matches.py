"""Matchmaking: consent, matches, answers and digests (tables from migration 0010).

A match is one row per unordered pair of projects (``project_a < project_b``), so a
refresh that finds it again adds nothing. Answers are append-only: a side's current
answer is its latest row, and every earlier one stays. Consent changes are audited in
``audit_log`` (entity ``matchmaking``), so the settings' history is kept too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecosystem.errors import NotFound
from ecosystem.matchmaking import Answer, NotRelevantBecause
from ecosystem.store.tables import CODE, AuditEntry, Base, JsonType, UTCDateTime, utcnow

__all__ = [
    "AnswerRecord",
    "MatchAnswer",
    "MatchDigest",
    "MatchOptOut",
    "MatchRecord",
    "MatchRow",
    "MatchSetting",
    "add_answer",
    "add_digest",
    "add_matches",
    "answers_of",
    "consent_version",
    "digested",
    "every_answer",
    "get_match",
    "last_digest",
    "matches_of",
    "opted_in",
    "opted_out",
    "pairs_known",
    "set_consent",
]


class MatchSetting(Base):
    """An organisation's consent to matchmaking (no row: not opted in)."""

    __tablename__ = "match_settings"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    opted_in: Mapped[bool] = mapped_column(Boolean)
    actor: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MatchOptOut(Base):
    """A project its organisation keeps out of matchmaking."""

    __tablename__ = "match_opt_outs"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(String(CODE), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MatchRow(Base):
    """Two projects of different organisations that are surely the same intervention."""

    __tablename__ = "matches"
    __table_args__ = (
        UniqueConstraint("project_a", "project_b"),
        CheckConstraint("project_a < project_b", name="ck_matches_ordered"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_a: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    project_b: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    organisation_a: Mapped[str] = mapped_column(String(CODE), index=True)
    organisation_b: Mapped[str] = mapped_column(String(CODE), index=True)
    # {"a": reasons as a's owner reads them (about b), "b": the same about a}
    reasons: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MatchAnswer(Base):
    """One side's answer to a match; a changed answer adds a row."""

    __tablename__ = "match_answers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"), index=True)
    project_id: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[str] = mapped_column(String(CODE))
    answer: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    # why "not relevant", as a choice the matching learns from (migration 0011)
    because: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MatchDigest(Base):
    """A digest mailed to an organisation: which matches it named, and to whom."""

    __tablename__ = "match_digests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(String(CODE), index=True)
    match_ids: Mapped[list[int]] = mapped_column(JsonType)
    recipients: Mapped[list[str]] = mapped_column(JsonType)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True)
class MatchRecord:
    id: int
    project_a: int
    project_b: int
    organisation_a: str
    organisation_b: str
    reasons: Mapping[str, Any]
    created_at: dt.datetime


@dataclass(frozen=True)
class AnswerRecord:
    match_id: int
    project_id: int
    organisation_id: str
    answer: Answer
    reason: str
    actor: str
    created_at: dt.datetime
    because: NotRelevantBecause | None = None


def _record(row: MatchRow) -> MatchRecord:
    return MatchRecord(
        row.id,
        row.project_a,
        row.project_b,
        row.organisation_a,
        row.organisation_b,
        row.reasons,
        row.created_at,
    )


# --- consent -------------------------------------------------------------------------------


def opted_in(session: Session, organisation_ids: Collection[str] | None = None) -> set[str]:
    """The organisations (of those given, or all) that opted in."""
    query = select(MatchSetting.organisation_id).where(MatchSetting.opted_in.is_(True))
    if organisation_ids is not None:
        query = query.where(MatchSetting.organisation_id.in_(sorted(set(organisation_ids))))
    return set(session.scalars(query))


def consent_version(session: Session) -> tuple[int, dt.datetime | None]:
    """Changes with every consent change (each one touches its setting's ``updated_at``)."""
    count, latest = session.execute(
        select(func.count(MatchSetting.organisation_id), func.max(MatchSetting.updated_at))
    ).one()
    return int(count), latest


def opted_out(session: Session, organisation_id: str | None = None) -> set[int]:
    """The projects kept out of matchmaking (of one organisation, or all)."""
    query = select(MatchOptOut.project_id)
    if organisation_id is not None:
        query = query.where(MatchOptOut.organisation_id == organisation_id)
    return set(session.scalars(query))


def set_consent(
    session: Session,
    organisation_id: str,
    *,
    opted_in: bool,
    excluded: Mapping[int, str],
    actor: str,
) -> None:
    """Replace the organisation's consent and its opted-out projects (id → external id)."""
    setting = session.get(MatchSetting, organisation_id)
    if setting is None:
        setting = MatchSetting(organisation_id=organisation_id)
        session.add(setting)
    setting.opted_in, setting.actor, setting.updated_at = opted_in, actor, utcnow()
    session.execute(delete(MatchOptOut).where(MatchOptOut.organisation_id == organisation_id))
    session.add_all(
        MatchOptOut(project_id=project, organisation_id=organisation_id) for project in excluded
    )
    session.add(
        AuditEntry(
            entity="matchmaking",
            key=organisation_id,
            action="update",
            data={"opted_in": opted_in, "excluded_projects": sorted(excluded.values())},
            actor=actor,
        )
    )
    session.flush()


# --- matches -------------------------------------------------------------------------------


def pairs_known(session: Session) -> set[tuple[int, int]]:
    """Every pair already matched (``a < b``)."""
    return {(a, b) for a, b in session.execute(select(MatchRow.project_a, MatchRow.project_b))}


def add_matches(session: Session, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert new matches; a pair already there (a concurrent refresh) is left as it is."""
    values = [{**row, "created_at": row.get("created_at") or utcnow()} for row in rows]
    if not values:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(MatchRow)
        .on_conflict_do_nothing(index_elements=["project_a", "project_b"])
        .returning(MatchRow.id)
    )
    added = 0
    for value in values:  # one by one: RETURNING says whether each added a row
        added += len(session.execute(statement.values(**value)).all())
    return added


def matches_of(session: Session, organisation_id: str) -> list[MatchRecord]:
    """The organisation's matches, newest first."""
    rows = session.scalars(
        select(MatchRow)
        .where(
            or_(
                MatchRow.organisation_a == organisation_id,
                MatchRow.organisation_b == organisation_id,
            )
        )
        .order_by(MatchRow.created_at.desc(), MatchRow.id.desc())
    )
    return [_record(row) for row in rows]


def get_match(session: Session, match_id: int) -> MatchRecord:
    row = session.get(MatchRow, match_id)
    if row is None:
        raise NotFound()
    return _record(row)


# --- answers -------------------------------------------------------------------------------


def add_answer(
    session: Session,
    match: MatchRecord,
    *,
    project_id: int,
    organisation_id: str,
    answer: Answer,
    reason: str,
    actor: str,
    because: NotRelevantBecause | None = None,
) -> None:
    session.add(
        MatchAnswer(
            match_id=match.id,
            project_id=project_id,
            organisation_id=organisation_id,
            answer=str(answer),
            reason=reason,
            because=str(because) if because is not None else None,
            actor=actor,
            created_at=utcnow(),
        )
    )
    session.flush()


def answers_of(session: Session, match_ids: Collection[int]) -> dict[int, list[AnswerRecord]]:
    """Every answer to the matches, oldest first."""
    found: dict[int, list[AnswerRecord]] = {}
    wanted = sorted(set(match_ids))
    for start in range(0, len(wanted), 1000):
        rows = session.scalars(
            select(MatchAnswer)
            .where(MatchAnswer.match_id.in_(wanted[start : start + 1000]))
            .order_by(MatchAnswer.created_at, MatchAnswer.id)
        )
        for row in rows:
            found.setdefault(row.match_id, []).append(_answer_record(row))
    return found


def every_answer(session: Session) -> list[AnswerRecord]:
    """Every answer to any match, oldest first (what the matching learns from)."""
    rows = session.scalars(select(MatchAnswer).order_by(MatchAnswer.created_at, MatchAnswer.id))
    return [_answer_record(row) for row in rows]


def _answer_record(row: MatchAnswer) -> AnswerRecord:
    return AnswerRecord(
        row.match_id,
        row.project_id,
        row.organisation_id,
        Answer(row.answer),
        row.reason,
        row.actor,
        row.created_at,
        NotRelevantBecause(row.because) if row.because else None,
    )


# --- digests -------------------------------------------------------------------------------


def digested(session: Session, organisation_id: str) -> set[int]:
    """The matches some earlier digest to the organisation named."""
    lists = session.scalars(
        select(MatchDigest.match_ids).where(MatchDigest.organisation_id == organisation_id)
    )
    return {match_id for ids in lists for match_id in ids}


def last_digest(session: Session, organisation_id: str) -> dt.datetime | None:
    return session.scalar(
        select(MatchDigest.sent_at)
        .where(MatchDigest.organisation_id == organisation_id)
        .order_by(MatchDigest.sent_at.desc())
        .limit(1)
    )


def add_digest(
    session: Session, organisation_id: str, match_ids: Collection[int], recipients: Collection[str]
) -> None:
    session.add(
        MatchDigest(
            organisation_id=organisation_id,
            match_ids=sorted(match_ids),
            recipients=sorted(recipients),
            sent_at=utcnow(),
        )
    )
    session.flush()
