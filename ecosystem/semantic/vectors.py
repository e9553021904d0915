"""The vectors of a catalogue's projects, and the cosine of a query against all of them.

A base matrix holds the bulk (read from a file shared by the processes of one host, or
from the database) and a small delta holds what was embedded since; a removed or
re-embedded project is masked in the base until the next rebuild. A query is one
matrix-vector product over the live rows: at 100,000 projects of 384 dimensions about
40 million multiply-adds, a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["StoredRows", "VectorIndex"]

Matrix = npt.NDArray[np.float32]
Ids = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float32]

# What a store hands over: project ids, the text hash of each vector, the vectors.
StoredRows = tuple[Ids | Sequence[int], Sequence[str], Matrix]

REBUILD_FROM = 2_000  # delta rows from which the delta is folded into the base


class VectorIndex:
    """Unit vectors by project id, under one model.

    Examples
    --------
    >>> index = VectorIndex(2)
    >>> index.load([1, 2], ["a", "b"], np.array([[1, 0], [0, 1]], np.float32))
    >>> index.upsert(3, "c", np.array([0.6, 0.8], np.float32))
    >>> ids, scores = index.scores(np.array([1, 0], np.float32))
    >>> sorted(zip(ids.tolist(), [round(float(s), 2) for s in scores]))
    [(1, 1.0), (2, 0.0), (3, 0.6)]
    >>> index.remove(1); index.hash_of(1) is None, len(index)
    (True, 2)
    """

    def __init__(self, dimensions: int) -> None:
        self.dimensions = dimensions
        self._base = np.zeros((0, dimensions), np.float32)
        self._base_ids: Ids = np.zeros(0, np.int64)
        self._alive = np.zeros(0, bool)
        self._row: dict[int, int] = {}
        self._hash: dict[int, str] = {}
        self._delta: dict[int, npt.NDArray[np.float32]] = {}
        self._stacked: tuple[Ids, Matrix] | None = None

    def __len__(self) -> int:
        return len(self._hash)

    def __contains__(self, project_id: object) -> bool:
        return project_id in self._hash

    def load(self, ids: Sequence[int] | Ids, hashes: Sequence[str], matrix: Matrix) -> None:
        """Start over from these rows (``matrix`` may be memory-mapped: it is never written)."""
        self._base, self._base_ids = matrix, np.asarray(ids, np.int64)
        self._alive = np.ones(len(self._base_ids), bool)
        self._row = {int(pid): row for row, pid in enumerate(self._base_ids.tolist())}
        self._hash = dict(zip((int(i) for i in self._base_ids.tolist()), hashes, strict=True))
        self._delta, self._stacked = {}, None

    def hash_of(self, project_id: int) -> str | None:
        """The text hash the stored vector was made from (None: no vector)."""
        return self._hash.get(project_id)

    def upsert(self, project_id: int, text_hash: str, vector: npt.NDArray[np.float32]) -> None:
        self._mask(project_id)
        self._delta[project_id] = np.asarray(vector, np.float32)
        self._hash[project_id] = text_hash
        self._stacked = None
        if len(self._delta) >= REBUILD_FROM:
            self._fold()

    def upsert_many(self, rows: Iterable[tuple[int, str, npt.NDArray[np.float32]]]) -> None:
        for project_id, text_hash, vector in rows:
            self.upsert(project_id, text_hash, vector)

    def remove(self, project_id: int) -> None:
        self._mask(project_id)
        if self._delta.pop(project_id, None) is not None:
            self._stacked = None
        self._hash.pop(project_id, None)

    def vector(self, project_id: int) -> npt.NDArray[np.float32] | None:
        if project_id in self._delta:
            return self._delta[project_id]
        row = self._row.get(project_id)
        return None if row is None or not self._alive[row] else np.asarray(self._base[row])

    def scores(self, query: npt.NDArray[np.float32]) -> tuple[Ids, Scores]:
        """Every live project id and its cosine with ``query`` (a unit vector)."""
        base = np.asarray(self._base @ query, np.float32)[self._alive]
        delta_ids, delta = self._delta_matrix()
        ids = np.concatenate([self._base_ids[self._alive], delta_ids])
        return ids, np.concatenate([base, np.asarray(delta @ query, np.float32)])

    def matrix(self) -> tuple[Ids, Matrix]:
        """Every live row in one matrix (a copy), e.g. for neighbours of every project."""
        delta_ids, delta = self._delta_matrix()
        ids = np.concatenate([self._base_ids[self._alive], delta_ids])
        return ids, np.vstack([np.asarray(self._base[self._alive]), delta])

    def _mask(self, project_id: int) -> None:
        row = self._row.pop(project_id, None)
        if row is not None:
            if not self._alive.flags.writeable:
                self._alive = self._alive.copy()
            self._alive[row] = False

    def _delta_matrix(self) -> tuple[Ids, Matrix]:
        if self._stacked is None:
            ids = np.fromiter(self._delta, np.int64, len(self._delta))
            rows = list(self._delta.values())
            matrix = np.vstack(rows) if rows else np.zeros((0, self.dimensions), np.float32)
            self._stacked = (ids, matrix)
        return self._stacked

    def _fold(self) -> None:
        ids, matrix = self.matrix()
        hashes = [self._hash[int(i)] for i in ids.tolist()]
        self.load(ids, hashes, matrix)
