"""Charts as SVG drawn on the server: readable without JavaScript, printable, linkable.

Each function takes plain data and the words to show (already translated) and returns
one ``<svg>`` element. Every mark that stands for projects is a link to them, with its
own accessible name; the pages put a data table next to each chart as its text
alternative, so colour is never the only carrier of meaning.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = [
    "Bar",
    "Bubble",
    "BubbleWords",
    "Cluster",
    "Edge",
    "HeatCell",
    "Node",
    "bar_chart",
    "bubble_chart",
    "heat_map",
    "network",
    "quadrant_grid",
]

INK = "#1b1b1b"
MUTED = "#4a4a4a"
GRID = "#b8b8b8"
FONT = 'font-family="system-ui, sans-serif"'


def _svg(
    chart_id: str,
    width: float,
    height: float,
    title: str,
    description: str,
    body: str,
    role: str = "group",
) -> Markup:
    """The outer element: a scalable drawing named by its title and description."""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="{role}" '
        f'aria-labelledby="{escape(chart_id)}-title" aria-describedby="{escape(chart_id)}-desc" {FONT}>'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>{body}</svg>'
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 13,
    anchor: str = "start",
    colour: str = INK,
    weight: str = "normal",
    extra: str = "",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{colour}" font-weight="{weight}"{extra}>{escape(text)}</text>'
    )


def _link(url: str, name: str, inner: str) -> str:
    return f'<a href="{escape(url)}" aria-label="{escape(name)}"><title>{escape(name)}</title>{inner}</a>'


# --- value × risk --------------------------------------------------------------------------


@dataclass(frozen=True)
class Bubble:
    """One assessed project: its judgements (1–5), budget and stage."""

    name: str  # what a reader hears and sees on hover: title, owner, stage, scores
    url: str
    value: int
    risk: int
    budget: float | None
    colour: str


@dataclass(frozen=True)
class BubbleWords:
    title: str
    description: str
    value_axis: str
    risk_axis: str
    low: str
    high: str
    quadrants: Mapping[str, str]  # pearls, oysters, bread_and_butter, white_elephants


_QUADRANT_FILLS = {
    "pearls": "#e8f4ea",
    "oysters": "#e6eef8",
    "bread_and_butter": "#faf3df",
    "white_elephants": "#efefef",
}
_PLOT = (72.0, 16.0, 560.0, 440.0)  # left, top, width, height
_HIGH_FROM = 4  # the balance analysis: 4 and 5 are high on the 1–5 scales


def bubble_chart(
    bubbles: Sequence[Bubble], words: BubbleWords, chart_id: str = "value-risk"
) -> Markup:
    """Value (up) against risk (right), bubble area by budget, colour by stage.

    The four fields are Cooper, Edgett & Kleinschmidt's (2002) quadrants. Projects with
    the same two scores are spread in a small spiral around the point they share.
    """
    left, top, width, height = _PLOT
    cell_w, cell_h = width / 5, height / 5
    split_x, split_y = left + (_HIGH_FROM - 1) * cell_w, top + height - (_HIGH_FROM - 1) * cell_h
    parts = [
        _rect(left, top, split_x - left, split_y - top, _QUADRANT_FILLS["pearls"]),
        _rect(split_x, top, left + width - split_x, split_y - top, _QUADRANT_FILLS["oysters"]),
        _rect(
            left,
            split_y,
            split_x - left,
            top + height - split_y,
            _QUADRANT_FILLS["bread_and_butter"],
        ),
        _rect(
            split_x,
            split_y,
            left + width - split_x,
            top + height - split_y,
            _QUADRANT_FILLS["white_elephants"],
        ),
    ]
    for step in range(1, 5):
        x, y = left + step * cell_w, top + step * cell_h
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + height}" stroke="{GRID}" stroke-width="{2 if x == split_x else 0.6}"/>'
        )
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="{GRID}" stroke-width="{2 if y == split_y else 0.6}"/>'
        )
    parts.append(
        f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="none" stroke="{MUTED}"/>'
    )
    corners = {
        "pearls": (left + 8, top + 20, "start"),
        "oysters": (left + width - 8, top + 20, "end"),
        "bread_and_butter": (left + 8, top + height - 10, "start"),
        "white_elephants": (left + width - 8, top + height - 10, "end"),
    }
    for key, (x, y, anchor) in corners.items():
        parts.append(_text(x, y, words.quadrants[key], size=17, anchor=anchor, weight="bold"))
    for score in range(1, 6):
        across = left + (score - 0.5) * cell_w
        up = top + height - (score - 0.5) * cell_h
        parts.append(
            _text(across, top + height + 22, str(score), anchor="middle", size=16, colour=MUTED)
        )
        parts.append(_text(left - 10, up + 6, str(score), anchor="end", size=16, colour=MUTED))
    risk_axis = f"{words.risk_axis} ({words.low} → {words.high})"
    value_axis = f"{words.value_axis} ({words.low} → {words.high})"
    parts.append(_text(left + width / 2, top + height + 48, risk_axis, anchor="middle", size=17))
    turned = f' transform="translate(22 {top + height / 2:.1f}) rotate(-90)"'
    parts.append(_text(0, 0, value_axis, anchor="middle", size=17, extra=turned))
    parts += _bubbles(bubbles, cell_w, cell_h)
    return _svg(
        chart_id,
        left + width + 16,
        top + height + 60,
        words.title,
        words.description,
        "".join(parts),
    )


def _rect(x: float, y: float, w: float, h: float, fill: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}"/>'


def _bubbles(bubbles: Sequence[Bubble], cell_w: float, cell_h: float) -> list[str]:
    left, top, _width, height = _PLOT
    largest = max((b.budget or 0 for b in bubbles), default=0) or 1
    cells: dict[tuple[int, int], list[Bubble]] = {}
    for bubble in sorted(bubbles, key=lambda b: -(b.budget or 0)):
        cells.setdefault((bubble.value, bubble.risk), []).append(bubble)
    drawn: list[tuple[float, str]] = []
    for (value, risk), members in cells.items():
        centre_x = left + (risk - 0.5) * cell_w
        centre_y = top + height - (value - 0.5) * cell_h
        spread = min(11.0, (min(cell_w, cell_h) / 2 - 12) / math.sqrt(max(len(members), 1)))
        for index, bubble in enumerate(members):
            angle, distance = index * 2.39996, spread * math.sqrt(index)
            x, y = centre_x + distance * math.cos(angle), centre_y + distance * math.sin(angle)
            radius = 4.5 + 16 * math.sqrt((bubble.budget or 0) / largest)
            dashed = "" if bubble.budget else ' stroke-dasharray="2 2"'
            circle = (
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{bubble.colour}" '
                f'fill-opacity="0.8" stroke="{INK}" stroke-width="1.2"{dashed}/>'
            )
            drawn.append((radius, _link(bubble.url, bubble.name, circle)))
    # Large bubbles first, so small ones stay visible (and clickable) on top.
    return [markup for _radius, markup in sorted(drawn, key=lambda item: -item[0])]


# --- bars (the stage pipeline) -------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    url: str
    colour: str
    name: str  # accessible name, e.g. "Pilot: 4 projects"


def bar_chart(
    bars: Sequence[Bar], title: str, description: str, chart_id: str = "pipeline"
) -> Markup:
    """One horizontal bar per stage, in pipeline order, each linking to its projects."""
    label_width, bar_width, row = 190.0, 330.0, 30.0
    largest = max((bar.count for bar in bars), default=0) or 1
    parts = []
    for index, bar in enumerate(bars):
        y = 8 + index * row
        length = bar_width * bar.count / largest
        shape = (
            _text(label_width - 10, y + 17, bar.label, anchor="end")
            + f'<rect x="{label_width}" y="{y + 3:.1f}" width="{max(length, 1.5):.1f}" height="{row - 8}" '
            f'fill="{bar.colour}" stroke="{INK}" stroke-width="0.8"/>'
            + _text(label_width + length + 8, y + 17, str(bar.count))
        )
        parts.append(_link(bar.url, bar.name, shape) if bar.count else shape)
    return _svg(
        chart_id,
        label_width + bar_width + 50,
        16 + len(bars) * row,
        title,
        description,
        "".join(parts),
    )


# --- coverage heat map ---------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    count: int
    weight: float
    status: str  # none, thin, covered
    url: str
    name: str


_HEAT = {"none": ("#ffffff", INK), "thin": ("#fbd9b5", INK)}
_COVERED = ((2.0, "#c6dbef", INK), (4.0, "#6baed6", INK), (math.inf, "#1f5f99", "#ffffff"))


def _heat_colours(cell: HeatCell) -> tuple[str, str]:
    if cell.status in _HEAT:
        return _HEAT[cell.status]
    for limit, fill, ink in _COVERED:
        if cell.weight < limit:
            return fill, ink
    return _COVERED[-1][1], _COVERED[-1][2]


def heat_map(
    rows: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    cells: Mapping[tuple[str, str], HeatCell],
    title: str,
    description: str,
    chart_id: str = "coverage",
) -> Markup:
    """Themes (rows) × areas (columns); each cell's shade is the weighted active work there."""
    label_width, cell_w, cell_h = 300.0, 52.0, 34.0
    longest = max((len(_short(name, 18)) for _code, name in columns), default=4)
    header = 24.0 + longest * 6.0  # room for the column names, written at 45°
    parts = []
    for index, (_code, name) in enumerate(columns):
        x = label_width + index * cell_w + cell_w / 2
        parts.append(
            _text(
                0,
                0,
                _short(name, 18),
                size=12,
                extra=f' transform="translate({x:.1f} {header - 8}) rotate(-45)"',
            )
        )
    for r, (row_code, row_name) in enumerate(rows):
        y = header + r * cell_h
        parts.append(
            _text(label_width - 8, y + cell_h / 2 + 4, _short(row_name, 42), anchor="end", size=12)
        )
        for c, (column_code, _name) in enumerate(columns):
            cell = cells.get((row_code, column_code))
            if cell is None:
                continue
            fill, ink = _heat_colours(cell)
            x = label_width + c * cell_w
            shape = (
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}" stroke="{MUTED}" stroke-width="0.8"/>'
                + _text(
                    x + cell_w / 2 - 1,
                    y + cell_h / 2 + 4,
                    str(cell.count) if cell.count else "–",
                    anchor="middle",
                    colour=ink,
                    size=13,
                )
            )
            parts.append(_link(cell.url, cell.name, shape))
    width = label_width + max(len(columns), 1) * cell_w + 10
    return _svg(
        chart_id, width, header + len(rows) * cell_h + 8, title, description, "".join(parts)
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- overlap clusters ------------------------------------------------------------------------


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
        parts.append(_text(ox + 14, oy + 26, _short(cluster.label, 40), size=13, weight="bold"))
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
                + _text(x, y + 4.5, str(node.number), anchor="middle", size=12, weight="bold")
            )
            parts.append(_link(node.url, node.name, shape))
    rows = max(1, math.ceil(len(clusters) / per_row))
    width = panel_w * min(per_row, max(len(clusters), 1))
    return _svg(chart_id, width, rows * panel_h, title, description, "".join(parts))


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


# --- the small value × risk grid (organisation page) -----------------------------------------


def quadrant_grid(
    counts: Mapping[str, int],
    names: Mapping[str, str],
    title: str,
    description: str,
    chart_id: str = "quadrants",
) -> Markup:
    """Four fields with how many projects each holds; a picture, so ``role="img"``."""
    size = 120.0
    layout = {
        "pearls": (0, 0),
        "oysters": (1, 0),
        "bread_and_butter": (0, 1),
        "white_elephants": (1, 1),
    }
    parts = []
    for key, (col, row) in layout.items():
        x, y = 4 + col * size, 4 + row * size
        parts.append(_rect(x, y, size - 4, size - 4, _QUADRANT_FILLS[key]))
        parts.append(
            _text(
                x + size / 2 - 2,
                y + 46,
                str(counts.get(key, 0)),
                anchor="middle",
                size=30,
                weight="bold",
            )
        )
        parts.append(
            _text(x + size / 2 - 2, y + 78, _short(names[key], 16), anchor="middle", size=13)
        )
    return _svg(
        chart_id, 2 * size + 8, 2 * size + 8, title, description, "".join(parts), role="img"
    )
