"""Vector snapshots on disk, memory-mapped, so the processes of one host share one copy.

Reading 100,000 vectors from the database takes seconds and holds 150 MB in each worker.
A snapshot is the same rows written once as plain ``.npy`` files: every worker maps the
matrix read-only (the operating system keeps one copy in its page cache for all of them)
and reads from the database only the vectors stored since. A snapshot is named by the
database it came from and the newest vector serial it holds, and is only used if that
vector is still in the database as it was (a recreated database starts afresh).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ecosystem.store.vectors import StoredVectors

__all__ = ["VectorFiles", "combined", "no_vectors"]

KEEP = 2  # snapshots kept per model and database (the newest, and the one being replaced)


@dataclass(frozen=True)
class VectorFiles:
    """The snapshot folder of one database."""

    directory: Path
    database: str  # the database's address; only its fingerprint names files

    def newest(self, model_id: str) -> StoredVectors | None:
        """The newest snapshot of ``model_id``, its matrix memory-mapped (None: none yet)."""
        found = sorted(self.directory.glob(f"{self._prefix(model_id)}-*.npz"))
        if not found:
            return None
        head = found[-1]
        with np.load(head) as index:
            ids, hashes = index["ids"].astype(np.int64), [h.decode() for h in index["hashes"]]
            serial = int(index["serial"])
        matrix = np.load(head.with_suffix(".npy"), mmap_mode="r")
        return StoredVectors(ids, hashes, matrix, serial)

    def write(self, model_id: str, stored: StoredVectors) -> None:
        """Write a snapshot atomically (another worker may be writing the same one)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{self._prefix(model_id)}-{stored.serial:015d}"
        matrix = self.directory / f"{name}.npy"
        _atomic(matrix, lambda path: np.save(path, np.ascontiguousarray(stored.matrix)))
        _atomic(
            self.directory / f"{name}.npz",
            lambda path: np.savez(
                path,
                ids=stored.project_ids,
                hashes=np.array([h.encode() for h in stored.text_hashes], dtype="S32"),
                serial=np.array(stored.serial),
            ),
        )
        self._prune(model_id)

    def _prefix(self, model_id: str) -> str:
        database = hashlib.sha256(self.database.encode()).hexdigest()[:12]
        return f"{re.sub(r'[^A-Za-z0-9]+', '-', model_id)}-{database}"

    def _prune(self, model_id: str) -> None:
        for old in sorted(self.directory.glob(f"{self._prefix(model_id)}-*.npz"))[:-KEEP]:
            for path in (old, old.with_suffix(".npy")):
                path.unlink(missing_ok=True)  # a worker still mapping it keeps its pages


def _atomic(path: Path, write: object) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
    os.close(descriptor)
    try:
        write(temporary)  # type: ignore[operator]
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def combined(snapshot: StoredVectors | None, newer: StoredVectors) -> StoredVectors:
    """One set of rows: the snapshot's, each replaced by a newer vector of the project."""
    if snapshot is None:
        return newer
    replaced = set(newer.project_ids.tolist())
    keep = np.array([int(i) not in replaced for i in snapshot.project_ids], bool)
    return StoredVectors(
        np.concatenate([snapshot.project_ids[keep], newer.project_ids]),
        [h for h, k in zip(snapshot.text_hashes, keep, strict=True) if k] + newer.text_hashes,
        np.vstack([np.asarray(snapshot.matrix)[keep], newer.matrix]),
        max(snapshot.serial, newer.serial),
    )


def no_vectors(serial: int, width: int) -> StoredVectors:
    """No rows, as of vector ``serial``."""
    return StoredVectors(np.zeros(0, np.int64), [], np.zeros((0, width), np.float32), serial)
