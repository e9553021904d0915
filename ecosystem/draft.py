"""A draft checked for overlap before it is published, as typed, immutable values.

Only title and description are known for sure; the rest is what the check form or the
API's ``DraftSchema`` gave. Scoring reads a draft where it would read a
:class:`ecosystem.card.ProjectCard`, so the two share the nested parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ecosystem.card import (
    NO_EXTRA,
    FundingSource,
    Link,
    Partner,
    date_value,
    enum_member,
)
from ecosystem.model import Stage, Visibility

__all__ = ["ProjectDraft"]

# What the overlap check accepts for a draft (api/schemas/overlaps.py: DraftSchema), plus the
# card fields scoring also reads, so a draft can stand in for a card that is not published yet.
_DRAFT_KNOWN = frozenset(
    {
        "title",
        "description",
        "stage",
        "themes",
        "target_groups",
        "areas",
        "goals",
        "partners",
        "start_date",
        "end_date",
        "funding_sources",
        "links",
        "visibility",
        "disclose_when_private",
    }
)


@dataclass(frozen=True, slots=True)
class ProjectDraft:
    """A project not published (yet), as an overlap check reads it; only the texts are sure.

    Examples
    --------
    >>> draft = ProjectDraft.from_data({"title": "Tele-KOL", "description": "Hjemme."})
    >>> draft.stage is None, draft.themes, draft.visibility
    (True, (), <Visibility.PUBLIC: 'public'>)
    """

    title: str
    description: str
    stage: Stage | None = None
    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    partners: tuple[Partner, ...] = ()
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    funding_sources: tuple[FundingSource, ...] = ()
    links: tuple[Link, ...] = ()
    visibility: Visibility = Visibility.PUBLIC
    disclose_when_private: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: NO_EXTRA)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ProjectDraft:
        """Read a validated draft (dates may be ``date`` objects or ISO text)."""
        get = data.get
        stage = get("stage")
        return cls(
            title=str(get("title", "")),
            description=str(get("description", "")),
            stage=enum_member(Stage, stage) if stage else None,
            themes=tuple(get("themes") or ()),
            target_groups=tuple(get("target_groups") or ()),
            areas=tuple(get("areas") or ()),
            goals=tuple(get("goals") or ()),
            partners=tuple(Partner.from_data(p) for p in get("partners") or ()),
            start_date=date_value(get("start_date")),
            end_date=date_value(get("end_date")),
            funding_sources=tuple(FundingSource.from_data(f) for f in get("funding_sources") or ()),
            links=tuple(Link.from_data(link) for link in get("links") or ()),
            visibility=enum_member(Visibility, get("visibility") or "public"),
            disclose_when_private=bool(get("disclose_when_private", False)),
            extra=MappingProxyType({k: v for k, v in data.items() if k not in _DRAFT_KNOWN}),
        )

    @property
    def partner_organisations(self) -> tuple[str, ...]:
        return tuple(p.organisation for p in self.partners if p.organisation)
