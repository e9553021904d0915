"""The similarity index: documents keyed by int id, searchable by weighted TF-IDF cosine."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from ecosystem.similarity.explanation import shared, shared_many
from ecosystem.similarity.pairs import all_pairs
from ecosystem.similarity.search import best, every_score
from ecosystem.similarity.segments import Segments
from ecosystem.similarity.sparse import Csr, FloatArray, IntArray, _dot, _score, _vstack
from ecosystem.similarity.vectors import (
    CHAR_WEIGHT,
    WORD_WEIGHT,
    Vectoriser,
    _Raw,
    _Scratch,
    _Vectors,
)
from ecosystem.text import Analyzer, default_analyzer


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
        self._vectoriser = Vectoriser(
            self.analyzer, char_max_df=char_max_df, min_df_cutoff=min_df_cutoff
        )
        self._segments = Segments(
            self._vectoriser,
            refresh_ratio=refresh_ratio,
            merge_ratio=merge_ratio,
            min_merge=min_merge,
        )

    # ------------------------------------------------------------------ state
    def __len__(self) -> int:
        return len(self._segments)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._segments

    def stats(self) -> IndexStats:
        """Sizes and counters of builds, merges and IDF refreshes."""
        segments = self._segments
        return IndexStats(
            documents=len(self),
            base_rows=len(segments.base.ids),
            delta_rows=len(segments.delta),
            tombstones=int((~segments.base.alive).sum()),
            word_terms=len(self._vectoriser.words),
            char_grams=len(self._vectoriser.grams),
            builds=segments.builds,
            merges=segments.merges,
            refreshes=segments.refreshes,
            matrix_bytes=segments.matrix_bytes(),
        )

    # ---------------------------------------------------------------- updates
    def build(
        self, docs: Iterable[tuple[int, str]], *, counted: Collection[int] | None = None
    ) -> None:
        """Replace the whole index with ``docs`` (later duplicates of an id win).

        ``counted``: the ids whose terms count for IDF (None: all of them); the others
        are indexed with the IDF of the counted ones and change nobody's weights.
        """
        latest = dict(docs)
        self._segments.counted = None if counted is None else set(counted) & latest.keys()
        ids = np.fromiter(latest.keys(), dtype=np.int64, count=len(latest))
        texts = list(latest.values())
        vectoriser = self._vectoriser
        step = 5_000  # analyses are bulky: keep only one chunk of them alive
        parts = [
            vectoriser.raw_rows(
                [self.analyzer.analyze(text) for text in texts[start : start + step]]
            )
            for start in range(0, len(texts), step)
        ]
        raw = _Raw(
            word_tf=_vstack([p.word_tf for p in parts], len(vectoriser.words)),
            char_words=_vstack([p.char_words for p in parts], len(vectoriser.char_words)),
        )
        del parts
        self._segments.replace(ids, raw)

    def upsert(self, doc_id: int, text: str, *, counted: bool = True) -> None:
        """Add or replace one document without rebuilding the index (see :meth:`build`)."""
        raw = self._vectoriser.raw_rows([self.analyzer.analyze(text)])
        self._segments.upsert(doc_id, raw, counted=counted)

    def remove(self, doc_id: int) -> None:
        """Remove a document; unknown ids are ignored."""
        self._segments.remove(doc_id)

    def refresh(self) -> None:
        """Recompute IDF from the current documents and fold the delta into the base.

        Cheaper than :meth:`build` (nothing is analysed again); updates call it
        on their own once ``refresh_ratio`` of the collection has changed.
        """
        self._segments.restack(refresh=True)

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
        return self._search(
            self._vectoriser.text_vectors(text, scratch), k, allowed, exclude, scratch
        )

    def scores(self, text: str) -> tuple[IntArray, FloatArray]:
        """Every document's id and similarity to ``text`` (zero where nothing is shared).

        For ranking that needs the whole distribution (a query's scores standardised),
        not only the best few; it costs the same inverted-index product as :meth:`query`.
        """
        vectors = self._vectoriser.text_vectors(text, _Scratch())
        return every_score(self._segments, vectors)

    def search(self, text: str) -> list[tuple[int, float]]:
        """Documents holding every term of ``text`` (stems and synonyms, never substrings),
        most relevant first.

        "KOL" finds *KOL* and *kronisk obstruktiv lungesygdom* and *COPD*, never
        *onkologi*, *psykolog* or *Kolding*.

        Examples
        --------
        >>> index = SimilarityIndex()
        >>> index.build([(1, "Telemedicin til borgere med KOL"), (2, "Onkologi i Kolding"),
        ...              (3, "COPD rehabilitation at home")])
        >>> [doc for doc, _ in index.search("kol")]
        [1, 3]
        """
        terms = set(self.analyzer.terms(text))
        if not terms:
            return []
        columns = [self._vectoriser.words.index.get(term) for term in terms]
        if any(column is None for column in columns):
            return []
        ids, holding = self._segments.holding([c for c in columns if c is not None])
        if not len(ids):
            return []
        every_id, scores = self.scores(text)
        score_of = dict(zip(every_id.tolist(), scores.tolist(), strict=True))
        found = [(int(i), _score(score_of.get(int(i), 0.0))) for i in ids[holding]]
        return sorted(found, key=lambda item: (-item[1], item[0]))

    def scores_of(self, doc_id: int) -> tuple[IntArray, FloatArray]:
        """As :meth:`scores`, for a stored document (its own score included)."""
        return every_score(self._segments, self._vectors_of(doc_id))

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
        picked = best(self._segments, query, k, allowed, set(exclude))
        terms = shared_many(self._segments, query.word, [doc_id for doc_id, _ in picked], scratch)
        return [
            Match(doc_id, score, found)
            for (doc_id, score), found in zip(picked, terms, strict=True)
        ]

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
        return shared(self._vectoriser, va.word, vb.word, scratch)

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

    def matrix(self) -> tuple[IntArray, Csr]:
        """Every live document's row, in one space where the dot product is the score."""
        return self._segments.combined(None)

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
        doc_ids, combined = self._segments.combined(ids)
        found = all_pairs(combined, threshold)
        del combined  # all_pairs keeps a reordered copy only: halve peak memory
        for i, j, score in found:
            a, b = int(doc_ids[i]), int(doc_ids[j])
            yield (a, b, score) if a < b else (b, a, score)

    def _vectors_of(self, doc: int | str, scratch: _Scratch | None = None) -> _Vectors:
        """Vectors of a stored document id, or of a text (see :meth:`Vectoriser.text_vectors`)."""
        if isinstance(doc, str):
            return self._vectoriser.text_vectors(doc, scratch or _Scratch())
        return self._segments.vectors_of(doc)
