"""Every project's nearest neighbours at other organisations, for reports and clusters.

An exact pair report of a whole catalogue grows with the square of its size; a bounded
one does not: each project keeps its best few candidates (``OverlapConfig.neighbours``)
whose score reaches ``pair_floor``. Candidates come from the vectors (every project's
nearest at other organisations, each cosine computed once: :mod:`ecosystem.nearest`),
and, for a project without a vector yet, from the text index; they are then scored
exactly as a check scores them (standardised agreement, lifted by target groups and
named partners where the text agrees), a block of rows at a time. Typed links between
projects (merged into, scales, part of) are always pairs.

At 100,000 projects the work is five billion similarities, so nothing here runs per row
in Python: each block's candidates are scored and cut down as flat arrays of (row,
candidate) pairs, and only the pairs kept become :class:`Ranked` objects.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from ecosystem.candidates import Columns, Ranked
from ecosystem.nearest import BLOCK, CHUNK, nearest_elsewhere, top_per_row
from ecosystem.overlap import STRUCTURAL_LINKS, OverlapConfig
from ecosystem.ranking import (
    LEXICAL_PRIOR,
    SEMANTIC_PRIOR,
    best_per_owner,
    final_scores,
    row_moments,
)

if TYPE_CHECKING:
    from ecosystem.matching import OverlapEngine

__all__ = ["neighbour_pairs"]

SAMPLE = 2_000  # documents the lexical statistics of a row are estimated on
PAIR_BATCH = 8_192  # (row, candidate) pairs whose sparse rows are gathered at once

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Vectors = npt.NDArray[np.float32]
Positions = npt.NDArray[np.int32]
# (row, candidate, cosine, standardised cosine) per pair; the last NaN where no vector
_Candidates = tuple[IntArray, IntArray, FloatArray, FloatArray]


@dataclass(frozen=True)
class _Catalogue:
    """What every block is compared with, prepared once."""

    columns: Columns
    lexical: sp.csr_matrix
    vectors: Vectors
    fresh: BoolArray
    public: BoolArray
    # The rows with a current vector, as the product's columns: by organisation, so that
    # each organisation's own columns are one stretch (``own_columns``: its start and end).
    semantic_columns: IntArray
    own_columns: dict[int, tuple[int, int]]
    semantic_matrix: Vectors  # their vectors, padded with zero rows to whole chunks
    semantic_position: IntArray  # each row's place among those columns, -1 if none
    nearest: Positions  # each such column's nearest columns elsewhere, -1 where fewer
    # The population a row's cosines are standardised against (public, with a vector):
    # which columns are in it, and its vectors' count, sum and second-moment matrix.
    population: BoolArray
    population_count: int
    population_sum: FloatArray
    population_square: FloatArray
    sample: IntArray  # the rows lexical statistics are estimated on
    sample_words: sp.csr_matrix  # their lexical rows as columns, ready to multiply with
    groups: BoolArray  # each row's target groups (few: a dense row of flags)
    group_sizes: npt.NDArray[np.float32]


@dataclass(frozen=True)
class _Pairs:
    """Flat (row, candidate) pairs with the parts of their scores."""

    rows: IntArray
    others: IntArray
    score: FloatArray
    agreement: FloatArray
    semantic: FloatArray  # NaN where the row has no vector
    lexical: FloatArray
    overlap: FloatArray
    linked: BoolArray

    def take(self, keep: IntArray) -> _Pairs:
        return _Pairs(*(getattr(self, name)[keep] for name in self.__dataclass_fields__))

    @classmethod
    def joined(cls, parts: list[_Pairs]) -> _Pairs:
        return cls(
            *(
                np.concatenate([getattr(p, name) for p in parts])
                for name in cls.__dataclass_fields__
            )
        )


def neighbour_pairs(engine: OverlapEngine, config: OverlapConfig) -> list[tuple[int, int, Ranked]]:
    """``(a, b, ranked)`` with ``a < b``, each pair once, with its better direction's score.

    With one BLAS thread: after each product a second BLAS thread keeps spinning for a
    while, and on two cores shared with other work (two server workers, say) it takes a
    core from everything between the products, sparse and Python work included. At
    30,000 projects on a 2-core machine under a load of 2 to 3 the report took 13 to 20 s
    with one thread, 27 to 28 s with two.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _neighbour_pairs(engine, config)


def _neighbour_pairs(engine: OverlapEngine, config: OverlapConfig) -> list[tuple[int, int, Ranked]]:
    columns = engine.columns()
    if len(columns.ids) < 2:
        return []
    catalogue = _prepare(engine, columns, config.semantic_candidates)
    found = _Pairs.joined(
        [_block_pairs(catalogue, rows, config) for rows in _blocks(columns.owners)]
    )
    best = _better_direction(columns, found)
    for a, b, relation in _structural_pairs(columns):
        key = (min(a, b), max(a, b))
        item = best.get(key)
        if item is None or item.link not in STRUCTURAL_LINKS:
            score = max(config.pair_floor, item.score if item else 0.0)
            best[key] = Ranked(-1, key[1], score, 0.0, None, 0.0, 0.0, relation)
    return [(a, b, item) for (a, b), item in sorted(best.items())]


def _blocks(owners: IntArray) -> Iterator[IntArray]:
    """The rows in blocks, each block from as few organisations as may be (each row's
    own organisation's cosines are computed per organisation in the block)."""
    order = np.argsort(owners, kind="stable")
    for start in range(0, len(order), BLOCK):
        yield np.sort(order[start : start + BLOCK])


def _prepare(engine: OverlapEngine, columns: Columns, k: int) -> _Catalogue:
    lexical = _aligned_rows(columns, *engine.index.matrix())
    vectors, fresh = _vector_rows(engine, columns)
    public = columns.visibility == 0
    semantic_columns = np.flatnonzero(fresh)
    semantic_columns = semantic_columns[np.argsort(columns.owners[semantic_columns], kind="stable")]
    column_owners = columns.owners[semantic_columns]
    edges = np.flatnonzero(np.diff(column_owners, prepend=-1, append=-1))
    own_columns = {
        int(column_owners[start]): (int(start), int(end))
        for start, end in itertools.pairwise(edges)
    }
    padded = -len(semantic_columns) % CHUNK
    matrix = np.zeros((len(semantic_columns) + padded, vectors.shape[1]), np.float32)
    matrix[: len(semantic_columns)] = vectors[semantic_columns]
    semantic_position = np.full(len(columns.ids), -1, np.int64)
    semantic_position[semantic_columns] = np.arange(len(semantic_columns))
    nearest = nearest_elsewhere(matrix, len(semantic_columns), column_owners, k)
    chosen = vectors[fresh & public].astype(np.float64)
    pool = np.flatnonzero(public)
    sample = np.sort(
        np.random.default_rng(0).choice(pool, size=min(SAMPLE, len(pool)), replace=False)
    )
    groups = np.asarray(columns.target_groups.sum(axis=1)).ravel()
    return _Catalogue(
        columns,
        lexical,
        vectors,
        fresh,
        public,
        semantic_columns,
        own_columns,
        matrix,
        semantic_position,
        nearest,
        public[semantic_columns],
        len(chosen),
        chosen.sum(axis=0),
        chosen.T @ chosen,
        sample,
        sp.csr_matrix(lexical[sample].T),
        columns.target_groups.toarray() > 0,
        groups,
    )


def _aligned_rows(columns: Columns, ids: IntArray, matrix: sp.csr_matrix) -> sp.csr_matrix:
    """The lexical rows in the columns' order (every live project is in both)."""
    order = np.argsort(ids)
    positions = order[np.searchsorted(ids[order], columns.ids)]
    return matrix[positions]


def _vector_rows(engine: OverlapEngine, columns: Columns) -> tuple[Vectors, BoolArray]:
    fresh = engine.fresh_rows() if engine.vectors is not None else np.zeros(len(columns.ids), bool)
    dimensions = engine.vectors.dimensions if engine.vectors is not None else 1
    matrix = np.zeros((len(columns.ids), dimensions), np.float32)
    for row in np.flatnonzero(fresh):
        vector = engine.vector_of(int(columns.ids[row]))
        if vector is not None:
            matrix[row] = vector
    return matrix, fresh


def _block_pairs(catalogue: _Catalogue, rows: IntArray, config: OverlapConfig) -> _Pairs:
    """The block's rows' kept pairs: each row's best ``neighbours`` reaching the floor."""
    fresh = catalogue.fresh[rows]
    by_meaning = _semantic_candidates(catalogue, rows[fresh])
    by_words = _lexical_candidates(catalogue, rows[~fresh], config.semantic_candidates)
    pair_rows, others, cosine, z_semantic = (
        np.concatenate(part) for part in zip(by_meaning, by_words, strict=True)
    )
    scored = _scored(catalogue, rows, pair_rows, others, cosine, z_semantic, config)
    return _kept(scored, config)


def _semantic_candidates(catalogue: _Catalogue, rows: IntArray) -> _Candidates:
    """Each row's nearest vectors at other organisations (found for all rows at once, see
    :mod:`ecosystem.nearest`), with their cosines and standardised cosines (nearest by one
    is nearest by the other: the same order)."""
    if not len(rows) or not len(catalogue.semantic_columns):
        return _no_candidates()
    nearest = catalogue.nearest[catalogue.semantic_position[rows]]
    positions, places = np.nonzero(nearest >= 0)
    others = catalogue.semantic_columns[nearest[positions, places]]
    # The chosen pairs' cosines again in float64: float32 products are off by up to 1e-6,
    # a few millionths of a standard deviation. Row by row (each row's vector converted
    # once, not once per candidate; the candidates' converted as they are summed).
    vectors = catalogue.vectors
    theirs = vectors[catalogue.semantic_columns[np.maximum(nearest, 0)]]
    cosine = np.einsum("hkd,hd->hk", theirs, vectors[rows].astype(np.float64))[positions, places]
    mean, sd = _semantic_moments(catalogue, rows)
    z = (cosine - mean[positions]) / (sd[positions] + 1e-9)
    return rows[positions], others, cosine, z


def _semantic_moments(catalogue: _Catalogue, rows: IntArray) -> tuple[FloatArray, FloatArray]:
    """Per row: the shrunk mean and spread of its cosines with the population at other
    organisations, as a check standardises them.

    Over the whole population without a pass over the cosines: a row's sum of cosines
    is its vector times the population's sum of vectors, its sum of squares ``v' C v``
    with ``C`` their second-moment matrix. Its own organisation's share, one stretch of
    the columns, is then taken off. The block's rows are from few organisations, whose
    stretches are one run of columns: one small product of all the block's rows, shaped
    as the cosines are multiplied everywhere else (a product of a handful of rows may be
    rounded differently in the last float32 bit).
    """
    vectors = catalogue.vectors
    mine = vectors[rows].astype(np.float64)
    total = mine @ catalogue.population_sum
    squares = ((mine @ catalogue.population_square) * mine).sum(axis=1)
    count = np.full(len(rows), float(catalogue.population_count))
    owners = catalogue.columns.owners[rows]
    # every row here has a vector, so its organisation has a stretch
    stretches = {o: catalogue.own_columns[o] for o in np.unique(owners).tolist()}
    low = min(start for start, _ in stretches.values())
    high = max(end for _, end in stretches.values())
    cosines = vectors[rows] @ catalogue.semantic_matrix[low:high].T
    for owner, (start, end) in stretches.items():
        at = np.flatnonzero(owners == owner)
        own = cosines[at, start - low : end - low][:, catalogue.population[start:end]]
        own = own.astype(np.float64)
        total[at] -= own.sum(axis=1)
        squares[at] -= (own**2).sum(axis=1)
        count[at] -= own.shape[1]
    mean, sd = row_moments(total, squares, count, SEMANTIC_PRIOR)
    return mean, sd


def _lexical_candidates(catalogue: _Catalogue, rows: IntArray, k: int) -> _Candidates:
    """For rows without a vector: their best candidates by words alone (cosine 0)."""
    if not len(rows):
        return _no_candidates()
    n = len(catalogue.columns.ids)
    scores = np.full((len(rows), n + (-n % CHUNK)), -np.inf)
    scores[:, :n] = (catalogue.lexical[rows] @ catalogue.lexical.T).toarray()
    owners = catalogue.columns.owners
    scores[:, :n][owners[rows][:, None] == owners[None, :]] = -np.inf
    positions, chosen = top_per_row(scores, k)
    nothing = np.full(len(chosen), np.nan)
    return rows[positions], chosen.astype(np.int64), np.zeros(len(chosen)), nothing


def _no_candidates() -> _Candidates:
    return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0)


def _scored(
    catalogue: _Catalogue,
    block: IntArray,
    rows: IntArray,
    others: IntArray,
    cosine: FloatArray,
    z_semantic: FloatArray,
    config: OverlapConfig,
) -> _Pairs:
    """Every (row, candidate) pair scored as a check of the row would score the candidate."""
    columns = catalogue.columns
    exact = _pair_products(catalogue.lexical, rows, others)
    lex_mean, lex_sd = _lexical_statistics(catalogue, block)
    at = np.searchsorted(block, rows)
    z_lexical = (exact - lex_mean[at]) / lex_sd[at]
    weight = config.semantic_weight
    agreement = np.where(
        np.isfinite(z_semantic), weight * z_semantic + (1 - weight) * z_lexical, z_lexical
    )
    identical = ((cosine >= config.identical_semantic) & catalogue.fresh[others]) | (
        exact >= config.identical_lexical
    )
    agreement = np.where(identical, np.maximum(agreement, config.same_from), agreement)
    linked, mutual = _partner_linked(columns, rows, others)
    # The best text match among each partner's candidates of each row.
    groups = rows * len(columns.organisations) + columns.owners[others]
    partner = best_per_owner(agreement, linked, groups) & linked
    overlap = _target_overlap(catalogue, rows, others)
    score = final_scores(agreement, overlap, partner, config, mutual)
    semantic = np.where(np.isfinite(z_semantic), cosine, np.nan)
    return _Pairs(rows, others, score, agreement, semantic, exact, overlap, linked)


def _kept(pairs: _Pairs, config: OverlapConfig) -> _Pairs:
    """Each row's best ``neighbours`` pairs that reach the floor."""
    reach = np.flatnonzero(pairs.score >= config.pair_floor)
    order = reach[np.lexsort((-pairs.score[reach], pairs.rows[reach]))]
    rows = pairs.rows[order]
    place = np.arange(len(rows)) - np.searchsorted(rows, rows)
    return pairs.take(order[place < config.neighbours])


def _pair_products(matrix: sp.csr_matrix, rows: IntArray, others: IntArray) -> FloatArray:
    """The dot product of each (row, other) pair of ``matrix``'s rows."""
    out = np.zeros(len(rows))
    for start in range(0, len(rows), PAIR_BATCH):
        part = slice(start, start + PAIR_BATCH)
        product = matrix[others[part]].multiply(matrix[rows[part]])
        out[part] = np.asarray(product.sum(axis=1)).ravel()
    return out


def _lexical_statistics(catalogue: _Catalogue, rows: IntArray) -> tuple[FloatArray, FloatArray]:
    """Mean and spread of each row's lexical scores against other organisations' public
    projects, estimated on a fixed sample of them."""
    columns, lexical, sample = catalogue.columns, catalogue.lexical, catalogue.sample
    scores = (lexical[rows] @ catalogue.sample_words).toarray()
    counted = columns.owners[sample][None, :] != columns.owners[rows][:, None]
    scores = np.where(counted, scores, 0.0)
    mean, sd = row_moments(
        scores.sum(axis=1), (scores**2).sum(axis=1), counted.sum(axis=1), LEXICAL_PRIOR
    )
    return mean, sd + 1e-9


def _partner_linked(
    columns: Columns, rows: IntArray, others: IntArray
) -> tuple[BoolArray, BoolArray]:
    """Whether either project of each pair names the other's organisation as a partner,
    and whether both do."""
    if not len(rows):
        return np.zeros(0, bool), np.zeros(0, bool)
    names_theirs = np.asarray(columns.partners[rows, columns.owners[others]]).ravel()
    names_ours = np.asarray(columns.partners[others, columns.owners[rows]]).ravel()
    linked: BoolArray = (names_theirs > 0) | (names_ours > 0)
    mutual: BoolArray = (names_theirs > 0) & (names_ours > 0)
    return linked, mutual


def _target_overlap(catalogue: _Catalogue, rows: IntArray, others: IntArray) -> FloatArray:
    """Jaccard of each pair's target groups (0 where either has none)."""
    sizes, mine = catalogue.group_sizes[others], catalogue.group_sizes[rows]
    groups = catalogue.groups
    shared = np.count_nonzero(groups[rows] & groups[others], axis=1).astype(np.float32)
    union = sizes + mine - shared
    overlap: FloatArray = np.where((sizes > 0) & (mine > 0), shared / np.maximum(union, 1), 0.0)
    return overlap


def _better_direction(columns: Columns, pairs: _Pairs) -> dict[tuple[int, int], Ranked]:
    """Each pair once, as its larger id seen from its smaller one, with the score of its
    better direction (the smaller row's on a tie)."""
    low, high = np.minimum(pairs.rows, pairs.others), np.maximum(pairs.rows, pairs.others)
    order = np.lexsort((pairs.rows, -pairs.score, high, low))
    first = np.ones(len(order), bool)
    first[1:] = (low[order][1:] != low[order][:-1]) | (high[order][1:] != high[order][:-1])
    chosen = pairs.take(order[first])
    ids = columns.ids
    a, b = ids[np.minimum(chosen.rows, chosen.others)], ids[np.maximum(chosen.rows, chosen.others)]
    best: dict[tuple[int, int], Ranked] = {}
    for small, large, other, score, agreement, semantic, lexical, overlap, linked in zip(
        a.tolist(),
        b.tolist(),
        chosen.others.tolist(),
        chosen.score.tolist(),
        chosen.agreement.tolist(),
        chosen.semantic.tolist(),
        chosen.lexical.tolist(),
        chosen.overlap.tolist(),
        chosen.linked.tolist(),
        strict=True,
    ):
        best[(small, large)] = Ranked(
            other,
            large,
            score,
            agreement,
            None if semantic != semantic else semantic,  # NaN: the row had no vector
            lexical,
            overlap,
            "named_partner" if linked else None,
        )
    return best


def _structural_pairs(columns: Columns) -> Iterator[tuple[int, int, str]]:
    for target, linking in columns.incoming.items():
        row = columns.keys.get(target)
        if row is None:
            continue
        for other, relation in linking:
            if relation in STRUCTURAL_LINKS and columns.owners[other] != columns.owners[row]:
                yield int(columns.ids[other]), int(columns.ids[row]), relation
