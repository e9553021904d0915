"""Exports: any project listing (with its filters) or a portfolio as CSV, XLSX, JSON or IATI.

CSV is UTF-8 with BOM and ';' so Danish Excel opens it right; XLSX has typed cells, a
frozen header and filters. A portfolio export uses exactly the import template's columns,
so the file can be edited and imported again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from flask import Response, request
from flask_smorest import Blueprint

from api.auth import current_principal
from api.db import session
from api.presenters.legacy import project_views
from api.schemas.projects import AsOfArgs, ProjectQueryArgs, project_query
from api.tabular import send_table
from ecosystem import iati, spreadsheet
from ecosystem.model import ProjectRecord
from ecosystem.store import imports, projects, reference

blp = Blueprint(
    "exports",
    __name__,
    url_prefix="/api/v1",
    description="Eksport som CSV, XLSX, JSON og IATI / Export as CSV, XLSX, JSON and IATI",
)

IATI_XML = "application/xml"


class ExportArgs(ProjectQueryArgs):
    """The listing's filters; an export holds every matching project, so no paging."""

    class Meta:
        exclude = ("page", "per_page")


@blp.route("/projects.<any(csv, xlsx, json):fmt>")
@blp.arguments(ExportArgs, location="query")
@blp.response(200)
def export_listing(args: dict[str, Any], fmt: str) -> Response:
    """Every project the listing would show for these filters, as one file"""
    records = _listing(args)
    if fmt == "json":
        return _json_download(project_views(session(), records), _stamp("projekter"))
    table = spreadsheet.listing_table(records, _organisation_names())
    return send_table(table, fmt, _stamp("projekter"))


@blp.route("/projects.iati.xml")
@blp.arguments(ExportArgs, location="query")
@blp.response(200)
def export_listing_iati(args: dict[str, Any]) -> Response:
    """The listing as IATI 2.03 activity XML (valid against the official schema)"""
    return _iati_download(_listing(args), _stamp("projekter"))


@blp.route("/organisations/<string:org>/portfolio.<any(csv, xlsx, json):fmt>")
@blp.arguments(AsOfArgs, location="query")
@blp.response(200)
def export_portfolio(args: dict[str, Any], org: str, fmt: str) -> Response:
    """The portfolio in the import template's columns (or as a portfolio document in JSON)"""
    records = _portfolio(org, args)
    name = _stamp(f"portefolje-{org}")
    if fmt == "json":
        document = {"organisation": org, "projects": [record.data for record in records]}
        return _json_download(document, name)
    return send_table(spreadsheet.portfolio_table(record.data for record in records), fmt, name)


@blp.route("/organisations/<string:org>/portfolio.iati.xml")
@blp.arguments(AsOfArgs, location="query")
@blp.response(200)
def export_portfolio_iati(args: dict[str, Any], org: str) -> Response:
    """The portfolio as IATI 2.03 activity XML"""
    return _iati_download(_portfolio(org, args), _stamp(f"portefolje-{org}"))


def _listing(args: dict[str, Any]) -> list[ProjectRecord]:
    page = projects.list_projects(
        session(), project_query(args), current_principal(), per_page=None
    )
    return page.items


def _portfolio(org: str, args: dict[str, Any]) -> list[ProjectRecord]:
    db = session()
    reference.get(db, "organisation", org)
    return projects.portfolio(db, org, current_principal(), as_of=args.get("as_of"))


def _organisation_names() -> dict[str, str]:
    return {row["id"]: row["name"] for row in reference.list_all(session(), "organisation")}


def _stamp(name: str) -> str:
    return f"{name}-{dt.date.today().isoformat()}"


def _json_download(payload: Any, name: str) -> Response:
    body = json.dumps(payload, ensure_ascii=False, default=_json_default, indent=1)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"Not JSON serialisable: {type(value).__name__}")


def _iati_download(records: Sequence[ProjectRecord], name: str) -> Response:
    names = imports.export_names(session())
    body = iati.activities_xml(records, names, base_url=request.url_root)
    response = Response(body, mimetype=IATI_XML)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.iati.xml"'
    return response
