"""The Danish reference data: municipalities, regions, health councils, taxonomy, goals."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from seeds import data_file


def read(name):
    return json.loads(data_file(name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def areas():
    return {area["code"]: area for area in read("areas.json")}


def of_scheme(areas, scheme):
    return {code: a for code, a in areas.items() if a["scheme"] == scheme}


def test_there_are_98_municipalities_with_four_digit_kommunekoder(areas):
    municipalities = of_scheme(areas, "municipality")
    assert len(municipalities) == 98
    assert all(len(code) == 4 and code.isdigit() for code in municipalities)
    assert areas["0751"]["name_da"] == "Aarhus"
    assert areas["0101"]["name_da"] == "København"


def test_the_four_regions_of_2027(areas):
    assert sorted(of_scheme(areas, "region")) == [
        "region-midtjylland",
        "region-nordjylland",
        "region-oestdanmark",
        "region-syddanmark",
    ]


def test_each_municipality_is_in_exactly_one_region(areas):
    regions = of_scheme(areas, "region")
    for code, municipality in of_scheme(areas, "municipality").items():
        assert len([p for p in municipality["parents"] if p in regions]) == 1, code


def test_seventeen_councils_each_in_one_region_and_members_in_the_same_region(areas):
    regions, councils = of_scheme(areas, "region"), of_scheme(areas, "health_council")
    assert len(councils) == 17
    for council in councils.values():
        assert len([p for p in council["parents"] if p in regions]) == 1
    for code, municipality in of_scheme(areas, "municipality").items():
        in_councils = [p for p in municipality["parents"] if p in councils]
        assert len(in_councils) <= 1, code
        for council in in_councils:
            region = next(p for p in municipality["parents"] if p in regions)
            assert region in councils[council]["parents"], code
    sizes = Counter(
        next(p for p in a["parents"] if p in regions)
        for a in of_scheme(areas, "municipality").values()
    )
    assert sizes == {
        "region-oestdanmark": 46,
        "region-syddanmark": 22,
        "region-midtjylland": 19,
        "region-nordjylland": 11,
    }


def test_unconfirmed_council_memberships_are_flagged_provisional_with_a_note(areas):
    councils = of_scheme(areas, "health_council")
    for code, municipality in of_scheme(areas, "municipality").items():
        if any(p in councils for p in municipality["parents"]):
            assert municipality["note"], (
                f"{code}: membership without a source or a provisional note"
            )
        if municipality["provisional"]:
            council = next(p for p in municipality["parents"] if p in councils)
            assert councils[council]["provisional"], f"{council} holds a provisional member"


def test_organisations_refer_to_existing_areas_and_parents(areas):
    organisations = read("organisations.json")
    ids = {o["id"] for o in organisations}
    assert len(ids) == len(organisations)
    for organisation in organisations:
        assert set(organisation["areas"]) <= set(areas), organisation["id"]
        assert organisation["parent"] is None or organisation["parent"] in ids
    kinds = Counter(o["kind"] for o in organisations)
    assert kinds["municipality"] == 98
    assert kinds["region"] == 4
    assert kinds["health_council"] == 17
    assert {"ku", "au", "sdu", "aau", "dtu", "sundhedsstyrelsen", "kl", "amgros"} <= ids


def test_the_taxonomy_has_two_levels_with_danish_and_english_labels():
    themes = read("themes.json")
    codes = {t["code"] for t in themes}
    top = [t for t in themes if t["parent"] is None]
    assert 20 <= len(top) <= 25
    assert all(t["parent"] in codes for t in themes if t["parent"])
    assert all(t["label_da"] and t["label_en"] and t["description_da"] for t in themes)
    groups = read("target_groups.json")
    assert 20 <= len(groups) <= 25
    stages = [s["code"] for s in read("stages.json")]
    assert stages == [
        "idea",
        "analysis",
        "pilot",
        "implementation",
        "operation",
        "completed",
        "stopped",
    ]


def test_the_eight_national_goals_have_indicators_with_a_direction():
    goal_sets = {g["id"]: g for g in read("goal_sets.json")}
    national = goal_sets["nationale-maal"]["goals"]
    assert [g["code"] for g in national] == [f"NM{i}" for i in range(1, 9)]
    assert all(g["indicators"] for g in national)
    assert all(i["desired_direction"] in {"up", "down"} for g in national for i in g["indicators"])
    assert len(goal_sets["personlig-medicin"]["goals"]) == 7
