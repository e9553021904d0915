"""Engine snapshots on SQLite and PostgreSQL: a worker that starts from the one an earlier
worker wrote answers as one that read every card, sees what was published since, and
never uses a snapshot of other rows, of other reference data or that cannot be read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from ecosystem.matching import OverlapEngine
from ecosystem.model import Principal
from ecosystem.overlap import facts_from_draft
from ecosystem.services import engine_snapshot, engine_start
from ecosystem.services.catalogue import Catalogue
from ecosystem.services.engine_snapshot import EngineSnapshots
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import catalogue as catalogue_store
from ecosystem.store import reference
from tests.builders import load_small_reference, project, publish_in
from tests.conftest import _empty

pytestmark = pytest.mark.usefixtures("reference_data")

Worker = Callable[[], OverlapEngine]
READERS = [Principal(), Principal(organisation_id="kommune-aarhus"), Principal(is_admin=True)]
DRAFT = {
    "title": "Telemedicin til borgere med KOL",
    "description": "Borgere med KOL måler iltmætning hjemme, og hjemmesygeplejen følger op.",
}
CARDS = {
    "kommune-aarhus": [
        project(
            "A-1",
            target_groups=["kol"],
            areas=["0751"],
            start_date="2025-01-01",
            end_date="2026-06-30",
            funding_sources=[{"name": "Sundhedsstyrelsen", "kind": "national_pool"}],
        ),
        project(
            "A-2",
            title="Faldforebyggelse for ældre",
            description="Ældre borgere træner balance og styrke i eget hjem.",
            target_groups=["aeldre"],
            visibility="private",
            disclose_when_private=True,
        ),
        project(
            "A-3", title="Mental sundhed for unge", description="Unge med angst.", themes=["T4"]
        ),
    ],
    "kommune-aalborg": [
        project(
            "B-1",
            description="Hjemmemonitorering af KOL-patienter med tablet og videokonsultation.",
            themes=["T2.1", "T13"],
            links=[{"organisation": "kommune-aarhus", "external_id": "A-1"}],
        ),
        project("B-2", title="Demensvenligt plejehjem", description="Sansehaver og uddannelse."),
    ],
    "region-midtjylland": [
        project(
            "C-1",
            title="Videokonsultationer i lungemedicin",
            description="Patienter med KOL får videokonsultationer i stedet for ambulante besøg.",
            visibility="ecosystem",
            partners=[{"organisation": "auh"}],
        ),
    ],
}


def publish_all(db: Any, cards: dict[str, list[dict[str, Any]]] = CARDS) -> None:
    for organisation, items in cards.items():
        publish_in(db, organisation, *items)
    db.commit()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "engine"


@pytest.fixture
def start_worker(engine: Engine, folder: Path) -> Callable[..., OverlapEngine]:
    """A new worker process (its own catalogue) that builds or loads its engine."""
    sessions = sessionmaker(engine, expire_on_commit=False)

    def start(*, snapshots: bool = True) -> OverlapEngine:
        shared = EngineSnapshots(folder, database=str(engine.url)) if snapshots else None
        catalogue = Catalogue(embedder="none", engine_snapshots=shared)
        uow = UnitOfWork(sessions, catalogue)
        try:
            return uow.overlap_engine()
        finally:
            uow.close()

    return start


def mapped(engine: OverlapEngine) -> bool:
    """Whether the engine's text index lies in memory-mapped snapshot files."""
    array: Any = engine.index._segments.base.vec.char.data
    while array is not None:
        if isinstance(array, np.memmap):
            return True
        array = array.base
    return False


def answers(engine: OverlapEngine) -> list[Any]:
    """Checks of a draft and of every published project, for readers who see different
    things, and the pair report."""
    found: list[Any] = []
    for reader in READERS:
        draft = facts_from_draft(DRAFT, "kommune-favrskov", engine.gazetteer)
        found.append(engine.check(draft, reader=reader, limit=20))
        found += [engine.check(facts, reader=reader) for _, facts in sorted(engine.facts.items())]
    found.append(engine.pairs())
    return found


def snapshot_folders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def test_a_worker_started_from_the_snapshot_answers_as_one_built_from_the_cards(
    db, start_worker, folder
):
    publish_all(db)
    first = start_worker()
    assert not mapped(first)
    assert len(snapshot_folders(folder)) == 1  # the first worker wrote it

    later = start_worker()
    from_cards = start_worker(snapshots=False)

    assert mapped(later)
    assert later.facts == from_cards.facts == first.facts
    assert answers(later) == answers(from_cards) == answers(first)
    assert later.check(facts_from_draft(DRAFT, None, later.gazetteer), reader=READERS[0]).matches


def test_a_project_published_after_the_snapshot_is_found_and_a_withdrawn_one_is_gone(
    db, start_worker, monkeypatch
):
    # Three of seven projects change: past the share from which a worker would rather
    # build afresh, in a catalogue this small; in a large one it is a few publishes.
    monkeypatch.setattr(engine_start, "CATCH_UP_AT_MOST", 1.0)
    publish_all(db)
    start_worker()  # writes the snapshot
    cards = {
        **CARDS,
        "kommune-aalborg": [
            project("B-1", description="Hjemmemonitorering af KOL med tablet."),  # changed
            project(  # new; B-2 is withdrawn by leaving it out
                "B-9",
                title="Iltmætning målt hjemme hos borgere med KOL",
                description="Telemedicin: borgere med KOL måler iltmætning hjemme dagligt.",
            ),
        ],
    }
    publish_all(db, cards)

    later = start_worker()
    from_cards = start_worker(snapshots=False)

    assert mapped(later)  # caught up, not rebuilt
    assert later.facts == from_cards.facts
    by_external = {f.external_id: i for i, f in later.facts.items()}
    assert "B-2" not in by_external
    draft = facts_from_draft(DRAFT, "kommune-favrskov", later.gazetteer)
    found = [m.project_id for m in later.check(draft, reader=READERS[0], limit=20).matches]
    assert by_external["B-9"] in found
    expected = [m.project_id for m in from_cards.check(draft, reader=READERS[0], limit=20).matches]
    assert sorted(found) == sorted(expected)


def test_a_snapshot_of_rows_the_database_no_longer_holds_is_not_used(
    db, engine, start_worker, folder
):
    publish_all(db)
    start_worker()
    # The database emptied and filled again at the same address: on PostgreSQL the same
    # ids, catalogue and reference versions, but other texts.
    _empty(engine)
    load_small_reference(db)
    renamed = {
        organisation: [{**card, "title": f"Andet: {card['title']}"} for card in cards]
        for organisation, cards in CARDS.items()
    }
    publish_all(db, renamed)

    later = start_worker()
    from_cards = start_worker(snapshots=False)

    assert not mapped(later)
    assert all(f.title.startswith("Andet: ") for f in later.facts.values())
    assert answers(later) == answers(from_cards)
    assert len(snapshot_folders(folder)) == 1  # the stale one discarded, a fitting one written
    assert mapped(start_worker())


def test_a_corrupt_snapshot_is_ignored_and_written_again(db, start_worker, folder):
    publish_all(db)
    start_worker()
    (written,) = snapshot_folders(folder)
    (written / "word.data.npy").write_bytes(b"\x93NUMPY broken")
    (written / "facts.json").write_text("[[1, 2", encoding="utf-8")

    later = start_worker()
    from_cards = start_worker(snapshots=False)

    assert not mapped(later)
    assert answers(later) == answers(from_cards)
    assert mapped(start_worker())  # a good one again


def test_a_change_of_reference_data_or_of_the_code_makes_another_snapshot(
    db, start_worker, folder, monkeypatch
):
    publish_all(db)
    start_worker()
    reference.update(db, "target_group", "kol", {"label_da": "Mennesker med KOL"}, "test")
    db.commit()

    later = start_worker()
    from_cards = start_worker(snapshots=False)

    assert not mapped(later)
    assert later.facts == from_cards.facts
    assert any("Mennesker med KOL" in f.embedding_text for f in later.facts.values())
    assert len(snapshot_folders(folder)) == 2

    monkeypatch.setattr(engine_snapshot, "code_digest", lambda: "another version of the code")
    assert not mapped(start_worker())


def test_a_new_workers_engine_waits_for_no_catalogue_and_sees_every_commit(db, engine):
    publish_all(db)
    sessions = sessionmaker(engine, expire_on_commit=False)
    catalogue = Catalogue(embedder="none")
    uow = UnitOfWork(sessions, catalogue)
    found = uow.overlap_engine()
    assert catalogue._state is None  # the projects' catalogue was not loaded for it
    assert {f.external_id for f in found.facts.values()} >= {"A-1", "B-1", "C-1"}
    uow.close()

    publish_in(db, "kommune-aalborg", project("B-9", title="Rygestop for gravide"), full=False)
    db.commit()
    uow = UnitOfWork(sessions, catalogue)
    assert "B-9" in {f.external_id for f in uow.overlap_engine().facts.values()}
    assert uow.catalogue.versions.catalogue == catalogue.engine_basis(sessions).versions.catalogue
    uow.close()


def test_a_worker_waits_for_the_one_building_and_then_maps_its_snapshot(db, engine, folder):
    from concurrent.futures import ThreadPoolExecutor

    from ecosystem.engine_state import engine_state

    publish_all(db)
    shared = EngineSnapshots(folder, database=str(engine.url))
    catalogue_version, reference_version = catalogue_store.versions(db)
    gazetteer = reference.gazetteer(db)
    prefix = shared.prefix(reference_version, gazetteer)
    sessions = sessionmaker(engine, expire_on_commit=False)

    def start() -> OverlapEngine:
        uow = UnitOfWork(sessions, Catalogue(embedder="none", engine_snapshots=shared))
        try:
            return uow.overlap_engine()
        finally:
            uow.close()

    with ThreadPoolExecutor(1) as pool:
        with shared.build_lock(prefix, 0) as got:
            assert got  # this test is now the worker that builds
            waiting = pool.submit(start)
            records, stamps = catalogue_store.cards_with_stamps(db, 0)
            built = OverlapEngine(gazetteer)
            built.load(records)
            shared.write(prefix, catalogue_version, engine_state(built), stamps)
            assert not waiting.done()  # it waits for the lock rather than building too
        started = waiting.result(timeout=120)
    assert mapped(started)
    assert started.facts == built.facts


def test_a_snapshot_far_behind_is_written_anew_and_later_workers_start_from_that(
    db, engine, start_worker, folder, monkeypatch
):
    monkeypatch.setattr(engine_start, "REWRITE_AT_LEAST", 1)
    publish_all(db)
    start_worker()
    sessions = sessionmaker(engine, expire_on_commit=False)
    shared = EngineSnapshots(folder, database=str(engine.url))
    catalogue = Catalogue(embedder="none", engine_snapshots=shared)
    assert not catalogue.rewrite_engine_snapshot(sessions)  # nothing changed since

    publish_in(db, "kommune-favrskov", project("F-1"), project("F-2", title="Rygestop"))
    db.commit()
    assert catalogue.rewrite_engine_snapshot(sessions)

    newest = max(snapshot_folders(folder), key=lambda p: p.name)
    assert newest.name.split("-")[2] == f"{catalogue_store.versions(db)[0]:015d}"
    later = start_worker()
    assert mapped(later)
    assert later.facts == start_worker(snapshots=False).facts
