"""Queries: the scores of every document against one query vector, and the best few.

Only the base's columns of the query's own terms are read (an inverted-index product
over CSC copies), so the cost follows the query, not the collection; the small delta
segment is multiplied row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np

from ecosystem.similarity.segments import Segments
from ecosystem.similarity.sparse import _DTYPE, Csc, Csr, FloatArray, IntArray, _resized, _score
from ecosystem.similarity.vectors import CHAR_WEIGHT, WORD_WEIGHT, _Vectors

# Candidates examined per round when `allowed` rejects many of them.
_FILTER_BATCH: Final = 256


def every_score(segments: Segments, query: _Vectors) -> tuple[IntArray, FloatArray]:
    """Every live document's id and score (zero where nothing is shared)."""
    base = segments.base
    scores = _column_product(base.word_csc, query.word, WORD_WEIGHT)
    scores += _column_product(base.char_csc, query.char, CHAR_WEIGHT)
    delta_ids, delta = segments.delta_vectors()
    delta_scores = _row_product(delta.word, query.word, WORD_WEIGHT)
    delta_scores += _row_product(delta.char, query.char, CHAR_WEIGHT)
    alive = base.alive
    return (
        np.concatenate([base.ids[alive], delta_ids]),
        np.concatenate([scores[alive], delta_scores]),
    )


def best(
    segments: Segments,
    query: _Vectors,
    k: int,
    allowed: Callable[[int], bool] | None,
    exclude: set[int],
) -> list[tuple[int, float]]:
    """The ``k`` best ``(doc id, score)`` for a non-empty query, best first (ties: id)."""
    base = segments.base
    scores = _column_product(base.word_csc, query.word, WORD_WEIGHT)
    scores += _column_product(base.char_csc, query.char, CHAR_WEIGHT)
    scores[~base.alive] = 0.0
    delta_ids, delta = segments.delta_vectors()
    delta_scores = _row_product(delta.word, query.word, WORD_WEIGHT)
    delta_scores += _row_product(delta.char, query.char, CHAR_WEIGHT)
    return _top_allowed(
        np.concatenate([base.ids, delta_ids]),
        np.concatenate([scores, delta_scores]),
        k,
        allowed,
        exclude,
    )


def _column_product(index: Csc, query: Csr, weight: float) -> FloatArray:
    """``index @ query.T`` reading only the query's columns of a CSC index."""
    scores = np.zeros(index.shape[0], _DTYPE)
    columns = query.indices[query.indices < index.shape[1]]
    if not len(columns):
        return scores
    values = query.data[query.indices < index.shape[1]] * weight
    block: Csc = index[:, columns]
    scores += block @ values.astype(_DTYPE)
    return scores


def _row_product(rows: Csr, query: Csr, weight: float) -> FloatArray:
    """``rows @ query.T`` for the (small) delta segment."""
    if rows.shape[0] == 0:
        return np.zeros(0, _DTYPE)
    product = rows @ _resized(query, rows.shape[1]).T
    return np.asarray(product.toarray(), _DTYPE).ravel() * _DTYPE(weight)


def _top_allowed(
    ids: IntArray,
    scores: FloatArray,
    k: int,
    allowed: Callable[[int], bool] | None,
    exclude: set[int],
) -> list[tuple[int, float]]:
    """Best ``k`` positive scores whose ids pass the filters, best first (ties: id).

    Only the best few hundred candidates are sorted: a cut-off estimated from a
    strided sample of the scores finds them without partitioning the whole
    array. The rest are sorted only when ``allowed`` or ``exclude`` rejected so
    many that they are needed.
    """
    wanted = max(_FILTER_BATCH, 4 * k)
    cutoff = _cutoff(scores, wanted)
    first = np.flatnonzero(scores >= cutoff)
    picked: list[tuple[int, float]] = []
    for batch in (first, np.flatnonzero((scores > 0) & (scores < cutoff))):
        for row in batch[np.lexsort((ids[batch], -scores[batch]))]:
            doc_id = int(ids[row])
            if doc_id in exclude or (allowed is not None and not allowed(doc_id)):
                continue
            picked.append((doc_id, _score(scores[row])))
            if len(picked) == k:
                return picked
    return picked


def _cutoff(scores: FloatArray, wanted: int) -> float:
    """A positive score with about ``wanted`` (at least) scores at or above it.

    The ``wanted``-th best of a 1-in-16 sample, taken twice as deep, is below
    the true ``wanted``-th best score with high probability; if not, the caller
    just sorts more candidates in its second batch.
    """
    stride = 16
    if len(scores) < 4 * stride * wanted:
        return float(np.finfo(_DTYPE).tiny)
    sample = scores[::stride]
    depth = min(len(sample), 2 * wanted // stride + 1)
    return max(float(np.partition(sample, -depth)[-depth]), float(np.finfo(_DTYPE).tiny))
