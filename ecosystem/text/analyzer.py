"""The analyser: one text in, the word terms and content words the index reads out."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from ecosystem.text.language import (
    _KEEP_IN,
    LANGS,
    Lang,
    _data_path,
    _exclusive_stopwords,
    _guess,
    _Stemmers,
    load_stopwords,
)
from ecosystem.text.synonyms import SynonymTable, load_synonyms
from ecosystem.text.tokens import cached_char_ngrams, normalise, tokenize

_MIN_TOKEN_LEN: Final = 2
_MIN_CHAR_WORD_LEN: Final = 3


@dataclass(frozen=True)
class Analysis:
    """Everything the similarity index needs from one text.

    Attributes
    ----------
    lang
        Guessed language, ``"da"`` or ``"en"``.
    terms
        Word-space terms in text order: canonical synonym tokens and stems.
    surfaces
        Readable form for each entry of ``terms`` (the word as written, or the
        synonym's canonical label).
    char_words
        Content words as written, for the character n-gram space. Words inside
        synonym phrases are kept, so compounds still meet their split forms.
    """

    lang: Lang
    terms: tuple[str, ...]
    surfaces: tuple[str, ...]
    char_words: tuple[str, ...]

    def surface_map(self) -> dict[str, str]:
        """Term -> its shortest surface form in this text (usually the base form).

        Examples
        --------
        >>> default_analyzer().analyze("borgerne og borgere").surface_map()
        {'borger': 'borger'}
        """
        best: dict[str, str] = {}
        for term, surface in zip(self.terms, self.surfaces, strict=True):
            _keep_shorter(best, term, surface)
        return best


def _keep_shorter(best: dict[str, str], term: str, surface: str) -> None:
    """Record ``surface`` for ``term`` if it is shorter (ties: alphabetical)."""
    old = best.get(term)
    if old is None or (len(surface), surface) < (len(old), old):
        best[term] = surface


@dataclass(frozen=True)
class Analyzer:
    """Danish/English analyser: build once, call :meth:`analyze` per text.

    Parameters
    ----------
    stopwords
        Stop words per language. Stop words of the guessed language are removed,
        and so are the other language's, except words that are content words in
        the guessed language (Danish "by" = town).
    synonyms
        The phrase table; matched before stop-word removal and stemming.
    ngram_range
        Character n-gram sizes for :meth:`char_ngrams_of`.

    Examples
    --------
    >>> analyzer = default_analyzer()
    >>> analyzer.terms("KOL-patienter i kommunerne")
    ['kol', 'patient', 'kommune']
    >>> analyzer.terms("Chronic obstructive pulmonary disease (COPD)")
    ['kol', 'kol']
    """

    stopwords: Mapping[Lang, frozenset[str]]
    synonyms: SynonymTable
    ngram_range: tuple[int, int] = (4, 5)
    _stemmers: _Stemmers = field(default_factory=_Stemmers, repr=False, compare=False)
    _drop: Mapping[Lang, frozenset[str]] = field(init=False, repr=False, compare=False)
    _exclusive: tuple[frozenset[str], frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        both = self.stopwords["da"] | self.stopwords["en"]
        drop = {lang: both - (_KEEP_IN[lang] - self.stopwords[lang]) for lang in LANGS}
        object.__setattr__(self, "_drop", drop)
        exclusive = _exclusive_stopwords(self.stopwords["da"], self.stopwords["en"])
        object.__setattr__(self, "_exclusive", exclusive)

    @classmethod
    def from_files(
        cls,
        synonyms: Path | str | None = None,
        stopwords_da: Path | str | None = None,
        stopwords_en: Path | str | None = None,
    ) -> Analyzer:
        """Build from data files; ``None`` means the file in ``seeds/data``."""
        return cls(
            stopwords={
                "da": load_stopwords(stopwords_da or _data_path("stopwords_da.txt")),
                "en": load_stopwords(stopwords_en or _data_path("stopwords_en.txt")),
            },
            synonyms=load_synonyms(synonyms),
        )

    def analyze(self, text: str) -> Analysis:
        """Run the whole pipeline on ``text``.

        Order matters: phrases are matched on the full token stream (stop words
        included, "monitorering i hjemmet"), then stop words go, then stemming.
        This runs once per document at index build, so the loop is kept flat.
        """
        tokens = tokenize(normalise(text))
        lang = _guess(tokens, *self._exclusive)
        stem = self._stemmers.stemmer(lang)
        stems = [stem(token) for token in tokens]
        drop = self._drop[lang]
        synonyms = self.synonyms
        first_surface, first_stemmed = synonyms.first_tokens(lang)
        terms: list[str] = []
        surfaces: list[str] = []
        char_words: list[str] = []
        i, n = 0, len(tokens)
        while i < n:
            token = tokens[i]
            if token in first_surface or stems[i] in first_stemmed:
                length, canonical = synonyms.match(tokens, stems, i, lang)
                # a lone stop word whose stem looks like a term ("lægger" ~ "læge")
                if length > 1 or (length == 1 and token not in drop):
                    terms.extend(canonical)
                    surfaces.extend(synonyms.labels[c] for c in canonical)
                    char_words.extend(t for t in tokens[i : i + length] if _is_char_word(t, drop))
                    i += length
                    continue
            if token not in drop and len(token) >= _MIN_TOKEN_LEN and not token.isdigit():
                terms.append(stems[i])
                surfaces.append(token)
                if len(token) >= _MIN_CHAR_WORD_LEN:
                    char_words.append(token)
            i += 1
        return Analysis(lang, tuple(terms), tuple(surfaces), tuple(char_words))

    def terms(self, text: str) -> list[str]:
        """Canonical, stemmed word terms of ``text`` (the word feature space)."""
        return list(self.analyze(text).terms)

    def char_ngrams_of(self, text: str) -> list[str]:
        """Character n-grams of the content words of ``text`` (the char feature space).

        Examples
        --------
        >>> grams = default_analyzer().char_ngrams_of("monitorering i hjemmet")
        >>> grams[:3], " hjem" in grams, " i " in grams  # "i" is a stop word
        ([' mon', 'moni', 'onit'], True, False)
        """
        words = self.analyze(text).char_words
        return [gram for word in words for gram in cached_char_ngrams(word, self.ngram_range)]

    def display_term(self, term: str, seen: Mapping[str, str] | None = None) -> str:
        """Readable form of a word-space term.

        Synonym tokens show their canonical label; stems show the surface form
        recorded in ``seen`` (e.g. the index's shortest form seen), else the stem.

        Examples
        --------
        >>> analyzer = default_analyzer()
        >>> analyzer.display_term("type2diabetes")
        'type 2-diabetes'
        >>> analyzer.display_term("kommun", {"kommun": "kommune"})
        'kommune'
        """
        label = self.synonyms.labels.get(term)
        if label is not None:
            return label
        if seen is not None:
            return seen.get(term, term)
        return term


def _is_char_word(token: str, drop: frozenset[str]) -> bool:
    """Whether a token feeds the char n-gram space (long enough, not a stop word)."""
    return len(token) >= _MIN_CHAR_WORD_LEN and token not in drop and not token.isdigit()


@functools.cache
def default_analyzer() -> Analyzer:
    """The analyser built from ``seeds/data``, created once per process."""
    return Analyzer.from_files()


def display_term(term: str, seen: Mapping[str, str] | None = None) -> str:
    """:meth:`Analyzer.display_term` of the :func:`default_analyzer`."""
    return default_analyzer().display_term(term, seen)
