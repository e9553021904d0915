"""Each vector's nearest vectors at other organisations, each cosine computed once.

The cosines of ``n`` vectors are a symmetric ``n`` x ``n`` matrix, and a search row by
row computes each of them twice. Here only one triangle is computed, a strip at a time:
the rows from ``start`` on against the block of rows ``[start, stop)``. A strip serves

* the block's rows, which have by then been offered the cosines with every row before
  ``start`` (by the earlier strips, below): with this strip's they have seen all of their
  cosines, and their ``k`` best are final;
* the later rows (from ``stop``): each keeps its ``k`` best so far, and takes from a strip
  only the cosines above its floor: its current ``k``-th best, or a bound its final one
  is sure to reach (:func:`_lower_bounds`), if higher. A cosine at or below that can never
  be among its final ``k``, so nothing is dropped that a full row would have kept; with
  the bounds, few cosines pass from the first strips on.

Each strip holds the later rows down and the block's rows across, so that a later row's
cosines with the block are one contiguous run (and this shape of product is also the
faster one). Every cosine is the very float32 a product of all rows with all rows would
give, rounding included: only exact ties can be chosen differently.

The memory is the strip (``n`` by ``BLOCK`` float32 cosines, 100 MB at 100,000) and the
running ``k`` best of every row (``k`` float32 cosines and int32 row numbers each).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = ["BLOCK", "CHUNK", "nearest_elsewhere", "top_per_row"]

BLOCK = 256  # rows per strip: 100,000 x 256 float32 cosines are 100 MB
CHUNK = 64  # columns per group whose maximum narrows down a row's best candidates
ONE_BY_ONE = 4  # cosines a later row takes from a strip one by one (more: merged at once)
GROUP = 128  # rows per group (on average) of the clustering the floors start from
GROUP_MOST = 2048  # rows of a group (at most) its rows' bounds are found among
BOUND_BATCH = 4096  # rows compared with the centres at once

IntArray = npt.NDArray[np.int64]
Positions = npt.NDArray[np.int32]
Vectors = npt.NDArray[np.float32]
Scores = npt.NDArray[np.floating]


def nearest_elsewhere(matrix: Vectors, count: int, owners: IntArray, k: int) -> Positions:
    """Each of the first ``count`` rows' ``k`` most similar rows (by dot product) owned by
    someone else, as a ``count`` x ``k`` array of row numbers, -1 where it has fewer.

    ``owners`` are the rows' owners in ascending order, so that each owner's rows are one
    stretch. ``matrix`` has ``count`` rows and then zero rows up to a whole number of
    ``CHUNK``; ``BLOCK`` is a whole number of ``CHUNK``, so every strip is too.
    """
    if not count:
        return np.zeros((0, k), np.int32)
    kept = _Kept.empty(count, k, _lower_bounds(matrix[:count], owners, k))
    own_end = np.searchsorted(owners, owners, side="right")
    for start in range(0, count, BLOCK):
        stop = min(count, start + BLOCK)
        strip = matrix[start:] @ matrix[start:stop].T
        strip[count - start :] = -np.inf  # the padding
        _hide_own(strip, owners, own_end, start, stop)
        _offer_later(strip[stop - start : count - start], start, stop, kept)
        values, rows = _top_k(strip.T, k)
        kept.merge(np.arange(start, stop), values, rows + start)
    kept.chosen[~np.isfinite(kept.best)] = -1  # an own or padding row: it has fewer
    return kept.chosen


def _hide_own(strip: Vectors, owners: IntArray, own_end: IntArray, start: int, stop: int) -> None:
    """The block's rows' cosines with their own organisation's rows (themselves too) out.

    The rows are in owner order, so each owner's rows in the block are one run, and its
    rows in the strip run from that run's first (or ``start``) to the owner's last row.
    """
    runs = np.flatnonzero(np.diff(owners[start:stop], prepend=-1)).tolist()
    for first, last in itertools.pairwise([*runs, stop - start]):
        strip[first : own_end[start + first] - start, first:last] = -np.inf


def _lower_bounds(vectors: Vectors, owners: IntArray, k: int) -> Vectors:
    """Per row, a cosine its ``k``-th best elsewhere is sure to reach: where the later rows'
    floors start, so that they take few cosines from the first strips too.

    Each row's ``k``-th best among the rows elsewhere in its group (of a rough clustering,
    :func:`_groups`) is the ``k``-th best of some of its cosines, so at most that of all of
    them. Less a margin, since these products are shaped differently from the strips' and
    may round differently: a float32 dot product of ``d`` terms is off by at most ``d``
    x 2**-24 of the norms' product, so two differ by at most ``d`` x 2**-23 of it; the
    margin is twice that (9.2e-5 for 384 dimensions of unit vectors). ``-inf`` where the
    group has fewer than ``k`` rows elsewhere.
    """
    bounds = np.full(len(vectors), -np.inf, np.float32)
    group = _groups(vectors)
    order = np.argsort(group, kind="stable")
    edges = np.flatnonzero(np.diff(group[order], prepend=-1, append=-1))
    for first, last in itertools.pairwise(edges.tolist()):
        members = order[first:last]
        among = members[:: -(-len(members) // GROUP_MOST)]  # a large group: spread over it
        if len(among) < k:
            continue
        for start in range(0, len(members), GROUP_MOST):
            part = members[start : start + GROUP_MOST]
            cosines = vectors[part] @ vectors[among].T
            cosines[owners[part][:, None] == owners[among][None, :]] = -np.inf
            bounds[part] = np.partition(cosines, len(among) - k, axis=1)[:, len(among) - k]
    norms = np.linalg.norm(vectors, axis=1)
    eps = float(np.finfo(np.float32).eps)
    margin: Vectors = (2 * vectors.shape[1] * eps * norms * norms.max()).astype(np.float32)
    return bounds - margin


def _groups(vectors: Vectors) -> IntArray:
    """A rough clustering of the rows, about ``GROUP`` each: one step of k-means from
    random rows, on the vectors less their mean (what all share says nothing of which
    are near)."""
    centred = vectors - vectors.mean(axis=0)
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)
    rng = np.random.default_rng(0)
    centres = centred[rng.choice(len(vectors), size=max(1, len(vectors) // GROUP), replace=False)]
    group = _nearest_centre(centred, centres)
    members = sp.csr_matrix(
        (np.ones(len(group), np.float32), (group, np.arange(len(group)))),
        shape=(len(centres), len(group)),
    )
    centres = members @ centred  # each group's sum: its mean's direction
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    return _nearest_centre(centred, centres)


def _nearest_centre(vectors: Vectors, centres: Vectors) -> IntArray:
    return np.concatenate(
        [
            np.argmax(vectors[start : start + BOUND_BATCH] @ centres.T, axis=1)
            for start in range(0, len(vectors), BOUND_BATCH)
        ]
    )


@dataclass
class _Kept:
    """Every row's ``k`` best so far: cosines and rows (``-inf`` and -1 where it has
    fewer), and where its lowest is; and its floor: its ``k``-th best so far, or the
    bound it is sure to reach if that is higher."""

    best: Vectors
    chosen: Positions
    lowest: Positions
    bound: Vectors
    floor: Vectors

    @classmethod
    def empty(cls, count: int, k: int, bound: Vectors) -> _Kept:
        return cls(
            np.full((count, k), -np.inf, np.float32),
            np.full((count, k), -1, np.int32),
            np.zeros(count, np.int32),
            bound,
            bound.copy(),
        )

    def merge(self, rows: IntArray, values: Scores, chosen: Positions) -> None:
        """Each of ``rows`` keeps the ``k`` best of what it kept and its ``values``."""
        k = self.best.shape[1]
        together = np.concatenate([self.best[rows], values], axis=1)
        top = np.argpartition(together, together.shape[1] - k, axis=1)[:, -k:]
        best = np.take_along_axis(together, top, axis=1)
        joined = np.concatenate([self.chosen[rows], chosen.astype(np.int32)], axis=1)
        self.best[rows], self.chosen[rows] = best, np.take_along_axis(joined, top, axis=1)
        self._find_floor(rows, best)

    def replace_lowest(self, rows: IntArray, values: Vectors, chosen: Positions) -> None:
        """Each of ``rows`` (each once) takes its value in place of its lowest, if higher."""
        higher = values > self.floor[rows]
        rows, at = rows[higher], self.lowest[rows[higher]]
        self.best[rows, at], self.chosen[rows, at] = values[higher], chosen[higher]
        self._find_floor(rows, self.best[rows])

    def _find_floor(self, rows: IntArray, best: Vectors) -> None:
        lowest = best.argmin(axis=1)
        self.lowest[rows] = lowest
        self.floor[rows] = np.maximum(best[np.arange(len(rows)), lowest], self.bound[rows])


def _offer_later(later: Vectors, start: int, stop: int, kept: _Kept) -> None:
    """The later rows' cosines with the block (one row of ``later`` each, from ``stop``):
    each later row takes the ones above its floor.

    After the first strips, a later row takes one or two cosines from a strip if any:
    those go in place of its lowest, one by one. A row taking more merges them at once.
    """
    if not len(later):
        return
    floors = kept.floor[stop : stop + len(later)]
    affected = np.flatnonzero(later.max(axis=1) > floors)
    if not len(affected):
        return
    rows, cosines, floors = affected + stop, later[affected], floors[affected]
    taken = cosines > floors[:, None]
    many = taken.sum(axis=1) > ONE_BY_ONE
    if many.any():
        # Those not taken are at most the row's floor: never among its final k.
        values, best = _top_k(cosines[many], kept.best.shape[1])
        kept.merge(rows[many], values, best + start)
    # The others' cosines taken, by later row: each row's first, then its second...
    few = np.flatnonzero(~many)
    takers, givers = _where_true(taken[few] if len(few) < len(many) else taken)
    takers = few[takers]
    place = np.arange(len(takers)) - np.searchsorted(takers, takers)
    for round_ in range(int(place.max(initial=-1)) + 1):
        now = np.flatnonzero(place == round_)
        who, whom = takers[now], givers[now]
        kept.replace_lowest(rows[who], cosines[who, whom], (whom + start).astype(np.int32))


def _where_true(flags: npt.NDArray[np.bool_]) -> tuple[IntArray, IntArray]:
    """``np.nonzero`` of a contiguous 2-D array of flags of which few are set, by row and
    then column, eight flags at a time (looked at as one 64-bit word)."""
    if flags.shape[1] % 8:
        rows, columns = np.nonzero(flags)
        return rows, columns
    words = flags.view(np.uint64)
    rows, at = np.nonzero(words)
    which, byte = np.nonzero(words[rows, at].view(np.uint8).reshape(-1, 8))
    return rows[which], at[which] * 8 + byte


def top_per_row(scores: Scores, k: int) -> tuple[IntArray, IntArray]:
    """(row, column) of each row's ``k`` highest finite scores (all, where it has fewer).
    The width must be a whole number of ``CHUNK``."""
    values, columns = _top_k(scores, k)
    positions = np.broadcast_to(np.arange(len(scores))[:, None], values.shape)
    finite = np.isfinite(values)
    return positions[finite].astype(np.int64), columns[finite].astype(np.int64)


def _top_k(scores: Scores, k: int) -> tuple[Scores, Positions]:
    """Each row's ``k`` highest scores and their columns (all, where the row is narrower).

    The columns fall into groups of ``CHUNK``, column ``c`` in group ``c mod groups``. A
    row's ``k`` best lie in the ``k`` groups with the highest maxima (any other group's
    maximum is at most the ``k``-th of those, and each of those holds a score at least that
    high), so only those are searched: one pass for the maxima instead of a selection over
    the whole row. ``scores`` may be the transpose of a contiguous array (a strip): the
    maxima are then one pass down it, as they are across a contiguous one.
    """
    height, width = scores.shape
    if width <= k:
        return scores, np.broadcast_to(np.arange(width, dtype=np.int32), scores.shape)
    groups = width // CHUNK
    if groups > 2 * k:
        # stacked[t, g, r] is row r's score in column t * groups + g
        stacked = scores.T.reshape(CHUNK, groups, height)
        best = np.argpartition(stacked.max(axis=0).T, groups - k, axis=1)[:, -k:]
        values = stacked[:, best, np.arange(height)[:, None]].transpose(1, 0, 2)
        values = values.reshape(height, -1)
        offsets = (np.arange(CHUNK)[:, None] * groups + best[:, None, :]).reshape(height, -1)
    else:
        values, offsets = scores, np.broadcast_to(np.arange(width), scores.shape)
    top = np.argpartition(values, values.shape[1] - k, axis=1)[:, -k:]
    found = np.take_along_axis(values, top, axis=1)
    return found, np.take_along_axis(offsets, top, axis=1).astype(np.int32)
