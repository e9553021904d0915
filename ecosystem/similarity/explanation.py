"""Explanations: the readable word terms two texts share, with their part of the score."""

from __future__ import annotations

from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt

from ecosystem.similarity.segments import Segments
from ecosystem.similarity.sparse import Csr, FloatArray, _resized, _vstack
from ecosystem.similarity.vectors import WORD_WEIGHT, Vectoriser, _Scratch

# Shared terms listed per match; enough to explain, few enough to read.
_SHARED_TERMS: Final = 8

Terms: TypeAlias = tuple[tuple[str, float], ...]


def shared_many(
    segments: Segments, query: Csr, doc_ids: list[int], scratch: _Scratch | None
) -> list[Terms]:
    """:func:`shared` of the query with many stored documents, in one product."""
    if not doc_ids:
        return []
    row, words = segments.row, len(segments.vectoriser.words)
    rows = _vstack([segments.vectors_of(d).word for d in doc_ids if d not in row], words)
    base_rows = [row[d] for d in doc_ids if d in row]
    stacked = _vstack([segments.base.vec.word[base_rows], rows], words)
    order = [d for d in doc_ids if d in row] + [d for d in doc_ids if d not in row]
    width = max(stacked.shape[1], query.shape[1])
    product = _resized(stacked, width).multiply(_resized(query, width)).tocsr()
    by_id: dict[int, Terms] = {}
    for position, doc_id in enumerate(order):
        lo, hi = product.indptr[position], product.indptr[position + 1]
        by_id[doc_id] = top_terms(
            segments.vectoriser, product.indices[lo:hi], product.data[lo:hi], scratch
        )
    return [by_id[d] for d in doc_ids]


def shared(vectoriser: Vectoriser, a: Csr, b: Csr, scratch: _Scratch | None = None) -> Terms:
    """Word terms in both vectors with their contribution to the score, largest first."""
    if a.nnz == 0 or b.nnz == 0:
        return ()
    width = max(a.shape[1], b.shape[1])
    product = _resized(a, width).multiply(_resized(b, width)).tocsr()
    return top_terms(vectoriser, product.indices, product.data, scratch)


def top_terms(
    vectoriser: Vectoriser,
    columns: npt.NDArray[np.int32],
    values: FloatArray,
    scratch: _Scratch | None,
) -> Terms:
    """The largest word contributions, as (readable term, share of the score)."""
    order = np.lexsort((columns, -values))[:_SHARED_TERMS]
    weights = np.round(values[order].astype(np.float64) * WORD_WEIGHT, 6).tolist()
    return tuple(
        (vectoriser.term_name(column, scratch), weight)
        for column, weight in zip(columns[order].tolist(), weights, strict=True)
        if weight > 0
    )
