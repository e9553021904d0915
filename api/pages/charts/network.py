"""Overlap clusters: each cluster in its own panel, projects on a circle, overlaps as lines."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from api.pages.charts.svg import GRID, INK, link, short, svg, text

__all__ = ["EDGE_STYLES", "Cluster", "Edge", "Node", "network"]


@dataclass(frozen=True)
class Node:
    project_id: int
    number: int  # shown in the drawing; the list beside it names the project
    name: str
    url: str
    colour: str


@dataclass(frozen=True)
class Edge:
    a: int
    b: int
    relation: str


@dataclass(frozen=True)
class Cluster:
    label: str
    nodes: Sequence[Node]
    edges: Sequence[Edge]


EDGE_STYLES = {
    "duplicate": ("#b2182b", "3", ""),
    "parallel": ("#2166ac", "2", ""),
    "sequential": ("#1b7837", "2", ' stroke-dasharray="7 4"'),
    "complementary": ("#6b6b6b", "1.5", ' stroke-dasharray="2 3"'),
}


def network(
    clusters: Sequence[Cluster], title: str, description: str, chart_id: str = "clusters"
) -> Markup:
    """Each cluster in its own panel, its projects on a circle, overlaps as lines."""
    panel_w, panel_h, per_row = 320.0, 270.0, 2
    parts = []
    for index, cluster in enumerate(clusters):
        ox, oy = (index % per_row) * panel_w, (index // per_row) * panel_h
        parts.append(
            f'<rect x="{ox + 4:.0f}" y="{oy + 4:.0f}" width="{panel_w - 8:.0f}" height="{panel_h - 8:.0f}" fill="#fafafa" stroke="{GRID}"/>'
        )
        parts.append(text(ox + 14, oy + 26, short(cluster.label, 40), size=13, weight="bold"))
        places = _circle(cluster.nodes, ox + panel_w / 2, oy + panel_h / 2 + 14)
        for edge in cluster.edges:
            if edge.a in places and edge.b in places:
                colour, stroke, dash = EDGE_STYLES.get(edge.relation, EDGE_STYLES["complementary"])
                (x1, y1), (x2, y2) = places[edge.a], places[edge.b]
                parts.append(
                    f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="{stroke}"{dash}/>'
                )
        for node in cluster.nodes:
            x, y = places[node.project_id]
            shape = (
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="13" fill="{node.colour}" stroke="{INK}" stroke-width="1.2"/>'
                + text(x, y + 4.5, str(node.number), anchor="middle", size=12, weight="bold")
            )
            parts.append(link(node.url, node.name, shape))
    rows = max(1, math.ceil(len(clusters) / per_row))
    width = panel_w * min(per_row, max(len(clusters), 1))
    return svg(chart_id, width, rows * panel_h, title, description, "".join(parts))


def _circle(nodes: Sequence[Node], cx: float, cy: float) -> dict[int, tuple[float, float]]:
    count = len(nodes)
    radius = min(95.0, 30.0 + 9.0 * count)
    return {
        node.project_id: (
            cx + radius * math.cos(2 * math.pi * i / count - math.pi / 2),
            cy + radius * math.sin(2 * math.pi * i / count - math.pi / 2),
        )
        for i, node in enumerate(nodes)
    }
