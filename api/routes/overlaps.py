"""Who else is doing this? Overlap checks for drafts and projects, and the ecosystem report."""

from __future__ import annotations

from typing import Any

from api.auth import current_principal
from api.db import unit_of_work
from api.parsing import Blueprint
from api.presenters.overlaps import check_view, report_table, report_view
from api.schemas.common import downloads, problems
from api.schemas.overlaps import (
    CheckArgs,
    CheckResultSchema,
    DraftSchema,
    OverlapReportArgs,
    OverlapReportSchema,
    report_filter,
)
from api.tabular import send_table
from ecosystem.services import overlaps

blp = Blueprint(
    "overlaps",
    __name__,
    url_prefix="/api/v1",
    description="Overlap: hvem gør det samme? / Overlap: who else is doing this?",
)


@blp.route("/overlaps/check", methods=["POST"])
@blp.arguments(DraftSchema)
@blp.arguments(CheckArgs, location="query")
@blp.response(200, CheckResultSchema)
@problems(blp, 401, 404, 422)
def check_draft(draft: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    """Check a draft project against every published project (the draft is never stored)"""
    outcome = overlaps.check_draft(
        unit_of_work(),
        current_principal(),
        draft,
        limit=args["limit"],
        include_own=args["include_own"],
    )
    return check_view(outcome)


@blp.route("/projects/<int:project_id>/overlaps")
@blp.arguments(CheckArgs, location="query")
@blp.response(200, CheckResultSchema)
@problems(blp, 401, 404, 422)
def project_overlaps(args: dict[str, Any], project_id: int) -> dict[str, Any]:
    """Overlaps of one published project with other organisations' projects"""
    outcome = overlaps.project_overlaps(
        unit_of_work(),
        current_principal(),
        project_id,
        limit=args["limit"],
        include_own=args["include_own"],
    )
    return check_view(outcome)


@blp.route("/overlaps")
@blp.arguments(OverlapReportArgs, location="query")
@blp.response(200, OverlapReportSchema)
@downloads(blp)
@problems(blp, 401)
def overlap_report(args: dict[str, Any]) -> Any:
    """Every cross-organisation overlap above a score, filtered, grouped into clusters"""
    report = overlaps.overlap_report(unit_of_work(), current_principal(), report_filter(args))
    if args["format"] != "json":
        return send_table(report_table(report), args["format"], "overlaps")
    return report_view(report)
