"""Import previews, publish results and the sector mapping as the API and the page show them."""

from __future__ import annotations

import dataclasses
from typing import Any

from ecosystem.iati.sectors import SectorThemes
from ecosystem.model import PublishResult
from ecosystem.previews import Preview
from ecosystem.spreadsheet import MAX_REPORTED_PROBLEMS

__all__ = ["preview_view", "publish_result_view", "sector_theme_view", "sector_theme_views"]


def preview_view(
    preview: Preview, *, page: int = 1, per_page: int = 100, action: str | None = None
) -> dict[str, Any]:
    """The preview for people: summary, problems and one page of rows (of one action)."""
    rows = preview.report["rows"]
    if action is not None:
        rows = [row for row in rows if row["action"] == action]
    start = (page - 1) * per_page
    problems = preview.problems()
    return {
        "id": preview.id,
        "organisation": preview.organisation_id,
        "status": preview.status,
        "source": preview.source,
        "filename": preview.filename,
        "full": preview.full,
        "publishable": preview.publishable and preview.pending,
        "created_at": preview.created_at,
        "expires_at": preview.expires_at,
        "published_at": preview.published_at,
        "details": preview.report["details"],
        "summary": preview.summary,
        "problems": problems[:MAX_REPORTED_PROBLEMS],
        "problem_count": len(problems),
        "rows": rows[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total_rows": len(rows),
        "result": preview.result,
    }


def publish_result_view(organisation_id: str, result: PublishResult) -> dict[str, Any]:
    return {"organisation": organisation_id, **vars(result)}


def sector_theme_view(row: SectorThemes) -> dict[str, Any]:
    return dataclasses.asdict(row)


def sector_theme_views(rows: list[SectorThemes]) -> list[dict[str, Any]]:
    return [sector_theme_view(row) for row in rows]
