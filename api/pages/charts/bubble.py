"""Value against risk: the bubble chart of a portfolio, and the small four-field grid."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from api.pages.charts.svg import GRID, INK, MUTED, link, rect, short, svg, text

__all__ = ["QUADRANT_FILLS", "Bubble", "BubbleWords", "bubble_chart", "quadrant_grid"]


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


QUADRANT_FILLS = {
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
    # Over 60 lines as one SVG template read top to bottom: axes, quadrants, bubbles, legend.
    left, top, width, height = _PLOT
    cell_w, cell_h = width / 5, height / 5
    split_x, split_y = left + (_HIGH_FROM - 1) * cell_w, top + height - (_HIGH_FROM - 1) * cell_h
    parts = [
        rect(left, top, split_x - left, split_y - top, QUADRANT_FILLS["pearls"]),
        rect(split_x, top, left + width - split_x, split_y - top, QUADRANT_FILLS["oysters"]),
        rect(
            left,
            split_y,
            split_x - left,
            top + height - split_y,
            QUADRANT_FILLS["bread_and_butter"],
        ),
        rect(
            split_x,
            split_y,
            left + width - split_x,
            top + height - split_y,
            QUADRANT_FILLS["white_elephants"],
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
        parts.append(text(x, y, words.quadrants[key], size=17, anchor=anchor, weight="bold"))
    for score in range(1, 6):
        across = left + (score - 0.5) * cell_w
        up = top + height - (score - 0.5) * cell_h
        parts.append(
            text(across, top + height + 22, str(score), anchor="middle", size=16, colour=MUTED)
        )
        parts.append(text(left - 10, up + 6, str(score), anchor="end", size=16, colour=MUTED))
    risk_axis = f"{words.risk_axis} ({words.low} → {words.high})"
    value_axis = f"{words.value_axis} ({words.low} → {words.high})"
    parts.append(text(left + width / 2, top + height + 48, risk_axis, anchor="middle", size=17))
    turned = f' transform="translate(22 {top + height / 2:.1f}) rotate(-90)"'
    parts.append(text(0, 0, value_axis, anchor="middle", size=17, extra=turned))
    parts += _bubbles(bubbles, cell_w, cell_h)
    return svg(
        chart_id,
        left + width + 16,
        top + height + 60,
        words.title,
        words.description,
        "".join(parts),
    )


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
            drawn.append((radius, link(bubble.url, bubble.name, circle)))
    # Large bubbles first, so small ones stay visible (and clickable) on top.
    return [markup for _radius, markup in sorted(drawn, key=lambda item: -item[0])]


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
        parts.append(rect(x, y, size - 4, size - 4, QUADRANT_FILLS[key]))
        parts.append(
            text(
                x + size / 2 - 2,
                y + 46,
                str(counts.get(key, 0)),
                anchor="middle",
                size=30,
                weight="bold",
            )
        )
        parts.append(
            text(x + size / 2 - 2, y + 78, short(names[key], 16), anchor="middle", size=13)
        )
    return svg(chart_id, 2 * size + 8, 2 * size + 8, title, description, "".join(parts), role="img")
