"""The fictional demo groups of the answer key, over real organisations and places.

Loading is idempotent and never overwrites: a group whose id already exists is left as
it is (its coordinators may have changed it). Every demo group carries ``"demo": true``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ecosystem.groups import GroupSchema
from ecosystem.store import groups

__all__ = ["demo_groups", "load_demo_groups"]

ACTOR = "seed"


def demo_groups() -> list[dict[str, Any]]:
    """The demo groups as documents, marked demo."""
    import seeds

    return [{**group, "demo": True} for group in seeds.answer_key().get("groups", [])]


def load_demo_groups(session: Session) -> int:
    """Create the demo groups that do not exist yet; returns how many were added."""
    schema = GroupSchema()
    existing = {group.id for group in groups.list_groups(session)}
    added = 0
    for document in demo_groups():
        if document["id"] in existing:
            continue
        groups.create_group(session, schema.load(document), actor=ACTOR)
        added += 1
    return added
