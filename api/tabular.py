"""Send files: a core Table as CSV, XLSX or JSON, or any bytes as a named download."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from flask import Response, jsonify
from werkzeug.exceptions import BadRequest

from ecosystem.tabular import Table, table_bytes, to_json_rows, to_xlsx_workbook

__all__ = [
    "CSV",
    "FORMATS",
    "MEDIA_TYPES",
    "XLSX",
    "send_file",
    "send_json_file",
    "send_table",
    "send_workbook",
]

FORMATS = ("csv", "xlsx", "json")
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"csv": CSV, "xlsx": XLSX}


def send_table(table: Table, fmt: str, filename: str) -> Response:
    """The table as a download named ``filename.<fmt>`` (JSON: the rows, inline)."""
    if fmt == "json":
        return jsonify(to_json_rows(table))
    if fmt not in MEDIA_TYPES:
        raise BadRequest(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return send_file(table_bytes(table, fmt), MEDIA_TYPES[fmt], f"{filename}.{fmt}")


def send_workbook(tables: Sequence[Table], filename: str) -> Response:
    """The tables as the sheets of one XLSX download named ``filename.xlsx``."""
    return send_file(to_xlsx_workbook(tables), XLSX, f"{filename}.xlsx")


def send_file(body: bytes, mimetype: str, filename: str) -> Response:
    """``body`` as an attachment named ``filename``."""
    # content_type, not mimetype: Werkzeug adds "; charset=utf-8" to a text/* mimetype,
    # and CSV names its charset already (it was sent twice).
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def send_json_file(payload: Any, name: str) -> Response:
    """``payload`` as a readable JSON attachment ``name.json`` (dates as ISO text)."""
    body = json.dumps(payload, ensure_ascii=False, default=_json_default, indent=1)
    return send_file(body.encode(), "application/json", f"{name}.json")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"Not JSON serialisable: {type(value).__name__}")
