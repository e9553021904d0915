"""The "fravalgt" section of an organisation's and a group's page: the entries, and the form.

Built here once for both pages. The form is offered only to those the service would let
write (the organisation itself; the group's coordinators and admins); after a refused
post the page is shown again with the values sent and the errors in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import url_for

from api.db import unit_of_work
from api.pages import common, i18n
from api.pages.i18n import gettext as _
from ecosystem.deliberately_not import OptOut, in_force, said
from ecosystem.services import deliberately_not as register

__all__ = ["section"]

OWNERS = {"organisation": "organisations", "group": "groups"}


def section(
    owner_kind: str, owner_id: str, failed: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What the template's ``deliberately_not`` partial shows."""
    uow = unit_of_work()
    today = register.today()
    entries = register.list_entries(uow, owner_kind, owner_id)
    owners = OWNERS[owner_kind]
    writes = register.may_decide(uow, common.principal(), owner_kind, owner_id)
    return {
        "current": [_entry(e, owners, writes) for e in entries if in_force(e, today)],
        "past": [_entry(e, owners, writes) for e in entries if not in_force(e, today)],
        "writes": writes,
        "action": url_for("pages.deliberately_not.add", owners=owners, owner_id=owner_id),
        "values": dict(failed["sent"]) if failed else {},
        "errors": dict(failed["errors"]) if failed else {},
        "names": names(),
        "themes": common.theme_choices(),
        "target_groups": common.target_group_choices(),
        "areas": common.area_choices(),
    }


def names() -> dict[str, str]:
    return {
        "themes": _("Theme or sub-theme"),
        "target_groups": _("Target group"),
        "areas": _("Area"),
        "reason": _("Why"),
        "decided_by": _("Decided by"),
        "decided_on": _("Decided on"),
        "until": _("Holds until (revisit by)"),
    }


def _entry(entry: OptOut, owners: str, writes: bool) -> dict[str, Any]:
    scope = [
        *(f"{_('Theme')}: {common.theme_name(t)}" for t in entry.themes),
        *(f"{_('Target group')}: {common.target_group_name(t)}" for t in entry.target_groups),
        *(f"{_('Area')}: {common.area_name(a)}" for a in entry.areas),
    ]
    withdraw = url_for(
        "pages.deliberately_not.withdraw",
        owners=owners,
        owner_id=entry.owner_id,
        entry_id=entry.id,
    )
    return {
        "id": entry.id,
        "said": i18n.label(said(entry)),
        "scope": scope,
        "until": entry.until.isoformat() if entry.until else None,
        "withdrawn": entry.withdrawn,
        "withdraw": withdraw if writes and not entry.withdrawn else None,
    }
