"""The findings: fields left out, placeholder descriptions, stale cards, unusable codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from ecosystem.card import ProjectCard
from ecosystem.groups import Group, ProjectInfo, Reference, Scope
from ecosystem.labels import CARD_FIELDS, Label
from ecosystem.model import ACTIVE_STAGES, MATURE_STAGES, ProjectRecord, Stage
from ecosystem.quality.model import (
    CodeProblem,
    FieldCompleteness,
    GroupReview,
    Placeholder,
    StaleProject,
)
from ecosystem.quality.model import named as _named
from ecosystem.text.tokens import normalise, tokenize

__all__ = ["CHECKS", "MIN_WORDS", "code_problems", "completeness", "placeholder_of", "stale"]

MIN_WORDS = 20  # a description under this many words says too little to compare
SAME_AS_TITLE = 0.6  # word overlap (Jaccard) from which a description only repeats the title


# --- completeness --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    key: str
    label: Label
    why: Label
    applies: Callable[[ProjectCard], bool]
    filled: Callable[[ProjectCard, dt.date], bool]
    ask: Label  # the start of a suggestion: what to do


def _always(card: ProjectCard) -> bool:
    return True


def _dated(card: ProjectCard, today: dt.date) -> bool:
    ended = card.stage in (Stage.COMPLETED, Stage.STOPPED)
    return card.start_date is not None and (card.end_date is not None or not ended)


def _stage_agrees(card: ProjectCard, today: dt.date) -> bool:
    """An active stage after the end date has passed means the stage is probably old."""
    return not (card.stage in ACTIVE_STAGES and card.end_date and card.end_date < today)


def _reachable(card: ProjectCard, today: dt.date) -> bool:
    contact = card.contact
    return contact is not None and bool(contact.email or contact.phone or contact.url)


def _has_evidence(card: ProjectCard, today: dt.date) -> bool:
    evidence = card.evidence
    return evidence is not None and bool(evidence.summary or evidence.url or evidence.outcome)


CHECKS: tuple[_Check, ...] = (
    _Check(
        "target_groups",
        CARD_FIELDS["target_groups"],
        Label(
            "Grupperne leder efter huller pr. målgruppe; uden målgruppe tæller projektet ikke med.",
            "Groups look for gaps by target group; without one the project is not counted.",
        ),
        _always,
        lambda card, _: bool(card.target_groups),
        Label("Angiv målgrupper", "Name the target groups"),
    ),
    _Check(
        "areas",
        CARD_FIELDS["areas"],
        Label(
            "Uden område placeres projektet i hele organisationens område, så huller og "
            "dækning bliver upræcise.",
            "Without areas the project is placed across the whole organisation's area, so "
            "gaps and coverage blur.",
        ),
        _always,
        lambda card, _: bool(card.areas),
        Label(
            "Angiv områder (kommuner eller sundhedsråd)",
            "Name the areas (municipalities or councils)",
        ),
    ),
    _Check(
        "dates",
        Label("Datoer", "Dates"),
        Label(
            "Start- og slutdato viser, hvad der kører nu, og hvornår noget er afsluttet.",
            "Start and end dates show what runs now and when something ended.",
        ),
        _always,
        _dated,
        Label(
            "Tilføj startdato (og slutdato på afsluttede)",
            "Add a start date (and an end date when finished)",
        ),
    ),
    _Check(
        "stage",
        Label("Fase passer med datoerne", "Stage agrees with the dates"),
        Label(
            "Et projekt i en aktiv fase efter sin slutdato tæller med, hvor det måske er slut.",
            "A project in an active stage after its end date is counted where it may have ended.",
        ),
        _always,
        _stage_agrees,
        Label("Ret fasen (eller slutdatoen)", "Correct the stage (or the end date)"),
    ),
    _Check(
        "contact",
        CARD_FIELDS["contact"],
        Label(
            "Andre kan kun koordinere med jer, hvis de kan nå nogen (e-mail, telefon eller link).",
            "Others can coordinate with you only if they can reach someone (e-mail, phone or link).",
        ),
        _always,
        _reachable,
        Label(
            "Tilføj en kontakt med e-mail eller telefon", "Add a contact with an e-mail or phone"
        ),
    ),
    _Check(
        "value_risk",
        Label("Værdi og risiko", "Value and risk"),
        Label(
            "Værdi og risiko placerer projektet i balancen; uden begge står det som ikke vurderet.",
            "Value and risk place the project in the balance; without both it is not assessed.",
        ),
        _always,
        lambda card, _: card.value_score is not None and card.risk_score is not None,
        Label("Vurder værdi og risiko (1–5)", "Score value and risk (1–5)"),
    ),
    _Check(
        "evidence",
        CARD_FIELDS["evidence"],
        Label(
            "Modne projekter vurderes som skaleringskandidater på deres evidens.",
            "Mature projects are judged as candidates for scaling on their evidence.",
        ),
        lambda card: card.stage in MATURE_STAGES,
        _has_evidence,
        Label("Beskriv evidensen", "Describe the evidence"),
    ),
)


def completeness(records: Sequence[ProjectRecord], today: dt.date) -> tuple[FieldCompleteness, ...]:
    found = []
    for check in CHECKS:
        applying = [r for r in records if check.applies(r.card)]
        missing = tuple(_named(r) for r in applying if not check.filled(r.card, today))
        found.append(FieldCompleteness(check.key, check.label, check.why, len(applying), missing))
    return tuple(found)


# --- descriptions, currency and codes ------------------------------------------------------


def placeholder_of(record: ProjectRecord) -> Placeholder | None:
    """Whether the description is a placeholder: under 20 words, or the title again."""
    card = record.card
    words = tokenize(normalise(card.description))
    title = set(tokenize(normalise(card.title)))
    said = set(words)
    union = said | title
    same = bool(said) and (said <= title or len(said & title) / len(union) >= SAME_AS_TITLE)
    if len(words) >= MIN_WORDS and not same and said:
        return None
    return Placeholder(_named(record), len(words), same or not said)


def stale(
    infos: Sequence[ProjectInfo], reviews: Sequence[GroupReview], reference: Reference
) -> tuple[StaleProject, ...]:
    scopes = [(review, Scope(review.group.mandate, reference)) for review in reviews]
    found = []
    for info in infos:
        latest = max(
            (review for review, scope in scopes if scope.covers(info)),
            key=lambda review: (review.meeting_date, review.group.id),
            default=None,
        )
        if latest is None:
            continue
        confirmed = _confirmed(info.record)
        if confirmed < latest.meeting_date:
            found.append(
                StaleProject(
                    _named(info.record),
                    confirmed,
                    latest.group.id,
                    latest.group.name,
                    latest.meeting_date,
                )
            )
    return tuple(found)


def _confirmed(record: ProjectRecord) -> dt.date:
    """The later of the owner's last review of the card and its last change."""
    changed = record.updated_at.date()
    reviewed = record.card.last_reviewed
    return max(changed, reviewed) if reviewed else changed


UNKNOWN = Label(
    "Koden findes ikke (længere) i referencedata, så analyserne springer den over.",
    "The code is not (or no longer) in the reference data, so analyses skip it.",
)


def code_problems(
    infos: Sequence[ProjectInfo], groups: Iterable[Group], reference: Reference
) -> tuple[CodeProblem, ...]:
    known = {
        "themes": reference.theme_parents.keys(),
        "target_groups": reference.target_group_labels.keys(),
        "areas": reference.area_schemes.keys(),
        "goals": reference.goal_labels.keys(),
    }
    narrow = _narrow_mandates(groups, reference)
    found = []
    for info in infos:
        card = info.record.card
        for field, codes in (
            ("themes", card.themes),
            ("target_groups", card.target_groups),
            ("areas", card.areas),
            ("goals", card.goals),
        ):
            found += [
                CodeProblem(_named(info.record), field, code, UNKNOWN)
                for code in codes
                if code not in known[field]
            ]
        found += _too_broad(info, narrow, reference)
    return tuple(found)


def _narrow_mandates(groups: Iterable[Group], reference: Reference) -> list[tuple[Group, Scope]]:
    """Groups whose mandate names sub-themes, each with the mandate widened to their parents.

    A card tagged only with the parent is outside such a mandate; the widened scope tells
    whether it would be inside had it named the sub-theme.
    """
    found = []
    for group in groups:
        parents = {reference.theme_parents.get(t) for t in group.mandate.themes} - {None}
        if parents:
            wide = replace(group.mandate, themes=tuple(sorted(p for p in parents if p)))
            found.append((group, Scope(wide, reference)))
    return found


def _too_broad(
    info: ProjectInfo, narrow: Sequence[tuple[Group, Scope]], reference: Reference
) -> list[CodeProblem]:
    problems = []
    for group, wide in narrow:
        for theme in sorted(wide.rows):
            subthemes = reference.theme_and_subthemes(theme) - {theme}
            if theme in info.themes and not info.themes & subthemes and wide.covers(info):
                reason = Label(
                    f"Kun hovedtemaet er angivet; gruppen {group.name} arbejder med et af "
                    "undertemaerne og ser derfor ikke projektet.",
                    f"Only the main theme is given; the group {group.name} works on one of its "
                    "sub-themes and so does not see the project.",
                )
                problems.append(CodeProblem(_named(info.record), "themes", theme, reason))
    return problems
