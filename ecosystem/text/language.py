"""Danish or English: each language's stop words, the guess between them, and stemming."""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Final, Literal

import snowballstemmer

from ecosystem.text.tokens import normalise

Lang = Literal["da", "en"]
LANGS: Final[tuple[Lang, Lang]] = ("da", "en")

# Stop words of the other language that are content words in this one: "by" is
# a town and "it" is IT in Danish; "men" are people in English.
_KEEP_IN: Final[Mapping[Lang, frozenset[str]]] = {
    "da": frozenset({"by", "it"}),
    "en": frozenset({"men", "dig", "mine", "bag", "dog", "end"}),
}
_STEM_CACHE_LIMIT: Final = 500_000


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
