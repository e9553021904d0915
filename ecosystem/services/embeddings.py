"""The embedding job: every published text gets its vector, off the request path.

A publish queues its projects (``store/vectors``); this job claims a batch under a lease,
embeds it outside any transaction and stores the vectors, until the queue is empty. Each
step runs in a unit of work of its own, so a crash loses at most one batch's work, and
the lease brings the batch back. Any number of processes may run it at once.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecosystem.semantic import Embedder, embedding_text, text_hash
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import vectors as store
from ecosystem.store.tables import utcnow

__all__ = [
    "Batch",
    "EmbeddingStatus",
    "UnitOfWork",
    "drain",
    "embed_batch",
    "request_missing",
    "status",
    "store_known",
]

BATCH = 16  # texts per model call: large enough to use both cores, small enough to stop soon
LEASE = dt.timedelta(minutes=10)

NewUnitOfWork = Callable[[], UnitOfWork]
Vector = npt.NDArray[np.float32]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Batch:
    """What one batch did: rows claimed, texts embedded, texts already current."""

    claimed: int
    embedded: int
    current: int
    seconds: float


@dataclass(frozen=True)
class EmbeddingStatus:
    """How far the vectors are, for health and for every check."""

    model_id: str | None
    problem: str | None
    queued: int
    in_progress: int
    embedded: int

    @property
    def available(self) -> bool:
        return self.model_id is not None


def status(uow: UnitOfWork) -> EmbeddingStatus:
    embedder = uow.embedder
    if embedder is None:
        problem = uow.catalogue_process.embedder_problem or "no embedder configured"
        return EmbeddingStatus(None, problem, 0, 0, 0)
    found = store.counts(uow.session, embedder.model_id, utcnow())
    return EmbeddingStatus(embedder.model_id, None, found.queued, found.leased, found.embedded)


def request_missing(uow: UnitOfWork) -> int:
    """Queue every live project without a vector of the current model (after a model change)."""
    embedder = uow.embedder
    if embedder is None:
        return 0
    return store.enqueue_missing(uow.session, embedder.model_id, utcnow())


def store_known(uow: UnitOfWork, known: Mapping[str, Vector]) -> int:
    """Store vectors computed beforehand (e.g. shipped with the demo), keyed by text hash.

    Every queued project whose current text hash is in ``known`` gets that vector and
    leaves the queue, without the model being run; how many did.
    """
    embedder = uow.embedder
    if embedder is None or not known:
        return 0
    queued = store.queued(uow.session)
    todo = _texts_to_embed(uow, embedder, [q.project_id for q in queued])
    rows = [(pid, digest, known[digest]) for pid, digest, _ in todo if digest in known]
    store.save(uow.session, embedder.model_id, rows, utcnow())
    done = {pid for pid, _, _ in rows}
    store.finish(uow.session, [q for q in queued if q.project_id in done])
    return len(rows)


def embed_batch(new_uow: NewUnitOfWork, owner: str, *, size: int = BATCH) -> Batch:
    """Claim, embed and store one batch; an empty queue gives a batch of nothing."""
    started = time.perf_counter()
    with new_uow() as uow:
        embedder = uow.embedder
        if embedder is None:
            return Batch(0, 0, 0, 0.0)
        claimed = store.claim(uow.session, owner, size, utcnow(), LEASE)
        if not claimed:
            return Batch(0, 0, 0, 0.0)
        todo = _texts_to_embed(uow, embedder, [c.project_id for c in claimed])
    try:
        found = embedder.passages([text for _, _, text in todo])
    except Exception:
        with new_uow() as uow:
            store.release(uow.session, owner)
        raise
    with new_uow() as uow:
        rows = [(pid, digest, vector) for (pid, digest, _), vector in zip(todo, found, strict=True)]
        store.save(uow.session, embedder.model_id, rows, utcnow())
        store.finish(uow.session, claimed)
    return Batch(len(claimed), len(todo), len(claimed) - len(todo), time.perf_counter() - started)


def _texts_to_embed(
    uow: UnitOfWork, embedder: Embedder, project_ids: list[int]
) -> list[tuple[int, str, str]]:
    """(project, hash, text) for the claimed projects whose stored vector is not current.

    Target-group names are read in this unit of work (not from the catalogue), so that
    reference data loaded in the same transaction, as seeding does, is already known.
    """
    texts = store.texts_of(uow.session, project_ids)
    stored = store.stored_hashes(uow.session, embedder.model_id, project_ids)
    labels = store.target_group_names(uow.session)
    todo = []
    for project_id, (title, description, groups) in sorted(texts.items()):
        names = [labels.get(g, g) for g in groups]
        text = embedding_text(title, description, names)
        digest = text_hash(embedder.model_id, text)
        if stored.get(project_id) != digest:
            todo.append((project_id, digest, text))
    return todo


def drain(
    new_uow: NewUnitOfWork,
    owner: str,
    *,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
) -> int:
    """Embed batches until the queue is empty (or ``stop`` is set); texts embedded."""
    embedded = done = 0
    while stop is None or not stop.is_set():
        batch = embed_batch(new_uow, owner)
        if batch.claimed == 0:
            break
        embedded += batch.embedded
        done += batch.claimed
        if progress is not None:
            with new_uow() as uow:
                progress(done, done + status(uow).queued)
    return embedded
