"""The stranding warning on pages: which late-stage projects may strand when funding ends.

The rule is :mod:`ecosystem.stranding`; this module only gives it today's date and shapes
its answers for the templates (the project page, the organisation page, the group overview).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from api.pages import i18n
from ecosystem.model import ProjectRecord
from ecosystem.stranding import HEADING, at_risk, stranding_risk

__all__ = ["heading", "listed", "today", "warning"]


def today() -> dt.date:
    """The day the pages judge on (UTC, as the edit form stamps ``last_reviewed``)."""
    return dt.datetime.now(dt.UTC).date()


def heading() -> str:
    return i18n.label(HEADING)


def warning(record: ProjectRecord) -> str | None:
    """The reason one project may strand, in the reader's language; None if it will not."""
    if record.withdrawn:
        return None
    risk = stranding_risk(record.card, today())
    return i18n.label(risk.reason) if risk else None


def listed(records: Iterable[ProjectRecord]) -> list[dict[str, Any]]:
    """Every live project at risk with its reason, soonest funding end first."""
    live = {record.id: record for record in records if not record.withdrawn}
    found = at_risk(((key, record.card) for key, record in live.items()), today())
    return [{"record": live[key], "reason": i18n.label(risk.reason)} for key, risk in found]
