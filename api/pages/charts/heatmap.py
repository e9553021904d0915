"""Coverage: themes × areas, each cell shaded by the weighted active work there."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from api.pages.charts.svg import INK, MUTED, link, short, svg, text

__all__ = ["HeatCell", "heat_map"]


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
    cell_w, cell_h = 52.0, 34.0
    # The row names take only the room they need, so a phone shows a column or two more.
    longest_row = max((len(short(name, 42)) for _code, name in rows), default=10)
    label_width = min(300.0, 16.0 + longest_row * 6.6)
    longest = max((len(short(name, 18)) for _code, name in columns), default=4)
    header = 24.0 + longest * 6.0  # room for the column names, written at 45°
    parts = []
    for index, (_code, name) in enumerate(columns):
        x = label_width + index * cell_w + cell_w / 2
        parts.append(
            text(
                0,
                0,
                short(name, 18),
                size=12,
                extra=f' transform="translate({x:.1f} {header - 8}) rotate(-45)"',
            )
        )
    for r, (row_code, row_name) in enumerate(rows):
        y = header + r * cell_h
        parts.append(
            text(label_width - 8, y + cell_h / 2 + 4, short(row_name, 42), anchor="end", size=12)
        )
        for c, (column_code, _name) in enumerate(columns):
            cell = cells.get((row_code, column_code))
            if cell is None:
                continue
            fill, ink = _heat_colours(cell)
            x = label_width + c * cell_w
            shape = (
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}" stroke="{MUTED}" stroke-width="0.8"/>'
                + text(
                    x + cell_w / 2 - 1,
                    y + cell_h / 2 + 4,
                    str(cell.count) if cell.count else "–",
                    anchor="middle",
                    colour=ink,
                    size=13,
                )
            )
            parts.append(link(cell.url, cell.name, shape))
    width = label_width + max(len(columns), 1) * cell_w + 10
    return svg(chart_id, width, header + len(rows) * cell_h + 8, title, description, "".join(parts))
