"""Data quality of one organisation's portfolio: what would make its cards more useful.

The analyses (gaps, balance, scaling candidates, overlaps, reviews) read certain fields of
a card; where a card leaves them out, the analysis quietly counts the project less or not
at all. This module says, for one portfolio, which cards those are and what to do about
it. It helps one organisation with its own cards and compares no organisation with
another.

Four parts make one score from 0 to 100; each part is the share of projects (or, for
completeness, of project × field pairs) that pass, times its weight:

* **Completeness, 40 points.** The mean over the checked fields of the share of the
  projects a field applies to that fill it in: target groups, areas, dates, a stage that
  agrees with the dates, a contact one can reach, value *and* risk scores, and evidence on
  mature projects. It weighs most because nearly every analysis reads these fields, and a
  missing one drops the project from that analysis without a word. (The card has no field
  for an implementation owner, so none is checked.)
* **Descriptions, 20 points.** The share of cards whose description is not a placeholder:
  at least 20 words and not just the title again. The description is what the overlap
  engine compares; a placeholder finds no overlaps and shows none of the others.
* **Up to date, 20 points.** The share of cards reviewed (``last_reviewed``) or changed
  since the last review held by a group whose mandate covers them. A group judges from
  the cards; one not looked at since its last meeting may be judged on old facts. Where no
  covering group has met yet, nothing can be stale and the part counts in full.
* **Usable codes, 20 points.** The share of cards whose codes the analyses can use: none
  unknown to the reference data (a code removed since publishing, say), and no theme only
  at the top level where a group works on one of its sub-themes and so cannot see the card.

Descriptions, currency and codes each concern one thing an owner can fix per card;
completeness concerns seven, hence its larger weight. Weights are whole points so that a
reader can add the parts up by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from ecosystem.card import ProjectCard
from ecosystem.groups import Group, ProjectInfo, Reference, Scope
from ecosystem.labels import CARD_FIELDS, Label
from ecosystem.model import ACTIVE_STAGES, MATURE_STAGES, ProjectRecord, Stage
from ecosystem.text.tokens import normalise, tokenize

__all__ = [
    "MIN_WORDS",
    "WEIGHTS",
    "CodeProblem",
    "FieldCompleteness",
    "GroupReview",
    "Named",
    "Placeholder",
    "QualityReport",
    "ScorePart",
    "StaleProject",
    "Suggestion",
    "assess_quality",
]

MIN_WORDS = 20  # a description under this many words says too little to compare
SAME_AS_TITLE = 0.6  # word overlap (Jaccard) from which a description only repeats the title
SUGGESTIONS = 3
EXAMPLES = 3  # projects named in a suggestion
WEIGHTS: dict[str, int] = {"completeness": 40, "descriptions": 20, "current": 20, "codes": 20}


@dataclass(frozen=True)
class Named:
    """A project as a suggestion names it."""

    id: int
    external_id: str
    title: str


@dataclass(frozen=True)
class GroupReview:
    """A group and the meeting date of the last review it has held."""

    group: Group
    meeting_date: dt.date


@dataclass(frozen=True)
class FieldCompleteness:
    """One field the analyses read: how many projects it applies to, and who leaves it out."""

    key: str
    label: Label
    why: Label  # what an analysis does with it
    applies: int
    missing: tuple[Named, ...]

    @property
    def complete(self) -> int:
        return self.applies - len(self.missing)

    @property
    def share(self) -> float:
        return self.complete / self.applies if self.applies else 1.0


@dataclass(frozen=True)
class Placeholder:
    project: Named
    words: int
    same_as_title: bool


@dataclass(frozen=True)
class StaleProject:
    """A card not confirmed since the last review of a group covering it (the latest one)."""

    project: Named
    confirmed: dt.date  # the later of last_reviewed and the last change
    group_id: str
    group_name: str
    review_date: dt.date


@dataclass(frozen=True)
class CodeProblem:
    project: Named
    field: str  # themes, target_groups, areas or goals
    code: str
    reason: Label


@dataclass(frozen=True)
class ScorePart:
    key: str
    label: Label
    weight: int
    share: float  # 0..1 of the part met
    explanation: Label

    @property
    def points(self) -> float:
        return self.weight * self.share


@dataclass(frozen=True)
class Suggestion:
    """One concrete thing that would make the portfolio more useful, with the projects."""

    key: str
    text: Label
    projects: tuple[Named, ...]
    gain: float  # points the score would rise by if every named project were fixed


@dataclass(frozen=True)
class QualityReport:
    projects: int
    fields: tuple[FieldCompleteness, ...]
    placeholders: tuple[Placeholder, ...]
    stale: tuple[StaleProject, ...]
    codes: tuple[CodeProblem, ...]
    parts: tuple[ScorePart, ...]
    score: int | None  # None for a portfolio with no projects to judge
    suggestions: tuple[Suggestion, ...]
    reviews: tuple[GroupReview, ...]  # the groups' last reviews staleness was judged by


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
        Label(
            "Beskriv evidensen for de modne projekter", "Describe the evidence for mature projects"
        ),
    ),
)


def _completeness(
    records: Sequence[ProjectRecord], today: dt.date
) -> tuple[FieldCompleteness, ...]:
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


def _stale(
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


def _code_problems(
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


# --- the score and the suggestions ---------------------------------------------------------


def assess_quality(
    records: Sequence[ProjectRecord],
    reference: Reference,
    reviews: Sequence[GroupReview],
    groups: Sequence[Group],
    *,
    today: dt.date,
) -> QualityReport:
    """The quality of one portfolio: each part, the score and up to three suggestions.

    Parameters
    ----------
    records
        The portfolio's live projects, read in full (the description is judged).
    reference
        The reference data; codes not in it count as unusable.
    reviews
        Per group, the last review it has held (meeting date not after ``today``).
    groups
        Every group (a sub-theme mandate makes a top-level-only theme unusable to it).
    today
        The day dates are judged against.

    Examples
    --------
    >>> report = assess_quality([], Reference({}, {}), [], [], today=dt.date(2026, 1, 1))
    >>> report.score is None, report.suggestions[0].key
    (True, 'publish')
    """
    infos = [ProjectInfo.of(record, reference) for record in records]
    fields = _completeness(records, today)
    placeholders = tuple(p for p in map(placeholder_of, records) if p is not None)
    stale = _stale(infos, reviews, reference)
    codes = _code_problems(infos, groups, reference)
    parts = _parts(len(records), fields, placeholders, stale, codes, bool(reviews))
    score = round(sum(part.points for part in parts)) if records else None
    suggestions = _suggestions(len(records), fields, placeholders, stale, codes)
    return QualityReport(
        len(records), fields, placeholders, stale, codes, parts, score, suggestions, tuple(reviews)
    )


def _parts(
    total: int,
    fields: Sequence[FieldCompleteness],
    placeholders: Sequence[Placeholder],
    stale: Sequence[StaleProject],
    codes: Sequence[CodeProblem],
    reviewed: bool,
) -> tuple[ScorePart, ...]:
    checked = [f for f in fields if f.applies]
    filled = sum(f.share for f in checked) / len(checked) if checked else 1.0
    flawed = len({c.project.id for c in codes})
    current = (
        Label(
            f"{len(stale)} af {total} projekter er ikke gennemgået eller ændret siden seneste "
            "gennemgang i en gruppe, der dækker dem.",
            f"{len(stale)} of {total} projects have not been reviewed or changed since the "
            "last review of a group covering them.",
        )
        if reviewed
        else Label(
            "Ingen gruppe har holdt en gennemgang endnu, så intet kan være forældet.",
            "No group has held a review yet, so nothing can be out of date.",
        )
    )
    return (
        ScorePart(
            "completeness",
            Label("Udfyldte felter", "Fields filled in"),
            WEIGHTS["completeness"],
            filled,
            Label(
                f"Gennemsnit over {len(checked)} felter, som analyserne bruger: "
                f"{_percent(filled)} udfyldt.",
                f"Mean over {len(checked)} fields the analyses use: {_percent(filled)} filled in.",
            ),
        ),
        ScorePart(
            "descriptions",
            Label("Beskrivelser", "Descriptions"),
            WEIGHTS["descriptions"],
            _passing(len(placeholders), total),
            Label(
                f"{len(placeholders)} af {total} beskrivelser er pladsholdere (under "
                f"{MIN_WORDS} ord eller næsten som titlen).",
                f"{len(placeholders)} of {total} descriptions are placeholders (under "
                f"{MIN_WORDS} words or much like the title).",
            ),
        ),
        ScorePart(
            "current",
            Label("Ajourførte kort", "Cards up to date"),
            WEIGHTS["current"],
            _passing(len(stale), total),
            current,
        ),
        ScorePart(
            "codes",
            Label("Brugbare koder", "Usable codes"),
            WEIGHTS["codes"],
            _passing(flawed, total),
            Label(
                f"{flawed} af {total} projekter har koder, analyserne ikke kan bruge.",
                f"{flawed} of {total} projects have codes the analyses cannot use.",
            ),
        ),
    )


def _suggestions(
    total: int,
    fields: Sequence[FieldCompleteness],
    placeholders: Sequence[Placeholder],
    stale: Sequence[StaleProject],
    codes: Sequence[CodeProblem],
) -> tuple[Suggestion, ...]:
    """The three changes that would raise the score most, each naming its projects."""
    if not total:
        return (
            Suggestion(
                "publish",
                Label(
                    "Udgiv jeres projekter, så grupperne og andre organisationer kan finde dem.",
                    "Publish your projects so that groups and other organisations can find them.",
                ),
                (),
                0.0,
            ),
        )
    checked = [f for f in fields if f.applies]
    per_field = WEIGHTS["completeness"] / len(checked)
    found = []
    for field in checked:
        if field.missing:
            check = next(c for c in CHECKS if c.key == field.key)
            gain = per_field * len(field.missing) / field.applies
            found.append(_suggestion(field.key, check.ask, field.why, field.missing, gain))
    per_project = {key: WEIGHTS[key] / total for key in ("descriptions", "current", "codes")}
    candidates: list[tuple[str, Label, Label, tuple[Named, ...]]] = [
        (
            "descriptions",
            Label("Uddyb beskrivelsen", "Expand the description"),
            Label(
                f"Overlap findes ud fra beskrivelsen; skriv mindst {MIN_WORDS} ord om, hvad "
                "projektet gør, for hvem og hvor.",
                f"Overlaps are found from the description; write at least {MIN_WORDS} words on "
                "what the project does, for whom and where.",
            ),
            tuple(p.project for p in placeholders),
        ),
        (
            "current",
            Label("Gennemgå og bekræft kortet", "Review and confirm the card"),
            Label(
                "En gruppe har holdt gennemgang siden; et bekræftet kort viser, at tallene gælder.",
                "A group has reviewed since; a confirmed card shows the facts still hold.",
            ),
            tuple(s.project for s in stale),
        ),
        (
            "codes",
            Label("Ret koderne", "Correct the codes"),
            Label(
                "En kode uden for referencedata springes over, og et projekt med kun "
                "hovedtemaet ses ikke af en gruppe, der arbejder med et af undertemaerne.",
                "A code outside the reference data is skipped, and a project with only the main "
                "theme is not seen by a group working on one of its sub-themes.",
            ),
            tuple({c.project.id: c.project for c in codes}.values()),
        ),
    ]
    for key, ask, why, projects in candidates:
        if projects:
            found.append(_suggestion(key, ask, why, projects, per_project[key] * len(projects)))
    found.sort(key=lambda s: (-s.gain, s.key))
    return tuple(found[:SUGGESTIONS])


def _suggestion(
    key: str, ask: Label, why: Label, projects: Sequence[Named], gain: float
) -> Suggestion:
    count = len(projects)
    named = [f"«{p.title}»" for p in projects[:EXAMPLES]]
    text = Label(
        f"{ask.da} på {count} {'projekt' if count == 1 else 'projekter'}"
        f"{', fx ' if count > EXAMPLES else ': '}{_joined(named, 'og')}. {why.da}",
        f"{ask.en} on {count} {'project' if count == 1 else 'projects'}"
        f"{', e.g. ' if count > EXAMPLES else ': '}{_joined(named, 'and')}. {why.en}",
    )
    return Suggestion(key, text, tuple(projects), round(gain, 1))


def _joined(items: Sequence[str], word: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _passing(failing: int, total: int) -> float:
    return 1 - failing / total if total else 1.0


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"


def _named(record: ProjectRecord) -> Named:
    return Named(record.id, record.external_id, record.card.title)
