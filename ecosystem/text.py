"""Danish/English text pipeline: normalisation, tokens, synonyms, stems and char n-grams."""

from __future__ import annotations

import csv
import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

import snowballstemmer

__all__ = [
    "Analysis",
    "Analyzer",
    "SynonymTable",
    "cached_char_ngrams",
    "char_ngrams",
    "default_analyzer",
    "display_term",
    "guess_language",
    "load_stopwords",
    "load_synonyms",
    "normalise",
    "tokenize",
]

Lang = Literal["da", "en"]
LANGS: Final[tuple[Lang, Lang]] = ("da", "en")

# Characters that PDF-to-text and word processors leave inside words. The soft
# hyphen (U+00AD) marks a possible line break and must vanish ("de\xadling" is
# "deling"); zero-width characters likewise. NFKC keeps all of these.
_INVISIBLE: Final = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Every dash-like character becomes an ASCII hyphen so that "type 2–diabetes"
# and "type 2-diabetes" tokenise alike. (Regexes, not str.translate: translate
# is ~50x slower on non-ASCII text and this runs on every document.)
_DASHES: Final = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63]")
# A word broken over two lines with a hyphen ("hjemme-\nmonitorering") is one
# Danish compound; only join when the next line continues in lower case (an
# upper-case continuation is more likely a real hyphen: "KOL-\nPatienter").
_LINE_BREAK_HYPHEN: Final = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n\s*(?=[^\W\d_])")
# Letters and digits of any script (keeps æ, ø, å); everything else separates
# tokens, so hyphenated words ("KOL-patienter") yield their parts.
_TOKEN: Final = re.compile(r"[^\W_]+")
_CANONICAL_CHARS: Final = re.compile(r"[\W_]+")

# Stop words of the other language that are content words in this one: "by" is
# a town and "it" is IT in Danish; "men" are people in English.
_KEEP_IN: Final[Mapping[Lang, frozenset[str]]] = {
    "da": frozenset({"by", "it"}),
    "en": frozenset({"men", "dig", "mine", "bag", "dog", "end"}),
}
_MIN_TOKEN_LEN: Final = 2
_MIN_CHAR_WORD_LEN: Final = 3
_STEM_CACHE_LIMIT: Final = 500_000


def normalise(text: str) -> str:
    """Return `text` in the canonical form every other step expects.

    NFKC (ligatures, full-width and no-break spaces), soft hyphens and zero-width
    characters removed, dashes unified, hyphenated line breaks joined, casefolded.

    Examples
    --------
    >>> normalise("Vidensde\\u00adling – Hjemme-\\nmonitorering")
    'vidensdeling - hjemmemonitorering'
    """
    text = _DASHES.sub("-", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)))
    if "\n" in text:
        text = _LINE_BREAK_HYPHEN.sub(_join_if_lower, text)
    return text.casefold()


def _join_if_lower(match: re.Match[str]) -> str:
    """Drop a line-break hyphen when the next word starts in lower case."""
    return "" if match.string[match.end()].islower() else "-"


def tokenize(text: str) -> list[str]:
    """Split normalised text into word tokens (letters and digits, æøå kept).

    Examples
    --------
    >>> tokenize("kol-patienter på sygehuset, type 2-diabetes")
    ['kol', 'patienter', 'på', 'sygehuset', 'type', '2', 'diabetes']
    """
    return _TOKEN.findall(text)


def char_ngrams(word: str, ngram_range: tuple[int, int] = (4, 5)) -> list[str]:
    """Character n-grams of one word padded with spaces (scikit-learn's ``char_wb``).

    A padded word no longer than ``n`` yields itself once for that ``n``.

    Examples
    --------
    >>> char_ngrams("kol")
    [' kol', 'kol ', ' kol ']
    >>> char_ngrams("hjemmet", (5, 5))
    [' hjem', 'hjemm', 'jemme', 'emmet', 'mmet ']
    """
    padded = f" {word} "
    grams: list[str] = []
    for n in range(ngram_range[0], ngram_range[1] + 1):
        if len(padded) <= n:
            if padded not in grams:
                grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def guess_language(tokens: Iterable[str], stopwords: Mapping[Lang, frozenset[str]]) -> Lang:
    """Guess Danish or English from the count of each language's stop words.

    Only stop words of one language count; ties (including texts without stop
    words) count as Danish, the service's main language.

    Examples
    --------
    >>> sw = {"da": frozenset({"og", "i"}), "en": frozenset({"and", "the"})}
    >>> guess_language(["the", "patient", "and", "i"], sw)
    'en'
    """
    da_only, en_only = _exclusive_stopwords(stopwords["da"], stopwords["en"])
    return _guess(list(tokens), da_only, en_only)


def _exclusive_stopwords(
    da: frozenset[str], en: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """Stop words that are evidence for one language only."""
    ambiguous = _KEEP_IN["da"] | _KEEP_IN["en"]  # "by", "it": no evidence either way
    return da - en - ambiguous, en - da - ambiguous


def _guess(tokens: list[str], da_only: frozenset[str], en_only: frozenset[str]) -> Lang:
    da = sum(map(da_only.__contains__, tokens))
    en = sum(map(en_only.__contains__, tokens))
    return "en" if en > da else "da"


def load_stopwords(path: Path | str) -> frozenset[str]:
    """Read a stop-word file: one word a line, ``#`` starts a comment."""
    words: set[str] = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(normalise(word))
    return frozenset(words)


def _data_path(name: str) -> Path:
    """Path of a file in the ``seeds/data`` directory shipped with the repository."""
    return Path(str(importlib.resources.files("seeds") / "data" / name))


def _canonical_token(label: str) -> str:
    """The single token a canonical label becomes ("type 2-diabetes" -> "type2diabetes")."""
    return _CANONICAL_CHARS.sub("", normalise(label))


class _Stemmers:
    """Snowball stemmers for both languages with a per-word cache.

    Snowball is pure Python (~15 µs a word); a 1,500-character text has ~200
    tokens but a collection has far fewer distinct words, so the cache turns
    stemming into a dictionary lookup.
    """

    def __init__(self) -> None:
        self._stemmers = {
            lang: snowballstemmer.stemmer(name)
            for lang, name in (("da", "danish"), ("en", "english"))
        }
        self._cache: dict[Lang, dict[str, str]] = {"da": {}, "en": {}}

    def stem(self, word: str, lang: Lang) -> str:
        """Stem of ``word`` in ``lang``."""
        return self.stemmer(lang)(word)

    def stemmer(self, lang: Lang) -> Callable[[str], str]:
        """A cached stemming function for ``lang``."""
        cache = self._cache[lang]
        stem_word = self._stemmers[lang].stemWord

        def stem(word: str) -> str:
            found = cache.get(word)
            if found is None:
                if len(cache) >= _STEM_CACHE_LIMIT:
                    cache.clear()  # bound memory against streams of junk tokens
                found = cache[word] = str(stem_word(word))
            return found

        return stem


@dataclass(frozen=True)
class SynonymTable:
    """Phrase -> canonical-token lookup built from ``synonyms.csv``.

    Attributes
    ----------
    surface
        Exact token sequences of multi-word variants (any language) and
        single-word variants of each language: ``surface[lang][tokens]``.
    stemmed
        Stemmed token sequences of the variants of each language, keyed the same
        way, so inflected forms match ("kroniske obstruktive lungesygdomme").
    labels
        Canonical token -> readable label for explanations ("type2diabetes" ->
        "type 2-diabetes").
    max_len
        Longest variant in tokens; bounds the phrase search.
    """

    surface: Mapping[Lang, Mapping[tuple[str, ...], tuple[str, ...]]]
    stemmed: Mapping[Lang, Mapping[tuple[str, ...], tuple[str, ...]]]
    labels: Mapping[str, str]
    max_len: int
    _first_surface: Mapping[Lang, frozenset[str]] = field(repr=False, compare=False)
    _first_stemmed: Mapping[Lang, frozenset[str]] = field(repr=False, compare=False)

    def first_tokens(self, lang: Lang) -> tuple[frozenset[str], frozenset[str]]:
        """First tokens of surface and of stemmed variants (a cheap pre-check)."""
        return self._first_surface[lang], self._first_stemmed[lang]

    def match(
        self, tokens: list[str], stems: list[str], start: int, lang: Lang
    ) -> tuple[int, tuple[str, ...]]:
        """Longest variant starting at ``tokens[start]``: (length, canonical tokens).

        Returns ``(0, ())`` when no variant starts there; the first-token sets
        make that the fast, common case.
        """
        surface, stemmed = self.surface[lang], self.stemmed[lang]
        may_surface = tokens[start] in self._first_surface[lang]
        may_stemmed = stems[start] in self._first_stemmed[lang]
        if not (may_surface or may_stemmed):
            return 0, ()
        for length in range(min(self.max_len, len(tokens) - start), 0, -1):
            end = start + length
            found = surface.get(tuple(tokens[start:end])) if may_surface else None
            if found is None and may_stemmed:
                found = stemmed.get(tuple(stems[start:end]))
            if found is not None:
                return length, found
        return 0, ()


@dataclass(frozen=True)
class _SynonymRow:
    canonical: str
    variant: str
    lang: str


def _read_synonym_rows(path: Path) -> list[_SynonymRow]:
    """Rows of the synonym CSV, skipping ``#`` comment lines and blank lines."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    rows: list[_SynonymRow] = []
    for record in csv.DictReader(lines):
        canonical, variant = record["canonical"].strip(), record["variant"].strip()
        lang = (record["lang"] or "any").strip()
        if not canonical or not variant or lang not in ("da", "en", "any"):
            raise ValueError(f"{path}: bad synonym row {record!r}")
        rows.append(_SynonymRow(canonical, variant, lang))
    return rows


def _closure(direct: Mapping[str, set[str]], token: str) -> tuple[str, ...]:
    """``token`` plus every broader canonical reachable from it (cycle-safe)."""
    seen = [token]
    stack = [token]
    while stack:
        for broader in sorted(direct.get(stack.pop(), ())):
            if broader not in seen:
                seen.append(broader)
                stack.append(broader)
    return tuple(seen)


def load_synonyms(path: Path | str | None = None) -> SynonymTable:
    """Build a :class:`SynonymTable` from ``canonical,variant,lang,note`` rows.

    Every canonical label is implicitly a variant of itself (both languages). A
    canonical label that is listed as a variant of another canonical is a
    narrower term and emits the broader one as well, transitively.
    """
    rows = _read_synonym_rows(Path(path) if path is not None else _data_path("synonyms.csv"))
    stemmers = _Stemmers()
    labels: dict[str, str] = {}
    variants: dict[tuple[tuple[str, ...], str], set[str]] = {}
    for row in rows:
        token = _canonical_token(row.canonical)
        labels.setdefault(token, row.canonical)
        variants.setdefault((tuple(tokenize(normalise(row.canonical))), "any"), set()).add(token)
        variants.setdefault((tuple(tokenize(normalise(row.variant))), row.lang), set()).add(token)

    # Broader terms: canonical B is broader than A when A's label is a variant of B.
    by_tokens: dict[tuple[str, ...], set[str]] = {}
    for (tokens, _lang), canon in variants.items():
        by_tokens.setdefault(tokens, set()).update(canon)
    broader: dict[str, set[str]] = {}
    for token, label in labels.items():
        for other in by_tokens.get(tuple(tokenize(normalise(label))), set()) - {token}:
            broader.setdefault(token, set()).add(other)

    surface: dict[Lang, dict[tuple[str, ...], tuple[str, ...]]] = {"da": {}, "en": {}}
    stemmed: dict[Lang, dict[tuple[str, ...], tuple[str, ...]]] = {"da": {}, "en": {}}
    stem_owner: dict[Lang, dict[tuple[str, ...], tuple[str, ...]]] = {"da": {}, "en": {}}
    # Shortest variants first: when two different variants stem alike (English
    # "hospital" and "hospitalization" both give "hospit"), the stemmed key belongs
    # to the shorter one, which is closer to the stem; the longer one still
    # matches verbatim.
    for (tokens, vlang), canon in sorted(variants.items(), key=_shortest_first):
        emitted = tuple(dict.fromkeys(t for c in sorted(canon) for t in _closure(broader, c)))
        for lang in LANGS:
            if len(tokens) > 1 or vlang in ("any", lang):
                _merge(surface[lang], tokens, emitted)
            if vlang in ("any", lang):
                key = tuple(stemmers.stem(t, lang) for t in tokens)
                if stem_owner[lang].setdefault(key, tokens) == tokens:
                    _merge(stemmed[lang], key, emitted)
    return SynonymTable(
        surface=surface,
        stemmed=stemmed,
        labels=labels,
        max_len=max((len(k) for k, _ in variants), default=1),
        _first_surface={lang: frozenset(k[0] for k in surface[lang]) for lang in LANGS},
        _first_stemmed={lang: frozenset(k[0] for k in stemmed[lang]) for lang in LANGS},
    )


def _shortest_first(item: tuple[tuple[tuple[str, ...], str], set[str]]) -> tuple[int, str]:
    """Sort key for variants: total length, then text (deterministic)."""
    tokens = item[0][0]
    return sum(map(len, tokens)) + len(tokens), " ".join(tokens)


def _merge(
    table: dict[tuple[str, ...], tuple[str, ...]], key: tuple[str, ...], emitted: tuple[str, ...]
) -> None:
    """Add ``emitted`` under ``key``, uniting with canonicals already there."""
    if key:
        table[key] = tuple(sorted({*table.get(key, ()), *emitted}))


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


@functools.lru_cache(maxsize=200_000)
def cached_char_ngrams(word: str, ngram_range: tuple[int, int] = (4, 5)) -> tuple[str, ...]:
    """Cached :func:`char_ngrams` as a tuple (words repeat across texts)."""
    return tuple(char_ngrams(word, ngram_range))


@functools.cache
def default_analyzer() -> Analyzer:
    """The analyser built from ``seeds/data``, created once per process."""
    return Analyzer.from_files()


def display_term(term: str, seen: Mapping[str, str] | None = None) -> str:
    """:meth:`Analyzer.display_term` of the :func:`default_analyzer`."""
    return default_analyzer().display_term(term, seen)
