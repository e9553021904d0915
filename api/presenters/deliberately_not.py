"""The "fravalgt" register as the API and the gap views show it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ecosystem.deliberately_not import OptOut, in_force, said
from ecosystem.gaps import GapReport
from ecosystem.groups import Reference
from ecosystem.services.deliberately_not import EntryHistory
from ecosystem.tabular import Column, Table

__all__ = ["entry_detail", "entry_view", "opted_out_table"]


def entry_view(entry: OptOut, today: dt.date | None) -> dict[str, Any]:
    """The entry; ``today`` None: it is one a gap report weighed, so in force when made."""
    words = said(entry)
    return {
        "id": entry.id,
        "owner_kind": entry.owner_kind,
        "owner_id": entry.owner_id,
        "themes": list(entry.themes),
        "target_groups": list(entry.target_groups),
        "areas": list(entry.areas),
        "reason": entry.reason,
        "decided_by": entry.decided_by,
        "decided_on": entry.decided_on.isoformat(),
        "until": entry.until.isoformat() if entry.until else None,
        "withdrawn": entry.withdrawn,
        "in_force": True if today is None else in_force(entry, today),
        "label": words.da,
        "label_en": words.en,
        "revision": entry.revision,
        "actor": entry.actor,
        "updated_at": entry.updated_at.isoformat() if entry.updated_at else None,
    }


def entry_detail(found: EntryHistory, today: dt.date) -> dict[str, Any]:
    return {
        **entry_view(found.entry, today),
        "history": [
            {
                "number": r.number,
                "action": r.action,
                "actor": r.actor,
                "created_at": r.created_at.isoformat(),
                "changed_fields": r.changed_fields,
                "data": r.data,
            }
            for r in found.revisions
        ],
    }


def opted_out_table(
    report: GapReport, reference: Reference, own: Sequence[OptOut], today: dt.date
) -> Table:
    """The "Fravalgt" sheet: the gaps set apart, then the entries (the group's own, every
    one with its status, and the organisations' behind those gaps), named, never coded."""
    gaps = [
        {
            "kind": "Fravalgt hul",
            "subject": o.gap.subject.da,
            "themes": [o.gap.theme] if o.gap.theme else [],
            "target_groups": [o.gap.target_group] if o.gap.target_group else [],
            "areas": list(o.gap.areas or ((o.gap.area,) if o.gap.area else ())),
            "reason": "; ".join(said(e).da for e in o.entries),
        }
        for o in report.deliberately_not
    ]
    behind = {e.id: e for o in report.deliberately_not for e in o.entries}
    entries = [*own, *(e for i, e in behind.items() if i not in {x.id for x in own})]
    rows = gaps + [_entry_row(e, reference, today) for e in entries]
    columns = [
        Column("kind", "Slags", "Kind"),
        Column("subject", "Hvad", "What"),
        Column("themes", "Tema", "Theme", names=lambda c: reference.theme_label(c).da),
        Column(
            "target_groups",
            "Målgruppe",
            "Target group",
            names=lambda c: reference.target_group_label(c).da,
        ),
        Column("areas", "Område", "Area", names=lambda c: reference.area_label(c).da),
        Column("reason", "Begrundelse", "Reason", width=60),
        Column("owner", "Hvis fravalg", "Whose choice"),
        Column("decided_by", "Besluttet af", "Decided by"),
        Column("decided_on", "Besluttet den", "Decided on"),
        Column("until", "Gælder til", "Holds until"),
        Column("status", "Status", "Status"),
    ]
    return Table("Fravalgt", columns, rows)


def _entry_row(entry: OptOut, reference: Reference, today: dt.date) -> dict[str, Any]:
    if entry.withdrawn:
        status = "Trukket tilbage"
    elif in_force(entry, today):
        status = "Gælder"
    else:
        status = "Udløbet"
    owner = (
        reference.organisation(entry.owner_id).name
        if entry.owner_kind == "organisation"
        else "Gruppen"
    )
    return {
        "kind": "Fravalg",
        "subject": "",
        "themes": list(entry.themes),
        "target_groups": list(entry.target_groups),
        "areas": list(entry.areas),
        "reason": entry.reason,
        "owner": owner,
        "decided_by": entry.decided_by,
        "decided_on": entry.decided_on,
        "until": entry.until,
        "status": status,
    }
