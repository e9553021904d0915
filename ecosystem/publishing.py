"""Planning a publish: what a set of cards would create, update, keep and withdraw.

A publish never deletes. Given the organisation's projects as they stand (by external id)
and the new cards, :func:`plan_publish` decides, without writing anything, which cards
are new, which change (or bring a withdrawn project back), which are unchanged and — for
a whole-portfolio publish — which projects are withdrawn because the cards leave them
out. :func:`plan_import` does the same for a file that was read row by row and reports
what every row becomes. The store reads the current projects and writes the plan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ecosystem.errors import NotFound
from ecosystem.model import PublishResult
from ecosystem.spreadsheet import ParsedImport, ParsedRow

__all__ = [
    "Change",
    "ImportPlan",
    "PublishPlan",
    "StoredCard",
    "changed_fields",
    "fingerprint",
    "intention_id",
    "plan_import",
    "plan_publish",
    "plan_withdrawal",
]


INTENTION_PREFIX = "HENSIGT"


def intention_id(taken: Collection[str], day: dt.date) -> str:
    """The external id of a check saved as an intention: ``HENSIGT-2026-12-03-1``, …

    Numbered per day from 1; an id the organisation has used before (withdrawn
    included) is never given again, so an intention never revives an old project.
    """
    stem = f"{INTENTION_PREFIX}-{day.isoformat()}-"
    number = 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


@dataclass(frozen=True)
class StoredCard:
    """A project as a publish finds it: its row, card, revision and whether it is withdrawn."""

    id: int
    external_id: str
    data: dict[str, Any]
    revision: int
    withdrawn: bool = False


class Change(NamedTuple):
    """One stored project and the card it becomes: ``updated``, ``restored`` or ``withdrawn``."""

    before: StoredCard
    data: dict[str, Any]
    action: str


@dataclass(frozen=True)
class PublishPlan:
    """What a publish would do, decided without writing anything.

    ``current`` is the organisation's projects as the plan found them, so a caller can
    tell later whether the data is still the same (see :func:`fingerprint`).
    """

    organisation_id: str
    result: PublishResult
    current: Mapping[str, StoredCard]
    creates: list[dict[str, Any]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def plan_publish(
    organisation_id: str,
    current: Mapping[str, StoredCard],
    cards: Sequence[dict[str, Any]],
    *,
    full: bool,
    keep: Collection[str] = (),
) -> PublishPlan:
    """Decide what publishing ``cards`` over ``current`` creates, updates, keeps and withdraws.

    A card equal to the stored one changes nothing, so republishing is a no-op. With
    ``full``, every live project without a card is withdrawn, except those in ``keep``.

    Examples
    --------
    >>> current = {"A": StoredCard(1, "A", {"external_id": "A", "title": "a"}, 1),
    ...            "B": StoredCard(2, "B", {"external_id": "B"}, 3)}
    >>> cards = [{"external_id": "A", "title": "a2"}, {"external_id": "C"}]
    >>> plan = plan_publish("org", current, cards, full=True)
    >>> plan.result
    PublishResult(created=['C'], updated=['A'], unchanged=[], withdrawn=['B'])
    """
    result = PublishResult()
    creates: list[dict[str, Any]] = []
    changes: list[Change] = []
    for data in cards:
        stored = current.get(data["external_id"])
        if stored is None:
            creates.append(data)
            result.created.append(data["external_id"])
        elif stored.withdrawn or stored.data != data:
            changes.append(Change(stored, data, "restored" if stored.withdrawn else "updated"))
            result.updated.append(data["external_id"])
        else:
            result.unchanged.append(data["external_id"])
    if full:
        left_out = _left_out(current, {data["external_id"] for data in cards} | set(keep))
        changes += [Change(stored, stored.data, "withdrawn") for stored in left_out]
        result.withdrawn += [stored.external_id for stored in left_out]
    return PublishPlan(organisation_id, result, current, creates, changes)


def _left_out(current: Mapping[str, StoredCard], kept: Collection[str]) -> list[StoredCard]:
    """The live projects a whole-portfolio publish withdraws: those it does not keep."""
    return [
        stored
        for external_id, stored in current.items()
        if external_id not in kept and not stored.withdrawn
    ]


def plan_withdrawal(
    organisation_id: str, stored: StoredCard | None, external_id: str
) -> PublishPlan:
    """Withdraw one live project; :class:`NotFound` when there is none by that id."""
    if stored is None or stored.withdrawn:
        raise NotFound(f"No published project {external_id!r} at {organisation_id!r}.")
    result = PublishResult(withdrawn=[external_id])
    change = Change(stored, stored.data, "withdrawn")
    return PublishPlan(organisation_id, result, {external_id: stored}, [], [change])


def fingerprint(organisation_id: str, current: Mapping[str, StoredCard]) -> str:
    """A digest of the organisation's projects as they stand: any publish changes it.

    Every change to a project raises its revision, and every new project adds a row, so
    (external id, revision, withdrawn) over all projects identifies the state exactly.

    >>> stored = {"A": StoredCard(1, "A", {}, 1)}
    >>> fingerprint("org", stored) == fingerprint("org", {"A": StoredCard(1, "A", {}, 2)})
    False
    """
    digest = hashlib.sha256(organisation_id.encode())
    for external_id in sorted(current):
        stored = current[external_id]
        digest.update(f"\n{external_id}\t{stored.revision}\t{int(stored.withdrawn)}".encode())
    return digest.hexdigest()


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The card fields whose values differ (a field that is missing on one side counts).

    >>> changed_fields({"title": "a", "stage": "idea"}, {"title": "a", "stage": "pilot", "demo": True})
    ['demo', 'stage']
    """
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


# --- imports: a file read row by row --------------------------------------------------------


@dataclass(frozen=True)
class ImportPlan:
    """The publish plan for the valid rows, and a report of every row for people."""

    plan: PublishPlan
    rows: list[dict[str, Any]]
    fingerprint: str
    summary: dict[str, Any]


def plan_import(
    organisation_id: str,
    current: Mapping[str, StoredCard],
    parsed: ParsedImport,
    *,
    full: bool,
) -> ImportPlan:
    """What publishing the file would do to each project, row by row.

    Only rows without errors are published. A project whose row has errors is not
    withdrawn by a whole-portfolio import just because its row could not be read.
    """
    unreadable = {row.external_id for row in parsed.rows if not row.valid}
    cards = [row.project for row in parsed.rows if row.valid]
    plan = plan_publish(
        organisation_id, current, cards, full=full, keep={eid for eid in unreadable if eid}
    )
    created = set(plan.result.created)
    changed = {change.before.external_id: change for change in plan.changes}
    report = [_row_report(row, created, changed) for row in parsed.rows]
    report += [_withdrawn_report(current[external_id]) for external_id in plan.result.withdrawn]
    return ImportPlan(plan, report, fingerprint(organisation_id, current), _summary(parsed, plan))


def _row_report(
    row: ParsedRow, created: Collection[str], changed: Mapping[str, Change]
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "row": row.number,
        "external_id": row.external_id,
        "project": row.project,
        "problems": [problem.as_dict() for problem in row.problems],
        "changed_fields": [],
    }
    if not row.valid:
        entry["action"] = "invalid"
    elif row.external_id in created:
        entry["action"] = "created"
    elif (change := changed.get(row.external_id or "")) is not None:
        entry["action"] = "updated"
        entry["restored"] = change.action == "restored"
        entry["changed_fields"] = changed_fields(change.before.data, row.project)
    else:
        entry["action"] = "unchanged"
    return entry


def _withdrawn_report(stored: StoredCard) -> dict[str, Any]:
    return {
        "row": None,
        "external_id": stored.external_id,
        "project": stored.data,
        "problems": [],
        "changed_fields": [],
        "action": "withdrawn",
    }


def _summary(parsed: ParsedImport, plan: PublishPlan) -> dict[str, Any]:
    return {
        "rows": len(parsed.rows),
        "created": len(plan.result.created),
        "updated": len(plan.result.updated),
        "unchanged": len(plan.result.unchanged),
        "withdrawn": len(plan.result.withdrawn),
        "invalid": sum(1 for row in parsed.rows if not row.valid),
        "errors": parsed.error_count,
        "warnings": sum(1 for p in parsed.all_problems() if p.severity == "warning"),
    }
