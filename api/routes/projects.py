"""Reading published projects across the ecosystem, now or as of a past moment."""

from __future__ import annotations

from typing import Any

from api.auth import current_principal
from api.db import unit_of_work
from api.parsing import Blueprint
from api.presenters.projects import project_detail, project_list
from api.schemas.common import problems
from api.schemas.projects import (
    AsOfArgs,
    ProjectDetailSchema,
    ProjectListSchema,
    ProjectQueryArgs,
    project_query,
)
from ecosystem.services import projects

blp = Blueprint(
    "projects",
    __name__,
    url_prefix="/api/v1/projects",
    description="Projekter på tværs af økosystemet / Projects across the ecosystem",
)


@blp.route("")
@blp.arguments(ProjectQueryArgs, location="query")
@blp.response(200, ProjectListSchema)
@problems(blp, 401)
def list_projects(args: dict[str, Any]) -> dict[str, Any]:
    """List and filter projects you may see"""
    found = projects.list_projects(
        unit_of_work(),
        current_principal(),
        project_query(args),
        page=args["page"],
        per_page=args["per_page"],
    )
    return project_list(found)


@blp.route("/<int:project_id>")
@blp.arguments(AsOfArgs, location="query")
@blp.response(200, ProjectDetailSchema)
@problems(blp, 401, 404)
def get_project(args: dict[str, Any], project_id: int) -> dict[str, Any]:
    """Get one project with its revisions"""
    found = projects.get_project(
        unit_of_work(), current_principal(), project_id, as_of=args.get("as_of")
    )
    return project_detail(found)
