"""Exports: the listing's filters without paging, and the downloads' bodies."""

from __future__ import annotations

from typing import Any

from api.schemas.projects import ProjectQueryArgs

__all__ = ["BINARY", "CSV", "IATI_XML", "XLSX", "ExportArgs"]

BINARY: dict[str, Any] = {"type": "string", "format": "binary"}
"""A download's body, for the OpenAPI document."""
# The media types a download is documented with.
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IATI_XML = "application/xml"


class ExportArgs(ProjectQueryArgs):
    """The listing's filters; an export holds every matching project, so no paging."""

    class Meta:
        exclude = ("page", "per_page")
