"""Every project's nearest neighbours at other organisations, for reports and clusters.

An exact pair report of a whole catalogue grows with the square of its size; a bounded
one does not: each project keeps its best few candidates (``OverlapConfig.neighbours``)
whose score reaches ``pair_floor``. Candidates come from the vectors in blocks (one
matrix product per block of rows), and, for a project without a vector yet, from the
text index; they are then scored exactly as a check scores them (standardised agreement,
lifted by target groups and named partners where the text agrees). Typed links between
projects (merged into, scales, part of) are always pairs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ecosystem.candidates import Columns, Ranked
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

BLOCK = 512  # rows per matrix product
SAMPLE = 2_000  # documents the lexical statistics of a row are estimated on

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def neighbour_pairs(engine: OverlapEngine, config: OverlapConfig) -> list[tuple[int, int, Ranked]]:
    """``(a, b, ranked)`` with ``a < b``, each pair once, with its better direction's score."""
    columns = engine.columns()
    if len(columns.ids) < 2:
        return []
    lexical = _aligned_rows(columns, *engine.index.matrix())
    vectors, fresh = _vector_rows(engine, columns)
    best: dict[tuple[int, int], Ranked] = {}
    for rows in _blocks(len(columns.ids)):
        for a, b, item in _block_pairs(columns, rows, lexical, vectors, fresh, engine, config):
            key = (min(a, b), max(a, b))
            if key not in best or item.score > best[key].score:
                best[key] = item
    for a, b, relation in _structural_pairs(columns):
        key = (min(a, b), max(a, b))
        found = best.get(key)
        if found is None or found.link not in STRUCTURAL_LINKS:
            score = max(config.pair_floor, found.score if found else 0.0)
            best[key] = Ranked(-1, b, score, 0.0, None, 0.0, 0.0, relation)
    # Each pair is described as its larger id seen from its smaller one.
    return [(a, b, replace(item, project_id=b)) for (a, b), item in sorted(best.items())]


def _blocks(n: int) -> Iterator[IntArray]:
    for start in range(0, n, BLOCK):
        yield np.arange(start, min(n, start + BLOCK))


def _aligned_rows(columns: Columns, ids: IntArray, matrix: sp.csr_matrix) -> sp.csr_matrix:
    """The lexical rows in the columns' order (every live project is in both)."""
    order = np.argsort(ids)
    positions = order[np.searchsorted(ids[order], columns.ids)]
    return matrix[positions]


def _vector_rows(
    engine: OverlapEngine, columns: Columns
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    fresh = engine.fresh_rows() if engine.vectors is not None else np.zeros(len(columns.ids), bool)
    dimensions = engine.vectors.dimensions if engine.vectors is not None else 1
    matrix = np.zeros((len(columns.ids), dimensions), np.float32)
    for row in np.flatnonzero(fresh):
        vector = engine.vector_of(int(columns.ids[row]))
        if vector is not None:
            matrix[row] = vector
    return matrix, fresh


def _block_pairs(
    columns: Columns,
    rows: IntArray,
    lexical: sp.csr_matrix,
    vectors: npt.NDArray[np.float32],
    fresh: npt.NDArray[np.bool_],
    engine: OverlapEngine,
    config: OverlapConfig,
) -> Iterator[tuple[int, int, Ranked]]:
    public = columns.visibility == 0
    semantic_z, candidates = _semantic_candidates(columns, rows, vectors, fresh, public, config)
    lexical_candidates = _lexical_candidates(columns, rows[~fresh[rows]], lexical, config)
    for row, found in lexical_candidates.items():
        candidates[row] = np.union1d(candidates.get(row, np.zeros(0, np.int64)), found)
    lex_mean, lex_sd = _lexical_statistics(columns, rows, lexical, public)
    for position, row in enumerate(rows.tolist()):
        others = candidates.get(row)
        if others is None or not len(others):
            continue
        yield from _scored(
            columns,
            row,
            others,
            semantic_z[position],
            (lex_mean[position], lex_sd[position]),
            lexical,
            vectors,
            fresh,
            config,
        )


def _semantic_candidates(
    columns: Columns,
    rows: IntArray,
    vectors: npt.NDArray[np.float32],
    fresh: npt.NDArray[np.bool_],
    public: npt.NDArray[np.bool_],
    config: OverlapConfig,
) -> tuple[FloatArray, dict[int, IntArray]]:
    """Per block row: the z-scored cosines with every row, and its best candidates."""
    similarity = (vectors[rows] @ vectors.T).astype(np.float64)
    # Each row is compared with the public projects of other organisations, as a check is.
    population = (fresh & public)[None, :] & (
        columns.owners[None, :] != columns.owners[rows][:, None]
    )
    chosen = np.where(population, similarity, 0.0)
    mean, sd = row_moments(
        chosen.sum(axis=1), (chosen**2).sum(axis=1), population.sum(axis=1), SEMANTIC_PRIOR
    )
    z = (similarity - mean[:, None]) / (sd[:, None] + 1e-9)
    z[:, ~fresh] = np.nan
    candidates: dict[int, IntArray] = {}
    for position, row in enumerate(rows.tolist()):
        if not fresh[row]:
            continue
        scores = np.where(columns.owners == columns.owners[row], -np.inf, z[position])
        scores[~fresh] = -np.inf
        wanted = min(config.semantic_candidates, int(np.isfinite(scores).sum()))
        if wanted:
            candidates[row] = np.argpartition(-scores, wanted - 1)[:wanted]
    return z, candidates


def _lexical_candidates(
    columns: Columns, rows: IntArray, lexical: sp.csr_matrix, config: OverlapConfig
) -> dict[int, IntArray]:
    """For rows without a vector: their best candidates by words alone."""
    found: dict[int, IntArray] = {}
    if not len(rows):
        return found
    scores = (lexical[rows] @ lexical.T).toarray()
    for position, row in enumerate(rows.tolist()):
        row_scores = np.where(columns.owners == columns.owners[row], -np.inf, scores[position])
        wanted = min(config.semantic_candidates, len(row_scores) - 1)
        if wanted > 0:
            found[row] = np.argpartition(-row_scores, wanted - 1)[:wanted]
    return found


def _lexical_statistics(
    columns: Columns, rows: IntArray, lexical: sp.csr_matrix, public: npt.NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray]:
    """Mean and spread of each row's lexical scores against other organisations' public
    projects, estimated on a fixed sample of them."""
    pool = np.flatnonzero(public)
    sample = np.sort(
        np.random.default_rng(0).choice(pool, size=min(SAMPLE, len(pool)), replace=False)
    )
    scores = (lexical[rows] @ lexical[sample].T).toarray()
    counted = columns.owners[sample][None, :] != columns.owners[rows][:, None]
    scores = np.where(counted, scores, 0.0)
    mean, sd = row_moments(
        scores.sum(axis=1), (scores**2).sum(axis=1), counted.sum(axis=1), LEXICAL_PRIOR
    )
    return mean, sd + 1e-9


def _scored(
    columns: Columns,
    row: int,
    others: IntArray,
    semantic_z: FloatArray,
    lexical_stats: tuple[float, float],
    lexical: sp.csr_matrix,
    vectors: npt.NDArray[np.float32],
    fresh: npt.NDArray[np.bool_],
    config: OverlapConfig,
) -> Iterator[tuple[int, int, Ranked]]:
    exact = np.asarray(lexical[others].multiply(lexical[row]).sum(axis=1)).ravel()
    z_lexical = (exact - lexical_stats[0]) / lexical_stats[1]
    z_semantic = semantic_z[others] if fresh[row] else np.full(len(others), np.nan)
    weight = config.semantic_weight
    agreement = np.where(
        np.isfinite(z_semantic), weight * z_semantic + (1 - weight) * z_lexical, z_lexical
    )
    cosine = vectors[others] @ vectors[row] if fresh[row] else np.zeros(len(others))
    identical = ((cosine >= config.identical_semantic) & fresh[others]) | (
        exact >= config.identical_lexical
    )
    agreement = np.where(identical, np.maximum(agreement, config.same_from), agreement)
    linked = _partner_linked(columns, row, others)
    partner = best_per_owner(agreement, linked, columns.owners[others]) & linked
    overlap = _target_overlap(columns, row, others)
    score = final_scores(agreement, overlap, partner, config)
    keep = np.flatnonzero(score >= config.pair_floor)
    keep = keep[np.argsort(-score[keep])][: config.neighbours]
    a = int(columns.ids[row])
    for k in keep.tolist():
        b = int(columns.ids[others[k]])
        semantic = float(cosine[k]) if np.isfinite(z_semantic[k]) else None
        link = "named_partner" if linked[k] else None
        item = Ranked(
            int(others[k]),
            b,
            float(score[k]),
            float(agreement[k]),
            semantic,
            float(exact[k]),
            float(overlap[k]),
            link,
        )
        yield a, b, item


def _partner_linked(columns: Columns, row: int, others: IntArray) -> npt.NDArray[np.bool_]:
    names_theirs = np.asarray(columns.partners[row, columns.owners[others]].todense()).ravel()
    names_ours = np.asarray(columns.partners[others, columns.owners[row]].todense()).ravel()
    linked: npt.NDArray[np.bool_] = (names_theirs > 0) | (names_ours > 0)
    return linked


def _target_overlap(columns: Columns, row: int, others: IntArray) -> FloatArray:
    groups = columns.target_groups
    shared = np.asarray(groups[others].multiply(groups[row]).sum(axis=1)).ravel()
    sizes = np.asarray(groups[others].sum(axis=1)).ravel()
    mine = float(groups[row].sum())
    union = sizes + mine - shared
    overlap: FloatArray = np.where((sizes > 0) & (mine > 0), shared / np.maximum(union, 1), 0.0)
    return overlap


def _structural_pairs(columns: Columns) -> Iterator[tuple[int, int, str]]:
    for target, linking in columns.incoming.items():
        row = columns.keys.get(target)
        if row is None:
            continue
        for other, relation in linking:
            if relation in STRUCTURAL_LINKS and columns.owners[other] != columns.owners[row]:
                yield int(columns.ids[other]), int(columns.ids[row]), relation
