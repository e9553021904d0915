"""Matching what people write to codes: labels, aliases and spellings, with suggestions.

A sheet names themes, areas and stages the way people do ("Kronisk sygdom og ældre",
"Aarhus Kommune", "Afprøvning"); a :class:`LabelIndex` finds the one code meant, or says
why it cannot (several match; none does, perhaps with the closest label).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ecosystem import labels
from ecosystem.labels import Label, name_of
from ecosystem.model import (
    CareLevel,
    DevelopmentType,
    EvidenceOutcome,
    FundingKind,
    LinkRelation,
    Stage,
    Visibility,
)

__all__ = [
    "LabelIndex",
    "Lookups",
    "Term",
    "Vocabularies",
    "choice_index",
    "fold",
    "name_keys",
]


@dataclass(frozen=True)
class Term:
    """A code with the names people may write for it (labels, municipality names, ids)."""

    code: str
    label_da: str
    label_en: str | None = None
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (
            self.code,
            self.label_da,
            *((self.label_en,) if self.label_en else ()),
            *self.aliases,
        )


@dataclass(frozen=True)
class Vocabularies:
    """The reference data a sheet may refer to, as plain data (see ``store.imports``)."""

    themes: tuple[Term, ...] = ()
    target_groups: tuple[Term, ...] = ()
    areas: tuple[Term, ...] = ()
    goals: tuple[Term, ...] = ()
    organisations: tuple[Term, ...] = ()


_TRANSLITERATIONS = (("æ", "ae"), ("ø", "oe"), ("å", "aa"))
_SIMPLE = (("æ", "ae"), ("ø", "o"), ("å", "a"))


def fold(text: str, spellings: Sequence[tuple[str, str]] = _TRANSLITERATIONS) -> str:
    """A key for comparing names: case, accents, punctuation and spacing do not matter.

    Examples
    --------
    >>> fold("  Kronisk sygdom og ÆLDRE ")
    'kronisk sygdom og aeldre'
    >>> fold("Århus") == fold("Aarhus") and fold("Type 2-diabetes") == fold("type 2 diabetes")
    True
    >>> fold("Idé")
    'ide'
    """
    text = text.casefold()
    for letter, spelling in spellings:
        text = text.replace(letter, spelling)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def name_keys(text: str) -> set[str]:
    """Both common ASCII spellings of Danish letters: 'Køge' is found as 'Koege' and 'Koge'."""
    return {fold(text), fold(text, _SIMPLE)} - {""}


class LabelIndex:
    """Finds codes by code, label or alias; suggests the closest label when nothing fits."""

    def __init__(self, noun_da: str, noun_en: str, terms: Iterable[Term]) -> None:
        self.noun_da, self.noun_en = noun_da, noun_en
        self.terms = {term.code: term for term in terms}
        self.exact = set(self.terms)
        self.by_key: dict[str, set[str]] = {}
        self.suggestions: dict[str, Term | None] = {}
        self.matches: dict[str, frozenset[str]] = {}
        for term in self.terms.values():
            for name in term.names():
                for key in name_keys(name):
                    self.by_key.setdefault(key, set()).add(term.code)

    def find(self, text: str) -> str | None:
        """The one code ``text`` names, or None (cheaper than :meth:`resolve`: no messages)."""
        found = self._matches(text)
        return next(iter(found)) if len(found) == 1 else None

    def resolve(self, text: str) -> tuple[str | None, tuple[str, str] | None]:
        """(code, None) when found; (None, (Danish, English) message) otherwise."""
        found = self._matches(text)
        if len(found) == 1:
            return next(iter(found)), None
        if found:
            codes = ", ".join(sorted(found))
            return None, (
                f"'{text}' passer på flere {self.noun_da}er ({codes}); skriv koden",
                f"'{text}' matches several {self.noun_en}s ({codes}); write the code",
            )
        return None, self.unknown(text)

    def _matches(self, text: str) -> frozenset[str]:
        # The same few labels fill thousands of cells: fold each distinct text only once.
        cached = self.matches.get(text)
        if cached is None:
            if text in self.exact:
                cached = frozenset((text,))
            else:
                found: set[str] = set()
                for key in name_keys(text):
                    found |= self.by_key.get(key, set())
                cached = frozenset(found)
            self.matches[text] = cached
        return cached

    def unknown(self, text: str) -> tuple[str, str]:
        suggestion = self.suggest(text)
        if suggestion is None:
            return (
                f"'{text}' findes ikke som {self.noun_da}",
                f"'{text}' is not a known {self.noun_en}",
            )
        return (
            f"'{text}' findes ikke som {self.noun_da} — mente du '{suggestion.label_da}'?",
            f"'{text}' is not a known {self.noun_en} — did you mean "
            f"'{suggestion.label_en or suggestion.label_da}'?",
        )

    def suggest(self, text: str) -> Term | None:
        """The term whose code, label or a word of its label is closest to ``text``."""
        wanted = fold(text)
        # A wrong value is usually wrong in many rows; compare it with every label once.
        if wanted not in self.suggestions:
            self.suggestions[wanted] = self._closest(wanted)
        return self.suggestions[wanted]

    def _closest(self, wanted: str) -> Term | None:
        if not wanted:
            return None
        best: tuple[float, Term] | None = None
        for term in self.terms.values():
            score = max(_likeness(wanted, fold(name)) for name in term.names())
            if score >= 0.7 and (best is None or score > best[0]):
                best = (score, term)
        return best[1] if best else None


def _likeness(wanted: str, name: str) -> float:
    """How alike two folded names are, also comparing with each word and the same-length start.

    'Kronikere' is far from 'Kronisk sygdom og ældre' as a whole, but close to its first word.
    """
    whole = difflib.SequenceMatcher(None, wanted, name).ratio()
    parts = [word for word in name.split() if len(word) >= 3]
    if len(wanted) >= 4:
        parts.append(name[: len(wanted)])
    # A match on the whole name beats an equally good match on one of its words.
    part = max((difflib.SequenceMatcher(None, wanted, p).ratio() for p in parts), default=0.0)
    return max(whole, 0.95 * part)


def choice_index(
    noun_da: str,
    noun_en: str,
    enum: Iterable[Any],
    names: Mapping[str, Label],
    spellings: Mapping[str, Sequence[str]] | None = None,
) -> LabelIndex:
    """An index of an enumeration's codes by their names and the other spellings given."""
    terms = []
    for member in enum:
        name = name_of(names, member.value)
        terms.append(
            Term(member.value, name.da, name.en, tuple((spellings or {}).get(member.value, ())))
        )
    return LabelIndex(noun_da, noun_en, terms)


# Other spellings people use, beside the names in :mod:`ecosystem.labels` (which are
# matched in Danish and English); earlier names stay here so older sheets still read.
STAGE_SPELLINGS: Mapping[str, Sequence[str]] = {
    "idea": ("Ide",),
    "analysis": ("Foranalyse",),
    "pilot": ("Afprøvning (pilot)", "Afprøvning", "Test"),
    "implementation": (
        "Implementering og udbredelse",
        "Implementation and scaling",
        "Implementering",
        "Udbredelse",
        "Scaling",
    ),
    "operation": ("I drift",),
    "completed": ("Gennemført",),
    "stopped": ("Standset", "Opgivet"),
}
VISIBILITY_SPELLINGS: Mapping[str, Sequence[str]] = {
    "public": ("Alle",),
    "ecosystem": ("Økosystem",),
    "private": ("Kun egen organisation",),
}
CARE_LEVEL_SPELLINGS: Mapping[str, Sequence[str]] = {
    "specialised": ("Specialiseret", "Specialised"),
    "near": ("Nære", "Det nære", "Near"),
    "cross_sector": ("Tværsektoriel",),
}
OUTCOME_SPELLINGS: Mapping[str, Sequence[str]] = {"inconclusive": ("Uklar",)}
FUNDING_SPELLINGS: Mapping[str, Sequence[str]] = {
    "national_pool": ("Statslig pulje", "Satspulje"),
    "private_foundation": ("Fond",),
    "partnership": ("Partnerskab", "OPS"),
    "eu": ("EU",),
}
RELATION_SPELLINGS: Mapping[str, Sequence[str]] = {
    "builds_on": ("Bygger på",),
    "scales": ("Udbreder",),
    "merged_into": ("Sammenlagt med",),
    "related": ("Relateret",),
}


class Lookups:
    """Every index a sheet needs, built once per file."""

    def __init__(self, vocabularies: Vocabularies) -> None:
        self.codes = {
            "themes": LabelIndex("tema", "theme", vocabularies.themes),
            "target_groups": LabelIndex("målgruppe", "target group", vocabularies.target_groups),
            "areas": LabelIndex(
                "område", "area", _with_short_municipality_codes(vocabularies.areas)
            ),
            "goals": LabelIndex("mål", "goal", vocabularies.goals),
        }
        self.organisations = LabelIndex("organisation", "organisation", vocabularies.organisations)
        self.choices = {
            "stage": choice_index("fase", "stage", Stage, labels.STAGES, STAGE_SPELLINGS),
            "visibility": choice_index(
                "synlighed", "visibility", Visibility, labels.VISIBILITY, VISIBILITY_SPELLINGS
            ),
            "care_level": choice_index(
                "behandlingsniveau",
                "care level",
                CareLevel,
                labels.CARE_LEVELS,
                CARE_LEVEL_SPELLINGS,
            ),
            "development_type": choice_index(
                "udviklingstype", "development type", DevelopmentType, labels.DEVELOPMENT_TYPES
            ),
            "evidence.outcome": choice_index(
                "evidensudfald",
                "evidence outcome",
                EvidenceOutcome,
                labels.EVIDENCE_OUTCOMES,
                OUTCOME_SPELLINGS,
            ),
        }
        self.funding_kinds = choice_index(
            "finansieringstype",
            "funding kind",
            FundingKind,
            labels.FUNDING_KINDS,
            FUNDING_SPELLINGS,
        )
        self.relations = choice_index(
            "relation", "relation", LinkRelation, labels.LINK_RELATIONS, RELATION_SPELLINGS
        )


def _with_short_municipality_codes(areas: Iterable[Term]) -> list[Term]:
    """Excel drops leading zeros: '0751' typed in a cell comes back as 751."""
    result = []
    for term in areas:
        if term.code.isdigit() and term.code.startswith("0"):
            term = Term(
                term.code, term.label_da, term.label_en, (*term.aliases, term.code.lstrip("0"))
            )
        result.append(term)
    return result
