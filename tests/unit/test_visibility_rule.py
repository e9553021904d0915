"""The history rule of :mod:`ecosystem.services.permissions`, without a database."""

from __future__ import annotations

import datetime as dt

from ecosystem.model import Principal, Revision
from ecosystem.services.permissions import visible_history


def test_the_rule_judges_each_revision_by_its_own_visibility():
    """``visible_history`` alone, without a database: the one place the rule lives."""

    def revision(number: int, visibility: str | None) -> Revision:
        data = {} if visibility is None else {"visibility": visibility}
        return Revision(number, "updated", "org:auh", dt.datetime(2026, 1, number), [], data)

    history = [revision(1, "private"), revision(2, "ecosystem"), revision(3, None)]
    seen = {
        "anonymous": Principal(),
        "another organisation": Principal(organisation_id="kommune-aalborg"),
        "the owner": Principal(organisation_id="auh"),
        "an admin": Principal(is_admin=True),
    }
    numbers = {
        who: [r.number for r in visible_history(history, principal, "auh")]
        for who, principal in seen.items()
    }
    assert numbers == {
        "anonymous": [3],
        "another organisation": [2, 3],
        "the owner": [1, 2, 3],
        "an admin": [1, 2, 3],
    }
