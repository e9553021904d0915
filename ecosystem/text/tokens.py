"""Normalisation, word tokens and character n-grams: what every text goes through first."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

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


@functools.lru_cache(maxsize=200_000)
def cached_char_ngrams(word: str, ngram_range: tuple[int, int] = (4, 5)) -> tuple[str, ...]:
    """Cached :func:`char_ngrams` as a tuple (words repeat across texts)."""
    return tuple(char_ngrams(word, ngram_range))


def _canonical_token(label: str) -> str:
    """The single token a canonical label becomes ("type 2-diabetes" -> "type2diabetes")."""
    return _CANONICAL_CHARS.sub("", normalise(label))
