"""Overlap reasons in words a coordinator can read, Danish first and English alongside."""

from __future__ import annotations

from collections.abc import Mapping

from ecosystem.overlap import Gazetteer, Geography, ProjectFacts, Relation

__all__ = ["RELATION_LABELS", "reasons"]

RELATION_LABELS: dict[Relation, tuple[str, str]] = {
    Relation.DUPLICATE: ("Dublet: det samme sted", "Duplicate: the same thing in the same place"),
    Relation.PARALLEL: ("Parallel: det samme et andet sted", "Parallel: the same thing elsewhere"),
    Relation.SEQUENTIAL: (
        "Sekventiel: moden løsning findes",
        "Sequential: a mature solution exists",
    ),
    Relation.COMPLEMENTARY: (
        "Komplementær: samme målgruppe, anden tilgang",
        "Complementary: same target group, different approach",
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
        "Det ene projekt er modent, det andet i opstart: overvej at bygge videre i stedet for at starte forfra.",
        "One project is mature, the other starting: consider adopting instead of reinventing.",
    ),
    Relation.COMPLEMENTARY: (
        "Samme målgruppe med en anden tilgang: indsatserne kan supplere hinanden.",
        "Same target group, different approach: the efforts may complement each other.",
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
    "shared_funder": (
        "Projekterne har en fælles finansieringskilde",
        "The projects share a funder",
    ),
}


def reasons(
    a: ProjectFacts,
    b: ProjectFacts,
    relation: Relation,
    shared_terms: tuple[tuple[str, float], ...],
    shared_themes: tuple[str, ...],
    shared_groups: tuple[str, ...],
    geography: Geography,
    place: str | None,
    partner_link: str | None,
    gazetteer: Gazetteer,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Danish and English sentences saying why ``b`` overlaps ``a`` and what that suggests."""
    danish: list[str] = []
    english: list[str] = []

    def say(da: str, en: str) -> None:
        danish.append(da)
        english.append(en)

    if shared_terms:
        words = ", ".join(term for term, _ in shared_terms[:6])
        say(f"Fælles nøgleord: {words}", f"Shared key terms: {words}")
    if shared_themes:
        labels = _labels(shared_themes, gazetteer.theme_labels, top_only=True)
        say(f"Samme tema: {labels}", f"Same theme: {labels}")
    if shared_groups:
        labels = _labels(shared_groups, gazetteer.target_group_labels)
        say(f"Samme målgruppe: {labels}", f"Same target group: {labels}")
    da, en = _GEOGRAPHY[geography]
    where = f" ({gazetteer.area_names.get(place, place)})" if place else ""
    say(da + where, en + where)
    if partner_link:
        say(*_PARTNERS[partner_link])
    if relation is Relation.SEQUENTIAL and a.stage and b.stage:
        say(
            f"Faser: {a.stage.value} og {b.stage.value}",
            f"Stages: {a.stage.value} and {b.stage.value}",
        )
    say(*_ADVICE[relation])
    return tuple(danish), tuple(english)


def _labels(codes: tuple[str, ...], names: Mapping[str, str], *, top_only: bool = False) -> str:
    chosen = [c for c in codes if not top_only or "." not in c] or list(codes)
    return ", ".join(str(names.get(code, code)) for code in chosen)
