"""Project vectors and the queue of projects waiting to be embedded (migration 0005).

A publish only adds a row to ``embedding_queue``, in its own transaction (so a publish
never waits for a model, and a queued project is never lost); the embedding job claims rows under a lease,
embeds them outside any transaction and stores the vectors. A claimed row whose lease
ran out (a killed worker) is claimed again; a row re-queued while it was being embedded
(the project changed meanwhile) stays queued. On PostgreSQL several workers share the
queue with ``FOR UPDATE SKIP LOCKED``; SQLite has one writer at a time anyway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecosystem.card import ProjectCard
from ecosystem.store.tables import Base, Project, TargetGroup, UTCDateTime

__all__ = [
    "EmbeddingQueue",
    "ProjectVector",
    "QueueCounts",
    "Queued",
    "StoredVectors",
    "claim",
    "counts",
    "enqueue",
    "enqueue_missing",
    "finish",
    "load",
    "queued",
    "release",
    "save",
    "still_there",
    "stored_hashes",
    "target_group_names",
    "texts_of",
]

Matrix = npt.NDArray[np.float32]


class ProjectVector(Base):
    """One project's vector under one model; ``serial`` grows with every write."""

    __tablename__ = "project_vectors"
    __table_args__ = (UniqueConstraint("project_id", "model_id"),)
    serial: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    model_id: Mapped[str] = mapped_column(String(120))
    text_hash: Mapped[str] = mapped_column(String(32))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class EmbeddingQueue(Base):
    """A project whose text changed since it was last embedded (or never was)."""

    __tablename__ = "embedding_queue"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


@dataclass(frozen=True)
class Queued:
    """A claimed queue row: the project, and when it was asked for."""

    project_id: int
    requested_at: dt.datetime


@dataclass(frozen=True)
class QueueCounts:
    queued: int
    leased: int
    embedded: int


@dataclass(frozen=True)
class StoredVectors:
    """Vectors of one model, row by row, and the newest serial among them."""

    project_ids: npt.NDArray[np.int64]
    text_hashes: list[str]
    matrix: Matrix
    serial: int


def enqueue(session: Session, project_ids: Collection[int], now: dt.datetime) -> None:
    """Ask for these projects to be embedded (again); an open lease is dropped."""
    ids = sorted(set(project_ids))
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(ids), 1000):
        rows = [
            {"project_id": i, "requested_at": now, "attempts": 0} for i in ids[start : start + 1000]
        ]
        statement = insert(EmbeddingQueue).values(rows)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["project_id"],
                set_={"requested_at": now, "lease_owner": None, "lease_until": None},
            )
        )


def enqueue_missing(session: Session, model_id: str, now: dt.datetime) -> int:
    """Queue every live project with no vector of ``model_id`` and no queue row; how many."""
    has_vector = select(ProjectVector.project_id).where(ProjectVector.model_id == model_id)
    queued = select(EmbeddingQueue.project_id)
    missing = list(
        session.scalars(
            select(Project.id)
            .where(Project.withdrawn.is_(False))
            .where(Project.id.not_in(has_vector))
            .where(Project.id.not_in(queued))
        )
    )
    enqueue(session, missing, now)
    return len(missing)


def claim(
    session: Session, owner: str, limit: int, now: dt.datetime, lease: dt.timedelta
) -> list[Queued]:
    """Lease up to ``limit`` rows nobody holds (or whose lease ran out), oldest first."""
    free = (
        select(EmbeddingQueue.project_id)
        .where(or_(EmbeddingQueue.lease_until.is_(None), EmbeddingQueue.lease_until < now))
        .order_by(EmbeddingQueue.requested_at, EmbeddingQueue.project_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = session.execute(
        update(EmbeddingQueue)
        .where(EmbeddingQueue.project_id.in_(free.scalar_subquery()))
        .values(lease_owner=owner, lease_until=now + lease, attempts=EmbeddingQueue.attempts + 1)
        .returning(EmbeddingQueue.project_id, EmbeddingQueue.requested_at)
    ).all()
    return sorted((Queued(r.project_id, _aware(r.requested_at)) for r in rows), key=_order)


def texts_of(
    session: Session, project_ids: Collection[int]
) -> dict[int, tuple[str, str, list[str]]]:
    """Title, description and target-group codes of the live ones among ``project_ids``."""
    rows = session.execute(
        select(Project.id, Project.data)
        .where(Project.id.in_(sorted(project_ids)))
        .where(Project.withdrawn.is_(False))
    )
    cards = {row.id: ProjectCard.from_data(row.data) for row in rows}
    return {
        project_id: (card.title, card.description, list(card.target_groups))
        for project_id, card in cards.items()
    }


def queued(session: Session) -> list[Queued]:
    """Every queue row, leased or not, oldest first."""
    rows = session.execute(
        select(EmbeddingQueue.project_id, EmbeddingQueue.requested_at).order_by(
            EmbeddingQueue.requested_at, EmbeddingQueue.project_id
        )
    )
    return [Queued(r.project_id, _aware(r.requested_at)) for r in rows]


def target_group_names(session: Session) -> dict[str, str]:
    """Target-group code → Danish name: part of the text a project is embedded by."""
    return {
        code: name for code, name in session.execute(select(TargetGroup.code, TargetGroup.label_da))
    }


def stored_hashes(session: Session, model_id: str, project_ids: Collection[int]) -> dict[int, str]:
    rows = session.execute(
        select(ProjectVector.project_id, ProjectVector.text_hash)
        .where(ProjectVector.model_id == model_id)
        .where(ProjectVector.project_id.in_(sorted(project_ids)))
    )
    return {project_id: digest for project_id, digest in rows}


def save(
    session: Session,
    model_id: str,
    vectors: Iterable[tuple[int, str, npt.NDArray[np.float32]]],
    now: dt.datetime,
) -> None:
    """Store (project, text hash, vector) rows, replacing a project's older vector."""
    chosen = list(vectors)
    if not chosen:
        return
    session.execute(
        delete(ProjectVector)
        .where(ProjectVector.model_id == model_id)
        .where(ProjectVector.project_id.in_([project_id for project_id, _, _ in chosen]))
    )
    session.add_all(
        ProjectVector(
            project_id=project_id,
            model_id=model_id,
            text_hash=text_hash,
            vector=np.asarray(vector, dtype="<f4").tobytes(),
            created_at=now,
        )
        for project_id, text_hash, vector in chosen
    )
    session.flush()


def finish(session: Session, done: Sequence[Queued]) -> None:
    """Drop the queue rows done, unless the project was queued again meanwhile."""
    for item in done:
        session.execute(
            delete(EmbeddingQueue)
            .where(EmbeddingQueue.project_id == item.project_id)
            .where(EmbeddingQueue.requested_at == item.requested_at)
        )


def release(session: Session, owner: str) -> None:
    """Give back every lease ``owner`` holds (it stops, or failed)."""
    session.execute(
        update(EmbeddingQueue)
        .where(EmbeddingQueue.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )


def counts(session: Session, model_id: str, now: dt.datetime) -> QueueCounts:
    queued = session.scalar(select(func.count()).select_from(EmbeddingQueue)) or 0
    leased = (
        session.scalar(
            select(func.count()).where(
                and_(EmbeddingQueue.lease_until.is_not(None), EmbeddingQueue.lease_until >= now)
            )
        )
        or 0
    )
    embedded = session.scalar(select(func.count()).where(ProjectVector.model_id == model_id)) or 0
    return QueueCounts(int(queued), int(leased), int(embedded))


def load(session: Session, model_id: str, *, after: int = 0, dimensions: int) -> StoredVectors:
    """Every vector of ``model_id`` written after serial ``after`` (0: all of them)."""
    rows = session.execute(
        select(
            ProjectVector.serial,
            ProjectVector.project_id,
            ProjectVector.text_hash,
            ProjectVector.vector,
        )
        .where(ProjectVector.model_id == model_id)
        .where(ProjectVector.serial > after)
        .order_by(ProjectVector.serial)
    ).all()
    matrix = np.frombuffer(b"".join(r.vector for r in rows), dtype="<f4").reshape(
        len(rows), dimensions
    )
    return StoredVectors(
        np.fromiter((r.project_id for r in rows), np.int64, len(rows)),
        [r.text_hash for r in rows],
        matrix.astype(np.float32, copy=False),
        max((r.serial for r in rows), default=after),
    )


def still_there(session: Session, model_id: str, stored: StoredVectors) -> bool:
    """Whether the newest row of a snapshot is still in the database as it was."""
    if not len(stored.project_ids):
        return False
    row = session.execute(
        select(ProjectVector.project_id, ProjectVector.text_hash)
        .where(ProjectVector.model_id == model_id)
        .where(ProjectVector.serial == stored.serial)
    ).first()
    last = int(stored.project_ids[-1]), stored.text_hashes[-1]
    return row is not None and (row.project_id, row.text_hash) == last


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _order(item: Queued) -> tuple[dt.datetime, int]:
    return item.requested_at, item.project_id
