"""What to discuss, as the API and the pages show it: kind, finding key, title and reason.

Shared by the review pack (:func:`api.presenters.reviews.pack_view`) and the group
overview page; the schema is :class:`api.schemas.reviews.ToDiscussSchema`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ecosystem.labels import DISCUSS_KINDS
from ecosystem.reviews import ToDiscuss

__all__ = ["to_discuss_view"]


def to_discuss_view(items: Iterable[ToDiscuss]) -> list[dict[str, Any]]:
    """Each item with its kind's name and its one-sentence reason, Danish first."""
    return [
        {
            "kind": item.kind.value,
            "kind_label": DISCUSS_KINDS[item.kind.value].da,
            "kind_label_en": DISCUSS_KINDS[item.kind.value].en,
            "key": item.key,
            "title": item.title.da,
            "title_en": item.title.en,
            "reason": item.reason.da,
            "reason_en": item.reason.en,
            "projects": list(item.projects),
        }
        for item in items
    ]
