"""Incremental sparse TF-IDF similarity index over words and character n-grams."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ecosystem.text import Analysis, Analyzer, cached_char_ngrams, default_analyzer

__all__ = [
    "CHAR_WEIGHT",
    "WORD_WEIGHT",
    "IndexStats",
    "Match",
    "SimilarityIndex",
]

# Score = WORD_WEIGHT * word cosine + CHAR_WEIGHT * char n-gram cosine. Words carry
# the meaning (stems, synonyms, readable explanations); character n-grams catch
# compounds and spelling variants ("hjemmemonitorering" / "monitorering i hjemmet")
# but also make every Danish text look a little alike, so they get less weight.
WORD_WEIGHT: Final = 0.6
CHAR_WEIGHT: Final = 0.4

Csr: TypeAlias = sp.csr_matrix
Csc: TypeAlias = sp.csc_matrix
FloatArray: TypeAlias = npt.NDArray[np.float32]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

_DTYPE: Final = np.float32
# Shared terms listed per match; enough to explain, few enough to read.
_SHARED_TERMS: Final = 8
# Candidates examined per round when `allowed` rejects many of them.
_FILTER_BATCH: Final = 256
# Target number of candidate entries per chunk in pairs(): bounds memory.
_PAIR_CHUNK_ENTRIES: Final = 8_000_000
# Candidate pairs verified per vectorised step in pairs().
_VERIFY_BATCH: Final = 50_000
# Fraction of the threshold the prefix of a vector may contribute in pairs();
# smaller means stronger pruning but a larger part of each vector enumerated.
_PREFIX_SHARE: Final = 0.5


@dataclass(frozen=True)
class Match:
    """One similar document.

    Attributes
    ----------
    doc_id
        The matching document.
    score
        Weighted cosine similarity in [0, 1].
    shared_terms
        Readable word terms both texts contain, with their contribution to the
        score, largest first.
    """

    doc_id: int
    score: float
    shared_terms: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class IndexStats:
    """Counters that show what the index did (tests and monitoring read them)."""

    documents: int
    base_rows: int
    delta_rows: int
    tombstones: int
    word_terms: int
    char_grams: int
    builds: int
    merges: int
    refreshes: int
    matrix_bytes: int


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
class _Base:
    """The large, rarely rebuilt segment: CSR rows plus CSC copies for queries."""

    ids: IntArray
    alive: BoolArray
    raw: _Raw
    vec: _Vectors
    word_csc: Csc
    char_csc: Csc


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


class SimilarityIndex:
    """Documents keyed by int id, searchable by weighted TF-IDF cosine.

    Two sparse feature spaces, each with sublinear term frequency, smoothed IDF
    and L2 normalisation: word terms from :class:`~ecosystem.text.Analyzer`
    (stems and synonym tokens), and character 4-5-grams of the content words.
    Character n-grams found in more than ``char_max_df`` of the documents are
    dropped: they are inflection endings shared by all Danish text and only
    add noise and cost.

    Updates are incremental. IDF is frozen at build time and refreshed only when
    more than ``refresh_ratio`` of the collection has changed; a new term gets
    the IDF of a term seen once. Changed documents go to a small delta segment
    and their old rows are tombstoned; the delta is merged into the base when it
    exceeds ``merge_ratio`` of the base (a restack, not a re-analysis).

    Not thread-safe: callers serialise access (the service holds a lock).

    Parameters
    ----------
    analyzer
        Text pipeline; the :func:`~ecosystem.text.default_analyzer` if omitted.
    char_max_df
        Character n-grams in more than this share of documents are ignored
        (applied once the collection has more than ``min_df_cutoff`` documents).
    refresh_ratio
        Share of changed documents after which IDF is recomputed.
    merge_ratio, min_merge
        The delta is merged when it has more than ``max(min_merge, merge_ratio
        * base size)`` rows.

    Examples
    --------
    >>> index = SimilarityIndex()
    >>> index.build([(1, "Telemedicin til borgere med KOL"), (2, "Kræft og genoptræning")])
    >>> [m.doc_id for m in index.query("hjemmemonitorering af KOL-patienter", k=1)]
    [1]
    """

    def __init__(
        self,
        analyzer: Analyzer | None = None,
        *,
        char_max_df: float = 0.02,
        min_df_cutoff: int = 50,
        refresh_ratio: float = 0.2,
        merge_ratio: float = 0.02,
        min_merge: int = 500,
    ) -> None:
        self.analyzer = analyzer or default_analyzer()
        self.char_max_df = char_max_df
        self.min_df_cutoff = min_df_cutoff
        self.refresh_ratio = refresh_ratio
        self.merge_ratio = merge_ratio
        self.min_merge = min_merge
        self._words = _Vocabulary()
        self._grams = _Vocabulary()
        self._char_words = _Vocabulary()
        self._word_grams: list[npt.NDArray[np.int32]] = []  # char word -> gram columns
        self._surface: dict[str, str] = {}  # term -> shortest form seen, for display
        self._names: dict[int, str] = {}  # word column -> display name (cache)
        self._n_ref = 0  # collection size when IDF was last computed
        self._changes = 0  # upserts and removals since then
        self._idf_word: FloatArray = np.zeros(0, _DTYPE)
        self._idf_char: FloatArray = np.zeros(0, _DTYPE)  # 0 marks an ignored n-gram
        self._base = self._empty_base()
        self._row: dict[int, int] = {}  # doc id -> base row
        self._delta: dict[int, tuple[_Raw, _Vectors]] = {}
        self._delta_cache: tuple[IntArray, _Vectors] | None = None
        self._builds = self._merges = self._refreshes = 0

    # ------------------------------------------------------------------ state
    def __len__(self) -> int:
        return len(self._row) + len(self._delta)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row or doc_id in self._delta

    def stats(self) -> IndexStats:
        """Sizes and counters of builds, merges and IDF refreshes."""
        return IndexStats(
            documents=len(self),
            base_rows=len(self._base.ids),
            delta_rows=len(self._delta),
            tombstones=int((~self._base.alive).sum()),
            word_terms=len(self._words),
            char_grams=len(self._grams),
            builds=self._builds,
            merges=self._merges,
            refreshes=self._refreshes,
            matrix_bytes=sum(
                m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
                for m in (
                    self._base.raw.word_tf,
                    self._base.raw.char_words,
                    self._base.vec.word,
                    self._base.vec.char,
                    self._base.word_csc,
                    self._base.char_csc,
                )
            ),
        )

    # ---------------------------------------------------------------- updates
    def build(self, docs: Iterable[tuple[int, str]]) -> None:
        """Replace the whole index with ``docs`` (later duplicates of an id win)."""
        latest = dict(docs)
        ids = np.fromiter(latest.keys(), dtype=np.int64, count=len(latest))
        texts = list(latest.values())
        step = 5_000  # analyses are bulky: keep only one chunk of them alive
        parts = [
            self._raw_rows([self.analyzer.analyze(text) for text in texts[start : start + step]])
            for start in range(0, len(texts), step)
        ]
        raw = _Raw(
            word_tf=_vstack([p.word_tf for p in parts], len(self._words)),
            char_words=_vstack([p.char_words for p in parts], len(self._char_words)),
        )
        del parts
        self._delta.clear()
        self._delta_cache = None
        self._refresh_idf(raw)
        self._base = self._make_base(ids, raw)
        self._row = {int(doc_id): row for row, doc_id in enumerate(ids)}
        self._builds += 1

    def upsert(self, doc_id: int, text: str) -> None:
        """Add or replace one document without rebuilding the index."""
        raw = self._raw_rows([self.analyzer.analyze(text)])
        self._drop(doc_id)
        self._delta[doc_id] = (raw, self._weigh(raw))
        self._delta_cache = None
        self._changes += 1
        self._maintain()

    def remove(self, doc_id: int) -> None:
        """Remove a document; unknown ids are ignored."""
        if self._drop(doc_id):
            self._changes += 1
            self._maintain()

    def refresh(self) -> None:
        """Recompute IDF from the current documents and fold the delta into the base.

        Cheaper than :meth:`build` (nothing is analysed again); updates call it
        on their own once ``refresh_ratio`` of the collection has changed.
        """
        self._restack(refresh=True)

    def _drop(self, doc_id: int) -> bool:
        """Tombstone or forget the current rows of ``doc_id``."""
        row = self._row.pop(doc_id, None)
        if row is not None:
            self._base.alive[row] = False
            return True
        if self._delta.pop(doc_id, None) is not None:
            self._delta_cache = None
            return True
        return False

    def _maintain(self) -> None:
        """Refresh IDF after large changes, else merge a large delta."""
        if self._changes > self.refresh_ratio * max(self._n_ref, self.min_df_cutoff):
            self._restack(refresh=True)
        elif len(self._delta) > max(self.min_merge, self.merge_ratio * len(self._base.ids)):
            self._restack(refresh=False)

    def _restack(self, *, refresh: bool) -> None:
        """Fold the delta into the base, optionally recomputing IDF first.

        Works from the stored raw rows: nothing is analysed again.
        """
        alive = self._base.alive
        delta_raw = [raw for raw, _ in self._delta.values()]
        raw = _Raw(
            word_tf=_vstack(
                [_rows(self._base.raw.word_tf, alive), *(r.word_tf for r in delta_raw)],
                len(self._words),
            ),
            char_words=_vstack(
                [_rows(self._base.raw.char_words, alive), *(r.char_words for r in delta_raw)],
                len(self._char_words),
            ),
        )
        delta_ids = np.fromiter(self._delta.keys(), dtype=np.int64, count=len(self._delta))
        ids = np.concatenate([self._base.ids[alive], delta_ids])
        if refresh:
            self._refresh_idf(raw)
            self._refreshes += 1
        else:
            self._merges += 1
        self._base = self._make_base(ids, raw)
        self._row = {int(doc_id): row for row, doc_id in enumerate(ids)}
        self._delta.clear()
        self._delta_cache = None

    # ------------------------------------------------------------ vectorising
    def _raw_rows(self, analyses: Sequence[Analysis]) -> _Raw:
        """Word term frequencies and char-word counts; grows the vocabularies."""
        labels = self.analyzer.synonyms.labels
        for analysis in analyses:
            for term, surface in zip(analysis.terms, analysis.surfaces, strict=True):
                if term not in labels and _keep_shorter(self._surface, term, surface):
                    column = self._words.index.get(term)
                    if column is not None:
                        self._names.pop(column, None)  # a shorter form to show now
        word_tf = _count_rows([a.terms for a in analyses], self._words)
        word_tf.data = 1.0 + np.log(word_tf.data)  # sublinear tf
        char_words = _count_rows([a.char_words for a in analyses], self._char_words)
        for word in self._char_words.terms[len(self._word_grams) :]:
            grams = cached_char_ngrams(word, self.analyzer.ngram_range)
            self._word_grams.append(np.fromiter(map(self._grams.add, grams), np.int32))
        return _Raw(word_tf, char_words)

    def _gram_counts(self, char_words: Csr) -> Csr:
        """Character n-gram counts of documents given their char-word counts."""
        used = np.unique(char_words.indices)
        lengths = np.fromiter((len(self._word_grams[w]) for w in used), np.int64, len(used))
        indptr = np.zeros(len(used) + 1, np.int64)
        np.cumsum(lengths, out=indptr[1:])
        grams = (
            np.concatenate([self._word_grams[w] for w in used])
            if len(used)
            else np.zeros(0, np.int32)
        )
        # word -> n-gram count matrix for just the words these documents use
        local = sp.csr_matrix(
            (np.ones(len(grams), _DTYPE), grams, indptr), shape=(len(used), len(self._grams))
        )
        remap = sp.csr_matrix(
            (np.ones(len(used), _DTYPE), (used, np.arange(len(used)))),
            shape=(char_words.shape[1], len(used)),
        )
        counts: Csr = (char_words @ remap @ local).tocsr()
        return counts

    def _weigh(self, raw: _Raw) -> _Vectors:
        """Apply the current (frozen) IDF and normalise."""
        self._extend_idf()
        word = _normalise(_scale_columns(raw.word_tf, self._idf_word))
        counts = self._gram_counts(raw.char_words)
        counts.data = 1.0 + np.log(counts.data)
        char = _normalise(_scale_columns(counts, self._idf_char))
        return _Vectors(word, char)

    def _extend_idf(self) -> None:
        """Give terms first seen since the last refresh the IDF of a term seen once."""
        unseen = _idf(self._n_ref, 1)
        for name in ("_idf_word", "_idf_char"):
            old: FloatArray = getattr(self, name)
            size = len(self._words) if name == "_idf_word" else len(self._grams)
            if len(old) < size:
                setattr(self, name, np.concatenate([old, np.full(size - len(old), unseen, _DTYPE)]))

    def _refresh_idf(self, raw: _Raw) -> None:
        """Recompute IDF (and the ignored n-grams) from the documents in ``raw``."""
        n = raw.word_tf.shape[0]
        self._n_ref, self._changes = n, 0
        word_df = np.bincount(raw.word_tf.indices, minlength=len(self._words))
        self._idf_word = _idf(n, word_df)
        char_df = np.zeros(len(self._grams), np.int64)
        step = 20_000  # the n-gram count matrix is ~10x the word matrix: go in chunks
        for start in range(0, n, step):
            counts = self._gram_counts(raw.char_words[start : start + step])
            char_df += np.bincount(counts.indices, minlength=len(self._grams))
        idf_char = _idf(n, char_df)
        if n > self.min_df_cutoff:
            idf_char[char_df > self.char_max_df * n] = 0.0
        self._idf_char = idf_char

    def _make_base(self, ids: IntArray, raw: _Raw) -> _Base:
        step = 20_000
        parts = [
            self._weigh(_Raw(raw.word_tf[s : s + step], raw.char_words[s : s + step]))
            for s in range(0, max(len(ids), 1), step)
        ]
        vec = _Vectors(
            word=_vstack([p.word for p in parts], len(self._words)),
            char=_vstack([p.char for p in parts], len(self._grams)),
        )
        return _Base(ids, np.ones(len(ids), bool), raw, vec, vec.word.tocsc(), vec.char.tocsc())

    def _empty_base(self) -> _Base:
        empty = sp.csr_matrix((0, 0), dtype=_DTYPE)
        raw = _Raw(empty, empty)
        vec = _Vectors(empty, empty)
        return _Base(
            np.zeros(0, np.int64), np.zeros(0, bool), raw, vec, empty.tocsc(), empty.tocsc()
        )

    def _delta_vectors(self) -> tuple[IntArray, _Vectors]:
        """The delta rows stacked (cached until the delta changes)."""
        if self._delta_cache is None:
            ids = np.fromiter(self._delta.keys(), dtype=np.int64, count=len(self._delta))
            vecs = [vec for _, vec in self._delta.values()]
            self._delta_cache = (
                ids,
                _Vectors(
                    _vstack([v.word for v in vecs], len(self._words)),
                    _vstack([v.char for v in vecs], len(self._grams)),
                ),
            )
        return self._delta_cache

    def _vectors_of(self, doc: int | str, scratch: _Scratch | None = None) -> _Vectors:
        """Vectors of a stored document id, or of a text (see :meth:`_text_vectors`)."""
        if isinstance(doc, str):
            return self._text_vectors(doc, scratch or _Scratch())
        row = self._row.get(doc)
        if row is not None:
            return _Vectors(self._base.vec.word[row], self._base.vec.char[row])
        if doc in self._delta:
            return self._delta[doc][1]
        raise KeyError(doc)

    def _text_vectors(self, text: str, scratch: _Scratch) -> _Vectors:
        """Vectors of a text that is not added to the index.

        Known terms use their columns and frozen IDF. Terms the index has never
        seen still count in the norm (with the IDF of a term seen once) and get
        columns past the vocabulary in ``scratch``, so that two texts compared
        with the same scratch can share them; the vocabulary is left untouched.
        """
        analysis = self.analyzer.analyze(text)
        self._extend_idf()
        unseen = math.log((1.0 + self._n_ref) / 2.0) + 1.0  # as _idf(n, 1)
        word_columns, word_weights = [], []
        for term, count in Counter(analysis.terms).items():
            column = self._words.index.get(term)
            if column is None:
                column = scratch.column(term, len(self._words), is_word=True)
            word_columns.append(column)
            weight = self._idf_word[column] if column < len(self._idf_word) else unseen
            word_weights.append((1.0 + math.log(count)) * weight)
        for term, surface in analysis.surface_map().items():
            scratch.surfaces.setdefault(term, surface)
        columns, counts = self._text_gram_counts(analysis.char_words, scratch)
        known = columns < len(self._idf_char)
        idf = np.full(len(columns), unseen, _DTYPE)
        idf[known] = self._idf_char[columns[known]]
        keep = idf > 0  # ignored (too common) n-grams stay out of the norm too
        char_weights = (1.0 + np.log(counts[keep])) * idf[keep]
        return _Vectors(
            _unit_row(word_columns, word_weights),
            _unit_row(columns[keep].tolist(), char_weights.tolist()),
        )

    def _text_gram_counts(
        self, char_words: Sequence[str], scratch: _Scratch
    ) -> tuple[IntArray, npt.NDArray[np.float64]]:
        """Columns and counts of the char n-grams of a text's content words.

        Words the index knows reuse their stored n-gram columns (one numpy pass);
        only unknown words are split into n-grams here.
        """
        pieces: list[npt.NDArray[np.int64]] = []
        weights: list[npt.NDArray[np.float64]] = []
        for word, count in Counter(char_words).items():
            known = self._char_words.index.get(word)
            if known is not None:
                grams = self._word_grams[known].astype(np.int64)
            else:
                grams = np.array(
                    [
                        self._grams.index[g]
                        if g in self._grams.index
                        else scratch.column(g, len(self._grams), is_word=False)
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

    # ---------------------------------------------------------------- queries
    def query(
        self,
        text: str,
        k: int = 10,
        *,
        allowed: Callable[[int], bool] | None = None,
        exclude: Collection[int] = (),
    ) -> list[Match]:
        """The ``k`` documents most similar to ``text``, best first.

        Only the index columns of the query's own terms are read (an inverted
        index product), so the cost follows the query, not the collection.

        Parameters
        ----------
        allowed
            Visibility filter, applied before the top ``k`` are taken: rejected
            documents never use up a place.
        exclude
            Ids never returned (e.g. the querying project itself).
        """
        if not text.strip() or k <= 0:
            return []
        scratch = _Scratch()
        return self._search(self._text_vectors(text, scratch), k, allowed, exclude, scratch)

    def query_doc(
        self,
        doc_id: int,
        k: int = 10,
        *,
        allowed: Callable[[int], bool] | None = None,
        exclude: Collection[int] = (),
    ) -> list[Match]:
        """Documents most similar to the stored document ``doc_id`` (never itself).

        Raises
        ------
        KeyError
            If ``doc_id`` is not in the index.
        """
        if k <= 0:
            return []
        return self._search(self._vectors_of(doc_id), k, allowed, {*exclude, doc_id})

    def _search(
        self,
        query: _Vectors,
        k: int,
        allowed: Callable[[int], bool] | None,
        exclude: Collection[int],
        scratch: _Scratch | None = None,
    ) -> list[Match]:
        if query.word.nnz == 0 and query.char.nnz == 0:
            return []
        base = self._base
        scores = _column_product(base.word_csc, query.word, WORD_WEIGHT)
        scores += _column_product(base.char_csc, query.char, CHAR_WEIGHT)
        scores[~base.alive] = 0.0
        delta_ids, delta = self._delta_vectors()
        delta_scores = _row_product(delta.word, query.word, WORD_WEIGHT)
        delta_scores += _row_product(delta.char, query.char, CHAR_WEIGHT)
        picked = _top_allowed(
            np.concatenate([base.ids, delta_ids]),
            np.concatenate([scores, delta_scores]),
            k,
            allowed,
            set(exclude),
        )
        shared = self._shared_many(query.word, [doc_id for doc_id, _ in picked], scratch)
        return [
            Match(doc_id, score, terms)
            for (doc_id, score), terms in zip(picked, shared, strict=True)
        ]

    def _shared_many(
        self, query: Csr, doc_ids: list[int], scratch: _Scratch | None
    ) -> list[tuple[tuple[str, float], ...]]:
        """:meth:`_shared` of the query with many stored documents, in one product."""
        if not doc_ids:
            return []
        rows = _vstack(
            [self._vectors_of(d).word for d in doc_ids if d not in self._row], len(self._words)
        )
        base_rows = [self._row[d] for d in doc_ids if d in self._row]
        stacked = _vstack([self._base.vec.word[base_rows], rows], len(self._words))
        order = [d for d in doc_ids if d in self._row] + [d for d in doc_ids if d not in self._row]
        width = max(stacked.shape[1], query.shape[1])
        product = _resized(stacked, width).multiply(_resized(query, width)).tocsr()
        by_id: dict[int, tuple[tuple[str, float], ...]] = {}
        for position, doc_id in enumerate(order):
            lo, hi = product.indptr[position], product.indptr[position + 1]
            by_id[doc_id] = self._top_terms(product.indices[lo:hi], product.data[lo:hi], scratch)
        return [by_id[d] for d in doc_ids]

    def _top_terms(
        self, columns: npt.NDArray[np.int32], values: FloatArray, scratch: _Scratch | None
    ) -> tuple[tuple[str, float], ...]:
        """The largest word contributions, as (readable term, share of the score)."""
        order = np.lexsort((columns, -values))[:_SHARED_TERMS]
        weights = np.round(values[order].astype(np.float64) * WORD_WEIGHT, 6).tolist()
        return tuple(
            (self._term_name(column, scratch), weight)
            for column, weight in zip(columns[order].tolist(), weights, strict=True)
            if weight > 0
        )

    def _shared(
        self, a: Csr, b: Csr, scratch: _Scratch | None = None
    ) -> tuple[tuple[str, float], ...]:
        """Word terms in both vectors with their contribution to the score, largest first."""
        if a.nnz == 0 or b.nnz == 0:
            return ()
        width = max(a.shape[1], b.shape[1])
        product = _resized(a, width).multiply(_resized(b, width)).tocsr()
        return self._top_terms(product.indices, product.data, scratch)

    def _term_name(self, column: int, scratch: _Scratch | None) -> str:
        """Readable form of a word column (scratch columns come from query texts)."""
        if column < len(self._words):
            name = self._names.get(column)
            if name is None:
                term = self._words.terms[column]
                name = self._names[column] = self.analyzer.display_term(term, self._surface)
            return name
        if scratch is not None:
            term = scratch.words[column - len(self._words)]
        else:
            return "?"
        return self.analyzer.display_term(term, scratch.surfaces)

    def explain(self, a: int | str, b: int | str) -> tuple[tuple[str, float], ...]:
        """Word terms two documents (ids or texts) share, with their contribution.

        Contributions are parts of :meth:`similarity` (the word cosine times
        ``WORD_WEIGHT``), largest first, at most eight.

        Raises
        ------
        KeyError
            If an id is not in the index.

        Examples
        --------
        >>> SimilarityIndex().explain("KOL i kommunen", "COPD in the municipality")[0][0]
        'KOL'
        """
        scratch = _Scratch()
        va, vb = self._vectors_of(a, scratch), self._vectors_of(b, scratch)
        return self._shared(va.word, vb.word, scratch)

    def similarity(self, a: int | str, b: int | str) -> float:
        """The score of two documents (ids or texts), as :meth:`query` reports it.

        Raises
        ------
        KeyError
            If an id is not in the index.
        """
        word, char = self.similarity_parts(a, b)
        return _score(WORD_WEIGHT * word + CHAR_WEIGHT * char)

    def similarity_parts(self, a: int | str, b: int | str) -> tuple[float, float]:
        """Word cosine and character n-gram cosine of two documents (ids or texts).

        Examples
        --------
        >>> word, char = SimilarityIndex().similarity_parts(
        ...     "hjemmemonitorering", "monitorering i hjemmet")
        >>> char > 0
        True
        """
        scratch = _Scratch()
        va, vb = self._vectors_of(a, scratch), self._vectors_of(b, scratch)
        return _score(_dot(va.word, vb.word)), _score(_dot(va.char, vb.char))

    # ------------------------------------------------------------------ pairs
    def pairs(
        self, threshold: float, *, ids: Collection[int] | None = None
    ) -> Iterator[tuple[int, int, float]]:
        """All pairs ``(a, b, score)`` with ``a < b`` and ``score >= threshold``.

        Exact. Uses prefix filtering (the AllPairs algorithm of Bayardo et al.):
        the part of each vector in the most common features can contribute less
        than half the threshold, so a qualifying pair must share one of the
        rarer features; only pairs that do are enumerated, with sparse products
        over row chunks, and each candidate is bounded before it is verified.

        Parameters
        ----------
        threshold
            Minimum score, in (0, 1].
        ids
            Restrict to these documents (unknown ids are ignored).
        """
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        doc_ids, combined = self._combined(ids)
        found = _all_pairs(combined, threshold)
        del combined  # _all_pairs keeps a reordered copy only: halve peak memory
        for i, j, score in found:
            a, b = int(doc_ids[i]), int(doc_ids[j])
            yield (a, b, score) if a < b else (b, a, score)

    def _combined(self, ids: Collection[int] | None) -> tuple[IntArray, Csr]:
        """Rows of all live documents in one space whose dot product is the score."""
        base = self._base
        delta_ids, delta = self._delta_vectors()
        width = (len(self._words), len(self._grams))
        blocks = [
            sp.hstack(
                [
                    _resized(m.word, width[0]) * math.sqrt(WORD_WEIGHT),
                    _resized(m.char, width[1]) * math.sqrt(CHAR_WEIGHT),
                ],
                format="csr",
            )
            for m in (
                _Vectors(_rows(base.vec.word, base.alive), _rows(base.vec.char, base.alive)),
                delta,
            )
        ]
        doc_ids = np.concatenate([base.ids[base.alive], delta_ids])
        combined = _vstack(blocks, width[0] + width[1])
        if ids is not None:
            keep = np.isin(doc_ids, np.fromiter(ids, np.int64, len(ids)))
            doc_ids, combined = doc_ids[keep], _rows(combined, keep)
        return doc_ids, combined


# ---------------------------------------------------------------------- helpers
def _idf(n_docs: int, df: npt.ArrayLike) -> FloatArray:
    """Smoothed IDF as scikit-learn's ``smooth_idf=True``: ln((1+n)/(1+df)) + 1."""
    return (np.log((1.0 + n_docs) / (1.0 + np.asarray(df, np.float64))) + 1.0).astype(_DTYPE)


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


def _all_pairs(matrix: Csr, threshold: float) -> Iterator[tuple[int, int, float]]:
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
