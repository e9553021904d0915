"""What two overlapping projects are to each other, and the reasons given for it."""

from __future__ import annotations

import pytest

from ecosystem.explain import Explanation, explain_match
from ecosystem.overlap import (
    Gazetteer,
    Geography,
    ProjectFacts,
    Relation,
    classify,
    facts_from_draft,
    geography_between,
    partner_link,
)
from ecosystem.ranking import Confidence
from ecosystem.similarity import SimilarityIndex

SAME, POSSIBLE, RELATED = Confidence.SAME, Confidence.POSSIBLE, Confidence.RELATED

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


def test_the_same_intervention_for_the_same_people_in_one_municipality_is_a_duplicate():
    a = facts(areas=["0751"], target_groups=["kol"])
    b = facts("auh", areas=["0751"], target_groups=["kol"])
    assert classify(a, b, SAME, None, Geography.SAME_MUNICIPALITY) is Relation.DUPLICATE


def test_only_a_sure_match_is_a_duplicate():
    a = facts(areas=["0751"], target_groups=["kol"])
    b = facts("auh", areas=["0751"], target_groups=["kol"])
    assert classify(a, b, POSSIBLE, None, Geography.SAME_MUNICIPALITY) is Relation.PARALLEL


def test_the_same_place_alone_never_makes_a_duplicate():
    a, b = facts(areas=["0751"], target_groups=["kol"]), facts("auh", areas=["0751"])
    assert classify(a, b, SAME, None, Geography.SAME_MUNICIPALITY) is Relation.PARALLEL
    assert classify(a, b, RELATED, None, Geography.SAME_MUNICIPALITY) is Relation.RELATED


def test_the_same_intervention_elsewhere_is_parallel():
    a, b = facts(areas=["0751"]), facts("auh", areas=["0851"])
    assert classify(a, b, SAME, None, Geography.ELSEWHERE) is Relation.PARALLEL


def test_a_mature_project_and_a_starting_one_are_sequential_even_in_the_same_place():
    a, b = facts(areas=["0751"], stage="idea"), facts("auh", areas=["0751"], stage="operation")
    assert classify(a, b, SAME, None, Geography.SAME_MUNICIPALITY) is Relation.SEQUENTIAL
    draft = facts_from_draft({"title": "x", "description": "y"}, None, GAZETTEER)
    assert draft.stage is None
    assert classify(draft, b, SAME, None, Geography.ELSEWHERE) is Relation.SEQUENTIAL


def test_a_national_rollout_covering_a_local_implementation_is_sequential():
    rollout = facts("auh", areas=["DK"], stage="implementation")
    local = facts(areas=["0751"], stage="implementation")
    assert classify(local, rollout, SAME, None, Geography.NATIONAL) is Relation.SEQUENTIAL


def test_a_project_merged_into_another_is_part_of_it_whatever_the_text_says():
    a, b = facts(stage="pilot"), facts("auh", stage="implementation")
    for link in ("merged_into", "scales", "part_of"):
        assert classify(a, b, RELATED, link, Geography.ELSEWHERE) is Relation.PART_OF
    assert classify(a, b, SAME, "related", Geography.ELSEWHERE) is Relation.SEQUENTIAL


def test_other_work_for_the_same_target_group_is_complementary_else_related():
    a, b = facts(target_groups=["kol"]), facts("auh", target_groups=["kol"])
    assert classify(a, b, RELATED, None, Geography.ELSEWHERE) is Relation.COMPLEMENTARY
    assert classify(facts(), facts("auh"), RELATED, None, Geography.ELSEWHERE) is Relation.RELATED


def test_own_funds_are_no_shared_funder_but_a_named_fund_is():
    own = [{"name": "Egne midler", "kind": "own"}]
    fund = [{"name": "Sundhedsstyrelsens pulje for tidlig opsporing", "kind": "national_pool"}]
    assert partner_link(facts(funding_sources=own), facts("auh", funding_sources=own))[1] is None
    named = partner_link(facts(funding_sources=fund), facts("auh", funding_sources=fund))
    assert named[1] == "shared_funder"


def _explained(a: ProjectFacts, b: ProjectFacts, relation: Relation, **more: object):
    index = SimilarityIndex()
    index.build([(1, b.text)])
    b = ProjectFacts(**{**b.__dict__, "id": 1})
    geography, place = geography_between(a, b)
    found = Explanation(
        a, b, relation, Confidence.SAME, geography, place, partner_link(a, b)[1], None
    )
    return explain_match(found, index, GAZETTEER)


def test_a_match_explains_itself_in_danish_and_english_each_fact_once():
    text = "Borgere med KOL i kommunen får hjemmemonitorering. Sygeplejersker ringer op."
    a = facts(
        areas=["0751"],
        target_groups=["kol"],
        partners=[{"organisation": "auh"}],
        description=text,
    )
    b = facts(
        "auh",
        areas=["0751"],
        target_groups=["kol"],
        stage="operation",
        description="Patienter med KOL i Aarhus har hjemmemonitorering i drift. Kommunen deltager.",
    )
    reasons = _explained(a, b, Relation.SEQUENTIAL)
    danish = " | ".join(reasons.danish)
    assert danish.startswith("Sikkert samme indsats")
    assert "Samme målgruppe: Borgere med KOL" in danish
    assert "Samme kommune (Aarhus)" in danish
    assert "partner" in danish
    assert "Faser: afprøvning/pilot og drift" in danish  # words, never codes
    assert len(reasons.danish) == len(set(reasons.danish)) == len(reasons.english)
    terms = [term.casefold() for term, _ in reasons.terms]
    assert "telemedicin" in terms  # hjemmemonitorering, by the synonym table
    assert not {"borgere", "borger", "kommune", "kommunen", "der", "patienter"} & set(terms)
    assert reasons.highlights and "hjemmemonitorering" in reasons.highlights[0]
