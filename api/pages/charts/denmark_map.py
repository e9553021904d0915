"""Denmark's 98 municipalities as a choropleth: a count per municipality, a mandate outlined.

The shapes come from ``seeds/data/municipality_shapes.json`` (DAGI 2014, simplified by
``seeds/build_map.py``; Bornholm sits in an inset box). Every municipality is a link with
its own accessible name ("Aarhus: 4 projekter"); the classes are a single-hue sequential
scale, which stays readable with every kind of colour blindness and in greyscale; the
legend is repeated as text and the drawing comes with a table of every municipality and
its count, so neither colour nor the drawing is the only carrier of the data.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from api.pages.charts.svg import INK, MUTED, rect, svg, text
from ecosystem.data_files import seeds_data

__all__ = [
    "LegendClass",
    "MapDrawing",
    "MapRow",
    "MapWords",
    "Shapes",
    "classes_for",
    "denmark_map",
    "shapes",
]

# ColorBrewer "Blues" (sequential, colour-blind safe); zero gets a neutral grey
ZERO = "#f0f0f0"
BLUES = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")
BORDER = "#7a7a7a"
OUTLINE = "#d7301f"  # an orange-red outline stands out against every blue
LEGEND_HEIGHT = 64.0
# A part of the country is drawn at most this large (CSS pixels), with this margin around
# it (drawing units): a health council's ten municipalities fill the frame as the whole
# country does, instead of a corner of it.
PART_WIDTH, PART_HEIGHT, PART_MARGIN = 520.0, 480.0, 4.0
BORNHOLM = "0400"
Box = tuple[float, float, float, float]  # min x, min y, max x, max y


@dataclass(frozen=True)
class Shapes:
    """The drawing's size, the inset box and one SVG path (and DAGI name) per municipality."""

    width: float
    height: float
    inset_box: tuple[float, float, float, float]
    paths: Mapping[str, str]
    names: Mapping[str, str]
    source: str
    boxes: Mapping[str, Box]  # each municipality's bounding box, to draw a part of the map


@lru_cache(maxsize=1)
def shapes() -> Shapes:
    """The shipped shapes, read once per process."""
    data: dict[str, Any] = json.loads(
        seeds_data("municipality_shapes.json").read_text(encoding="utf-8")
    )
    municipalities: dict[str, dict[str, str]] = data["municipalities"]
    x, y, w, h = data["inset"]["box"]
    return Shapes(
        width=float(data["width"]),
        height=float(data["height"]),
        inset_box=(x, y, w, h),
        paths={code: m["d"] for code, m in municipalities.items()},
        names={code: m["name"] for code, m in municipalities.items()},
        source=data["source"],
        boxes={code: path_box(m["d"]) for code, m in municipalities.items()},
    )


_PATH_TOKEN = re.compile(r"[MLZmlz]|-?(?:\d+\.?\d*|\.\d+)")


def path_box(d: str) -> Box:
    """The bounding box of an SVG path made of moves, lines and closes (what the shapes use).

    Examples
    --------
    >>> path_box("M10 20l5 -5 .5 10zM0 1l2 2")
    (0.0, 1.0, 15.5, 25.0)
    """
    xs: list[float] = []
    ys: list[float] = []
    x = y = start_x = start_y = 0.0
    command = "M"
    tokens = _PATH_TOKEN.findall(d)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.isalpha():
            command = token
            index += 1
            if command in "Zz":
                x, y = start_x, start_y
            continue
        dx, dy = float(token), float(tokens[index + 1])
        index += 2
        if command in "ML":
            x, y = dx, dy
        else:
            x, y = x + dx, y + dy
        if command in "Mm":
            start_x, start_y = x, y
            # further pairs after a move are lines, in the move's own frame
            command = "L" if command == "M" else "l"
        xs.append(x)
        ys.append(y)
    return round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1)


@dataclass(frozen=True)
class LegendClass:
    """Counts from ``low`` to ``high`` (inclusive) share a colour."""

    low: int
    high: int
    colour: str

    @property
    def label(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"

    def holds(self, count: int) -> bool:
        return self.low <= count <= self.high


def classes_for(largest: int) -> list[LegendClass]:
    """Zero, then up to four classes of equal width up to the largest count.

    Examples
    --------
    >>> [c.label for c in classes_for(10)]
    ['0', '1–3', '4–5', '6–8', '9–10']
    >>> [c.label for c in classes_for(2)]
    ['0', '1', '2']
    >>> [c.label for c in classes_for(0)]
    ['0']
    """
    found = [LegendClass(0, 0, ZERO)]
    steps = min(len(BLUES), largest)
    low = 1
    for step in range(steps):
        high = math.ceil(largest * (step + 1) / steps)
        if high >= low:
            found.append(LegendClass(low, high, BLUES[len(found) - 1]))
            low = high + 1
    return found


@dataclass(frozen=True)
class MapWords:
    """The texts of a map, already in the reader's language."""

    title: str
    description: str
    legend: str  # heading of the legend, e.g. "Antal projekter"
    outlined: str  # what the outline shows, e.g. "Sundhedsråd Aarhus"; "" when none
    municipality: str  # column heading
    count: str  # column heading
    in_outline: str  # column heading, e.g. "I sundhedsrådet"
    yes: str
    caption: str  # the table's caption
    count_text: Callable[[str, int], str]  # ("Aarhus", 4) -> "Aarhus: 4 projekter"


@dataclass(frozen=True)
class MapRow:
    code: str
    name: str
    count: int
    url: str
    outlined: bool
    colour: str


@dataclass(frozen=True)
class MapDrawing:
    """The SVG, its legend (for a text legend beside it) and the table of every municipality."""

    svg: Markup
    legend: list[LegendClass]
    rows: list[MapRow]
    table: Markup
    bornholm_inset: bool = True  # whether Bornholm is drawn in its box (for the text legend)


def denmark_map(
    values: Mapping[str, int],
    url_for: Callable[[str], str],
    words: MapWords,
    *,
    names: Mapping[str, str] | None = None,
    outlined: Collection[str] = (),
    only: Collection[str] = (),
    chart_id: str = "denmark-map",
) -> MapDrawing:
    """A choropleth of ``values`` (municipality code → count), ``outlined`` drawn around.

    ``url_for`` gives each municipality's link (its projects); ``names`` the names in the
    reader's language (the DAGI names otherwise). ``only``: draw just these
    municipalities, enlarged to fill the frame (a health council's part of the country);
    such a part has no legend inside the drawing, so the page gives it as text. Codes that
    are not municipalities are ignored.
    """
    drawn = shapes()
    codes = [code for code in drawn.paths if not only or code in only]
    legend = classes_for(max((values.get(code, 0) for code in codes), default=0))
    rows = [
        MapRow(
            code,
            (names or {}).get(code) or drawn.names[code],
            values.get(code, 0),
            url_for(code),
            code in outlined,
            _colour(values.get(code, 0), legend),
        )
        for code in codes
    ]
    rows.sort(key=lambda row: row.name)
    part = bool(only) and len(codes) < len(drawn.paths)
    shapes_drawn = "".join(_shape(chart_id, row, words, fixed_stroke=part) for row in rows)
    outline = _outline(chart_id, [row for row in rows if row.outlined])
    inset = not part or (BORNHOLM in codes and len(codes) > 1)
    if part:
        body = (_inset(drawn) if inset else "") + shapes_drawn + outline
        width, height, view_box = _part_frame([drawn.boxes[code] for code in codes])
    else:
        legend_drawn = _legend(legend, words, drawn, bool(outlined))
        body = _inset(drawn) + shapes_drawn + outline + legend_drawn
        width, height, view_box = drawn.width, drawn.height + LEGEND_HEIGHT, None
    drawing = svg(
        chart_id,
        width,
        height,
        words.title,
        words.description,
        body,
        # "group", not "img": an image's children are hidden from assistive technology,
        # and these are links
        role="group",
        view_box=view_box,
    )
    return MapDrawing(drawing, legend, rows, _table(rows, words), bornholm_inset=inset)


def _part_frame(boxes: Sequence[Box]) -> tuple[float, float, Box]:
    """The size to draw a part of the country at, and the part's view box (x, y, w, h)."""
    left = min(box[0] for box in boxes) - PART_MARGIN
    top = min(box[1] for box in boxes) - PART_MARGIN
    width = max(box[2] for box in boxes) + PART_MARGIN - left
    height = max(box[3] for box in boxes) + PART_MARGIN - top
    scale = min(PART_WIDTH / width, PART_HEIGHT / height)
    return width * scale, height * scale, (left, top, width, height)


def _colour(count: int, legend: Sequence[LegendClass]) -> str:
    return next((c.colour for c in legend if c.holds(count)), legend[-1].colour)


def _shape(chart_id: str, row: MapRow, words: MapWords, *, fixed_stroke: bool = False) -> str:
    """One municipality as a link; ``fixed_stroke``: borders keep their width when enlarged."""
    name = words.count_text(row.name, row.count)
    # An enlarged part would thicken every border with its scale; a stroke that does not
    # scale keeps a part's borders (and the outline's copies of them) as thin as the whole's.
    effect = ' vector-effect="non-scaling-stroke"' if fixed_stroke else ""
    # the fill sits on a group around the path, so the outline's <use> copies can set their own
    return (
        f'<a href="{escape(row.url)}" aria-label="{escape(name)}"><title>{escape(name)}</title>'
        f'<g fill="{row.colour}" stroke="{BORDER}" stroke-width="0.5" stroke-linejoin="round">'
        f'<path id="{chart_id}-{row.code}" d="{shapes().paths[row.code]}"{effect}/></g></a>'
    )


def _outline(chart_id: str, rows: Sequence[MapRow]) -> str:
    """The outer edge of the outlined municipalities together.

    Each is stroked thickly, then filled again on top: the inner half of every stroke is
    covered, and so are the borders between two outlined municipalities — only the outer
    edge of the whole remains. The copies are decoration (``aria-hidden``, no pointer
    events), so the links below keep working.
    """
    if not rows:
        return ""
    thick = "".join(f'<use href="#{chart_id}-{row.code}"/>' for row in rows)
    again = "".join(f'<use href="#{chart_id}-{row.code}" fill="{row.colour}"/>' for row in rows)
    return (
        f'<g aria-hidden="true" pointer-events="none">'
        f'<g fill="none" stroke="{OUTLINE}" stroke-width="4" stroke-linejoin="round">{thick}</g>'
        f'<g stroke="{BORDER}" stroke-width="0.5" stroke-linejoin="round">{again}</g></g>'
    )


def _inset(drawn: Shapes) -> str:
    x, y, w, h = drawn.inset_box
    return (
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="{MUTED}" '
        f'stroke-width="0.8" aria-hidden="true"/>'
    )


def _legend(legend: Sequence[LegendClass], words: MapWords, drawn: Shapes, outline: bool) -> str:
    """A row of swatches below the map (the page repeats it as text)."""
    top = drawn.height + 8
    parts = [text(8, top + 12, words.legend, size=13, weight="bold")]
    x = 8.0
    for item in legend:
        parts.append(
            rect(x, top + 22, 18, 14, item.colour)
            + f'<rect x="{x:.1f}" y="{top + 22:.1f}" width="18" height="14" fill="none" '
            f'stroke="{BORDER}" stroke-width="0.5"/>' + text(x + 24, top + 34, item.label, size=12)
        )
        x += 34 + 8 * len(item.label)
    if outline and words.outlined:
        parts.append(
            f'<rect x="{x + 4:.1f}" y="{top + 22:.1f}" width="18" height="14" fill="none" '
            f'stroke="{OUTLINE}" stroke-width="3"/>'
            + text(x + 30, top + 34, words.outlined, size=12, colour=INK)
        )
    return f'<g aria-hidden="true">{"".join(parts)}</g>'


def _table(rows: Sequence[MapRow], words: MapWords) -> Markup:
    """Every municipality with its count and link: the map's text alternative."""
    head = (
        f'<thead><tr><th scope="col">{escape(words.municipality)}</th>'
        f'<th scope="col" class="number">{escape(words.count)}</th>'
        + (f'<th scope="col">{escape(words.in_outline)}</th>' if words.outlined else "")
        + "</tr></thead>"
    )
    lines = []
    for row in rows:
        mark = escape(words.yes) if row.outlined else ""
        lines.append(
            f'<tr><th scope="row"><a href="{escape(row.url)}">{escape(row.name)}</a></th>'
            f'<td class="number">{row.count}</td>'
            + (f"<td>{mark}</td>" if words.outlined else "")
            + "</tr>"
        )
    return Markup(
        f'<table class="map-table"><caption>{escape(words.caption)}</caption>{head}'
        f"<tbody>{''.join(lines)}</tbody></table>"
    )
