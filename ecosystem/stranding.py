"""Will the work strand when the funding ends? (DOMAIN.md P19: implementation in step with operations)

A project far enough along to be run by someone (implementation or operation) is at risk of
stranding "efter puljen" when nobody is named to run it afterwards, or when its current
funding ends within :data:`HORIZON_MONTHS` months and there is no plan for operation. The
rule is pure: the day it is judged on is given, never read from the clock, so a page, a
report and a test judge the same card the same way.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ecosystem.card import ProjectCard
from ecosystem.dates import day_label
from ecosystem.labels import Label
from ecosystem.model import Stage

__all__ = [
    "HEADING",
    "HORIZON_MONTHS",
    "LATE_STAGES",
    "StrandingRisk",
    "at_risk",
    "months_after",
    "stranding_risk",
]

HORIZON_MONTHS = 6
# The stages where the work is handed to, or already is, someone's operation.
LATE_STAGES = frozenset({Stage.IMPLEMENTATION, Stage.OPERATION})
HEADING = Label("Kan strande efter puljen", "May strand when funding ends")


@dataclass(frozen=True, slots=True)
class StrandingRisk:
    """Why a project may strand: one sentence per condition that holds, Danish and English."""

    no_owner: bool
    funding_ends: dt.date | None  # set when the funding ends soon with no operation plan
    reasons: tuple[Label, ...]

    @property
    def reason(self) -> Label:
        """The reasons as one text."""
        return Label(
            " ".join(r.da for r in self.reasons),
            " ".join(r.en for r in self.reasons),
        )


def stranding_risk(card: ProjectCard, today: dt.date) -> StrandingRisk | None:
    """The risk that ``card`` strands after its funding, judged on ``today``; None if none.

    Funding that has already ended counts as ending soon: without a plan the work is
    stranding now.

    Examples
    --------
    >>> card = ProjectCard("P1", "Tele-KOL", "Hjemme.", Stage.IMPLEMENTATION,
    ...                    implementation_owner="Hjemmeplejen",
    ...                    funding_ends=dt.date(2027, 3, 31))
    >>> stranding_risk(card, dt.date(2026, 12, 1)).reason.da
    'Finansieringen slutter 31. marts 2027, og der er ingen plan for drift.'
    >>> stranding_risk(card, dt.date(2026, 9, 1)) is None
    True
    """
    if card.stage not in LATE_STAGES:
        return None
    no_owner = not (card.implementation_owner or "").strip()
    ends = card.funding_ends
    soon = (
        ends is not None
        and ends <= months_after(today, HORIZON_MONTHS)
        and not (card.operation_plan or "").strip()
    )
    if not no_owner and not soon:
        return None
    reasons: list[Label] = []
    if no_owner:
        reasons.append(
            Label(
                "Ingen er angivet som driftsejer efter projektet.",
                "No one is named to run it after the project.",
            )
        )
    if soon and ends is not None:
        ended = ends < today
        reasons.append(
            Label(
                f"Finansieringen {'sluttede' if ended else 'slutter'} {_date_da(ends)}, "
                "og der er ingen plan for drift.",
                f"The funding {'ended' if ended else 'ends'} on {_date_en(ends)} "
                "and there is no plan for operation.",
            )
        )
    return StrandingRisk(no_owner, ends if soon else None, tuple(reasons))


def at_risk(
    cards: Iterable[tuple[int, ProjectCard]], today: dt.date
) -> list[tuple[int, StrandingRisk]]:
    """The (id, risk) of each card at risk, soonest funding end first, then by id."""
    found = [(key, risk) for key, card in cards if (risk := stranding_risk(card, today))]
    return sorted(found, key=lambda item: (item[1].funding_ends or dt.date.max, item[0]))


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, or the month's last day if it is shorter.

    >>> months_after(dt.date(2026, 8, 31), 6)
    datetime.date(2027, 2, 28)
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _date_da(day: dt.date) -> str:
    return day_label(day).da


def _date_en(day: dt.date) -> str:
    return day_label(day).en
