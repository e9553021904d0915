"""Request and import limits, from configuration (a test may change them on a running app).

Bodies sent without a length (chunked) are held to ``MAX_CONTENT_LENGTH`` as bodies
with one are: 413, never a silently cut body (see :class:`ChunkedBodyLimit`).

``IMPORT_MAX_BYTES``, ``IMPORT_MAX_ROWS`` and ``IMPORT_PREVIEW_TTL`` for every file;
``IMPORT_MAX_UNPACKED_BYTES``, ``IMPORT_MAX_COMPRESSION_RATIO`` and ``IMPORT_MAX_CELLS``
for XLSX workbooks (zip bombs and sheets of millions of blank rows).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app
from werkzeug.wsgi import get_content_length

from ecosystem.services.imports import ImportLimits
from ecosystem.spreadsheet import DEFAULT_WORKBOOK_LIMITS, WorkbookLimits

__all__ = ["ChunkedBodyLimit", "import_limits", "init_app"]

_DEFAULTS = ImportLimits()
_WORKBOOK = DEFAULT_WORKBOOK_LIMITS


def import_limits() -> ImportLimits:
    """The limits as configured now."""
    config = current_app.config
    return ImportLimits(
        max_bytes=config.get("IMPORT_MAX_BYTES", _DEFAULTS.max_bytes),
        max_rows=config.get("IMPORT_MAX_ROWS", _DEFAULTS.max_rows),
        preview_ttl=config.get("IMPORT_PREVIEW_TTL", _DEFAULTS.preview_ttl),
        workbook=WorkbookLimits(
            max_unpacked_bytes=config.get(
                "IMPORT_MAX_UNPACKED_BYTES", _WORKBOOK.max_unpacked_bytes
            ),
            max_compression_ratio=config.get(
                "IMPORT_MAX_COMPRESSION_RATIO", _WORKBOOK.max_compression_ratio
            ),
            max_cells=config.get("IMPORT_MAX_CELLS", _WORKBOOK.max_cells),
        ),
    )


class ChunkedBodyLimit:
    """WSGI middleware: a body without ``Content-Length`` gets one, or 413 if too long.

    Werkzeug reads such a body only up to ``MAX_CONTENT_LENGTH`` and then stops without
    an error (it cannot tell a body of exactly that length from a longer one), so an
    over-long JSON document arrived cut off and was refused as invalid JSON (400). Here
    the body is read up to one byte past the limit and handed on with its length: Werkzeug
    then refuses a body over the limit with 413, as it does when the client gave a length.
    Memory stays bounded by the limit, which requests with a length may use as well.
    """

    def __init__(self, app: Flask, wsgi_app: Any) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        if (
            limit is not None
            and get_content_length(environ) is None
            and "wsgi.input_terminated" in environ
        ):
            body = environ["wsgi.input"].read(limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            # The body now has a length, and is no longer chunked or read to its end.
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ.pop("wsgi.input_terminated", None)
        result: Iterable[bytes] = self.wsgi_app(environ, start_response)
        return result


def init_app(app: Flask) -> None:
    app.wsgi_app = ChunkedBodyLimit(app, app.wsgi_app)  # type: ignore[method-assign]
