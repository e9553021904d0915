"""The fictional demo groups of the answer key, over real organisations and places.

Loading is idempotent and never overwrites: a group whose id already exists is left as
it is (its coordinators may have changed it). Every demo group carries ``"demo": true``.
"""

from __future__ import annotations

from typing import Any

from ecosystem.groups import GroupSchema
from ecosystem.services import seeding
from ecosystem.services.unit_of_work import UnitOfWork

__all__ = ["demo_groups", "load_demo_groups"]


def demo_groups() -> list[dict[str, Any]]:
    """The demo groups as documents, marked demo."""
    import seeds

    return [{**group, "demo": True} for group in seeds.answer_key().get("groups", [])]


def load_demo_groups(uow: UnitOfWork) -> int:
    """Create the demo groups that do not exist yet; returns how many were added."""
    from seeds import SEEDER

    schema = GroupSchema()
    documents = [schema.load(document) for document in demo_groups()]
    return seeding.add_missing_groups(uow, SEEDER, documents)
