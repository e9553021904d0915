"""Spreadsheet and IATI imports: template, upload → preview, publish; the sector mapping.

An upload is read and stored as a *preview* (a dry run) that any worker can show and
publish; publishing applies exactly the previewed change or refuses (409) if the
organisation's data changed since. A file that cannot be read at all gets 413 (too
large), 415 (not a format we read) or 422, as problem+json.
"""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from werkzeug.datastructures import FileStorage

from api.auth import current_principal
from api.db import retried_transaction, transaction, unit_of_work
from api.limits import import_limits
from api.parsing import Blueprint
from api.presenters.imports import (
    preview_view,
    publish_result_view,
    sector_theme_view,
    sector_theme_views,
)
from api.schemas.common import problems
from api.schemas.exports import BINARY, CSV, XLSX
from api.schemas.imports import (
    MultipartParser,
    PreviewArgs,
    PreviewSchema,
    SectorThemeSchema,
    UploadFormSchema,
)
from api.schemas.projects import PublishResultSchema
from api.tabular import MEDIA_TYPES, send_file
from ecosystem.services import imports

blp = Blueprint(
    "imports",
    __name__,
    url_prefix="/api/v1",
    description="Import af regneark og IATI / Spreadsheet and IATI import",
)
blp.ARGUMENTS_PARSER = MultipartParser()


@blp.route("/imports/template.<any(csv, xlsx):fmt>")
@blp.response(200, BINARY, content_type=CSV, description="The template, as an attachment")
@blp.response(200, BINARY, content_type=XLSX, description="The template, as an attachment")
def template(fmt: str) -> Response:
    """The import template: Danish headers with English aliases (XLSX adds a guide and codes)"""
    body = imports.template(unit_of_work(), fmt)
    return send_file(body, MEDIA_TYPES[fmt], f"projekter-skabelon.{fmt}")


@blp.route("/organisations/<string:org>/imports", methods=["POST"])
@blp.arguments(UploadFormSchema, location="files")
@blp.arguments(PreviewArgs, location="query")
@blp.response(201, PreviewSchema)
@problems(blp, 401, 403, 404, 413, 415, 422)
def upload(form: dict[str, Any], args: dict[str, Any], org: str) -> Any:
    """Upload a CSV, XLSX or IATI file: returns the preview (dry run) with its id"""
    file: FileStorage = form["file"]
    limits = import_limits()
    content = file.stream.read(limits.max_bytes + 1)
    with transaction() as uow:
        preview = imports.upload(
            uow,
            current_principal(),
            org,
            content,
            filename=file.filename,
            full=form["full"],
            limits=limits,
        )
    return (
        preview_view(preview, **args),
        201,
        {"Location": url_for("imports.read_preview", org=org, preview_id=preview.id)},
    )


@blp.route("/organisations/<string:org>/imports/<string:preview_id>")
@blp.arguments(PreviewArgs, location="query")
@blp.response(200, PreviewSchema)
@problems(blp, 401, 403, 404)
def read_preview(args: dict[str, Any], org: str, preview_id: str) -> dict[str, Any]:
    """Read a preview again, a page of rows at a time (optionally only one action)"""
    preview = imports.get_preview(unit_of_work(), current_principal(), org, preview_id)
    return preview_view(preview, **args)


@blp.route("/organisations/<string:org>/imports/<string:preview_id>/publish", methods=["POST"])
@blp.response(200, PublishResultSchema)
@problems(blp, 401, 403, 404, 409, 422)
def publish(org: str, preview_id: str) -> dict[str, Any]:
    """Publish exactly what the preview showed (409 if the data changed since)"""
    principal = current_principal()
    result = retried_transaction(
        lambda uow: imports.publish_preview(uow, principal, org, preview_id)
    )
    return publish_result_view(org, result)


@blp.route("/iati/sector-themes")
@blp.response(200, SectorThemeSchema(many=True))
def list_sector_themes() -> list[dict[str, Any]]:
    """The DAC sector → theme mapping used by IATI imports"""
    return sector_theme_views(imports.sector_themes(unit_of_work()))


@blp.route("/iati/sector-themes/<string:sector>", methods=["PUT"])
@blp.arguments(SectorThemeSchema)
@blp.response(200, SectorThemeSchema)
@problems(blp, 401, 403, 422)
def set_sector_themes(body: dict[str, Any], sector: str) -> dict[str, Any]:
    """Map a DAC sector (5 digits, or a 3-digit category) to themes (admin; audited)"""
    with transaction() as uow:
        row = imports.set_sector_themes(uow, current_principal(), sector, body["themes"])
    return sector_theme_view(row)


@blp.route("/iati/sector-themes/<string:sector>", methods=["DELETE"])
@blp.response(204)
@problems(blp, 401, 403, 404)
def reset_sector_themes(sector: str) -> Response:
    """Drop the admin's mapping of a sector so the shipped default applies (admin)"""
    with transaction() as uow:
        imports.reset_sector_themes(uow, current_principal(), sector)
    return Response(status=204)
