"""How a worker gets its overlap engine: from a snapshot that fits, else from the cards.

One process of the host builds at a time (for the same database, reference data and
code); the others wait for its snapshot and map it, rather than all analysing the same
cards at once on the same cores. A snapshot is an optimisation only: when there is none
that fits, or it cannot be read, the engine is built from the cards exactly as without
snapshots (see :mod:`ecosystem.services.engine_snapshot` for what "fits" means).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ecosystem.engine_state import engine_state
from ecosystem.matching import OverlapEngine
from ecosystem.overlap import Gazetteer, OverlapConfig
from ecosystem.services.engine_snapshot import EngineSnapshots, changed_count, changed_rows_ok
from ecosystem.store import catalogue as catalogue_store
from ecosystem.store.engine import Session

__all__ = [
    "CATCH_UP_AT_MOST",
    "Started",
    "collector_paused",
    "rewrite_if_outgrown",
    "start_engine",
]

logger = logging.getLogger(__name__)

# Past this share of the catalogue changed since a snapshot, taking the changes in one by
# one costs more than building afresh (which also writes a new snapshot).
CATCH_UP_AT_MOST = 0.2
# How long a worker waits for another one's build before building itself: longer than a
# build of the largest catalogue takes; a builder that died lets go of the lock at once.
BUILD_WAIT_SECONDS = 900.0
# A snapshot further behind than this is built anew in the background (by one worker's
# job), so that a worker starting later catches up a few publishes, not thousands:
# taking one in costs 2-3 ms, five times what it costs in a build.
REWRITE_FROM = 0.02
REWRITE_AT_LEAST = 500  # changed projects; fewer are taken in within a second or two


@dataclass(frozen=True)
class Started:
    """A new engine and the catalogue version it holds every change up to."""

    engine: OverlapEngine
    covers: int


def start_engine(
    snapshots: EngineSnapshots | None,
    session: Session,
    versions: tuple[int, int],
    gazetteer: Gazetteer,
    config: OverlapConfig,
) -> Started:
    """The engine at (catalogue, reference) ``versions``: the newest snapshot that fits,
    whose newer changes the caller applies as after any publish, or one built from every
    card (and then saved for the workers that start later)."""
    reference_version = versions[1]
    found = _from_snapshot(snapshots, session, reference_version, gazetteer, config)
    if found is not None or snapshots is None:
        return found or _from_cards(None, session, versions, gazetteer, config)
    prefix = snapshots.prefix(reference_version, gazetteer)
    with snapshots.build_lock(prefix, BUILD_WAIT_SECONDS):
        # Whoever held the lock has most likely just written the snapshot this needs.
        found = _from_snapshot(snapshots, session, reference_version, gazetteer, config)
        return found or _from_cards(snapshots, session, versions, gazetteer, config)


def rewrite_if_outgrown(
    snapshots: EngineSnapshots,
    session: Session,
    versions: tuple[int, int],
    gazetteer: Gazetteer,
    config: OverlapConfig,
) -> bool:
    """Build and save the engine anew if the newest snapshot is far behind the catalogue;
    whether it did. Skipped while another process builds, and when there is no snapshot
    (a worker's start writes the first one). The engine built is not used here."""
    prefix = snapshots.prefix(versions[1], gazetteer)
    if not _outgrown(snapshots, session, prefix):
        return False
    with snapshots.build_lock(prefix, 0) as got:
        if not got or not _outgrown(snapshots, session, prefix):
            return False  # another process builds, or has just written a newer one
        _from_cards(snapshots, session, versions, gazetteer, config)
    return True


def _outgrown(snapshots: EngineSnapshots, session: Session, prefix: str) -> bool:
    newest = next(snapshots.heads(prefix), None)
    if newest is None:
        return False
    changed, total = catalogue_store.changed_count(session, newest.catalogue_version)
    return changed > max(REWRITE_AT_LEAST, REWRITE_FROM * total)


def _from_snapshot(
    snapshots: EngineSnapshots | None,
    session: Session,
    reference_version: int,
    gazetteer: Gazetteer,
    config: OverlapConfig,
) -> Started | None:
    """The engine of the newest snapshot that fits (None: build)."""
    if snapshots is None:
        return None
    try:
        now = None
        for snapshot in snapshots.heads(snapshots.prefix(reference_version, gazetteer)):
            now = now if now is not None else catalogue_store.stamps(session)
            if not changed_rows_ok(snapshot, now):
                snapshots.discard(snapshot.path, "it is not of the rows the database holds")
                continue
            if changed_count(snapshot, now) > CATCH_UP_AT_MOST * max(len(now.ids), 1):
                return None  # outgrown: building writes a newer one
            try:
                with collector_paused():
                    engine = snapshots.load(snapshot, gazetteer, config)
            except Exception:  # a corrupt or truncated file
                snapshots.discard(snapshot.path, "it cannot be read back", exc_info=True)
                continue
            return Started(engine, snapshot.catalogue_version)
        return None
    except Exception:  # an optimisation only: whatever went wrong, build instead
        logger.warning("an engine snapshot could not be used; building", exc_info=True)
        return None


def _from_cards(
    snapshots: EngineSnapshots | None,
    session: Session,
    versions: tuple[int, int],
    gazetteer: Gazetteer,
    config: OverlapConfig,
) -> Started:
    """The engine built from every card, saved as a snapshot when there is a folder."""
    catalogue_version, reference_version = versions
    engine = OverlapEngine(gazetteer, config)
    with collector_paused():
        records, stamps = catalogue_store.cards_with_stamps(session, 0)
        engine.load(records)
    del records  # whole cards: let them go before the snapshot is written
    if snapshots is not None:
        try:
            prefix = snapshots.prefix(reference_version, gazetteer)
            snapshots.write(prefix, catalogue_version, engine_state(engine), stamps)
        except Exception:  # the engine is built and answers; only later starts are slower
            logger.warning("the engine snapshot could not be written", exc_info=True)
    return Started(engine, catalogue_version)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a worker makes its long-lived objects (the
    facts read back, the cards read): hundreds of thousands of new objects that all live
    on make it run again and again and find nothing (it was 60 % of a snapshot's load).
    Reference counting still frees what is let go; the odd cycle waits for the next run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
