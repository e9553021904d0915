"""Spreadsheet and IATI imports: template, upload → preview, publish; the sector mapping.

An upload is read and stored as a *preview* (a dry run) that any worker can show and
publish; publishing applies exactly the previewed change or refuses (409) if the
organisation's data changed since.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, url_for
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import FileStorage

from api.auth import actor_name, require_admin, require_writer
from api.db import legacy_transaction, session
from api.errors import problem
from api.schemas.projects import PublishResultSchema
from api.tabular import XLSX
from ecosystem import spreadsheet
from ecosystem.errors import FieldError, InvalidInput
from ecosystem.spreadsheet import FileRejected
from ecosystem.store import imports

blp = Blueprint(
    "imports",
    __name__,
    url_prefix="/api/v1",
    description="Import af regneark og IATI / Spreadsheet and IATI import",
)

ACTIONS = ("created", "updated", "unchanged", "withdrawn", "invalid")
# Status for a file that cannot be read at all (FileRejected.reason).
_REJECTED_STATUS = {"too_large": 413, "unsupported": 415}


class UploadFilesSchema(Schema):
    file = Upload(
        required=True,
        metadata={"description": "CSV (any delimiter/encoding), XLSX or IATI activity XML."},
    )


class UploadFormSchema(Schema):
    full = fields.Boolean(
        load_default=False,
        metadata={"description": "Whole portfolio: projects missing from the file are withdrawn."},
    )


class PreviewArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    action = fields.String(validate=validate.OneOf(ACTIONS))


class ImportProblemSchema(Schema):
    row = fields.Integer(allow_none=True, metadata={"description": "Row (or activity) number."})
    column = fields.String(allow_none=True)
    field = fields.String(allow_none=True)
    severity = fields.String(metadata={"description": "error (blocks publishing) or warning"})
    unit = fields.String(metadata={"description": "row, or activity for IATI files"})
    message = fields.String()
    message_da = fields.String()
    message_en = fields.String()
    text = fields.String(metadata={"description": "The message with its place, Danish / English."})


class PreviewRowSchema(Schema):
    row = fields.Integer(allow_none=True)
    external_id = fields.String(allow_none=True)
    action = fields.String(metadata={"description": " / ".join(ACTIONS)})
    restored = fields.Boolean()
    changed_fields = fields.List(fields.String())
    project = fields.Dict(metadata={"description": "The project card the row becomes."})
    problems = fields.List(fields.Nested(ImportProblemSchema))


class PreviewSummarySchema(Schema):
    rows = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    withdrawn = fields.Integer()
    invalid = fields.Integer()
    errors = fields.Integer()
    warnings = fields.Integer()


class PreviewSchema(Schema):
    id = fields.String()
    organisation = fields.String()
    status = fields.String(metadata={"description": "pending or published"})
    source = fields.String(metadata={"description": "csv, xlsx or iati"})
    filename = fields.String(allow_none=True)
    full = fields.Boolean()
    publishable = fields.Boolean()
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)
    details = fields.Dict()
    summary = fields.Nested(PreviewSummarySchema)
    problems = fields.List(fields.Nested(ImportProblemSchema))
    problem_count = fields.Integer()
    rows = fields.List(fields.Nested(PreviewRowSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total_rows = fields.Integer()
    result = fields.Dict(allow_none=True)


class SectorThemeSchema(Schema):
    sector = fields.String(dump_only=True)
    sector_name = fields.String(dump_only=True, allow_none=True)
    themes = fields.List(fields.String(validate=validate.Length(min=1, max=64)), required=True)
    unknown_themes = fields.List(fields.String(), dump_only=True)
    source = fields.String(dump_only=True, metadata={"description": "default or admin"})
    updated_by = fields.String(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True, allow_none=True)


@blp.route("/imports/template.<any(csv, xlsx):fmt>")
@blp.response(200)
def template(fmt: str) -> Response:
    """The import template: Danish headers with English aliases (XLSX adds a guide and codes)"""
    if fmt == "csv":
        body, mimetype = spreadsheet.template_csv(), "text/csv; charset=utf-8"
    else:
        body, mimetype = spreadsheet.template_xlsx(imports.vocabularies(session())), XLSX
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="projekter-skabelon.{fmt}"'
    return response


@blp.route("/organisations/<string:org>/imports", methods=["POST"])
@blp.arguments(UploadFormSchema, location="form")
@blp.arguments(UploadFilesSchema, location="files")
@blp.arguments(PreviewArgs, location="query")
@blp.response(201, PreviewSchema)
def upload(form: dict[str, Any], files: dict[str, Any], args: dict[str, Any], org: str) -> Any:
    """Upload a CSV, XLSX or IATI file: returns the preview (dry run) with its id"""
    principal = require_writer(org)
    upload: FileStorage = files["file"]
    max_bytes = current_app.config.get("IMPORT_MAX_BYTES", spreadsheet.MAX_FILE_BYTES)
    content = upload.stream.read(max_bytes + 1)
    with legacy_transaction() as db:
        try:
            parsed = imports.parse_upload(
                db,
                content,
                organisation_id=org,
                filename=upload.filename,
                max_bytes=max_bytes,
                max_rows=current_app.config.get("IMPORT_MAX_ROWS", spreadsheet.MAX_ROWS),
            )
        except FileRejected as rejected:
            status = _REJECTED_STATUS.get(rejected.reason, 422)
            return problem(status, str(rejected), rejected.errors)
        preview = imports.create_preview(
            db,
            org,
            parsed,
            full=form["full"],
            actor=actor_name(principal),
            filename=upload.filename,
            ttl=current_app.config.get("IMPORT_PREVIEW_TTL", imports.DEFAULT_PREVIEW_TTL),
        )
        view = imports.preview_view(
            db,
            org,
            preview,
            page=args["page"],
            per_page=args["per_page"],
            action=args.get("action"),
        )
    location = url_for("imports.read_preview", org=org, preview_id=view["id"])
    return view, 201, {"Location": location}


@blp.route("/organisations/<string:org>/imports/<string:preview_id>")
@blp.arguments(PreviewArgs, location="query")
@blp.response(200, PreviewSchema)
def read_preview(args: dict[str, Any], org: str, preview_id: str) -> dict[str, Any]:
    """Read a preview again, a page of rows at a time (optionally only one action)"""
    require_writer(org)
    return imports.preview_view(
        session(),
        org,
        preview_id,
        page=args["page"],
        per_page=args["per_page"],
        action=args.get("action"),
    )


@blp.route("/organisations/<string:org>/imports/<string:preview_id>/publish", methods=["POST"])
@blp.response(200, PublishResultSchema)
def publish(org: str, preview_id: str) -> dict[str, Any]:
    """Publish exactly what the preview showed (409 if the data changed since)"""
    principal = require_writer(org)
    with legacy_transaction() as db:
        result = imports.publish_preview(db, org, preview_id, actor=actor_name(principal))
    return {"organisation": org, **vars(result)}


@blp.route("/iati/sector-themes")
@blp.response(200, SectorThemeSchema(many=True))
def list_sector_themes() -> list[dict[str, Any]]:
    """The DAC sector → theme mapping used by IATI imports"""
    return imports.sector_theme_rows(session())


@blp.route("/iati/sector-themes/<string:sector>", methods=["PUT"])
@blp.arguments(SectorThemeSchema)
@blp.response(200, SectorThemeSchema)
def set_sector_themes(body: dict[str, Any], sector: str) -> dict[str, Any]:
    """Map a DAC sector (5 digits, or a 3-digit category) to themes (admin; audited)"""
    principal = require_admin()
    _check_sector(sector)
    with legacy_transaction() as db:
        return imports.set_sector_themes(db, sector, body["themes"], actor_name(principal))


@blp.route("/iati/sector-themes/<string:sector>", methods=["DELETE"])
@blp.response(204)
def reset_sector_themes(sector: str) -> Response:
    """Drop the admin's mapping of a sector so the shipped default applies (admin)"""
    principal = require_admin()
    with legacy_transaction() as db:
        imports.reset_sector_themes(db, sector, actor_name(principal))
    return Response(status=204)


def _check_sector(sector: str) -> None:
    if not (sector.isdigit() and len(sector) in (3, 5)):
        raise InvalidInput(
            "En DAC-sektorkode har 5 cifre (3 for en kategori). / "
            "A DAC sector code has 5 digits (or 3 for a category).",
            [FieldError("sector", f"{sector!r} is not a DAC sector code.")],
        )
