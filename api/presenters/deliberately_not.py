"""The "fravalgt" register as the API and the gap views show it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ecosystem.deliberately_not import OptOut, in_force, said
from ecosystem.services.deliberately_not import EntryHistory

__all__ = ["entry_detail", "entry_view"]


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
