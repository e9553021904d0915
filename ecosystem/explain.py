"""Overlap reasons a coordinator can read: Danish first, English alongside, each fact once.

A reason names what the two projects really share: how sure the match is, the key terms
that are not words every health project uses, target groups and themes, the place, a
named partner, a *named* shared funder (never "own funds"), a typed link, and — for a
proven solution — the stages in words. The one or two sentences of the matched project
that read most like the query are quoted, so the reader can judge without opening it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from ecosystem.labels import CONFIDENCE, STAGES
from ecosystem.overlap import Gazetteer, Geography, ProjectFacts, Relation, shared_funders
from ecosystem.ranking import Confidence
from ecosystem.similarity import SimilarityIndex
from ecosystem.text import default_analyzer
from ecosystem.text.language import _data_path

__all__ = [
    "Explanation",
    "Reasons",
    "explain_match",
    "generic_terms",
]

TERMS_SHOWN = 6
HIGHLIGHTS = 2

_CONFIDENCE_WHY: dict[Confidence, tuple[str, str]] = {
    Confidence.SAME: (
        "Teksterne beskriver næsten helt det samme",
        "The texts describe almost exactly the same",
    ),
    Confidence.POSSIBLE: (
        "Teksterne ligner hinanden langt mere end de fleste projekter",
        "The texts are far more alike than most projects",
    ),
    Confidence.RELATED: (
        "Teksterne har noget til fælles, men beskriver næppe samme indsats",
        "The texts have something in common but hardly the same intervention",
    ),
}

_ADVICE: dict[Relation, tuple[str, str]] = {
    Relation.DUPLICATE: (
        "Samme indsats i samme område: tal sammen, før der bruges flere ressourcer.",
        "The same intervention in the same area: talk before spending more.",
    ),
    Relation.PARALLEL: (
        "Samme indsats et andet sted: koordinér og del erfaringer.",
        "The same intervention elsewhere: coordinate and share lessons.",
    ),
    Relation.SEQUENTIAL: (
        "Det ene projekt er modent eller udbredes over det andet: overvej at bygge videre i stedet for at starte forfra.",
        "One project is mature or rolled out over the other: consider adopting instead of reinventing.",
    ),
    Relation.PART_OF: (
        "Projekterne hænger allerede sammen: følg dem som ét arbejde.",
        "The projects are already linked: follow them as one piece of work.",
    ),
    Relation.COMPLEMENTARY: (
        "Samme målgruppe med en anden tilgang: indsatserne kan supplere hinanden.",
        "Same target group, different approach: the efforts may complement each other.",
    ),
    Relation.RELATED: (
        "Relateret arbejde: måske værd at kende.",
        "Related work: perhaps worth knowing about.",
    ),
}

_GEOGRAPHY: dict[Geography, tuple[str, str]] = {
    Geography.SAME_MUNICIPALITY: ("Samme kommune", "Same municipality"),
    Geography.SAME_COUNCIL: ("Samme sundhedsråd", "Same health council"),
    Geography.SAME_REGION: ("Samme region", "Same region"),
    Geography.NATIONAL: ("Landsdækkende indsats", "National scope"),
    Geography.ELSEWHERE: ("Forskellige områder", "Different areas"),
}

_PARTNERS: dict[str, tuple[str, str]] = {
    "named_partner": (
        "Det ene projekt nævner den anden organisation som partner",
        "One names the other's organisation as partner",
    ),
    "shared_partner": ("Projekterne har en fælles partner", "The projects share a partner"),
}

_LINKS: dict[str, tuple[str, str]] = {
    "merged_into": ("Det ene projekt er lagt ind i det andet", "One is merged into the other"),
    "scales": ("Det ene projekt skalerer det andet", "One scales the other"),
    "part_of": ("Det ene projekt er en del af det andet", "One is part of the other"),
    "builds_on": ("Det ene projekt bygger videre på det andet", "One builds on the other"),
    "depends_on": ("Det ene projekt afhænger af det andet", "One depends on the other"),
    "related": ("Projekterne er angivet som beslægtede", "The projects are marked as related"),
    "same_title": ("Projekterne har samme titel", "The projects have the same title"),
}


@dataclass(frozen=True)
class Explanation:
    """What is known of a match before it is put into words."""

    a: ProjectFacts
    b: ProjectFacts
    relation: Relation
    confidence: Confidence
    geography: Geography
    place: str | None
    partner: str | None
    link: str | None


@dataclass(frozen=True)
class Reasons:
    danish: tuple[str, ...]
    english: tuple[str, ...]
    terms: tuple[tuple[str, float], ...]
    themes: tuple[str, ...]
    target_groups: tuple[str, ...]
    highlights: tuple[str, ...]


@cache
def generic_terms() -> frozenset[str]:
    """Stems of words every health project uses (``seeds/data/generic_terms.txt``)."""
    analyzer = default_analyzer()
    words = _data_path("generic_terms.txt").read_text("utf-8").splitlines()
    chosen = [w.strip() for w in words if w.strip() and not w.startswith("#")]
    return frozenset(term for word in chosen for term in analyzer.terms(word))


def explain_match(
    found: Explanation, index: SimilarityIndex | None, gazetteer: Gazetteer
) -> Reasons:
    """The reasons for one match; with ``index``, also its key terms and best sentences."""
    terms = _key_terms(index, found.a, found.b) if index is not None else ()
    themes = tuple(sorted(found.a.themes & found.b.themes))
    groups = tuple(sorted(found.a.target_groups & found.b.target_groups))
    danish: list[str] = []
    english: list[str] = []

    def say(pair: tuple[str, str]) -> None:
        danish.append(pair[0])
        english.append(pair[1])

    band = CONFIDENCE[found.confidence]
    band_da, band_en = band.da, band.en
    why_da, why_en = _CONFIDENCE_WHY[found.confidence]
    say((f"{band_da}: {why_da.lower()}", f"{band_en}: {why_en.lower()}"))
    if terms:
        words = ", ".join(term for term, _ in terms)
        say((f"Fælles nøgleord: {words}", f"Shared key terms: {words}"))
    for pair in _shared_labels(themes, groups, gazetteer):
        say(pair)
    say(_where(found.geography, found.place, gazetteer))
    for pair in _connections(found):
        say(pair)
    if found.relation is Relation.SEQUENTIAL and found.a.stage and found.b.stage:
        da = f"Faser: {_stage(found.a, 0)} og {_stage(found.b, 0)}"
        say((da, f"Stages: {_stage(found.a, 1)} and {_stage(found.b, 1)}"))
    say(_ADVICE[found.relation])
    highlights = _highlights(found.a.text, found.b.text) if index is not None else ()
    return Reasons(tuple(danish), tuple(english), terms, themes, groups, highlights)


def _key_terms(
    index: SimilarityIndex, a: ProjectFacts, b: ProjectFacts
) -> tuple[tuple[str, float], ...]:
    try:
        shared = index.explain(a.id if a.id in index else a.text, b.id)
    except KeyError:
        return ()
    generic = generic_terms()
    analyzer = default_analyzer()
    kept = [
        (term, weight)
        for term, weight in shared
        if not set(analyzer.terms(term)) & generic and len(term) > 2
    ]
    return tuple(kept[:TERMS_SHOWN])


def _shared_labels(
    themes: tuple[str, ...], groups: tuple[str, ...], gazetteer: Gazetteer
) -> list[tuple[str, str]]:
    said = []
    if groups:
        labels = _labels(groups, gazetteer.target_group_labels)
        said.append((f"Samme målgruppe: {labels}", f"Same target group: {labels}"))
    if themes:
        labels = _labels(themes, gazetteer.theme_labels, top_only=True)
        said.append((f"Samme tema: {labels}", f"Same theme: {labels}"))
    return said


def _where(geography: Geography, place: str | None, gazetteer: Gazetteer) -> tuple[str, str]:
    da, en = _GEOGRAPHY[geography]
    where = f" ({gazetteer.area_names.get(place, place)})" if place else ""
    return da + where, en + where


def _connections(found: Explanation) -> list[tuple[str, str]]:
    """Partners, named shared funders and typed links, each once."""
    said = []
    if found.link in _LINKS:
        said.append(_LINKS[found.link])
    if found.partner in _PARTNERS:
        said.append(_PARTNERS[found.partner])
    funders = sorted(shared_funders(found.a, found.b))
    if funders:
        names = ", ".join(funders[:3])
        said.append((f"Fælles finansiering: {names}", f"Shared funder: {names}"))
    return said


def _stage(facts: ProjectFacts, language: int) -> str:
    assert facts.stage is not None
    name = STAGES[facts.stage].lower()
    return name.en if language else name.da


def _labels(codes: tuple[str, ...], names: Mapping[str, str], *, top_only: bool = False) -> str:
    chosen = [c for c in codes if not top_only or "." not in c] or list(codes)
    return ", ".join(str(names.get(code, code)) for code in chosen)


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _highlights(query: str, text: str) -> tuple[str, ...]:
    """The sentences of ``text`` that share most of the query's content words, in order."""
    analyzer = default_analyzer()
    wanted = set(analyzer.terms(query)) - generic_terms()
    _, _, body = text.partition("\n")
    scored = []
    for position, sentence in enumerate(s.strip() for s in _SENTENCE.split(body)):
        if len(sentence) < 20:
            continue
        shared = len(set(analyzer.terms(sentence)) & wanted)
        if shared:
            scored.append((-shared, position, sentence))
    best = sorted(sorted(scored)[:HIGHLIGHTS], key=lambda item: item[1])
    return tuple(sentence for _, _, sentence in best)
