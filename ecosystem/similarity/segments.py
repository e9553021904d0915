"""Index segments: a large base, a small delta, tombstones, and when to merge or refresh.

Changed documents go to the delta and their old base rows are tombstoned. The delta is
merged into the base when it grows past ``max(min_merge, merge_ratio * base size)``
rows, and IDF is recomputed once more than ``refresh_ratio`` of the collection has
changed. Both work from the stored raw rows (a restack): nothing is analysed again.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ecosystem.similarity.sparse import (
    _DTYPE,
    BoolArray,
    Csc,
    Csr,
    IntArray,
    _resized,
    _rows,
    _vstack,
)
from ecosystem.similarity.vectors import CHAR_WEIGHT, WORD_WEIGHT, Vectoriser, _Raw, _Vectors


@dataclass
class _Base:
    """The large, rarely rebuilt segment: CSR rows plus CSC copies for queries."""

    ids: IntArray
    alive: BoolArray
    raw: _Raw
    vec: _Vectors
    word_csc: Csc
    char_csc: Csc


class Segments:
    """The documents' rows: the base segment, the delta, and the counters of both.

    Parameters
    ----------
    vectoriser
        Weighs rows and owns the IDF that a refresh recomputes.
    refresh_ratio
        Share of changed documents after which IDF is recomputed.
    merge_ratio, min_merge
        The delta is merged when it has more than ``max(min_merge, merge_ratio
        * base size)`` rows.
    """

    def __init__(
        self,
        vectoriser: Vectoriser,
        *,
        refresh_ratio: float,
        merge_ratio: float,
        min_merge: int,
    ) -> None:
        self.vectoriser = vectoriser
        self.refresh_ratio = refresh_ratio
        self.merge_ratio = merge_ratio
        self.min_merge = min_merge
        self.base = _empty_base()
        self.row: dict[int, int] = {}  # doc id -> base row
        self.delta: dict[int, tuple[_Raw, _Vectors]] = {}
        self._delta_cache: tuple[IntArray, _Vectors] | None = None
        self.changes = 0  # upserts and removals of counted documents since the last IDF
        # The documents that count for IDF (None: all). Only public projects count, so a
        # reader's weights never depend on what that reader may not see.
        self.counted: set[int] | None = None
        self.builds = self.merges = self.refreshes = 0

    def __len__(self) -> int:
        return len(self.row) + len(self.delta)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.row or doc_id in self.delta

    # ---------------------------------------------------------------- updates
    def replace(self, ids: IntArray, raw: _Raw) -> None:
        """Make ``raw`` (the rows of ``ids``) the whole collection, with fresh IDF."""
        self.delta.clear()
        self._delta_cache = None
        self._refresh_idf(raw, ids)
        self.base = self._make_base(ids, raw)
        self.row = {int(doc_id): row for row, doc_id in enumerate(ids)}
        self.builds += 1

    def upsert(self, doc_id: int, raw: _Raw, *, counted: bool = True) -> None:
        """Put the new rows of ``doc_id`` in the delta, replacing any old ones."""
        was_counted = self._counts(doc_id)
        self.drop(doc_id)
        self._mark(doc_id, counted)
        self.delta[doc_id] = (raw, self.vectoriser.weigh(raw))
        self._delta_cache = None
        self.changes += int(counted or was_counted)
        self.maintain()

    def remove(self, doc_id: int) -> None:
        """Forget a document; unknown ids are ignored."""
        was_counted = self._counts(doc_id)
        if self.drop(doc_id):
            self._mark(doc_id, False)
            self.changes += int(was_counted)
            self.maintain()

    def _counts(self, doc_id: int) -> bool:
        return self.counted is None or doc_id in self.counted

    def _mark(self, doc_id: int, counted: bool) -> None:
        if self.counted is None:
            if counted:
                return
            self.counted = set(self.row) | set(self.delta)
        if counted:
            self.counted.add(doc_id)
        else:
            self.counted.discard(doc_id)

    def drop(self, doc_id: int) -> bool:
        """Tombstone or forget the current rows of ``doc_id``."""
        row = self.row.pop(doc_id, None)
        if row is not None:
            self.base.alive[row] = False
            return True
        if self.delta.pop(doc_id, None) is not None:
            self._delta_cache = None
            return True
        return False

    def maintain(self) -> None:
        """Refresh IDF after large changes, else merge a large delta."""
        vectoriser = self.vectoriser
        if self.changes > self.refresh_ratio * max(vectoriser.n_ref, vectoriser.min_df_cutoff):
            self.restack(refresh=True)
        elif len(self.delta) > max(self.min_merge, self.merge_ratio * len(self.base.ids)):
            self.restack(refresh=False)

    def restack(self, *, refresh: bool) -> None:
        """Fold the delta into the base, optionally recomputing IDF first.

        Works from the stored raw rows: nothing is analysed again.
        """
        alive = self.base.alive
        delta_raw = [raw for raw, _ in self.delta.values()]
        raw = _Raw(
            word_tf=_vstack(
                [_rows(self.base.raw.word_tf, alive), *(r.word_tf for r in delta_raw)],
                len(self.vectoriser.words),
            ),
            char_words=_vstack(
                [_rows(self.base.raw.char_words, alive), *(r.char_words for r in delta_raw)],
                len(self.vectoriser.char_words),
            ),
        )
        delta_ids = np.fromiter(self.delta.keys(), dtype=np.int64, count=len(self.delta))
        ids = np.concatenate([self.base.ids[alive], delta_ids])
        if refresh:
            self._refresh_idf(raw, ids)
            self.refreshes += 1
        else:
            self.merges += 1
        self.base = self._make_base(ids, raw)
        self.row = {int(doc_id): row for row, doc_id in enumerate(ids)}
        self.delta.clear()
        self._delta_cache = None

    def _refresh_idf(self, raw: _Raw, ids: IntArray) -> None:
        counted = None
        if self.counted is not None:
            chosen = self.counted
            counted = np.fromiter((int(i) in chosen for i in ids), bool, len(ids))
        self.vectoriser.refresh_idf(raw, counted)
        self.changes = 0

    def _make_base(self, ids: IntArray, raw: _Raw) -> _Base:
        step = 20_000
        vectoriser = self.vectoriser
        parts = [
            vectoriser.weigh(_Raw(raw.word_tf[s : s + step], raw.char_words[s : s + step]))
            for s in range(0, max(len(ids), 1), step)
        ]
        vec = _Vectors(
            word=_vstack([p.word for p in parts], len(vectoriser.words)),
            char=_vstack([p.char for p in parts], len(vectoriser.grams)),
        )
        return _Base(ids, np.ones(len(ids), bool), raw, vec, vec.word.tocsc(), vec.char.tocsc())

    # ------------------------------------------------------------------ reads
    def delta_vectors(self) -> tuple[IntArray, _Vectors]:
        """The delta rows stacked (cached until the delta changes)."""
        if self._delta_cache is None:
            ids = np.fromiter(self.delta.keys(), dtype=np.int64, count=len(self.delta))
            vecs = [vec for _, vec in self.delta.values()]
            self._delta_cache = (
                ids,
                _Vectors(
                    _vstack([v.word for v in vecs], len(self.vectoriser.words)),
                    _vstack([v.char for v in vecs], len(self.vectoriser.grams)),
                ),
            )
        return self._delta_cache

    def holding(self, word_columns: list[int]) -> tuple[IntArray, BoolArray]:
        """Every live document's id, and whether it holds all of ``word_columns``."""
        base = self.base
        delta_ids, delta = self.delta_vectors()
        width = len(self.vectoriser.words)
        found = [base.vec.word, delta.word]
        masks = []
        for matrix in found:
            matrix = _resized(matrix, width)
            present = (matrix[:, word_columns] != 0).sum(axis=1)
            masks.append(np.asarray(present).ravel() == len(word_columns))
        ids = np.concatenate([base.ids[base.alive], delta_ids])
        return ids, np.concatenate([masks[0][base.alive], masks[1]])

    def vectors_of(self, doc_id: int) -> _Vectors:
        """Vectors of a stored document.

        Raises
        ------
        KeyError
            If ``doc_id`` is not in the index.
        """
        row = self.row.get(doc_id)
        if row is not None:
            return _Vectors(self.base.vec.word[row], self.base.vec.char[row])
        if doc_id in self.delta:
            return self.delta[doc_id][1]
        raise KeyError(doc_id)

    def combined(self, ids: Collection[int] | None) -> tuple[IntArray, Csr]:
        """Rows of all live documents in one space whose dot product is the score."""
        base = self.base
        delta_ids, delta = self.delta_vectors()
        width = (len(self.vectoriser.words), len(self.vectoriser.grams))
        blocks = [
            sp.hstack(
                [
                    _resized(m.word, width[0]) * math.sqrt(WORD_WEIGHT),
                    _resized(m.char, width[1]) * math.sqrt(CHAR_WEIGHT),
                ],
                format="csr",
            )
            for m in (
                _Vectors(_rows(base.vec.word, base.alive), _rows(base.vec.char, base.alive)),
                delta,
            )
        ]
        doc_ids = np.concatenate([base.ids[base.alive], delta_ids])
        combined = _vstack(blocks, width[0] + width[1])
        if ids is not None:
            keep = np.isin(doc_ids, np.fromiter(ids, np.int64, len(ids)))
            doc_ids, combined = doc_ids[keep], _rows(combined, keep)
        return doc_ids, combined

    def matrix_bytes(self) -> int:
        """Memory held by the base segment's matrices."""
        return sum(
            m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
            for m in (
                self.base.raw.word_tf,
                self.base.raw.char_words,
                self.base.vec.word,
                self.base.vec.char,
                self.base.word_csc,
                self.base.char_csc,
            )
        )


def _empty_base() -> _Base:
    empty = sp.csr_matrix((0, 0), dtype=_DTYPE)
    raw = _Raw(empty, empty)
    vec = _Vectors(empty, empty)
    return _Base(np.zeros(0, np.int64), np.zeros(0, bool), raw, vec, empty.tocsc(), empty.tocsc())
