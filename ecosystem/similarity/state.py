"""A built index as plain arrays and JSON-able values, and an index made back from them.

A worker that starts from a saved index skips the analysis of every text (most of a
start-up). :func:`index_state` takes the state of an index just built (or restacked):
the six sparse matrices of the base segment as their CSR/CSC arrays, the frozen IDF,
the n-gram table of every character word, and the vocabularies. :func:`restored_index`
puts them back without copying the arrays: given read-only memory-mapped arrays, every
process that restores the same files shares their pages. Nothing writes into those
arrays; the first merge or refresh builds new, private ones (from the same values).

No file is read or written here (see :mod:`ecosystem.services.engine_snapshot`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ecosystem.similarity.index import SimilarityIndex
from ecosystem.similarity.segments import _Base
from ecosystem.similarity.sparse import Csc, Csr
from ecosystem.similarity.vectors import _Raw, _Vectors, _Vocabulary
from ecosystem.text import Analyzer

__all__ = ["FORMAT", "IndexState", "index_state", "restored_index"]

FORMAT = 1  # bumped whenever what is saved, or how it is read back, changes

Array = npt.NDArray[Any]
# The base segment's matrices, by the name their arrays are saved under.
_MATRICES = ("raw_word_tf", "raw_char_words", "word", "char", "word_csc", "char_csc")


@dataclass(frozen=True)
class IndexState:
    """What an index is made back from: named arrays, and values JSON can hold."""

    arrays: Mapping[str, Array]
    values: Mapping[str, Any]


def index_state(index: SimilarityIndex) -> IndexState:
    """The state of ``index``, which must have no delta and no tombstones (just built).

    It stays as it is when the index changes later: the arrays are never written into
    (changes make new ones) and what grows is copied.

    Raises
    ------
    ValueError
        If the index holds changes since its last build or restack: those live in
        Python objects that are not saved.
    """
    segments, vectoriser = index._segments, index._vectoriser
    base = segments.base
    if segments.delta or not base.alive.all() or segments.changes:
        raise ValueError("only a freshly built index can be saved")
    arrays: dict[str, Array] = {"ids": base.ids}
    matrices = _matrices_of(base)
    for name, matrix in matrices.items():
        arrays |= {f"{name}.{part}": getattr(matrix, part) for part in _PARTS}
    grams = vectoriser.word_grams
    lengths = np.fromiter((len(g) for g in grams), np.int64, len(grams))
    arrays["word_grams.indptr"] = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    arrays["word_grams.data"] = (
        np.concatenate(grams).astype(np.int32) if grams else np.zeros(0, np.int32)
    )
    arrays["idf_word"], arrays["idf_char"] = vectoriser.idf_word, vectoriser.idf_char
    if segments.counted is not None:
        arrays["counted"] = np.array(sorted(segments.counted), np.int64)
    values = {
        "format": FORMAT,
        "settings": _settings(index),
        "shapes": {name: list(m.shape) for name, m in matrices.items()},
        "sorted": {name: bool(m.has_sorted_indices) for name, m in matrices.items()},
        "n_ref": vectoriser.n_ref,
        "counts": [segments.builds, segments.merges, segments.refreshes],
        # Copies: these grow with every later upsert, and the state may be written after.
        "words": list(vectoriser.words.terms),
        "grams": list(vectoriser.grams.terms),
        "char_words": list(vectoriser.char_words.terms),
        "surface": dict(vectoriser.surface),
    }
    return IndexState(arrays, values)


def restored_index(state: IndexState, analyzer: Analyzer | None = None) -> SimilarityIndex:
    """The index ``state`` was taken from, sharing ``state``'s arrays (never written to).

    Raises
    ------
    ValueError
        If the state is of another format or does not hold together.
    """
    values, arrays = state.values, state.arrays
    if values.get("format") != FORMAT:
        raise ValueError("index state of another format")
    index = SimilarityIndex(analyzer, **values["settings"])
    vectoriser, segments = index._vectoriser, index._segments
    vectoriser.words = _vocabulary(values["words"])
    vectoriser.grams = _vocabulary(values["grams"])
    vectoriser.char_words = _vocabulary(values["char_words"])
    vectoriser.surface = dict(values["surface"])
    vectoriser.n_ref = int(values["n_ref"])
    vectoriser.idf_word, vectoriser.idf_char = arrays["idf_word"], arrays["idf_char"]
    indptr, data = arrays["word_grams.indptr"], arrays["word_grams.data"]
    vectoriser.word_grams = [data[a:b] for a, b in itertools.pairwise(indptr.tolist())]
    matrices = {
        name: _matrix(arrays, name, values["shapes"][name], values["sorted"][name])
        for name in _MATRICES
    }
    ids = arrays["ids"]
    segments.base = _Base(
        ids,
        np.ones(len(ids), bool),  # the one array changes write into: private
        _Raw(matrices["raw_word_tf"], matrices["raw_char_words"]),
        _Vectors(matrices["word"], matrices["char"]),
        matrices["word_csc"],
        matrices["char_csc"],
    )
    segments.row = {int(doc_id): row for row, doc_id in enumerate(ids.tolist())}
    counted = arrays.get("counted")
    segments.counted = None if counted is None else set(counted.tolist())
    segments.builds, segments.merges, segments.refreshes = values["counts"]
    _check(index, len(ids))
    return index


_PARTS = ("data", "indices", "indptr")


def _matrices_of(base: _Base) -> dict[str, Csr | Csc]:
    found = (
        base.raw.word_tf,
        base.raw.char_words,
        base.vec.word,
        base.vec.char,
        base.word_csc,
        base.char_csc,
    )
    return dict(zip(_MATRICES, found, strict=True))


def _settings(index: SimilarityIndex) -> dict[str, Any]:
    return {
        "char_max_df": index.char_max_df,
        "min_df_cutoff": index.min_df_cutoff,
        "refresh_ratio": index.refresh_ratio,
        "merge_ratio": index.merge_ratio,
        "min_merge": index.min_merge,
    }


def _vocabulary(terms: list[str]) -> _Vocabulary:
    vocabulary = _Vocabulary()
    vocabulary.terms = list(terms)
    vocabulary.index = {term: column for column, term in enumerate(vocabulary.terms)}
    if len(vocabulary.index) != len(vocabulary.terms):
        raise ValueError("a vocabulary names a term twice")
    return vocabulary


def _matrix(arrays: Mapping[str, Array], name: str, shape: list[int], is_sorted: bool) -> Any:
    """The matrix over the saved arrays themselves (no copy, no format check that writes)."""
    kind = sp.csc_matrix if name.endswith("_csc") else sp.csr_matrix
    parts = tuple(arrays[f"{name}.{part}"] for part in _PARTS)
    matrix = kind(parts, shape=tuple(shape), copy=False)
    # The saved flag, not a fresh look that could end in sorting the read-only arrays.
    matrix.has_sorted_indices = is_sorted
    return matrix


def _check(index: SimilarityIndex, rows: int) -> None:
    """That the parts fit each other: a truncated or mixed-up state is refused."""
    vectoriser, base = index._vectoriser, index._segments.base
    widths = {
        "raw_word_tf": len(vectoriser.words),
        "raw_char_words": len(vectoriser.char_words),
        "word": len(vectoriser.words),
        "char": len(vectoriser.grams),
    }
    for name, matrix in _matrices_of(base).items():
        if matrix.shape[0] != rows:
            raise ValueError(f"{name} has {matrix.shape[0]} rows, not {rows}")
        if name in widths and matrix.shape[1] > widths[name]:
            raise ValueError(f"{name} is wider than its vocabulary")
    if len(vectoriser.word_grams) != len(vectoriser.char_words):
        raise ValueError("the n-gram table does not match the character words")
    if len(vectoriser.idf_word) > len(vectoriser.words) or len(vectoriser.idf_char) > len(
        vectoriser.grams
    ):
        raise ValueError("the IDF is longer than its vocabulary")
