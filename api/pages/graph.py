"""The ecosystem graph pages: one organisation and its neighbours, a group's slice.

The drawing is server-side SVG (:mod:`api.pages.charts.ecosystem_graph`); beside it a
table of every tie with the projects behind it, and one of the organisations with their
betweenness and community, so nothing is told by the drawing alone.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue

from api.db import unit_of_work
from api.pages import charts, common
from api.pages.i18n import gettext as _
from api.pages.i18n import ngettext
from ecosystem.graph import FUNDS, EcosystemGraph
from ecosystem.services import groups, projects
from ecosystem.services.graph import GraphView, ecosystem_graph

__all__ = ["bp"]

bp = Blueprint("graph", __name__)

LABEL_ALL = 25  # up to this many organisations, every circle is labelled
LABELS = 12  # in a larger drawing, the organisations in most projects are


@bp.get("/organisations/<organisation_id>/graph")
def organisation(organisation_id: str) -> ResponseReturnValue:
    uow = unit_of_work()
    found = projects.known_organisation(uow, organisation_id)  # unknown: 404
    view = ecosystem_graph(uow, common.principal(), organisation=organisation_id)
    heading = _("Partners and funders: %(name)s", name=found.name)
    return _page(view, heading, centre=organisation_id, back=("organisation", found.name))


@bp.get("/groups/<group_id>/graph")
def group(group_id: str) -> ResponseReturnValue:
    uow = unit_of_work()
    found = groups.get_group(uow, group_id)  # unknown: 404
    view = ecosystem_graph(uow, common.principal(), group=group_id)
    heading = _("Partners and funders in the group %(name)s", name=found.name)
    return _page(view, heading, centre=None, back=("group", found.name))


def _page(
    view: GraphView, heading: str, *, centre: str | None, back: tuple[str, str]
) -> ResponseReturnValue:
    graph = view.graph
    names = {n.id: n.name for n in graph.nodes}
    ties = [_tie(edge, names, view) for edge in graph.edges]
    labelled = _labelled(graph, centre)
    drawing = charts.ecosystem_graph(
        [_dot(node, graph, centre, node.id in labelled) for node in graph.nodes],
        [tie["drawn"] for tie in ties],
        heading,
        _(
            "Organisations as circles coloured by community; partner ties as solid lines, funding as dashed arrows toward the funded organisation. The tables below list every tie and organisation."
        ),
    )
    return render_template(
        "pages/graph.html",
        view=view,
        heading=heading,
        drawing=drawing if graph.nodes else None,
        ties=ties,
        nodes=sorted(graph.nodes, key=lambda n: (-n.betweenness, n.name)),
        names=names,
        back=back,
    )


def _labelled(graph: EcosystemGraph, centre: str | None) -> set[str]:
    """Whom to label in the drawing: everyone in a small graph; in a large one the centre,
    the bridges and the organisations in most projects (the tables name everyone)."""
    if len(graph.nodes) <= LABEL_ALL:
        return {n.id for n in graph.nodes}
    busiest = sorted(graph.nodes, key=lambda n: (-len(n.projects), n.id))[:LABELS]
    return {n.id for n in busiest} | set(graph.bridges) | ({centre} if centre else set())


def _dot(
    node: Any, graph: EcosystemGraph, centre: str | None, labelled: bool
) -> charts.OrganisationDot:
    bridge = node.id in graph.bridges
    count = ngettext("%(num)d project", "%(num)d projects", len(node.projects))
    name = f"{node.name}: {count}" + (f", {_('bridge')}" if bridge else "")
    return charts.OrganisationDot(
        id=node.id,
        name=name,
        label=node.name if labelled else "",
        url=url_for("pages.graph.organisation", organisation_id=node.id),
        community=node.community,
        bridge=bridge,
        centre=node.id == centre,
    )


def _tie(edge: Any, names: dict[str, str], view: GraphView) -> dict[str, Any]:
    funds = edge.kind == FUNDS
    source, target = names.get(edge.source, edge.source), names.get(edge.target, edge.target)
    behind = [view.projects[i] for i in edge.projects if i in view.projects]
    if funds:
        what = _("%(funder)s funds %(funded)s", funder=source, funded=target)
    else:
        what = _("%(a)s and %(b)s work together", a=source, b=target)
    titles = "; ".join(p.title for p in behind)
    drawn = charts.GraphTie(edge.source, edge.target, funds, len(behind), f"{what}: {titles}")
    return {"edge": edge, "what": what, "funds": funds, "projects": behind, "drawn": drawn}
