"""The ecosystem graph: who works with whom and who funds whom, as node-link JSON."""

from __future__ import annotations

from typing import Any

from api.auth import current_principal
from api.db import unit_of_work
from api.parsing import Blueprint
from api.presenters.graph import graph_view
from api.schemas.common import problems
from api.schemas.graph import GraphArgs, GraphSchema
from ecosystem.services import graph

blp = Blueprint(
    "graph",
    __name__,
    url_prefix="/api/v1",
    description="Økosystemets netværk / The ecosystem graph",
)


@blp.route("/graph", methods=["GET"])
@blp.arguments(GraphArgs, location="query")
@blp.response(200, GraphSchema)
@problems(blp, 401)
def get_graph(args: dict[str, Any]) -> dict[str, Any]:
    """Organisations as nodes, partner and funding links with the projects behind each,
    betweenness, communities and bridges (over the projects the reader may see)"""
    found = graph.ecosystem_graph(
        unit_of_work(),
        current_principal(),
        organisation=args.get("organisation"),
        group=args.get("group"),
    )
    return graph_view(found)
