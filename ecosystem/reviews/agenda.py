"""The agenda of a review: a conversation about balances and choices, not status reading."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from ecosystem.labels import Label
from ecosystem.reviews.decisions import Decision, settled_keys
from ecosystem.reviews.diff import Diff
from ecosystem.reviews.discuss import is_pending
from ecosystem.reviews.snapshot import Snapshot

# The public-value questions every agenda asks (DOMAIN.md P16), whatever the data says.
PUBLIC_VALUE_QUESTIONS = (
    Label(
        "Mindsker porteføljen ulighed i sundhed – eller øger den?",
        "Does the portfolio reduce inequality in health – or increase it?",
    ),
    Label(
        "Når indsatserne ud i yderområderne, eller samler de sig i byerne?",
        "Do the initiatives reach outlying areas, or gather in the cities?",
    ),
    Label(
        "Er der nok opsøgende og forebyggende arbejde?",
        "Is there enough outreach and prevention?",
    ),
    Label(
        "Er kerneopgaverne sikret, mens vi udvikler (kontinuitet i driften)?",
        "Are the core tasks secured while we develop (continuity of operations)?",
    ),
)


@dataclass(frozen=True)
class AgendaItem:
    """One point on the meeting's agenda, with what it is about."""

    key: str
    title: Label
    prompt: Label
    findings: tuple[str, ...] = ()


_SINCE_LAST = Label("Siden sidste møde", "Since last review")
_WHAT_CHANGED = Label(
    "Hvad er nyt, stoppet eller modnet – og ændrer det vores billede?",
    "What is new, stopped or matured – and does it change our picture?",
)
_FIRST_REVIEW = Label(
    "Første gennemgang: der er intet tidligere møde at sammenligne med.",
    "First review: there is no earlier review to compare with.",
)
# The points after "since last review", in order: key -> (title, the question put).
_POINTS: Mapping[str, tuple[Label, Label]] = {
    "balance": (
        Label("Balancer", "Balances"),
        Label(
            "Passer blandingen af tidlige og modne, sikre og risikable projekter til ambitionen?",
            "Does the mix of early and mature, safe and risky projects fit the ambition?",
        ),
    ),
    "overlaps": (
        Label("Overlap at drøfte", "Overlaps to discuss"),
        Label(
            "Skal vi koordinere, slå sammen eller bevidst acceptere overlappet?",
            "Should we coordinate, merge or deliberately accept the overlap?",
        ),
    ),
    "gaps": (
        Label("Huller", "Gaps"),
        Label(
            "Hvilke huller er vigtige for borgerne – og hvem kunne fylde dem?",
            "Which gaps matter to citizens – and who could fill them?",
        ),
    ),
    "scaling": (
        Label("Kandidater til skalering", "Scaling candidates"),
        Label(
            "Hvad er modnet andre steder, som vi kan tage i brug i stedet for at opfinde det igen?",
            "What has matured elsewhere that we can adopt instead of reinventing it?",
        ),
    ),
    "public_value": (
        Label("Offentlig værdi", "Public value"),
        Label(
            " ".join(q.da for q in PUBLIC_VALUE_QUESTIONS),
            " ".join(q.en for q in PUBLIC_VALUE_QUESTIONS),
        ),
    ),
    "decisions": (
        Label("Beslutninger der afventer svar", "Decisions awaiting a response"),
        Label(
            "Hvor er vi i dialog med de ejende organisationer?",
            "Where are we in dialogue with the owning organisations?",
        ),
    ),
}


def agenda(
    snapshot: Snapshot,
    diff: Diff | None,
    decisions: Collection[Decision],
) -> list[AgendaItem]:
    """The agenda of a review: a conversation about balances and choices, not status reading.

    Settled findings (e.g. an accepted duplication) are left out of the points to
    discuss; pending decisions are those an owning organisation has not yet agreed to.
    """
    settled = settled_keys(decisions)
    findings = {
        "overlaps": tuple(k for k in snapshot.pair_keys if k not in settled),
        "gaps": tuple(f"gap:{g.id}" for g in snapshot.gaps.gaps if f"gap:{g.id}" not in settled),
        "scaling": tuple(f"scaling:{c.project_id}" for c in snapshot.candidates),
        "decisions": tuple(f"decision:{d.id}" for d in decisions if is_pending(d)),
    }
    since_last = AgendaItem(
        "since_last", _SINCE_LAST, _WHAT_CHANGED if diff is not None else _FIRST_REVIEW
    )
    return [
        since_last,
        *(
            AgendaItem(key, title, prompt, findings.get(key, ()))
            for key, (title, prompt) in _POINTS.items()
        ),
    ]
