"""The synonym table: phrases in either language mapped to canonical tokens."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from ecosystem.text.language import LANGS, Lang, _data_path, _Stemmers
from ecosystem.text.tokens import _canonical_token, normalise, tokenize

# (variant tokens, language or "any") -> the canonical tokens it stands for
_Variants: TypeAlias = dict[tuple[tuple[str, ...], str], set[str]]
# language -> token sequence -> canonical tokens emitted
_Tables: TypeAlias = dict[Lang, dict[tuple[str, ...], tuple[str, ...]]]


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
    labels, variants = _variants(rows)
    surface, stemmed = _phrase_tables(variants, _broader(labels, variants))
    return SynonymTable(
        surface=surface,
        stemmed=stemmed,
        labels=labels,
        max_len=max((len(k) for k, _ in variants), default=1),
        _first_surface={lang: frozenset(k[0] for k in surface[lang]) for lang in LANGS},
        _first_stemmed={lang: frozenset(k[0] for k in stemmed[lang]) for lang in LANGS},
    )


def _variants(rows: list[_SynonymRow]) -> tuple[dict[str, str], _Variants]:
    """Canonical token -> label, and every variant (the labels included) -> its canonicals."""
    labels: dict[str, str] = {}
    variants: _Variants = {}
    for row in rows:
        token = _canonical_token(row.canonical)
        labels.setdefault(token, row.canonical)
        variants.setdefault((tuple(tokenize(normalise(row.canonical))), "any"), set()).add(token)
        variants.setdefault((tuple(tokenize(normalise(row.variant))), row.lang), set()).add(token)
    return labels, variants


def _broader(labels: Mapping[str, str], variants: _Variants) -> dict[str, set[str]]:
    """Broader terms: canonical B is broader than A when A's label is a variant of B."""
    by_tokens: dict[tuple[str, ...], set[str]] = {}
    for (tokens, _lang), canon in variants.items():
        by_tokens.setdefault(tokens, set()).update(canon)
    broader: dict[str, set[str]] = {}
    for token, label in labels.items():
        for other in by_tokens.get(tuple(tokenize(normalise(label))), set()) - {token}:
            broader.setdefault(token, set()).add(other)
    return broader


def _phrase_tables(variants: _Variants, broader: Mapping[str, set[str]]) -> tuple[_Tables, _Tables]:
    """The surface and the stemmed lookup tables of each language."""
    stemmers = _Stemmers()
    surface: _Tables = {"da": {}, "en": {}}
    stemmed: _Tables = {"da": {}, "en": {}}
    stem_owner: _Tables = {"da": {}, "en": {}}
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
    return surface, stemmed


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
