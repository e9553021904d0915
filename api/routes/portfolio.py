"""Publishing: an organisation's whole portfolio, or one project at a time."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint
from werkzeug.exceptions import UnprocessableEntity

from api.auth import actor_name, current_principal, require_writer
from api.db import session, transaction
from api.presenters import project_views
from api.schemas import AsOfArgs, PortfolioOutSchema, ProjectOutSchema, PublishResultSchema
from ecosystem.portfolio import PortfolioSchema, ProjectSchema
from ecosystem.store import projects, reference

blp = Blueprint(
    "portfolio",
    __name__,
    url_prefix="/api/v1/organisations/<string:org>",
    description="Udgiv porteføljen / Publish a portfolio",
)


@blp.route("/portfolio", methods=["PUT"])
@blp.arguments(PortfolioSchema)
@blp.response(200, PublishResultSchema)
def publish_portfolio(document: dict[str, Any], org: str) -> dict[str, Any]:
    """Publish the whole portfolio; projects left out are withdrawn (kept in history)"""
    principal = require_writer(org)
    if document["organisation"] != org:
        raise UnprocessableEntity(f"The document is for {document['organisation']!r}, not {org!r}.")
    with transaction() as db:
        result = projects.publish(
            db, org, document["projects"], actor=actor_name(principal), full=True
        )
    return {"organisation": org, **vars(result)}


@blp.route("/portfolio", methods=["GET"])
@blp.arguments(AsOfArgs, location="query")
@blp.response(200, PortfolioOutSchema)
def read_portfolio(args: dict[str, Any], org: str) -> dict[str, Any]:
    """Read the portfolio back as a portfolio document (optionally as of a past moment)"""
    db = session()
    reference.get(db, "organisation", org)
    records = projects.portfolio(db, org, current_principal(), as_of=args.get("as_of"))
    return {"organisation": org, "projects": [record.data for record in records]}


@blp.route("/projects/<string:external_id>", methods=["PUT"])
@blp.arguments(ProjectSchema)
@blp.response(200, ProjectOutSchema)
def put_project(data: dict[str, Any], org: str, external_id: str) -> Any:
    """Create or replace one project (201 when it is new)"""
    principal = require_writer(org)
    if data["external_id"] != external_id:
        raise UnprocessableEntity("external_id in the body must match the URL.")
    with transaction() as db:
        result = projects.publish(
            db, org, [data], actor=actor_name(principal), full=False, path_of=lambda _: ""
        )
        project_id = projects.project_id_for(db, org, external_id)
        record = projects.get_project(db, project_id, principal)
        view = project_views(db, [record])[0]
    return (view, 201) if result.created else view


@blp.route("/projects/<string:external_id>", methods=["GET"])
@blp.response(200, ProjectOutSchema)
def get_project(org: str, external_id: str) -> dict[str, Any]:
    """Get one project by the organisation's own id"""
    db = session()
    project_id = projects.project_id_for(db, org, external_id)
    return project_views(db, [projects.get_project(db, project_id, current_principal())])[0]


@blp.route("/projects/<string:external_id>", methods=["DELETE"])
@blp.response(204)
def withdraw_project(org: str, external_id: str) -> Response:
    """Withdraw one project (it stays in history)"""
    principal = require_writer(org)
    with transaction() as db:
        projects.withdraw(db, org, external_id, actor=actor_name(principal))
    return Response(status=204)
