"""A group's meeting workbook: its projects, gaps, what it and others chose not to do
("Fravalgt"), scaling candidates and balance, a sheet each.

A page route rather than a link to the API's downloads, because the API knows only
tokens: a signed-in member downloading from the page gets what the page shows them,
including the shared projects, and an anonymous reader only what is public.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response

from api.db import unit_of_work
from api.pages import common
from api.presenters.analyses import candidates_table, gaps_table
from api.presenters.balance import balance_table
from api.presenters.deliberately_not import opted_out_table
from api.presenters.groups import group_projects_table
from api.tabular import send_workbook
from ecosystem.services import analyses
from ecosystem.services import deliberately_not as register

__all__ = ["bp"]

bp = Blueprint("group_export", __name__)


@bp.get("/groups/<group_id>/export.xlsx")
def workbook(group_id: str) -> Response:
    uow, principal = unit_of_work(), common.principal()
    projects = analyses.group_projects(uow, principal, group_id)
    gaps = analyses.group_gaps(uow, principal, group_id)
    candidates = analyses.group_candidates(uow, principal, group_id)
    balance = analyses.group_balance(uow, principal, group_id)
    # The first sheet says whether the counts are of selected projects only (P2).
    counted = (project.organisation_id for project, _ in projects.covered)
    note = common.partial_portfolio_note(counted)
    own = register.list_entries(uow, "group", group_id)
    tables = [
        replace(gaps_table(gaps.report, gaps.found), note=note),
        opted_out_table(gaps.report, gaps.found.reference, own, register.today()),
        candidates_table(candidates.candidates, candidates.found),
        balance_table(balance.balance, balance.found),
        group_projects_table(projects),
    ]
    return send_workbook(tables, f"{group_id}-moede")
