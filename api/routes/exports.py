"""Exports: any project listing (with its filters) or a portfolio as CSV, XLSX, JSON or IATI.

CSV is UTF-8 with BOM and ';' so Danish Excel opens it right; XLSX has typed cells, a
frozen header and filters. A portfolio export uses exactly the import template's columns,
so the file can be edited and imported again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, current_app

from api.auth import current_principal
from api.db import unit_of_work
from api.parsing import Blueprint
from api.presenters.exports import download_name, json_document
from api.schemas.common import problems
from api.schemas.exports import BINARY, CSV, IATI_XML, XLSX, ExportArgs
from api.schemas.projects import AsOfArgs, PortfolioOutSchema, ProjectOutSchema, project_query
from api.tabular import send_file, send_json_file, send_table
from ecosystem.services import exports
from ecosystem.services.exports import Export

blp = Blueprint(
    "exports",
    __name__,
    url_prefix="/api/v1",
    description="Eksport som CSV, XLSX, JSON og IATI / Export as CSV, XLSX, JSON and IATI",
)

_LISTING = "Every matching project, as one file (an attachment)"
_PORTFOLIO = "The portfolio, as one file (an attachment)"


@blp.route("/projects.<any(csv, xlsx, json):fmt>")
@blp.arguments(ExportArgs, location="query")
@blp.response(200, BINARY, content_type=CSV, description=_LISTING)
@blp.response(200, BINARY, content_type=XLSX, description=_LISTING)
@blp.response(
    200, ProjectOutSchema(many=True), content_type="application/json", description=_LISTING
)
@problems(blp, 401)
def export_listing(args: dict[str, Any], fmt: str) -> Response:
    """Every project the listing would show for these filters, as one file"""
    export = exports.listing(unit_of_work(), current_principal(), project_query(args))
    return _download(export, fmt)


@blp.route("/projects.iati.xml")
@blp.arguments(ExportArgs, location="query")
@blp.response(200, BINARY, content_type=IATI_XML, description="IATI 2.03 activities")
@problems(blp, 401)
def export_listing_iati(args: dict[str, Any]) -> Response:
    """The listing as IATI 2.03 activity XML (valid against the official schema)"""
    export = exports.listing(unit_of_work(), current_principal(), project_query(args))
    return _iati_download(export)


@blp.route("/organisations/<string:org>/portfolio.<any(csv, xlsx, json):fmt>")
@blp.arguments(AsOfArgs, location="query")
@blp.response(200, BINARY, content_type=CSV, description=_PORTFOLIO)
@blp.response(200, BINARY, content_type=XLSX, description=_PORTFOLIO)
@blp.response(200, PortfolioOutSchema, content_type="application/json", description=_PORTFOLIO)
@problems(blp, 401, 404)
def export_portfolio(args: dict[str, Any], org: str, fmt: str) -> Response:
    """The portfolio in the import template's columns (or as a portfolio document in JSON)"""
    export = exports.portfolio(unit_of_work(), current_principal(), org, as_of=args.get("as_of"))
    return _download(export, fmt)


@blp.route("/organisations/<string:org>/portfolio.iati.xml")
@blp.arguments(AsOfArgs, location="query")
@blp.response(200, BINARY, content_type=IATI_XML, description="IATI 2.03 activities")
@problems(blp, 401, 404)
def export_portfolio_iati(args: dict[str, Any], org: str) -> Response:
    """The portfolio as IATI 2.03 activity XML"""
    export = exports.portfolio(unit_of_work(), current_principal(), org, as_of=args.get("as_of"))
    return _iati_download(export)


def _download(export: Export, fmt: str) -> Response:
    name = download_name(export, dt.date.today())
    if fmt == "json":
        return send_json_file(json_document(export), name)
    return send_table(exports.table(export), fmt, name)


def _iati_download(export: Export) -> Response:
    # The configured public URL, never the request's Host header: a client chooses that,
    # and a file it downloads (or a cache keeps) must not name its host as ours.
    base_url = current_app.config["PUBLIC_BASE_URL"]
    body = exports.iati_activities(unit_of_work(), export, base_url=base_url)
    return send_file(body, IATI_XML, f"{download_name(export, dt.date.today())}.iati.xml")
