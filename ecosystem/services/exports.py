"""Exports: any project listing (with its filters) or a portfolio, as a table or as IATI.

A listing export holds every project the listing would show for the same filters (no
paging); a portfolio export uses exactly the import template's columns, so the file can
be edited and imported again. Both show only what the principal may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ecosystem import iati
from ecosystem.groups import OrganisationInfo
from ecosystem.model import Principal, ProjectRecord
from ecosystem.query import ProjectQuery
from ecosystem.services import projects
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.spreadsheet import listing_table, portfolio_table
from ecosystem.store import imports as import_store
from ecosystem.tabular import Table

__all__ = ["Export", "iati_activities", "listing", "portfolio", "table"]


@dataclass(frozen=True)
class Export:
    """The projects of one export, with their owners; ``organisation_id`` for a portfolio."""

    records: list[ProjectRecord]
    organisations: Mapping[str, OrganisationInfo]
    organisation_id: str | None = None

    @property
    def is_portfolio(self) -> bool:
        return self.organisation_id is not None


def listing(uow: UnitOfWork, principal: Principal, query: ProjectQuery) -> Export:
    """Every project matching ``query`` that the principal may see."""
    found = projects.list_projects(uow, principal, query, per_page=None)
    return Export(found.items, found.organisations)


def portfolio(
    uow: UnitOfWork,
    principal: Principal,
    organisation_id: str,
    *,
    as_of: dt.datetime | None = None,
) -> Export:
    """The organisation's live projects the principal may see (now or as of a moment)."""
    records = projects.portfolio(uow, principal, organisation_id, as_of=as_of)
    return Export(records, uow.reference.reference.organisations, organisation_id)


def table(export: Export) -> Table:
    """A portfolio in the template's columns; a listing with owners and record fields."""
    if export.is_portfolio:
        return portfolio_table(record.data for record in export.records)
    names = {code: organisation.name for code, organisation in export.organisations.items()}
    return listing_table(export.records, names)


def iati_activities(uow: UnitOfWork, export: Export, *, base_url: str) -> bytes:
    """The projects as IATI 2.03 activities; our code lists are named under ``base_url``."""
    names = import_store.export_names(uow.session)
    return iati.activities_xml(export.records, names, base_url=base_url)
