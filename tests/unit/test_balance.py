"""Balances of a group's portfolio (no database)."""

from __future__ import annotations

import pytest

from ecosystem.balance import ATTRIBUTION, Quadrant, analyse_balance, quadrant_of
from ecosystem.groups import Ambition
from tests.unit.group_builders import project


def shares(balance_part):
    return {s.key: s for s in balance_part}


@pytest.mark.parametrize(
    ("value", "risk", "quadrant"),
    [
        (5, 1, Quadrant.PEARLS),
        (4, 3, Quadrant.PEARLS),
        (4, 4, Quadrant.OYSTERS),
        (3, 3, Quadrant.BREAD_AND_BUTTER),
        (1, 1, Quadrant.BREAD_AND_BUTTER),
        (3, 5, Quadrant.WHITE_ELEPHANTS),
        (None, 2, None),
        (4, None, None),
    ],
)
def test_four_and_five_are_high_and_a_missing_score_is_never_guessed(value, risk, quadrant):
    assert quadrant_of(value, risk) == quadrant


def test_projects_are_placed_in_quadrants_and_the_unscored_are_listed_as_not_assessed():
    balance = analyse_balance(
        [
            project(1, "kommune-aarhus", value_score=4, risk_score=2),
            project(2, "kommune-aarhus", value_score=5, risk_score=5),
            project(3, "kommune-aarhus", value_score=2, risk_score=2),
            project(4, "kommune-aarhus", value_score=2, risk_score=2),
            project(5, "kommune-aarhus"),
            project(6, "kommune-aarhus", value_score=4),
            project(7, "kommune-aarhus", stage="completed", value_score=5, risk_score=5),
        ]
    )
    quadrants = shares(balance.quadrants)
    assert quadrants["pearls"].projects == (1,)
    assert quadrants["oysters"].projects == (2,)
    assert quadrants["bread_and_butter"].projects == (3, 4)
    assert quadrants["white_elephants"].projects == ()
    assert balance.not_assessed == (5, 6)
    # Shares are of the assessed, active projects; the completed one is no longer active.
    assert quadrants["bread_and_butter"].share == 0.5
    assert quadrants["oysters"].label.da == "Østers"
    assert "Cooper, Edgett & Kleinschmidt (2002)" in ATTRIBUTION.da


def test_the_pipeline_lists_every_stage_with_shares_of_the_active_projects():
    balance = analyse_balance(
        [
            project(1, "kommune-aarhus", stage="idea"),
            project(2, "kommune-aarhus", stage="pilot"),
            project(3, "kommune-aarhus", stage="operation"),
            project(4, "kommune-aarhus", stage="operation"),
            project(5, "kommune-aarhus", stage="stopped"),
            project(6, "kommune-aarhus", stage="operation", withdrawn=True),
        ]
    )
    pipeline = shares(balance.pipeline)
    assert list(pipeline) == [
        "idea",
        "analysis",
        "pilot",
        "implementation",
        "operation",
        "completed",
        "stopped",
    ]
    assert pipeline["operation"].projects == (3, 4)
    assert pipeline["operation"].share == 0.5
    assert pipeline["stopped"].projects == (5,)
    assert pipeline["stopped"].share == 0.0
    assert balance.pipeline_notes == ()


def test_a_lopsided_pipeline_gets_a_plain_language_note():
    early = [project(i, "kommune-aarhus", stage="idea") for i in range(1, 5)]
    balance = analyse_balance([*early, project(9, "kommune-aarhus", stage="operation")])
    assert balance.pipeline_notes[0].da.startswith(
        "Mange tidlige projekter (4) i forhold til sene (1)"
    )
    only_early = analyse_balance(early)
    assert "intet er klar til at blive udbredt" in only_early.pipeline_notes[0].da


def test_care_level_development_type_and_funding_list_the_unstated_separately():
    balance = analyse_balance(
        [
            project(
                1,
                "kommune-aarhus",
                care_level="near",
                development_type="development",
                funding_sources=[
                    {"name": "Egne midler", "kind": "own"},
                    {"name": "EU4Health", "kind": "eu"},
                ],
            ),
            project(2, "auh", care_level="specialised"),
        ]
    )
    assert shares(balance.care_levels)["near"].projects == (1,)
    assert shares(balance.care_levels)["specialised"].projects == (2,)
    assert shares(balance.development_types)["not_stated"].projects == (2,)
    funding = shares(balance.funding)
    assert funding["own"].projects == funding["eu"].projects == (1,)
    assert funding["not_stated"].projects == (2,)


def test_the_balance_is_compared_with_the_ambition_in_plain_language():
    portfolio = [
        project(1, "kommune-aarhus", stage="idea", value_score=4, risk_score=4),
        project(2, "kommune-aarhus", stage="operation", value_score=2, risk_score=2),
        project(3, "kommune-aarhus", stage="operation", value_score=2, risk_score=1),
        project(4, "kommune-aarhus", stage="operation", value_score=3, risk_score=2),
    ]
    ambition = Ambition(stage_shares={"idea": 0.25}, quadrant_shares={"oysters": 0.5})
    checks = {c.key: c for c in analyse_balance(portfolio, ambition).ambition}
    assert checks["oysters"].actual == 0.25
    assert checks["oysters"].difference == -0.25
    assert checks["oysters"].note.da == "Østers: 25 % – færre end ambitionen (50 %)."
    assert checks["idea"].note.en == "idea: 25 % – in line with the ambition (25 %)."
    assert analyse_balance(portfolio).ambition == ()
