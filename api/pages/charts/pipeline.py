"""The stage pipeline: one bar per stage, each linking to its projects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from api.pages.charts.svg import INK, link, svg, text

__all__ = ["Bar", "bar_chart"]


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
            text(label_width - 10, y + 17, bar.label, anchor="end")
            + f'<rect x="{label_width}" y="{y + 3:.1f}" width="{max(length, 1.5):.1f}" height="{row - 8}" '
            f'fill="{bar.colour}" stroke="{INK}" stroke-width="0.8"/>'
            + text(label_width + length + 8, y + 17, str(bar.count))
        )
        parts.append(link(bar.url, bar.name, shape) if bar.count else shape)
    return svg(
        chart_id,
        label_width + bar_width + 50,
        16 + len(bars) * row,
        title,
        description,
        "".join(parts),
    )
