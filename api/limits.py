"""The app's import limits (``IMPORT_MAX_BYTES``, ``IMPORT_MAX_ROWS``, ``IMPORT_PREVIEW_TTL``)."""

from __future__ import annotations

from flask import current_app

from ecosystem.services.imports import ImportLimits

__all__ = ["import_limits"]

_DEFAULTS = ImportLimits()


def import_limits() -> ImportLimits:
    """The limits as configured now (a test may change them on a running app)."""
    config = current_app.config
    return ImportLimits(
        max_bytes=config.get("IMPORT_MAX_BYTES", _DEFAULTS.max_bytes),
        max_rows=config.get("IMPORT_MAX_ROWS", _DEFAULTS.max_rows),
        preview_ttl=config.get("IMPORT_PREVIEW_TTL", _DEFAULTS.preview_ttl),
    )
