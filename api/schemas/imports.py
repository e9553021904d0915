"""Imports: the multipart upload, previews with their rows and problems, the sector mapping."""

from __future__ import annotations

from typing import Any

import flask
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import CombinedMultiDict

from api.parsing import JsonParser
from ecosystem.safe_text import Text

__all__ = [
    "ACTIONS",
    "ImportProblemSchema",
    "MultipartParser",
    "PreviewArgs",
    "PreviewSchema",
    "SectorThemeSchema",
    "UploadFormSchema",
]

ACTIONS = ("created", "updated", "unchanged", "withdrawn", "invalid")


class MultipartParser(JsonParser):
    """The ``files`` location reads the whole multipart form: its files and its fields.

    A multipart body is one request body, so its files and its plain fields are one
    schema (documented as one ``multipart/form-data`` request body).
    """

    def load_files(self, req: flask.Request, schema: Schema) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class UploadFormSchema(Schema):
    file = Upload(
        required=True,
        metadata={"description": "CSV (any delimiter/encoding), XLSX or IATI activity XML."},
    )
    full = fields.Boolean(
        load_default=False,
        metadata={"description": "Whole portfolio: projects missing from the file are withdrawn."},
    )


class PreviewArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    action = Text(validate=validate.OneOf(ACTIONS))


class ImportProblemSchema(Schema):
    row = fields.Integer(allow_none=True, metadata={"description": "Row (or activity) number."})
    column = Text(allow_none=True)
    field = Text(allow_none=True)
    severity = Text(metadata={"description": "error (blocks publishing) or warning"})
    unit = Text(metadata={"description": "row, or activity for IATI files"})
    message = Text()
    message_da = Text()
    message_en = Text()
    text = Text(metadata={"description": "The message with its place, Danish / English."})


class PreviewRowSchema(Schema):
    row = fields.Integer(allow_none=True)
    external_id = Text(allow_none=True)
    action = Text(metadata={"description": " / ".join(ACTIONS)})
    restored = fields.Boolean()
    changed_fields = fields.List(Text())
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
    id = Text()
    organisation = Text()
    status = Text(metadata={"description": "pending or published"})
    source = Text(metadata={"description": "csv, xlsx or iati"})
    filename = Text(allow_none=True)
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
    sector = Text(dump_only=True)
    sector_name = Text(dump_only=True, allow_none=True)
    themes = fields.List(Text(validate=validate.Length(min=1, max=64)), required=True)
    unknown_themes = fields.List(Text(), dump_only=True)
    source = Text(dump_only=True, metadata={"description": "default or admin"})
    updated_by = Text(dump_only=True, allow_none=True)
    updated_at = fields.DateTime(dump_only=True, allow_none=True)
