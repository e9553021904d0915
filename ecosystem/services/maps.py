"""The municipality map: how many visible projects each municipality has, and an outline.

A municipality's count is the number of projects the reader may see that are tagged with
that municipality and match the filters — exactly what the project listing shows for
``area=<code>`` with the same filters, by the same visibility rule. Projects tagged only
with a council, a region or the whole country are in no municipality's count, but they
are in ``total`` (a project in two municipalities counts in both).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ecosystem.groups import Mandate
from ecosystem.model import Principal, ProjectRecord
from ecosystem.query import ProjectQuery
from ecosystem.services.projects import text_searched
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import groups as group_store
from ecosystem.store import projects as store

__all__ = [
    "MunicipalityCounts",
    "group_outline",
    "mandate_outline",
    "municipalities",
    "municipality_counts",
    "outline",
    "tagged_counts",
]

MUNICIPALITY = "municipality"


@dataclass(frozen=True)
class MunicipalityCounts:
    """Visible projects per municipality code (0 for none), and how many match in all."""

    counts: dict[str, int]
    total: int


def municipalities(uow: UnitOfWork) -> list[str]:
    """The codes of every municipality in the gazetteer."""
    schemes = uow.reference.reference.area_schemes
    return sorted(code for code, scheme in schemes.items() if scheme == MUNICIPALITY)


def municipality_counts(
    uow: UnitOfWork, principal: Principal, query: ProjectQuery
) -> MunicipalityCounts:
    """Per municipality, the projects matching ``query`` (themes, target groups, stages,
    free text…) that ``principal`` may see; never a project they may not."""
    codes = municipalities(uow)
    searched = text_searched(uow, query)
    found, total = store.count_by_area(uow.session, searched, principal, codes)
    return MunicipalityCounts({code: found.get(code, 0) for code in codes}, total)


def tagged_counts(uow: UnitOfWork, records: Iterable[ProjectRecord]) -> MunicipalityCounts:
    """Per municipality, how many of ``records`` (already read with the reader's
    visibility, e.g. a group's slice) are tagged with it: the same rule as
    :func:`municipality_counts`, for projects already in hand."""
    codes = municipalities(uow)
    cards = [record.card for record in records]
    tagged = Counter(area for card in cards for area in set(card.areas))
    return MunicipalityCounts({code: tagged.get(code, 0) for code in codes}, len(cards))


def outline(uow: UnitOfWork, area: str) -> frozenset[str]:
    """The municipalities inside an area (a health council, a region; a municipality itself)."""
    reference = uow.reference.reference
    return frozenset(
        code for code in reference.inside(area) if reference.scheme(code) == MUNICIPALITY
    )


def group_outline(uow: UnitOfWork, group_id: str) -> tuple[str, frozenset[str]]:
    """A thematic group's name and the municipalities of its mandate (none when the mandate
    names no area, i.e. all of Denmark: an outline around everything shows nothing).

    :class:`~ecosystem.errors.NotFound` when there is no such group.
    """
    group = group_store.get_group(uow.session, group_id)
    return group.name, mandate_outline(uow, group.mandate)


def mandate_outline(uow: UnitOfWork, mandate: Mandate) -> frozenset[str]:
    """The municipalities of a mandate's areas (none for a mandate over all of Denmark)."""
    inside: set[str] = set()
    for area in mandate.areas:
        inside |= outline(uow, area)
    return frozenset(inside)
