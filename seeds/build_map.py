"""Build ``seeds/data/municipality_shapes.json``: the 98 municipalities as small SVG paths.

Run once, by hand; the output is committed (the service never reads the internet and
never needs the full-size boundaries)::

    python seeds/build_map.py [--source DIR] [--tolerance PX]

The source is the DAGI 2014 municipality boundaries in TopoJSON (see the README next to
them and ``seeds/data/SOURCES.md``). The steps:

1. decode the TopoJSON arcs (quantised, delta-encoded) to longitude/latitude;
2. project to a plane: equirectangular around 56° N, so a degree of longitude is
   cos(56°) of a degree of latitude — Denmark spans only 3° of latitude, so the
   distortion of this simple projection is a few per cent at most;
3. simplify every *arc* with Douglas–Peucker, keeping its end points. Neighbouring
   municipalities share their border arcs, so both sides get the same simplified line
   and no gaps or overlaps open between them (a topology-preserving simplification);
4. drop islets too small to see, move Bornholm into an inset box (it lies far east and
   would double the width of the map) and leave out Christiansø (0411), which is not one
   of the 98 municipalities;
5. write one SVG path per municipality, in relative coordinates with one decimal.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "geo"
TOPOJSON = "dagi2014_kommuner.topojson"
OUTPUT = ROOT / "seeds" / "data" / "municipality_shapes.json"
AREAS = ROOT / "seeds" / "data" / "areas.json"

WIDTH = 520.0  # the drawing's width in SVG units; the height follows from the shape
MARGIN = 6.0
NOT_A_MUNICIPALITY = {"0411"}  # Christiansø: administered by the state, not a municipality
INSET = "0400"  # Bornholm
INSET_SCALE = 1.0  # same scale as the main map, so its size is not misleading
INSET_PAD = 6.0
MIN_RING_AREA = 1.5  # square SVG units; smaller islets vanish at this scale anyway

Point = tuple[float, float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The arcs as lists of (longitude, latitude)."""
    scale_x, scale_y = topology["transform"]["scale"]
    move_x, move_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for position in arc:  # a third value (an elevation placeholder) is ignored
            x, y = x + position[0], y + position[1]
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)
    return arcs


def project(lon: float, lat: float) -> Point:
    """Equirectangular around 56° N, in degrees of latitude; y grows southwards (SVG)."""
    return lon * math.cos(math.radians(56.0)), -lat


def _distance(point: Point, start: Point, end: Point) -> float:
    """Distance from ``point`` to the segment start–end."""
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """The points kept by Douglas–Peucker; the first and last are always kept.

    A closed arc (first point == last point) is split at its farthest point first, or
    it would collapse to nothing.
    """
    if len(points) < 3:
        return list(points)
    if points[0] == points[-1]:
        far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
        head = douglas_peucker(points[: far + 1], tolerance)
        tail = douglas_peucker(points[far:], tolerance)
        return head + tail[1:]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:  # iterative: long coastlines would exceed the recursion limit
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def ring_points(ring: Sequence[int], arcs: Sequence[list[Point]]) -> list[Point]:
    """A ring's points from its arcs (a negative index ~i is arc i reversed)."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def ring_area(points: Sequence[Point]) -> float:
    return abs(
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(points, [*points[1:], points[0]], strict=True)
        )
        / 2
    )


def path_of(rings: Sequence[Sequence[Point]]) -> str:
    """An SVG path: each ring as M x y then relative steps, one decimal, closed."""
    parts = []
    for ring in rings:
        grid = [(round(x * 10), round(y * 10)) for x, y in ring]
        steps = [grid[0]]
        for point in grid[1:]:
            if point != steps[-1]:
                steps.append(point)
        if len(steps) > 1 and steps[-1] == steps[0]:
            steps.pop()
        if len(steps) < 3:
            continue
        (x0, y0), words = steps[0], []
        for (ax, ay), (bx, by) in itertools.pairwise(steps):
            words.append(f"{_num(bx - ax)}{_signed(by - ay)}")
        parts.append(f"M{_num(x0)} {_num(y0)}l{_join(words)}z")
    return "".join(parts)


def _num(tenths: int) -> str:
    """Tenths as the shortest decimal: 12 → "1.2", -5 → "-.5", 30 → "3"."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    if tenth == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{tenth}"


def _signed(tenths: int) -> str:
    # a minus sign separates two numbers by itself; a plus needs a space
    return _num(tenths) if tenths < 0 else " " + _num(tenths)


def _join(words: list[str]) -> str:
    out = ""
    for word in words:
        # "1.2 .5" cannot drop its space, but "1.2-.5" and "1.2" + "-3" can
        out += word if (not out or word.startswith("-")) else " " + word
    return out


def build(source: Path, tolerance: float) -> dict[str, Any]:
    topology = json.loads((source / TOPOJSON).read_text(encoding="utf-8"))
    arcs = [[project(lon, lat) for lon, lat in arc] for arc in decode_arcs(topology)]
    geometries = next(iter(topology["objects"].values()))["geometries"]
    wanted = [g for g in geometries if g["properties"]["KOMKODE"] not in NOT_A_MUNICIPALITY]

    # the scale: the main map (all but Bornholm) fills WIDTH
    main = [
        p
        for g in wanted
        if g["properties"]["KOMKODE"] != INSET
        for ring in _rings(g)
        for index in ring
        for p in arcs[index if index >= 0 else ~index]
    ]
    left, right = min(x for x, _ in main), max(x for x, _ in main)
    top, bottom = min(y for _, y in main), max(y for _, y in main)
    scale = (WIDTH - 2 * MARGIN) / (right - left)

    def to_svg(point: Point) -> Point:
        return (point[0] - left) * scale + MARGIN, (point[1] - top) * scale + MARGIN

    simplified = [douglas_peucker([to_svg(p) for p in arc], tolerance) for arc in arcs]
    rings: dict[str, list[list[Point]]] = {}
    names: dict[str, str] = {}
    for geometry in wanted:
        code = geometry["properties"]["KOMKODE"]
        names[code] = geometry["properties"]["KOMNAVN"]
        for ring in _rings(geometry):
            rings.setdefault(code, []).append(ring_points(ring, simplified))
    height = (bottom - top) * scale + 2 * MARGIN
    inset = _move_inset(rings, height)
    official = {a["code"]: a["name_da"] for a in json.loads(AREAS.read_text(encoding="utf-8"))}
    shapes = {
        code: {"name": official.get(code, names[code]), "d": path_of(_visible(found))}
        for code, found in sorted(rings.items())
    }
    return {
        "source": (
            "DAGI 2014 kommunegrænser (Geodatastyrelsen og Danske Kommuner, FOT 2014-02-13, "
            "1:500.000), via github.com/Neogeografen/dagi commit a1c1563; "
            f"simplified by seeds/build_map.py (Douglas-Peucker per shared arc, {tolerance} units). "
            "Credit: Geodatastyrelsen (DAGI)."
        ),
        "width": WIDTH,
        "height": round(height, 1),
        "inset": inset,
        "municipalities": shapes,
    }


def _rings(geometry: dict[str, Any]) -> list[list[int]]:
    if geometry["type"] == "Polygon":
        return list(geometry["arcs"])
    return [ring for polygon in geometry["arcs"] for ring in polygon]


def _visible(rings: list[list[Point]]) -> list[list[Point]]:
    """Rings big enough to see; a municipality keeps at least its largest ring."""
    largest = max(rings, key=ring_area)
    return [r for r in rings if r is largest or ring_area(r) >= MIN_RING_AREA]


def _move_inset(rings: dict[str, list[list[Point]]], height: float) -> dict[str, Any]:
    """Move Bornholm into a box in the top right corner (open sea on the map: Kattegat)."""
    points = [p for ring in rings[INSET] for p in ring]
    left, top = min(x for x, _ in points), min(y for _, y in points)
    w = max(x for x, _ in points) - left
    h = max(y for _, y in points) - top
    box_x, box_y = WIDTH - MARGIN - w * INSET_SCALE - 2 * INSET_PAD, MARGIN
    rings[INSET] = [
        [
            (
                box_x + INSET_PAD + (x - left) * INSET_SCALE,
                box_y + INSET_PAD + (y - top) * INSET_SCALE,
            )
            for x, y in ring
        ]
        for ring in rings[INSET]
    ]
    return {
        "code": INSET,
        "box": [
            round(box_x, 1),
            round(box_y, 1),
            round(w * INSET_SCALE + 2 * INSET_PAD, 1),
            round(h * INSET_SCALE + 2 * INSET_PAD, 1),
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--tolerance", type=float, default=0.4)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    data = build(args.source, args.tolerance)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    args.output.write_text(text, encoding="utf-8")
    points = sum(d["d"].count(" ") for d in data["municipalities"].values())
    print(
        f"{len(data['municipalities'])} municipalities, {len(text.encode()):,} bytes, "
        f"about {points:,} points, {data['width']:.0f}×{data['height']:.0f} units"
    )


if __name__ == "__main__":
    main()
