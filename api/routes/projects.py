"""Reading published projects across the ecosystem, now or as of a past moment."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from api.auth import current_principal
from api.db import session
from api.presenters import project_views
from api.schemas import AsOfArgs, ProjectDetailSchema, ProjectListSchema, ProjectQueryArgs
from ecosystem.query import ProjectQuery
from ecosystem.store import projects

blp = Blueprint(
    "projects",
    __name__,
    url_prefix="/api/v1/projects",
    description="Projekter på tværs af økosystemet / Projects across the ecosystem",
)


def query_from_args(args: dict[str, Any]) -> ProjectQuery:
    """The core query for the listing's query arguments (shared with exports and pages)."""
    return ProjectQuery(
        organisations=tuple(args.get("organisation", ())),
        organisation_kinds=tuple(args.get("organisation_kind", ())),
        themes=tuple(args.get("theme", ())),
        target_groups=tuple(args.get("target_group", ())),
        areas=tuple(args.get("area", ())),
        goals=tuple(args.get("goal", ())),
        stages=tuple(args.get("stage", ())),
        text=args.get("q"),
        updated_since=args.get("updated_since"),
        as_of=args.get("as_of"),
        include_withdrawn=args.get("include_withdrawn", False),
        demo=args.get("demo"),
    )


@blp.route("")
@blp.arguments(ProjectQueryArgs, location="query")
@blp.response(200, ProjectListSchema)
def list_projects(args: dict[str, Any]) -> dict[str, Any]:
    """List and filter projects you may see"""
    db = session()
    page = projects.list_projects(
        db, query_from_args(args), current_principal(), page=args["page"], per_page=args["per_page"]
    )
    return {
        "items": project_views(db, page.items),
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    }


@blp.route("/<int:project_id>")
@blp.arguments(AsOfArgs, location="query")
@blp.response(200, ProjectDetailSchema)
def get_project(args: dict[str, Any], project_id: int) -> dict[str, Any]:
    """Get one project with its revisions"""
    db = session()
    record = projects.get_project(db, project_id, current_principal(), as_of=args.get("as_of"))
    view = project_views(db, [record])[0]
    view["revisions"] = [
        revision
        for revision in projects.revisions(db, project_id)
        if revision["number"] <= record.revision
    ]
    return view
