"""The app's import limits, from configuration (a test may change them on a running app).

``IMPORT_MAX_BYTES``, ``IMPORT_MAX_ROWS`` and ``IMPORT_PREVIEW_TTL`` for every file;
``IMPORT_MAX_UNPACKED_BYTES``, ``IMPORT_MAX_COMPRESSION_RATIO`` and ``IMPORT_MAX_CELLS``
for XLSX workbooks (zip bombs and sheets of millions of blank rows).
"""

from __future__ import annotations

from flask import current_app

from ecosystem.services.imports import ImportLimits
from ecosystem.spreadsheet import DEFAULT_WORKBOOK_LIMITS, WorkbookLimits

__all__ = ["import_limits"]

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
