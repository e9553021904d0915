"""Exports as files: names with the day they were made, and the JSON documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from api.presenters.projects import project_views
from ecosystem.services.exports import Export

__all__ = ["cards_document", "download_name", "json_document"]


def download_name(export: Export, today: dt.date) -> str:
    """``projekter-2026-05-04`` or ``portefolje-<organisation>-2026-05-04`` (no extension)."""
    name = f"portefolje-{export.organisation_id}" if export.is_portfolio else "projekter"
    return f"{name}-{today.isoformat()}"


def json_document(export: Export) -> Any:
    """A portfolio as a portfolio document; a listing as the API lists projects."""
    if export.is_portfolio:
        return _portfolio_document(export)
    return project_views(export.records, export.organisations)


def cards_document(export: Export) -> Any:
    """A portfolio as a portfolio document; a listing as each card with its owner."""
    if export.is_portfolio:
        return _portfolio_document(export)
    return [{"organisation": r.organisation_id, **r.data} for r in export.records]


def _portfolio_document(export: Export) -> dict[str, Any]:
    return {"organisation": export.organisation_id, "projects": [r.data for r in export.records]}
