"""Sparse-matrix helpers shared by the index: widths that grow, rows, dot products, scores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

Csr: TypeAlias = sp.csr_matrix
Csc: TypeAlias = sp.csc_matrix
FloatArray: TypeAlias = npt.NDArray[np.float32]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

_DTYPE: Final = np.float32


def _score(value: float | np.floating[npt.NBitBase]) -> float:
    """A score for output: a Python float in [0, 1], rounded to hide float32 noise."""
    return min(1.0, max(0.0, round(float(value), 6)))


def _dot(a: Csr, b: Csr) -> float:
    """Dot product of two one-row matrices of possibly different widths."""
    if a.nnz == 0 or b.nnz == 0:
        return 0.0
    width = max(a.shape[1], b.shape[1])
    return float(_resized(a, width).multiply(_resized(b, width)).sum())


def _unit_row(columns: list[int], weights: list[float]) -> Csr:
    """A one-row CSR matrix with unit L2 norm (or empty)."""
    data = np.asarray(weights, np.float64)
    norm = float(np.sqrt((data * data).sum())) or 1.0
    width = max(columns, default=-1) + 1
    return sp.csr_matrix(
        ((data / norm).astype(_DTYPE), np.asarray(columns, np.int32), np.array([0, len(columns)])),
        shape=(1, width),
    )


def _scale_columns(matrix: Csr, weights: FloatArray) -> Csr:
    """``matrix`` with column j multiplied by ``weights[j]``; zero weights dropped."""
    scaled = matrix.copy()
    scaled.data = scaled.data * weights[scaled.indices]
    scaled.eliminate_zeros()
    return scaled


def _normalise(matrix: Csr) -> Csr:
    """Rows scaled to unit L2 norm (empty rows stay empty)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1), np.float64).ravel())
    norms[norms == 0] = 1.0
    out = matrix.copy()
    out.data = (out.data / np.repeat(norms, np.diff(out.indptr))).astype(_DTYPE)
    return out


def _resized(matrix: Csr, width: int) -> Csr:
    """``matrix`` with ``width`` columns.

    Widening reuses the arrays (the vocabulary only grows, so older rows are
    narrower). Narrowing drops the entries past ``width``: a query's columns for
    terms the index has never seen match nothing.
    """
    if matrix.shape[1] == width:
        return matrix
    if matrix.shape[1] < width:
        return sp.csr_matrix(
            (matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], width)
        )
    keep = matrix.indices < width
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[keep]
    narrowed: Csr = sp.csr_matrix(
        (matrix.data[keep], (rows, matrix.indices[keep])), shape=(matrix.shape[0], width)
    )
    return narrowed


def _vstack(blocks: Sequence[Csr], width: int) -> Csr:
    """Stack row blocks of possibly older, narrower widths."""
    blocks = [_resized(b, width) for b in blocks if b.shape[0]]
    if not blocks:
        return sp.csr_matrix((0, width), dtype=_DTYPE)
    stacked: Csr = sp.vstack(blocks, format="csr", dtype=_DTYPE)
    return stacked


def _rows(matrix: Csr, mask: BoolArray) -> Csr:
    """The rows of ``matrix`` where ``mask`` is true."""
    if mask.all():
        return matrix
    selected: Csr = matrix[np.flatnonzero(mask)]
    return selected
