"""The municipality map: the shipped shapes, and the SVG and table drawn from them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from api.pages.charts.denmark_map import MapWords, classes_for, denmark_map, shapes
from ecosystem.data_files import seeds_data

SVG = "{http://www.w3.org/2000/svg}"
AARHUS_COUNCIL = ("0751", "0741")  # Sundhedsråd Aarhus: Aarhus and Samsø


def _municipalities_in_seeds() -> dict[str, str]:
    areas = json.loads(seeds_data("areas.json").read_text(encoding="utf-8"))
    return {a["code"]: a["name_da"] for a in areas if a["scheme"] == "municipality"}


WORDS = MapWords(
    title="Projekter pr. kommune",
    description="Antal projekter i hver kommune",
    legend="Antal projekter",
    outlined="Sundhedsråd Aarhus",
    municipality="Kommune",
    count="Projekter",
    in_outline="I sundhedsrådet",
    yes="ja",
    caption="Projekter pr. kommune",
    count_text=lambda name, count: f"{name}: {count} projekter",
)


def _draw(values: dict[str, int], outlined: tuple[str, ...] = AARHUS_COUNCIL):  # type: ignore[no-untyped-def]
    return denmark_map(
        values, lambda code: f"/projects?area={code}&theme=T2", WORDS, outlined=outlined
    )


def test_the_98_municipalities_of_the_seeds_have_a_shape_and_christiansoe_has_none():
    known = _municipalities_in_seeds()
    assert len(known) == 98
    assert set(shapes().paths) == set(known)
    assert "0411" not in shapes().paths
    assert all(re.fullmatch(r"(M[^Mz]+z)+", d) for d in shapes().paths.values())


def test_the_shipped_shapes_are_small_and_name_their_source():
    assert seeds_data("municipality_shapes.json").stat().st_size < 300_000
    assert "DAGI" in shapes().source and "Geodatastyrelsen" in shapes().source


def test_bornholm_is_drawn_inside_its_inset_box():
    x, y, w, h = shapes().inset_box
    start = re.match(r"M([\d.]+) ([\d.]+)", shapes().paths["0400"])
    assert start is not None
    assert x <= float(start[1]) <= x + w and y <= float(start[2]) <= y + h


def test_the_svg_is_well_formed_and_every_municipality_is_a_titled_link():
    drawing = _draw({"0751": 4, "0101": 2})
    root = ET.fromstring(str(drawing.svg))
    links = root.findall(f".//{SVG}a")
    assert len(links) == 98
    for a in links:
        title = a.find(f"{SVG}title")
        assert title is not None and title.text
        assert a.get("href", "").startswith("/projects?area=")
        assert a.find(f".//{SVG}path") is not None
    titles = {a.find(f"{SVG}title").text for a in links}  # type: ignore[union-attr]
    assert "Aarhus: 4 projekter" in titles and "Odense: 0 projekter" in titles
    assert root.get("aria-labelledby") and root.find(f"{SVG}title") is not None


def test_the_links_carry_the_municipality_and_the_filter():
    root = ET.fromstring(str(_draw({}).svg))
    hrefs = {a.get("href") for a in root.iter(f"{SVG}a")}
    assert "/projects?area=0751&theme=T2" in hrefs


def test_the_values_and_the_outline_appear_in_the_text_alternative():
    drawing = _draw({"0751": 7, "0461": 3})
    table = ET.fromstring(str(drawing.table))
    rows = {
        row.find("th/a").text: [cell.text for cell in row.findall("td")]  # type: ignore[union-attr]
        for row in table.iter("tr")
        if row.find("th/a") is not None
    }
    assert len(rows) == 98
    assert rows["Aarhus"] == ["7", "ja"]
    assert rows["Samsø"] == ["0", "ja"]
    assert rows["Odense"] == ["3", None]


def test_the_outline_is_drawn_only_for_the_outlined_municipalities():
    outlined = str(_draw({}, outlined=AARHUS_COUNCIL).svg)
    assert outlined.count("<use ") == 2 * len(AARHUS_COUNCIL)
    assert "<use " not in str(_draw({}, outlined=()).svg)


def test_each_count_gets_the_colour_of_its_class():
    drawing = _draw({"0751": 10, "0461": 1})
    colour = {row.code: row.colour for row in drawing.rows}
    legend = drawing.legend
    assert [c.label for c in legend] == ["0", "1–3", "4–5", "6–8", "9–10"]
    assert colour["0751"] == legend[-1].colour and colour["0461"] == legend[1].colour
    assert colour["0101"] == legend[0].colour
    assert len({c.colour for c in legend}) == len(legend)


@pytest.mark.parametrize("largest", [0, 1, 2, 3, 4, 5, 7, 10, 99])
def test_the_classes_cover_every_count_once(largest):
    legend = classes_for(largest)
    for count in range(largest + 1):
        assert sum(c.holds(count) for c in legend) == 1


def _view_box(drawing) -> list[float]:  # type: ignore[no-untyped-def]
    return [float(n) for n in ET.fromstring(str(drawing.svg)).get("viewBox", "").split()]


def test_a_part_draws_only_its_municipalities_enlarged_around_them():
    whole = denmark_map({"0751": 3}, lambda code: f"/p?area={code}", WORDS)
    part = denmark_map({"0751": 3}, lambda code: f"/p?area={code}", WORDS, only=AARHUS_COUNCIL)
    root = ET.fromstring(str(part.svg))
    assert {a.get("href") for a in root.iter(f"{SVG}a")} == {"/p?area=0751", "/p?area=0741"}
    assert [row.code for row in part.rows] == ["0751", "0741"]  # Aarhus, Samsø by name
    x, y, w, h = _view_box(part)
    for code in AARHUS_COUNCIL:
        left, top, right, bottom = shapes().boxes[code]
        assert x <= left and right <= x + w and y <= top and bottom <= y + h
    assert w < _view_box(whole)[2] / 3  # a corner of the country, drawn at full size
    assert float(root.get("width", 0)) >= 400 or float(root.get("height", 0)) >= 400
    # no legend inside a part (the page gives it as text), and borders stay thin
    assert ">Antal projekter<" not in str(part.svg) and ">Antal projekter<" in str(whole.svg)
    assert str(part.svg).count('vector-effect="non-scaling-stroke"') == 2


def test_a_parts_classes_are_scaled_to_its_own_counts():
    part = denmark_map({"0751": 2, "0101": 40}, str, WORDS, only=AARHUS_COUNCIL)
    assert part.legend[-1].high == 2


def test_the_boxes_hold_every_point_of_their_shapes():
    for code, d in shapes().paths.items():
        left, top, right, bottom = shapes().boxes[code]
        start = re.match(r"M([\d.]+) ([\d.]+)", d)
        assert start is not None
        assert left <= float(start[1]) <= right and top <= float(start[2]) <= bottom
        assert 0 < right - left < shapes().width and 0 < bottom - top < shapes().height
