"""All pairs above a threshold: an exact similarity self-join with prefix filtering.

The AllPairs algorithm of Bayardo et al.: with features ordered from the most to the
least common, the part of each vector in the most common features can contribute less
than half the threshold, so a qualifying pair must share one of the rarer features.
Only pairs that do are enumerated, with sparse products over row chunks, and each
candidate is bounded before it is verified.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ecosystem.similarity.sparse import _DTYPE, BoolArray, Csr, FloatArray, IntArray, _score

# Target number of candidate entries per chunk in pairs(): bounds memory.
_PAIR_CHUNK_ENTRIES: Final = 8_000_000
# Candidate pairs verified per vectorised step in pairs().
_VERIFY_BATCH: Final = 50_000
# Fraction of the threshold the prefix of a vector may contribute in pairs();
# smaller means stronger pruning but a larger part of each vector enumerated.
_PREFIX_SHARE: Final = 0.5


def all_pairs(matrix: Csr, threshold: float) -> Iterator[tuple[int, int, float]]:
    """Row pairs ``(i, j, dot)`` with ``i < j`` and ``dot >= threshold``; rows unit-norm."""
    n = matrix.shape[0]
    if n < 2:
        return
    ordered = _frequent_first(matrix)
    del matrix
    prefix, suffix, prefix_bound = _split_prefix(ordered, _PREFIX_SHARE * threshold)
    chunk = max(16, min(2_000, _PAIR_CHUNK_ENTRIES // n))
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        # partial[j, i] = (suffix of row i in this chunk) . (row j >= start)
        partial = _row_view(ordered, start) @ suffix[start:stop].T
        # The prefix adds at most prefix_bound[i]. Most entries fail even the
        # chunk's loosest bound: test the data array first and only expand
        # row numbers for the few that pass (the product is nearly dense).
        loosest = threshold - float(prefix_bound[start:stop].max())
        hits = np.flatnonzero(partial.data >= loosest)
        j = np.searchsorted(partial.indptr, hits, side="right") - 1 + start
        i = partial.indices[hits].astype(np.int64) + start
        dots = partial.data[hits]
        del partial, hits
        hopeful = (j > i) & (dots + prefix_bound[i] >= threshold)  # j > i: each pair once
        i, j, dots = i[hopeful], j[hopeful], dots[hopeful]
        for lo in range(0, len(i), _VERIFY_BATCH):
            part = slice(lo, lo + _VERIFY_BATCH)
            rest = prefix[i[part]].multiply(ordered[j[part]]).sum(axis=1)
            total = dots[part] + np.asarray(rest, _DTYPE).ravel()
            good = total >= threshold
            for a, b, score in zip(i[part][good], j[part][good], total[good], strict=True):
                yield int(a), int(b), _score(score)


def _row_view(matrix: Csr, start: int) -> Csr:
    """Rows ``start:`` of a CSR matrix without copying its data (slicing copies)."""
    first = int(matrix.indptr[start])
    return sp.csr_matrix(
        (matrix.data[first:], matrix.indices[first:], matrix.indptr[start:] - first),
        shape=(matrix.shape[0] - start, matrix.shape[1]),
        copy=False,
    )


def _frequent_first(matrix: Csr) -> Csr:
    """Columns renumbered by falling document frequency, indices sorted per row."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    rank = np.empty(matrix.shape[1], np.int32)
    rank[np.argsort(-df, kind="stable")] = np.arange(matrix.shape[1], dtype=np.int32)
    ordered = sp.csr_matrix(
        (matrix.data.copy(), rank[matrix.indices], matrix.indptr.copy()), shape=matrix.shape
    )
    ordered.sort_indices()
    return ordered


def _split_prefix(ordered: Csr, budget: float) -> tuple[Csr, Csr, FloatArray]:
    """Split each row into a frequent-feature prefix worth less than ``budget``, and the rest.

    The prefix's contribution to any dot product is bounded both by its norm
    (Cauchy-Schwarz against a unit vector) and by sum(x_f * max_y y_f).
    Returns (prefix, suffix, bound on the prefix's contribution per row).
    """
    lengths = np.diff(ordered.indptr)
    colmax = np.zeros(ordered.shape[1], _DTYPE)
    np.maximum.at(colmax, ordered.indices, ordered.data)
    data = ordered.data.astype(np.float64)
    bound = _row_cumsum(data * colmax[ordered.indices], ordered.indptr, lengths)
    np.minimum(bound, np.sqrt(_row_cumsum(data * data, ordered.indptr, lengths)), out=bound)
    del data
    in_prefix = bound < budget  # both bounds grow along a row, so this is a prefix
    # the bound of a row's prefix is the bound at its last prefix entry
    prefix_bound = np.zeros(ordered.shape[0], np.float64)
    rows = np.repeat(np.arange(ordered.shape[0], dtype=np.int32), lengths)
    np.maximum.at(prefix_bound, rows[in_prefix], bound[in_prefix])
    del rows, bound
    return (
        _masked(ordered, in_prefix),
        _masked(ordered, ~in_prefix),
        prefix_bound.astype(_DTYPE),
    )


def _row_cumsum(
    values: npt.NDArray[np.float64], indptr: IntArray, lengths: IntArray
) -> npt.NDArray[np.float64]:
    """Cumulative sums restarting at each row of a CSR layout."""
    total = np.cumsum(values)
    before = np.concatenate([[0.0], total])[indptr[:-1]]
    result: npt.NDArray[np.float64] = total - np.repeat(before, lengths)
    return result


def _masked(matrix: Csr, keep: BoolArray) -> Csr:
    """``matrix`` with the entries where ``keep`` is false removed."""
    out = sp.csr_matrix(
        (
            np.where(keep, matrix.data, 0).astype(_DTYPE),
            matrix.indices.copy(),
            matrix.indptr.copy(),
        ),
        shape=matrix.shape,
    )
    out.eliminate_zeros()
    return out
