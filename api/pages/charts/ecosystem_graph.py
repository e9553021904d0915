"""The ecosystem graph: organisations as circles, partner and funding ties as lines.

The layout is networkx's spring layout with a fixed seed, so the same graph is drawn the
same way every time. Partner ties are solid lines, thicker with more shared projects;
funding ties are dashed with an arrow toward the funded organisation. Every organisation
and every tie has its own ``<title>``; the page's tables are the text alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
from markupsafe import Markup, escape

from api.pages.charts.svg import INK, MUTED, link, short, svg, text

__all__ = ["COMMUNITY_COLOURS", "GraphTie", "OrganisationDot", "ecosystem_graph"]

# Okabe-Ito, colour-blind safe; communities beyond eight reuse them (the table names each).
COMMUNITY_COLOURS = (
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#f0e442",
    "#0072b2",
    "#d55e00",
    "#cc79a7",
    "#999999",
)
FUNDS_COLOUR = "#1b7837"
PARTNER_COLOUR = "#6b6b6b"
SEED = 15


@dataclass(frozen=True)
class OrganisationDot:
    id: str
    name: str  # the accessible name, e.g. "Aarhus Kommune: 3 projects, bridge"
    label: str  # the short text beside the circle
    url: str
    community: int
    bridge: bool
    centre: bool  # the organisation the page is about


@dataclass(frozen=True)
class GraphTie:
    source: str
    target: str
    funds: bool  # False: partners
    count: int  # projects behind the tie
    name: str  # the accessible name, listing the projects


def ecosystem_graph(
    dots: Sequence[OrganisationDot],
    ties: Sequence[GraphTie],
    title: str,
    description: str,
    chart_id: str = "ecosystem-graph",
) -> Markup:
    width = height = 640.0 if len(dots) > 12 else 520.0
    places = _layout(dots, ties, width, height)
    parts = [_defs()]
    parts += [_tie(tie, places) for tie in ties if tie.source in places and tie.target in places]
    parts += [_dot(dot, places[dot.id]) for dot in dots]
    return svg(chart_id, width, height, title, description, "".join(parts))


def _layout(
    dots: Sequence[OrganisationDot], ties: Sequence[GraphTie], width: float, height: float
) -> dict[str, tuple[float, float]]:
    graph = nx.Graph()
    graph.add_nodes_from(sorted(d.id for d in dots))
    graph.add_edges_from(sorted((t.source, t.target) for t in ties))
    if len(graph) == 1:
        return {dots[0].id: (width / 2, height / 2)}
    raw = nx.spring_layout(graph, seed=SEED) if len(graph) else {}
    margin = 70.0  # room for the labels
    return {
        node: (
            margin + (float(x) + 1) / 2 * (width - 2 * margin),
            margin + (float(y) + 1) / 2 * (height - 2 * margin),
        )
        for node, (x, y) in raw.items()
    }


def _defs() -> str:
    return (
        '<defs><marker id="funds-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{FUNDS_COLOUR}"/></marker></defs>'
    )


def _tie(tie: GraphTie, places: dict[str, tuple[float, float]]) -> str:
    (x1, y1), (x2, y2) = places[tie.source], places[tie.target]
    if tie.funds:
        # Stop short of the circle so the arrow head shows.
        length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1.0)
        x2, y2 = x2 - (x2 - x1) * 14 / length, y2 - (y2 - y1) * 14 / length
        style = f'stroke="{FUNDS_COLOUR}" stroke-width="2" stroke-dasharray="6 4" marker-end="url(#funds-arrow)"'
    else:
        thickness = min(1.5 + tie.count, 7.0)
        style = f'stroke="{PARTNER_COLOUR}" stroke-width="{thickness:.1f}" stroke-opacity="0.8"'
    return (
        f"<g><title>{escape(tie.name)}</title>"
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" {style}/></g>'
    )


def _dot(dot: OrganisationDot, place: tuple[float, float]) -> str:
    x, y = place
    radius = 14 if dot.centre else 10
    colour = COMMUNITY_COLOURS[dot.community % len(COMMUNITY_COLOURS)]
    # A bridge gets a thick dark ring: not colour alone.
    ring = f'stroke="{INK}" stroke-width="{3.5 if dot.bridge else 1.2}"'
    shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" {ring}/>' + text(
        x,
        y + radius + 13,
        short(dot.label, 26),
        size=12,
        anchor="middle",
        colour=INK if dot.centre else MUTED,
        weight="bold" if dot.centre else "normal",
    )
    return link(dot.url, dot.name, shape)
