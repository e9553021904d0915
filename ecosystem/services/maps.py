"""The municipality map: how many visible projects each municipality has, and an outline.

A municipality's count is the number of projects the reader may see that are tagged with
that municipality and match the filters — exactly what the project listing shows for
``area=<code>`` with the same filters, by the same visibility rule. Projects tagged only
with a council, a region or the whole country are in no municipality's count, but they
are in ``total`` (a project in two municipalities counts in both).
"""

from __future__ import annotations

from dataclasses import dataclass

from ecosystem.model import Principal
from ecosystem.query import ProjectQuery
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import groups as group_store
from ecosystem.store import projects as store

__all__ = [
    "MunicipalityCounts",
    "group_outline",
    "municipalities",
    "municipality_counts",
    "outline",
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
    """Per municipality, the projects matching ``query`` (themes, target groups, stages…)
    that ``principal`` may see; never a project they may not."""
    codes = municipalities(uow)
    found, total = store.count_by_area(uow.session, query, principal, codes)
    return MunicipalityCounts({code: found.get(code, 0) for code in codes}, total)


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
    inside: set[str] = set()
    for area in group.mandate.areas:
        inside |= outline(uow, area)
    return group.name, frozenset(inside)
