"""Before the meeting: the cards their owners have not confirmed since the last review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ecosystem.groups import ProjectInfo


@dataclass(frozen=True)
class Stale:
    """A project in the mandate its owner has not confirmed since the last review."""

    project: ProjectInfo
    last_reviewed: dt.date | None


def not_reviewed_since(
    projects: Iterable[ProjectInfo], since: dt.date | None
) -> dict[str, list[Stale]]:
    """Per organisation, its projects whose ``last_reviewed`` is missing or before ``since``.

    ``since`` is the last review's meeting date; without an earlier review, only cards
    never confirmed are listed. Asked once per cycle, before the meeting — not a
    continuous status chase (DOMAIN.md P4, §2.2).
    """
    found: dict[str, list[Stale]] = {}
    for project in sorted(projects, key=lambda p: (p.organisation_id, p.title, p.id)):
        reviewed = project.record.card.last_reviewed
        if reviewed is None or (since is not None and reviewed < since):
            found.setdefault(project.organisation_id, []).append(Stale(project, reviewed))
    return found


def reminder_text(
    organisation: str, group: str, stale: Sequence[Stale], since: dt.date | None
) -> tuple[str, str]:
    """Subject and body of the once-per-cycle request to refresh cards, Danish first."""
    subject = (
        f"{group}: {len(stale)} projektkort at bekræfte før næste møde / "
        f"{len(stale)} project cards to confirm before the next review"
    )
    when_da = f"siden {since.isoformat()}" if since else "endnu"
    when_en = f"since {since.isoformat()}" if since else "yet"
    lines = [f"Kære {organisation},", ""]
    lines.append(
        f"{group} holder snart sit næste møde. Disse af jeres projekter i gruppens mandat "
        f"er ikke bekræftet {when_da} (feltet last_reviewed). Se dem venligst igennem, ret "
        "det der har ændret sig, og markér dem som gennemgået:"
    )
    lines += ["", *(_stale_line(s) for s in stale), ""]
    lines.append(
        f"{group} meets soon. These projects of yours in the group's mandate have not been "
        f"confirmed {when_en} (last_reviewed). Please look them over, correct what changed "
        "and mark them as reviewed."
    )
    lines += ["", "Venlig hilsen / Kind regards", group]
    return subject, "\n".join(lines) + "\n"


def _stale_line(stale: Stale) -> str:
    record = stale.project.record
    last = stale.last_reviewed.isoformat() if stale.last_reviewed else "aldrig / never"
    return f"- {record.card.title} ({record.external_id}, {last})"
