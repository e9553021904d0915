"""The unit of work: one conversation with the database, committed once or not at all."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Hashable
from types import TracebackType
from typing import TypeVar

from sqlalchemy.orm import Session

from ecosystem.errors import Busy
from ecosystem.matching import OverlapEngine
from ecosystem.semantic import Embedder
from ecosystem.services.catalogue import (
    Catalogue,
    CatalogueState,
    EngineBasis,
    Lifetime,
    ReferenceState,
)
from ecosystem.store.engine import is_contention

__all__ = ["ATTEMPTS", "UnitOfWork", "is_contention"]

T = TypeVar("T")

# How often a unit of work that clashed with a concurrent one is run again before the
# caller is told to come back (409 with Retry-After): enough to get past a burst of
# publishes to one organisation, few enough that a request does not hang.
ATTEMPTS = 3
_BACKOFF_SECONDS = 0.05


class UnitOfWork:
    """What one request or one command reads and writes.

    The session opens on first use. Services hand :attr:`session` to the store and never
    commit; whoever opened the unit of work commits once (``with uow:`` commits a clean
    exit and rolls back on an exception). The catalogue is brought up to date once per
    unit of work, and again after a commit, so a reader sees every change committed
    before it started, its own included once committed; the catalogue reads on sessions
    of its own and never holds what is not committed.
    """

    def __init__(self, sessions: Callable[[], Session], catalogue: Catalogue) -> None:
        self._sessions = sessions
        self._session: Session | None = None
        self._catalogue = catalogue
        self._state: CatalogueState | None = None
        self._reference: ReferenceState | None = None
        self._basis: EngineBasis | None = None

    @property
    def session(self) -> Session:
        """The session, for :mod:`ecosystem.store` only."""
        if self._session is None:
            self._session = self._sessions()
        return self._session

    @property
    def catalogue(self) -> CatalogueState:
        """Every live project and the reference data, as of this unit of work."""
        if self._state is None:
            self._state = self._catalogue.refresh(self._sessions)
        return self._state

    @property
    def reference(self) -> ReferenceState:
        """The reference data alone, as of this unit of work (cheaper than the catalogue)."""
        if self._state is not None:
            state = self._state
            return ReferenceState(state.versions.reference, state.reference, state.gazetteer)
        if self._reference is None:
            self._reference = self._catalogue.reference(self._sessions)
        return self._reference

    @property
    def embedder(self) -> Embedder | None:
        """The process's text embedder (None: lexical only; see the catalogue)."""
        return self._catalogue.embedder

    @property
    def catalogue_process(self) -> Catalogue:
        """The process-wide catalogue itself, for the background jobs that maintain it."""
        return self._catalogue

    def overlap_engine(self) -> OverlapEngine:
        """The overlap engine, caught up with :attr:`catalogue` if this unit of work has read
        it, else with the versions as of the engine's first use here (the catalogue's
        projects are not needed for that, and loading them takes seconds in a new worker)."""
        basis: CatalogueState | EngineBasis | None = self._state
        if basis is None:
            if self._basis is None:
                self._basis = self._catalogue.engine_basis(self._sessions)
            basis = self._basis
        return self._catalogue.overlap_engine(self._sessions, basis)

    def remember(self, key: Hashable, compute: Callable[[], T], *, lasts: Lifetime) -> T:
        """``compute()``, kept by the process until the data it read may have changed."""
        return self._catalogue.remember(self.catalogue, key, compute, lasts=lasts)

    def run(self, work: Callable[[UnitOfWork], T], *, attempts: int = ATTEMPTS) -> T:
        """``work(self)`` in one transaction, committed; run again if it clashed with another.

        A clash (a revision number taken meanwhile, a lock wait that timed out, SQLite's
        write lock held too long) rolls everything back and runs ``work`` again on fresh
        data, so ``work`` must read what it decides on inside the call. After ``attempts``
        clashes it raises :class:`Busy`; nothing was written. Other errors pass through.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self:
                    return work(self)
            except Exception as error:
                if not is_contention(error):
                    raise
                self.close()
                if attempt == attempts:
                    raise Busy() from error
                # Jitter, so that the clashing writers do not meet again at once.
                time.sleep(_BACKOFF_SECONDS * attempt * (1 + random.random()))
        raise AssertionError("unreachable")  # the loop returns or raises

    def commit(self) -> None:
        if self._session is not None:
            self._session.commit()
        self._state = self._reference = self._basis = None  # what was just committed must be seen

    def rollback(self) -> None:
        if self._session is not None:
            self._session.rollback()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None
        self._state = self._reference = self._basis = None

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.rollback()
