"""The score from its four weighted parts, and the three suggestions (see the package)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ecosystem.groups import Group, ProjectInfo, Reference
from ecosystem.labels import Label
from ecosystem.model import ProjectRecord
from ecosystem.quality.checks import (
    CHECKS,
    MIN_WORDS,
    code_problems,
    completeness,
    placeholder_of,
    stale,
)
from ecosystem.quality.model import (
    CodeProblem,
    FieldCompleteness,
    GroupReview,
    Named,
    Placeholder,
    QualityReport,
    ScorePart,
    StaleProject,
    Suggestion,
)

__all__ = ["WEIGHTS", "assess_quality"]

# Why these weights: see the package docstring (ecosystem/quality/__init__.py).
WEIGHTS: dict[str, int] = {"completeness": 40, "descriptions": 20, "current": 20, "codes": 20}
SUGGESTIONS = 3
EXAMPLES = 3  # projects named in a suggestion


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
    fields = completeness(records, today)
    placeholders = tuple(p for p in map(placeholder_of, records) if p is not None)
    stale_cards = stale(infos, reviews, reference)
    codes = code_problems(infos, groups, reference)
    parts = _parts(len(records), fields, placeholders, stale_cards, codes, bool(reviews))
    score = round(sum(part.points for part in parts)) if records else None
    suggestions = _suggestions(len(records), fields, placeholders, stale_cards, codes)
    return QualityReport(
        len(records),
        fields,
        placeholders,
        stale_cards,
        codes,
        parts,
        score,
        suggestions,
        tuple(reviews),
    )


def _parts(
    total: int,
    fields: Sequence[FieldCompleteness],
    placeholders: Sequence[Placeholder],
    stale: Sequence[StaleProject],
    codes: Sequence[CodeProblem],
    reviewed: bool,
) -> tuple[ScorePart, ...]:
    # Over 60 lines only for the four parts' sentences in two languages; the sums are three.
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
    # Over 60 lines only for the suggestions' sentences in two languages, kept beside the rule.
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
