"""Who else is doing this? Overlap checks for drafts and projects, and the ecosystem report."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from werkzeug.exceptions import UnprocessableEntity

from api.auth import current_principal
from api.db import session
from api.overlap_engine import engine, visible_to
from api.overlap_views import check_view, report_table, report_view
from api.schemas.overlaps import (
    CheckArgs,
    CheckResultSchema,
    DraftSchema,
    OverlapReportArgs,
    OverlapReportSchema,
)
from api.tabular import send_table
from ecosystem import hierarchy
from ecosystem.overlap import facts_from_draft
from ecosystem.store import projects, reference

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
def check_draft(draft: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    """Check a draft project against every published project (the draft is never stored)"""
    db, principal = session(), current_principal()
    organisation = draft.pop("organisation", None) or principal.organisation_id
    if organisation is not None:
        reference.get(db, "organisation", organisation)
    projects.check_references(db, [draft], lambda _index: "")
    current = engine(db)
    facts = facts_from_draft(draft, organisation, current.gazetteer)
    result = current.check(
        facts, limit=args["limit"], visible=visible_to(principal), include_own=args["include_own"]
    )
    return check_view(db, current, result)


@blp.route("/projects/<int:project_id>/overlaps")
@blp.arguments(CheckArgs, location="query")
@blp.response(200, CheckResultSchema)
def project_overlaps(args: dict[str, Any], project_id: int) -> dict[str, Any]:
    """Overlaps of one published project with other organisations' projects"""
    db, principal = session(), current_principal()
    record = projects.get_project(db, project_id, principal)
    if record.withdrawn:
        raise UnprocessableEntity("The project is withdrawn; it takes no part in overlap analysis.")
    current = engine(db)
    result = current.check(
        current.facts[project_id],
        limit=args["limit"],
        visible=visible_to(principal),
        include_own=args["include_own"],
    )
    return check_view(db, current, result)


@blp.route("/overlaps")
@blp.arguments(OverlapReportArgs, location="query")
@blp.response(200, OverlapReportSchema)
def overlap_report(args: dict[str, Any]) -> Any:
    """Every cross-organisation overlap above a score, filtered, grouped into clusters"""
    db, principal = session(), current_principal()
    current = engine(db)
    areas = hierarchy.expand(reference.area_parent_map(db), args["area"]) if args["area"] else None
    pairs = current.selected_pairs(
        visible_to(principal),
        areas=areas,
        themes=args["theme"],
        organisations=args["organisation"],
        relations=args["relation"],
        min_score=args["min_score"],
    )
    if args["format"] != "json":
        return send_table(report_table(db, current, pairs), args["format"], "overlaps")
    return report_view(db, current, pairs)
