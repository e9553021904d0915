"""Overlap scoring with the graph: geography, classification and explanations."""

from __future__ import annotations

import datetime as dt

import pytest

from ecosystem.matching import score_pair
from ecosystem.model import Stage
from ecosystem.overlap import (
    Gazetteer,
    Geography,
    OverlapConfig,
    ProjectFacts,
    Relation,
    classify,
    facts_from_draft,
    geography_between,
    score_components,
)

GAZETTEER = Gazetteer(
    area_parents={
        "0751": ["region-midtjylland", "sundhedsraad-aarhus"],
        "0741": ["region-midtjylland", "sundhedsraad-aarhus"],
        "0657": ["region-midtjylland", "sundhedsraad-vestjylland"],
        "0851": ["region-nordjylland"],
        "sundhedsraad-aarhus": ["region-midtjylland"],
        "sundhedsraad-vestjylland": ["region-midtjylland"],
        "region-midtjylland": ["DK"],
        "region-nordjylland": ["DK"],
    },
    area_schemes={
        "0751": "municipality",
        "0741": "municipality",
        "0657": "municipality",
        "0851": "municipality",
        "sundhedsraad-aarhus": "health_council",
        "sundhedsraad-vestjylland": "health_council",
        "region-midtjylland": "region",
        "region-nordjylland": "region",
        "DK": "national",
    },
    area_names={"0751": "Aarhus", "sundhedsraad-aarhus": "Sundhedsråd Aarhus"},
    theme_parents={"T2.1": ["T2"]},
    theme_labels={"T2": "Kronisk sygdom og ældre", "T2.1": "KOL"},
    target_group_labels={"kol": "Borgere med KOL"},
    organisation_kinds={"kommune-aarhus": "municipality", "auh": "hospital"},
    organisation_areas={"auh": ["0751"]},
)
CONFIG = OverlapConfig()


def facts(organisation: str = "kommune-aarhus", **card: object) -> ProjectFacts:
    data = {
        "title": "Tele-KOL",
        "description": "Hjemmemonitorering",
        "stage": "pilot",
        "themes": ["T2.1"],
        **card,
    }
    return facts_from_draft(data, organisation, GAZETTEER)


@pytest.mark.parametrize(
    ("areas_a", "areas_b", "expected"),
    [
        (["0751"], ["0751"], Geography.SAME_MUNICIPALITY),
        (["0751"], ["0741"], Geography.SAME_COUNCIL),
        (["0751"], ["0657"], Geography.SAME_REGION),
        (["0751"], ["DK"], Geography.NATIONAL),
        (["0751"], ["0851"], Geography.ELSEWHERE),
        (["sundhedsraad-aarhus"], ["0741"], Geography.SAME_COUNCIL),
    ],
)
def test_geography_is_the_nearest_shared_place(areas_a, areas_b, expected):
    assert geography_between(facts(areas=areas_a), facts("auh", areas=areas_b))[0] is expected


def test_a_project_without_areas_takes_its_organisations_areas():
    assert facts("auh").places["municipality"] == frozenset({"0751"})


def test_sub_themes_bring_their_parent_theme():
    assert facts().themes == frozenset({"T2", "T2.1"})


def test_the_same_thing_in_the_same_municipality_is_a_duplicate():
    a, b = facts(areas=["0751"]), facts("auh", areas=["0751"])
    assert classify(a, b, 0.5, Geography.SAME_MUNICIPALITY, CONFIG) is Relation.DUPLICATE


def test_the_same_thing_elsewhere_is_parallel():
    a, b = facts(areas=["0751"]), facts("auh", areas=["0851"])
    assert classify(a, b, 0.5, Geography.ELSEWHERE, CONFIG) is Relation.PARALLEL


def test_a_mature_project_and_a_starting_one_are_sequential_even_in_the_same_place():
    a, b = facts(areas=["0751"], stage="idea"), facts("auh", areas=["0751"], stage="operation")
    assert classify(a, b, 0.5, Geography.SAME_MUNICIPALITY, CONFIG) is Relation.SEQUENTIAL
    draft = facts_from_draft({"title": "x", "description": "y"}, None, GAZETTEER)
    assert draft.stage is None
    assert classify(draft, b, 0.5, Geography.ELSEWHERE, CONFIG) is Relation.SEQUENTIAL


def test_weak_text_with_a_shared_target_group_is_complementary_and_without_it_nothing():
    a, b = facts(target_groups=["kol"]), facts("auh", target_groups=["kol"])
    assert classify(a, b, 0.05, Geography.ELSEWHERE, CONFIG) is Relation.COMPLEMENTARY
    assert classify(facts(), facts("auh"), 0.05, Geography.ELSEWHERE, CONFIG) is None


def test_the_graph_raises_the_score_of_a_pair_with_shared_tags_place_and_partner():
    plain_a, plain_b = facts(themes=["T4"]), facts("auh", themes=["T13"], areas=["0851"])
    rich_a = facts(areas=["0751"], target_groups=["kol"], partners=[{"organisation": "auh"}])
    rich_b = facts("auh", areas=["0751"], target_groups=["kol"])
    plain = CONFIG.weighted(score_components(plain_a, plain_b, 0.3, CONFIG))
    rich = CONFIG.weighted(score_components(rich_a, rich_b, 0.3, CONFIG))
    assert rich > plain + 0.2


def test_time_windows_that_do_not_meet_score_lower():
    a = facts(start_date="2020-01-01", end_date="2021-01-01")
    overlapping = facts("auh", start_date="2020-06-01", end_date="2022-01-01")
    later = facts("auh", start_date="2024-01-01", end_date="2025-01-01")
    assert score_components(a, overlapping, 0.3, CONFIG)["time"] == 1.0
    assert score_components(a, later, 0.3, CONFIG)["time"] == 0.0
    assert score_components(facts(), later, 0.3, CONFIG)["time"] == 0.5
    assert a.start == dt.date(2020, 1, 1)


def test_a_match_explains_itself_in_danish_and_english():
    a = facts(areas=["0751"], target_groups=["kol"], partners=[{"organisation": "auh"}])
    b = facts("auh", areas=["0751"], target_groups=["kol"], stage="operation")
    match = score_pair(a, b, 0.4, (("hjemmemonitorering", 0.3), ("kol", 0.2)), GAZETTEER, CONFIG)
    assert match is not None
    assert match.relation is Relation.SEQUENTIAL
    assert match.shared_target_groups == ("kol",)
    assert match.partner_link == "named_partner"
    text = " | ".join(match.reasons)
    assert "Fælles nøgleord: hjemmemonitorering, kol" in text
    assert "Samme målgruppe: Borgere med KOL" in text
    assert "Samme kommune (Aarhus)" in text
    assert "partner" in text
    assert "Shared key terms: hjemmemonitorering, kol" in match.reasons_en
    assert b.stage is Stage.OPERATION


def test_matches_below_the_minimum_score_are_dropped():
    a, b = facts(themes=["T4"]), facts("auh", themes=["T13"], areas=["0851"])
    assert score_pair(a, b, 0.19, (), GAZETTEER, OverlapConfig(min_score=0.9)) is None
