"""Send a core Table as CSV, XLSX or JSON."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, jsonify
from werkzeug.exceptions import BadRequest

from ecosystem.tabular import Table, to_csv_bytes, to_json_rows, to_xlsx_bytes, to_xlsx_workbook

__all__ = ["FORMATS", "XLSX", "send_table", "send_workbook"]

FORMATS = ("csv", "xlsx", "json")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def send_table(table: Table, fmt: str, filename: str) -> Response:
    """The table as a download named ``filename.<fmt>``."""
    if fmt == "json":
        return jsonify(to_json_rows(table))
    if fmt == "csv":
        body, mimetype = to_csv_bytes(table), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, mimetype = to_xlsx_bytes(table), XLSX
    else:
        raise BadRequest(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return _download(body, mimetype, f"{filename}.{fmt}")


def send_workbook(tables: Sequence[Table], filename: str) -> Response:
    """The tables as the sheets of one XLSX download named ``filename.xlsx``."""
    return _download(to_xlsx_workbook(tables), XLSX, f"{filename}.xlsx")


def _download(body: bytes, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
