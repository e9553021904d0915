"""A project's history in words: who changed what, when, and from what to what."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from api.pages import common, i18n, vocabulary
from api.pages.i18n import gettext as _
from ecosystem.model import Revision

__all__ = ["Change", "Entry", "entries"]

SHORT = 120  # longer texts are summarised as "changed"


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    number: int
    action: str
    actor: str
    created_at: Any
    changes: tuple[Change, ...]


def entries(revisions: Sequence[Revision]) -> list[Entry]:
    """Newest first; each change compared with the revision before it."""
    found: list[Entry] = []
    previous: dict[str, Any] = {}
    for revision in revisions:
        data = revision.data
        changes: tuple[Change, ...] = ()
        if revision.action in ("updated", "restored"):
            changes = tuple(
                _change(name, previous.get(name), data.get(name))
                for name in revision.changed_fields
            )
        found.append(
            Entry(
                revision.number,
                str(vocabulary.ACTIONS.get(revision.action, revision.action)),
                actor_name(revision.actor),
                revision.created_at,
                changes,
            )
        )
        previous = data
    return found[::-1]


def actor_name(actor: str) -> str:
    """``org:kommune-aarhus`` → the organisation's name; the admin and loaders by role."""
    if actor.startswith("org:"):
        return common.organisation_name(actor.removeprefix("org:"))
    if actor == "admin":
        return _("an administrator")
    if actor == "seed":
        return _("the demo data loader")
    return actor


_CODE_NAMES: dict[str, Callable[[str], str]] = {
    "themes": common.theme_name,
    "target_groups": common.target_group_name,
    "areas": common.area_name,
    "goals": common.goal_name,
}


def _change(name: str, before: Any, after: Any) -> Change:
    label = str(vocabulary.FIELDS.get(name, name))
    if name in _CODE_NAMES:
        names = _CODE_NAMES[name]
        old, new = set(before or ()), set(after or ())
        return Change(
            label,
            "",
            "",
            added=tuple(names(code) for code in sorted(new - old)),
            removed=tuple(names(code) for code in sorted(old - new)),
        )
    return Change(label, _shown(name, before), _shown(name, after))


def _shown(name: str, value: Any) -> str:
    """A field's value as a reader would write it; long or structured values summarised."""
    if value is None or value == "" or value == []:
        return _("(empty)")
    if name == "stage":
        return common.stage_name(value)
    if name == "visibility":
        return str(vocabulary.VISIBILITY.get(value, value))
    if name in ("care_level", "development_type"):
        names = vocabulary.CARE_LEVELS if name == "care_level" else vocabulary.DEVELOPMENT_TYPES
        return str(names.get(value, value))
    if name in ("start_date", "end_date", "funding_ends", "last_reviewed"):
        return i18n.day(value)
    if name == "budget_dkk":
        return i18n.money(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and len(value) <= SHORT:
        return value
    if isinstance(value, int | float):
        return i18n.number(value)
    return _("(changed; see the card)")
