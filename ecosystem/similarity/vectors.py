"""Vectorising: texts become weighted, L2-normalised rows of two sparse feature spaces.

Word terms come from the analyser (stems and synonym tokens); character n-grams from
the content words. Both get sublinear term frequency and smoothed IDF. The IDF is
frozen: computed by :meth:`Vectoriser.refresh_idf` from a whole collection, and a term
first seen later gets the IDF of a term seen once (:meth:`Vectoriser.extend_idf`), so
that adding one document never re-weighs the others.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ecosystem.similarity.sparse import (
    _DTYPE,
    BoolArray,
    Csr,
    FloatArray,
    IntArray,
    _normalise,
    _rows,
    _scale_columns,
    _unit_row,
)
from ecosystem.text import Analysis, Analyzer, cached_char_ngrams

# Score = WORD_WEIGHT * word cosine + CHAR_WEIGHT * char n-gram cosine. Words carry
# the meaning (stems, synonyms, readable explanations); character n-grams catch
# compounds and spelling variants ("hjemmemonitorering" / "monitorering i hjemmet")
# but also make every Danish text look a little alike, so they get less weight.
WORD_WEIGHT: Final = 0.6
CHAR_WEIGHT: Final = 0.4


@dataclass
class _Vectors:
    """Weighted, L2-normalised rows of both spaces for some documents."""

    word: Csr
    char: Csr


@dataclass
class _Raw:
    """What weighting starts from: word term frequencies and char-word counts."""

    word_tf: Csr
    char_words: Csr


@dataclass
class _Scratch:
    """Columns past the vocabulary for terms of query texts the index has not seen."""

    words: list[str] = field(default_factory=list)
    grams: list[str] = field(default_factory=list)
    surfaces: dict[str, str] = field(default_factory=dict)

    def column(self, term: str, offset: int, *, is_word: bool) -> int:
        terms = self.words if is_word else self.grams
        if term not in terms:
            terms.append(term)
        return offset + terms.index(term)


class _Vocabulary:
    """Growing string -> column mapping."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.terms: list[str] = []

    def __len__(self) -> int:
        return len(self.terms)

    def add(self, term: str) -> int:
        column = self.index.get(term)
        if column is None:
            column = self.index[term] = len(self.terms)
            self.terms.append(term)
        return column


class Vectoriser:
    """The vocabularies of both spaces, their frozen IDF, and the weighting of rows.

    Vocabularies only grow: a column, once given, keeps its meaning, so rows weighed
    earlier stay valid (narrower) rows of the current space.
    """

    def __init__(self, analyzer: Analyzer, *, char_max_df: float, min_df_cutoff: int) -> None:
        self.analyzer = analyzer
        self.char_max_df = char_max_df
        self.min_df_cutoff = min_df_cutoff
        self.words = _Vocabulary()
        self.grams = _Vocabulary()
        self.char_words = _Vocabulary()
        self.word_grams: list[npt.NDArray[np.int32]] = []  # char word -> gram columns
        self.surface: dict[str, str] = {}  # term -> shortest form seen, for display
        self.names: dict[int, str] = {}  # word column -> display name (cache)
        self.n_ref = 0  # collection size when IDF was last computed
        self.idf_word: FloatArray = np.zeros(0, _DTYPE)
        self.idf_char: FloatArray = np.zeros(0, _DTYPE)  # 0 marks an ignored n-gram

    def extend_idf(self) -> None:
        """Give terms first seen since the last refresh the IDF of a term seen once."""
        unseen = _idf(self.n_ref, 1)
        self.idf_word = _extended(self.idf_word, len(self.words), unseen)
        self.idf_char = _extended(self.idf_char, len(self.grams), unseen)

    def raw_rows(self, analyses: Sequence[Analysis]) -> _Raw:
        """Word term frequencies and char-word counts; grows the vocabularies."""
        labels = self.analyzer.synonyms.labels
        for analysis in analyses:
            for term, surface in zip(analysis.terms, analysis.surfaces, strict=True):
                if term not in labels and _keep_shorter(self.surface, term, surface):
                    column = self.words.index.get(term)
                    if column is not None:
                        self.names.pop(column, None)  # a shorter form to show now
        word_tf = _count_rows([a.terms for a in analyses], self.words)
        word_tf.data = 1.0 + np.log(word_tf.data)  # sublinear tf
        char_words = _count_rows([a.char_words for a in analyses], self.char_words)
        for word in self.char_words.terms[len(self.word_grams) :]:
            grams = cached_char_ngrams(word, self.analyzer.ngram_range)
            self.word_grams.append(np.fromiter(map(self.grams.add, grams), np.int32))
        return _Raw(word_tf, char_words)

    def gram_counts(self, char_words: Csr) -> Csr:
        """Character n-gram counts of documents given their char-word counts."""
        used = np.unique(char_words.indices)
        lengths = np.fromiter((len(self.word_grams[w]) for w in used), np.int64, len(used))
        indptr = np.zeros(len(used) + 1, np.int64)
        np.cumsum(lengths, out=indptr[1:])
        grams = (
            np.concatenate([self.word_grams[w] for w in used])
            if len(used)
            else np.zeros(0, np.int32)
        )
        # word -> n-gram count matrix for just the words these documents use
        local = sp.csr_matrix(
            (np.ones(len(grams), _DTYPE), grams, indptr), shape=(len(used), len(self.grams))
        )
        remap = sp.csr_matrix(
            (np.ones(len(used), _DTYPE), (used, np.arange(len(used)))),
            shape=(char_words.shape[1], len(used)),
        )
        counts: Csr = (char_words @ remap @ local).tocsr()
        return counts

    def weigh(self, raw: _Raw) -> _Vectors:
        """Apply the current (frozen) IDF and normalise."""
        self.extend_idf()
        word = _normalise(_scale_columns(raw.word_tf, self.idf_word))
        counts = self.gram_counts(raw.char_words)
        counts.data = 1.0 + np.log(counts.data)
        char = _normalise(_scale_columns(counts, self.idf_char))
        return _Vectors(word, char)

    def refresh_idf(self, raw: _Raw, counted: BoolArray | None = None) -> None:
        """Recompute IDF (and the ignored n-grams) from the documents in ``raw``.

        Only the rows marked in ``counted`` (all, if None) count as documents: the public
        ones, so that no reader's weights depend on projects the reader cannot see.
        """
        if counted is not None:
            raw = _Raw(_rows(raw.word_tf, counted), _rows(raw.char_words, counted))
        n = raw.word_tf.shape[0]
        self.n_ref = n
        # A term no counted document has (only removed or uncounted ones) weighs as a term
        # never seen: as if once, like :meth:`extend_idf` gives new terms.
        word_df = np.maximum(np.bincount(raw.word_tf.indices, minlength=len(self.words)), 1)
        self.idf_word = _idf(n, word_df)
        char_df = np.zeros(len(self.grams), np.int64)
        step = 20_000  # the n-gram count matrix is ~10x the word matrix: go in chunks
        for start in range(0, n, step):
            counts = self.gram_counts(raw.char_words[start : start + step])
            char_df += np.bincount(counts.indices, minlength=len(self.grams))
        idf_char = _idf(n, np.maximum(char_df, 1))
        if n > self.min_df_cutoff:
            idf_char[char_df > self.char_max_df * n] = 0.0
        self.idf_char = idf_char

    def text_vectors(self, text: str, scratch: _Scratch) -> _Vectors:
        """Vectors of a text that is not added to the index.

        Known terms use their columns and frozen IDF. Terms the index has never
        seen still count in the norm (with the IDF of a term seen once) and get
        columns past the vocabulary in ``scratch``, so that two texts compared
        with the same scratch can share them; the vocabulary is left untouched.
        """
        analysis = self.analyzer.analyze(text)
        self.extend_idf()
        unseen = math.log((1.0 + self.n_ref) / 2.0) + 1.0  # as _idf(n, 1)
        word_columns, word_weights = [], []
        for term, count in Counter(analysis.terms).items():
            column = self.words.index.get(term)
            if column is None:
                column = scratch.column(term, len(self.words), is_word=True)
            word_columns.append(column)
            weight = self.idf_word[column] if column < len(self.idf_word) else unseen
            word_weights.append((1.0 + math.log(count)) * weight)
        for term, surface in analysis.surface_map().items():
            scratch.surfaces.setdefault(term, surface)
        columns, counts = self.text_gram_counts(analysis.char_words, scratch)
        known = columns < len(self.idf_char)
        idf = np.full(len(columns), unseen, _DTYPE)
        idf[known] = self.idf_char[columns[known]]
        keep = idf > 0  # ignored (too common) n-grams stay out of the norm too
        char_weights = (1.0 + np.log(counts[keep])) * idf[keep]
        return _Vectors(
            _unit_row(word_columns, word_weights),
            _unit_row(columns[keep].tolist(), char_weights.tolist()),
        )

    def text_gram_counts(
        self, char_words: Sequence[str], scratch: _Scratch
    ) -> tuple[IntArray, npt.NDArray[np.float64]]:
        """Columns and counts of the char n-grams of a text's content words.

        Words the index knows reuse their stored n-gram columns (one numpy pass);
        only unknown words are split into n-grams here.
        """
        pieces: list[npt.NDArray[np.int64]] = []
        weights: list[npt.NDArray[np.float64]] = []
        for word, count in Counter(char_words).items():
            known = self.char_words.index.get(word)
            if known is not None:
                grams = self.word_grams[known].astype(np.int64)
            else:
                grams = np.array(
                    [
                        self.grams.index[g]
                        if g in self.grams.index
                        else scratch.column(g, len(self.grams), is_word=False)
                        for g in cached_char_ngrams(word, self.analyzer.ngram_range)
                    ],
                    np.int64,
                )
            pieces.append(grams)
            weights.append(np.full(len(grams), float(count)))
        if not pieces:
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        columns, inverse = np.unique(np.concatenate(pieces), return_inverse=True)
        counts = np.bincount(inverse, weights=np.concatenate(weights)).astype(np.float64)
        return columns.astype(np.int64), counts

    def term_name(self, column: int, scratch: _Scratch | None) -> str:
        """Readable form of a word column (scratch columns come from query texts)."""
        if column < len(self.words):
            name = self.names.get(column)
            if name is None:
                term = self.words.terms[column]
                name = self.names[column] = self.analyzer.display_term(term, self.surface)
            return name
        if scratch is not None:
            term = scratch.words[column - len(self.words)]
        else:
            return "?"
        return self.analyzer.display_term(term, scratch.surfaces)


def _extended(idf: FloatArray, size: int, unseen: FloatArray) -> FloatArray:
    """``idf`` grown to ``size`` columns, the new ones weighted ``unseen``."""
    if len(idf) < size:
        return np.concatenate([idf, np.full(size - len(idf), unseen, _DTYPE)])
    return idf


def _idf(n_docs: int, df: npt.ArrayLike) -> FloatArray:
    """Smoothed IDF as scikit-learn's ``smooth_idf=True``: ln((1+n)/(1+df)) + 1."""
    return (np.log((1.0 + n_docs) / (1.0 + np.asarray(df, np.float64))) + 1.0).astype(_DTYPE)


def _keep_shorter(best: dict[str, str], term: str, surface: str) -> bool:
    """Record ``surface`` for ``term`` if it is shorter (ties: alphabetical); say if it was."""
    old = best.get(term)
    if old is None or (len(surface), surface) < (len(old), old):
        best[term] = surface
        return True
    return False


def _count_rows(sequences: Sequence[Sequence[str]], vocabulary: _Vocabulary) -> Csr:
    """Document x term count matrix, adding unseen terms to ``vocabulary``."""
    indptr = np.zeros(len(sequences) + 1, np.int64)
    columns: list[int] = []
    for i, sequence in enumerate(sequences):
        columns.extend(map(vocabulary.add, sequence))
        indptr[i + 1] = len(columns)
    matrix = sp.csr_matrix(
        (np.ones(len(columns), _DTYPE), np.asarray(columns, np.int32), indptr),
        shape=(len(sequences), len(vocabulary)),
    )
    matrix.sum_duplicates()
    return matrix
