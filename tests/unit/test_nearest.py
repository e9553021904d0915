"""The nearest-neighbour search over one triangle finds what a search of every full row finds."""

from __future__ import annotations

import numpy as np
import pytest

from ecosystem.nearest import (
    BLOCK,
    CHUNK,
    _lower_bounds,
    _where_true,
    nearest_elsewhere,
    top_per_row,
)


def catalogue(count: int, owners: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around a few themes (so that neighbours are close and ranks matter),
    padded with zero rows to whole chunks, and owners in ascending order."""
    rng = np.random.default_rng(seed)
    themes = rng.standard_normal((12, 32))
    vectors = themes[rng.integers(0, len(themes), count)] + 0.6 * rng.standard_normal((count, 32))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    matrix = np.zeros((count + (-count % CHUNK), 32), np.float32)
    matrix[:count] = vectors
    return matrix, np.sort(rng.integers(0, owners, count))


def best_cosines(matrix: np.ndarray, count: int, owners: np.ndarray, k: int) -> np.ndarray:
    """Every row's cosines (in float64) with all rows, its own owner's left out."""
    vectors = matrix[:count].astype(np.float64)
    cosines = vectors @ vectors.T
    cosines[owners[:, None] == owners[None, :]] = -np.inf
    return cosines


@pytest.mark.parametrize(
    ("count", "owners", "k"),
    [(3 * BLOCK + 37, 9, 10), (2 * BLOCK, 40, 5), (BLOCK - 3, 4, 40), (70, 2, 60)],
    ids=["several strips", "many owners", "one short strip", "fewer candidates than k"],
)
def test_each_row_gets_the_nearest_rows_of_other_owners(count, owners, k):
    matrix, owner_of = catalogue(count, owners, seed=count)
    found = nearest_elsewhere(matrix, count, owner_of, k)
    assert found.shape == (count, k)
    cosines = best_cosines(matrix, count, owner_of, k)
    for row, chosen in enumerate(found):
        chosen = chosen[chosen >= 0]
        assert len(set(chosen.tolist())) == len(chosen), "a row is chosen twice"
        assert (owner_of[chosen] != owner_of[row]).all()
        # the k best cosines (compared as values: a float32 near-tie may pick either)
        expected = np.sort(cosines[row])[::-1][:k]
        expected = expected[np.isfinite(expected)]
        assert np.allclose(np.sort(cosines[row, chosen])[::-1], expected, atol=1e-6)


def test_the_bounds_the_floors_start_from_are_never_above_a_rows_kth_best():
    count, k = 3000, 12
    matrix, owners = catalogue(count, 30, seed=5)
    bounds = _lower_bounds(matrix[:count], owners, k)
    kth = np.sort(best_cosines(matrix, count, owners, k), axis=1)[:, -k]
    assert (bounds <= kth).all()
    # and they are worth having: most rows start from a bound near their k-th best
    assert np.median(kth - bounds) < 0.02


def test_a_single_owner_has_no_neighbours():
    matrix, _ = catalogue(100, 1, seed=1)
    found = nearest_elsewhere(matrix, 100, np.zeros(100, np.int64), 8)
    assert (found == -1).all()


def test_where_true_is_nonzero_in_the_same_order():
    rng = np.random.default_rng(3)
    for width in (256, 40, 13):
        flags = rng.random((50, width)) > 0.97
        rows, columns = _where_true(flags)
        expected_rows, expected_columns = np.nonzero(flags)
        assert rows.tolist() == expected_rows.tolist()
        assert columns.tolist() == expected_columns.tolist()


def test_top_per_row_takes_the_highest_finite_scores():
    rng = np.random.default_rng(4)
    scores = rng.random((6, 200 * CHUNK))
    scores[0, :] = -np.inf
    scores[0, [5, 70]] = [1.0, 2.0]  # a row with two finite scores keeps both
    rows, columns = top_per_row(scores, 7)
    for row in range(1, 6):
        expected = set(np.argsort(-scores[row])[:7].tolist())
        assert set(columns[rows == row].tolist()) == expected
    assert sorted(columns[rows == 0].tolist()) == [5, 70]
