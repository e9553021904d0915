"""Engine snapshots: the built overlap engine written once, read memory-mapped by later workers.

Building the engine analyses every project's text (a minute at 100,000 projects) and
leaves each worker with its own copy of the index. A snapshot is that built state in a
folder: the index's arrays as ``.npy`` files, which every worker maps read-only so the
operating system keeps one copy for all of them, and the facts and vocabularies as JSON.
No pickle: numpy reads with ``allow_pickle=False`` and JSON holds plain values, so a
damaged or foreign file can at worst fail the checks below (then it is not used), never
make a worker run code. The folder is the service's own, like the instance folder: who
can write into it can change what the engine answers.

A snapshot is only used for what it was built from. Its name holds a digest of the
database's address, the reference-data version, the gazetteer's content and the code
and data files that shape the state (:func:`code_digest`); a change to any of these names
another snapshot. Inside, the stamps of the rows it was built from (id, catalogue
version, revision, update time) are checked against the database: every row still at a
catalogue version the snapshot covers must be the very row it read, and every row it read
must still be there or have changed since (then the caller applies it, as after any
publish). A snapshot that fails any check, or cannot be read, is ignored: the caller
builds as without one, with the same result.

Written atomically: into a temporary folder, renamed into place when complete.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

import ecosystem
from ecosystem.data_files import seeds_data
from ecosystem.engine_state import EngineState, restored_engine
from ecosystem.matching import OverlapEngine
from ecosystem.overlap import Gazetteer, OverlapConfig
from ecosystem.similarity.state import FORMAT as INDEX_FORMAT
from ecosystem.similarity.state import IndexState
from ecosystem.store.catalogue import Stamps

__all__ = [
    "EngineSnapshots",
    "Snapshot",
    "changed_count",
    "changed_rows_ok",
    "code_digest",
    "gazetteer_digest",
]

logger = logging.getLogger(__name__)

FORMAT = 1  # of the folder: bumped when its files change
KEEP = 2  # snapshots kept per database (the newest, and the one a worker may still map)
ABANDONED_SECONDS = 3600  # a temporary folder this old is a writer that died
LOCK_POLL_SECONDS = 0.2
# Files the built state depends on besides the core's own code: the text analyser's.
DATA_FILES = ("synonyms.csv", "stopwords_da.txt", "stopwords_en.txt")
LIBRARIES = ("numpy", "scipy", "snowballstemmer")


@dataclass(frozen=True)
class Snapshot:
    """One snapshot folder whose stamps have been read (the big arrays not yet)."""

    path: Path
    catalogue_version: int
    stamps: Stamps


@dataclass(frozen=True)
class EngineSnapshots:
    """The snapshot folder of one database."""

    directory: Path
    database: str  # the database's address; only its digest names folders

    # ------------------------------------------------------------------ names
    def prefix(self, reference_version: int, gazetteer: Gazetteer) -> str:
        """The name every snapshot of this database, reference data and code begins with."""
        built_from = json.dumps(
            [FORMAT, INDEX_FORMAT, reference_version, gazetteer_digest(gazetteer), code_digest()]
        )
        return f"{self._database_digest()}-{_digest(built_from)[:16]}"

    def _database_digest(self) -> str:
        return _digest(self.database)[:12]

    # ------------------------------------------------------------------ reads
    def heads(self, prefix: str) -> Iterator[Snapshot]:
        """The snapshots named ``prefix``, newest first (unreadable ones are discarded)."""
        for path in sorted(self.directory.glob(f"{prefix}-*"), reverse=True):
            try:
                head = _read_head(path)
            except Exception:
                self.discard(path, "its stamps cannot be read", exc_info=True)
                continue
            yield head

    def discard(self, path: Path, why: str, *, exc_info: bool = False) -> None:
        """Remove a snapshot no worker can use (a worker mapping it keeps its pages)."""
        logger.warning("discarding the engine snapshot %s: %s", path.name, why, exc_info=exc_info)
        shutil.rmtree(path, ignore_errors=True)

    def load(
        self, snapshot: Snapshot, gazetteer: Gazetteer, config: OverlapConfig | None
    ) -> OverlapEngine:
        """The engine of ``snapshot``, its index arrays memory-mapped.

        Raises
        ------
        OSError, ValueError, KeyError, TypeError
            If the folder cannot be read back whole (then build instead).
        """
        meta = _json(snapshot.path / "meta.json")
        arrays = {
            name: np.load(snapshot.path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in meta["arrays"]
        }
        facts = _json(snapshot.path / "facts.json")
        if not isinstance(facts, list):
            raise ValueError("facts.json holds no rows")
        state = EngineState(IndexState(arrays, meta["index"]), facts)
        return restored_engine(state, gazetteer, config)

    @contextmanager
    def build_lock(self, prefix: str, wait_seconds: float) -> Iterator[bool]:
        """Held by one process of the host at a time for ``prefix``: the others wait (up to
        ``wait_seconds``) for its snapshot instead of each building the same engine.

        Yields whether the lock was got (False: waited too long; build anyway). The
        operating system lets go of it when the holder ends, however it ends.
        """
        if fcntl is None:  # not a POSIX system: no waiting, everyone builds
            yield True
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / f".{prefix}.lock").open("a+b") as handle:
            got = _locked(handle.fileno(), time.monotonic() + wait_seconds)
            try:
                yield got
            finally:
                if got:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    # ----------------------------------------------------------------- writes
    def write(
        self, prefix: str, catalogue_version: int, state: EngineState, stamps: Stamps
    ) -> Path | None:
        """Write the state of a just-built engine (None: another writer was first)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        # The stamps' digest tells apart snapshots of one version of different databases
        # at the same address (one emptied and filled again).
        final = self.directory / f"{prefix}-{catalogue_version:015d}-{_stamps_digest(stamps)}"
        if final.exists():
            return None
        writing = Path(tempfile.mkdtemp(dir=self.directory, prefix=".writing-"))
        try:
            arrays = dict(state.index.arrays) | _stamp_arrays(stamps)
            for name, array in arrays.items():
                np.save(writing / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
            _write_json(writing / "facts.json", state.facts)
            meta = {
                "format": FORMAT,
                "catalogue_version": catalogue_version,
                "arrays": sorted(arrays),
                "index": state.index.values,
                "written": time.time(),
            }
            _write_json(writing / "meta.json", meta)  # last: a folder without it is not one
            os.replace(writing, final)
        except OSError:
            if final.exists():
                return None  # another worker wrote the same snapshot meanwhile
            raise
        finally:
            shutil.rmtree(writing, ignore_errors=True)
        self._prune()
        return final

    def _prune(self) -> None:
        """Keep the newest few of this database; drop what dead writers left behind."""
        mine = [p for p in self.directory.glob(f"{self._database_digest()}-*") if p.is_dir()]
        mine.sort(key=_written, reverse=True)
        for old in mine[KEEP:]:
            shutil.rmtree(old, ignore_errors=True)  # a worker mapping it keeps its pages
        for left in self.directory.glob(".writing-*"):
            if time.time() - _written(left) > ABANDONED_SECONDS:
                shutil.rmtree(left, ignore_errors=True)
        for lock in self.directory.glob(f".{self._database_digest()}-*.lock"):
            prefix = lock.name[1 : -len(".lock")]  # of an older code or reference data
            unused = not any(self.directory.glob(f"{prefix}-*"))
            if unused and time.time() - _written(lock) > ABANDONED_SECONDS:
                lock.unlink(missing_ok=True)


def _locked(descriptor: int, deadline: float) -> bool:
    assert fcntl is not None
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(LOCK_POLL_SECONDS)


def changed_rows_ok(snapshot: Snapshot, now: Stamps) -> bool:
    """Whether the database still holds what ``snapshot`` was built from (see the module).

    ``now`` is every project's stamp in the database; rows changed since the snapshot's
    catalogue version are allowed to differ, as the caller applies them afterwards.
    """
    covered, built = snapshot.catalogue_version, snapshot.stamps
    # Every row the snapshot read: still there as it was, or changed since.
    at = np.searchsorted(now.ids, built.ids)
    found = at < len(now.ids)
    found[found] = now.ids[at[found]] == built.ids[found]
    if not found.all():
        return False
    same = _same(built, now, np.arange(len(built.ids)), at)
    if not (same | (now.versions[at] > covered)).all():
        return False
    # Every row the database holds at a version the snapshot covers: one it read.
    old = np.flatnonzero(now.versions <= covered)
    at = np.searchsorted(built.ids, now.ids[old])
    found = at < len(built.ids)
    found[found] = built.ids[at[found]] == now.ids[old][found]
    return bool(found.all() and _same(built, now, at, old).all())


def changed_count(snapshot: Snapshot, now: Stamps) -> int:
    """How many rows changed after the snapshot (what the caller will have to apply)."""
    return int((now.versions > snapshot.catalogue_version).sum())


@functools.cache
def code_digest() -> str:
    """A digest of everything besides the data that shapes a built engine.

    The core's source files (any change to them may change what is built, so it is not
    worth telling which do), the analyser's data files, and the versions of Python and of
    the libraries whose arithmetic or stemming the state holds.
    """
    digest = hashlib.sha256()
    package = Path(ecosystem.__file__).parent
    for path in sorted(package.rglob("*.py")):
        if "migrations" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    for name in DATA_FILES:
        digest.update(seeds_data(name).read_bytes())
    versions = [sys.version] + [importlib.metadata.version(name) for name in LIBRARIES]
    digest.update(json.dumps(versions).encode())
    return digest.hexdigest()


def gazetteer_digest(gazetteer: Gazetteer) -> str:
    """A digest of the gazetteer's content (the facts are made with it)."""
    content = {f.name: _plain(getattr(gazetteer, f.name)) for f in fields(gazetteer)}
    return _digest(json.dumps(content, sort_keys=True))


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, str):
        return value
    if isinstance(value, set | frozenset | list | tuple):
        return sorted(_plain(v) for v in value)
    return value


def _same(
    a: Stamps, b: Stamps, rows_a: npt.NDArray[np.intp], rows_b: npt.NDArray[np.intp]
) -> npt.NDArray[np.bool_]:
    same: npt.NDArray[np.bool_] = (
        (a.versions[rows_a] == b.versions[rows_b])
        & (a.revisions[rows_a] == b.revisions[rows_b])
        & (a.moments[rows_a] == b.moments[rows_b])
    )
    return same


def _stamp_arrays(stamps: Stamps) -> dict[str, npt.NDArray[np.int64]]:
    return {f"stamps.{f.name}": getattr(stamps, f.name) for f in fields(stamps)}


def _stamps_digest(stamps: Stamps) -> str:
    digest = hashlib.sha256()
    for f in fields(stamps):
        digest.update(np.ascontiguousarray(getattr(stamps, f.name), np.int64).tobytes())
    return digest.hexdigest()[:12]


def _read_head(path: Path) -> Snapshot:
    meta = _json(path / "meta.json")
    if meta.get("format") != FORMAT:
        raise ValueError("a snapshot of another format")
    columns = {
        f.name: np.load(path / f"stamps.{f.name}.npy", allow_pickle=False).astype(np.int64)
        for f in fields(Stamps)
    }
    stamps = Stamps(**columns)
    if len({len(column) for column in columns.values()}) != 1:
        raise ValueError("stamps of different lengths")
    if len(stamps.ids) > 1 and not (np.diff(stamps.ids) > 0).all():
        raise ValueError("stamps not in id order")
    return Snapshot(path, int(meta["catalogue_version"]), stamps)


def _json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _write_json(path: Path, value: Any) -> None:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(value, handle, ensure_ascii=False, separators=(",", ":"))


def _written(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
