"""Publishing: an organisation's whole portfolio, or one project at a time."""

from __future__ import annotations

from typing import Any

from flask import Response

from api.auth import current_principal
from api.db import retried_transaction, unit_of_work
from api.parsing import Blueprint
from api.presenters.projects import project_view
from api.schemas.common import problems
from api.schemas.projects import AsOfArgs, PortfolioOutSchema, ProjectOutSchema, PublishResultSchema
from ecosystem.portfolio import PortfolioSchema, ProjectSchema
from ecosystem.services import projects, publishing

blp = Blueprint(
    "portfolio",
    __name__,
    url_prefix="/api/v1/organisations/<string:org>",
    description="Udgiv porteføljen / Publish a portfolio",
)


@blp.route("/portfolio", methods=["PUT"])
@blp.arguments(PortfolioSchema)
@blp.response(200, PublishResultSchema)
@problems(blp, 401, 403, 404, 409, 422)
def publish_portfolio(document: dict[str, Any], org: str) -> dict[str, Any]:
    """Publish the whole portfolio; projects left out are withdrawn (kept in history)"""
    principal = current_principal()
    result = retried_transaction(
        lambda uow: publishing.publish_portfolio(uow, principal, org, document)
    )
    return {"organisation": org, **vars(result)}


@blp.route("/portfolio", methods=["GET"])
@blp.arguments(AsOfArgs, location="query")
@blp.response(200, PortfolioOutSchema)
@problems(blp, 401, 404)
def read_portfolio(args: dict[str, Any], org: str) -> dict[str, Any]:
    """Read the portfolio back as a portfolio document (optionally as of a past moment)"""
    uow = unit_of_work()
    records = projects.portfolio(uow, current_principal(), org, as_of=args.get("as_of"))
    return {
        "organisation": org,
        "complete": projects.all_complete(uow, [org]),
        "projects": [record.data for record in records],
    }


@blp.route("/projects/<string:external_id>", methods=["PUT"])
@blp.arguments(ProjectSchema)
@blp.response(200, ProjectOutSchema)
@blp.alt_response(
    201, schema=ProjectOutSchema, description="Created: the project is new", success=True
)
@problems(blp, 401, 403, 404, 409, 422)
def put_project(card: dict[str, Any], org: str, external_id: str) -> Any:
    """Create or replace one project (201 when it is new)"""
    publishing.check_external_id(card, external_id)
    principal = current_principal()
    put = retried_transaction(lambda uow: publishing.put_project(uow, principal, org, card))
    view = project_view(put.detail.project, put.detail.organisation)
    return (view, 201) if put.created else view


@blp.route("/projects/<string:external_id>", methods=["GET"])
@blp.response(200, ProjectOutSchema)
@blp.doc(operationId="get_organisation_project")  # projects.get_project is get_project
@problems(blp, 401, 404)
def get_project(org: str, external_id: str) -> dict[str, Any]:
    """Get one project by the organisation's own id"""
    found = projects.find_project(unit_of_work(), current_principal(), org, external_id)
    return project_view(found.project, found.organisation)


@blp.route("/projects/<string:external_id>", methods=["DELETE"])
@blp.response(204)
@problems(blp, 401, 403, 404, 409)
def withdraw_project(org: str, external_id: str) -> Response:
    """Withdraw one project (it stays in history)"""
    principal = current_principal()
    retried_transaction(lambda uow: publishing.withdraw_project(uow, principal, org, external_id))
    return Response(status=204)
