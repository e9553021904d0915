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
    label: str  # the short text beside the circle; empty: none (its title still names it)
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
    width = 520.0 if len(dots) <= 12 else 640.0 if len(dots) <= 30 else 820.0
    places, height = _layout(dots, ties, width)
    parts = [_defs()]
    parts += [_tie(tie, places) for tie in ties if tie.source in places and tie.target in places]
    parts += [_dot(dot, places[dot.id]) for dot in dots]
    return svg(chart_id, width, height, title, description, "".join(parts))


STRIP_ROW = 150.0  # height of a row of small separate parts under the main one
PER_ROW = 5


def _layout(
    dots: Sequence[OrganisationDot], ties: Sequence[GraphTie], width: float
) -> tuple[dict[str, tuple[float, float]], float]:
    """Where each organisation goes, and the drawing's height.

    Laid out together, separate parts of the graph push each other to the corners and
    squeeze the largest one; so the largest part gets a square of its own and the others
    small cells in rows beneath it, each laid out alone.
    """
    graph = nx.Graph()
    graph.add_nodes_from(sorted(d.id for d in dots))
    graph.add_edges_from(sorted((t.source, t.target) for t in ties))
    parts = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    if not parts:
        return {}, width
    rows = -(-(len(parts) - 1) // PER_ROW)
    places = _placed(graph.subgraph(parts[0]), 0.0, 0.0, width, width)
    cell = width / PER_ROW
    for index, part in enumerate(parts[1:]):
        row, column = divmod(index, PER_ROW)
        top = width + row * STRIP_ROW
        places |= _placed(graph.subgraph(part), column * cell, top, cell, STRIP_ROW)
    return places, width + rows * STRIP_ROW


def _placed(
    part: nx.Graph, left: float, top: float, width: float, height: float
) -> dict[str, tuple[float, float]]:
    if len(part) == 1:
        return {next(iter(part.nodes)): (left + width / 2, top + height / 2)}
    # A longer ideal distance than networkx's 1/sqrt(n) spreads a crowded centre; the
    # labels need the room more than the lines do.
    spread = 1.8 / len(part) ** 0.5
    raw = nx.spring_layout(part, k=spread, iterations=100, seed=SEED)
    margin_x = min(70.0, width / 4)  # room for the labels
    margin_y = min(45.0, height / 4)
    return {
        node: (
            left + margin_x + (float(x) + 1) / 2 * (width - 2 * margin_x),
            top + margin_y + (float(y) + 1) / 2 * (height - 2 * margin_y),
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
    shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" {ring}/>'
    if dot.label:  # a crowded drawing labels only the main organisations; titles name all
        shape += text(
            x,
            y + radius + 13,
            short(dot.label, 26),
            size=12,
            anchor="middle",
            colour=INK if dot.centre else MUTED,
            weight="bold" if dot.centre else "normal",
            # Labels may overlap a neighbour's circle; the circle must stay clickable.
            extra=' pointer-events="none"',
        )
    return link(dot.url, dot.name, shape)
