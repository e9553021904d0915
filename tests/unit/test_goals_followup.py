"""Goal follow-up: trend and distance to target, judgement first, never 'failed'."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError

from ecosystem.goal_pictures import Fulfilment, GoalPictureSchema, goal_warnings
from ecosystem.goals_followup import Movement, Trend, Variation, follow_up, movement


def goal(code: str = "G1", **fields: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "code": code,
        "title": "Færre genindlæggelser af ældre",
        "task_type": "operational",
        "measure_type": "quantitative",
    }
    document.update(fields)
    return document


def picture(*goals: dict[str, Any]) -> dict[str, Any]:
    return GoalPictureSchema().load(
        {
            "text": "Vi vil skabe sammenhæng for ældre og kronikere.",
            "period": {"from": 2026, "to": 2029},
            "goals": list(goals),
        }
    )


READMISSIONS = {
    "name": "Genindlæggelser inden 30 dage",
    "unit": "%",
    "direction": "down",
    "baseline": {"period": "2025", "value": 12.0},
    "target": {"period": "2028", "value": 8.0},
    "values": [{"period": "2026", "value": 11.0}, {"period": "2027", "value": 10.0}],
}


def test_a_quantitative_goal_shows_trend_distance_and_progress():
    [status] = follow_up(picture(goal(indicators=[READMISSIONS])), {"G1": [4, 2]})
    [indicator] = status.indicators
    assert indicator.trend is Trend.IMPROVING  # 11 → 10, and lower is better
    assert indicator.distance_to_target == 2.0
    assert indicator.progress == 0.5
    assert status.fulfilment is Fulfilment.NOT_YET_ASSESSED
    assert status.projects == (2, 4)
    assert "50 % af vejen" in status.summary.da


def test_a_worsening_indicator_is_a_direction_not_a_verdict():
    worse = {**READMISSIONS, "values": [{"period": "2026", "value": 13.0}]}
    [status] = follow_up(picture(goal(indicators=[worse])), {})
    assert status.indicators[0].trend is Trend.WORSENING  # compared with the baseline
    assert status.indicators[0].progress == -0.25
    assert "fejl" not in status.summary.da.lower() and "fail" not in status.summary.en.lower()


def test_a_partly_met_goal_is_explained_and_never_marked_failed():
    explained = goal(
        indicators=[READMISSIONS],
        assessments=[
            {
                "period": "2027",
                "fulfilment": "partly_met",
                "narrative": "Ny vagtlægeordning forsinkede udrulningen i to kommuner.",
            }
        ],
    )
    [status] = follow_up(picture(explained), {})
    assert status.fulfilment is Fulfilment.PARTLY_MET
    assert "Delvist opfyldt" in status.summary.da
    assert "vagtlægeordning" in status.summary.da
    assert "fail" not in status.summary.en.lower()


def test_a_partly_met_goal_without_an_explanation_is_refused():
    unexplained = goal(assessments=[{"period": "2027", "fulfilment": "partly_met"}])
    with pytest.raises(ValidationError) as refused:
        picture(unexplained)
    assert "narrative" in refused.value.messages["goals"][0]["assessments"][0]


def test_failed_is_not_a_judgement_one_can_record():
    with pytest.raises(ValidationError) as refused:
        picture(goal(assessments=[{"period": "2027", "fulfilment": "failed"}]))
    message = refused.value.messages["goals"][0]["assessments"][0]["fulfilment"][0]
    assert "not marked as failed" in message


def test_a_qualitative_policy_goal_is_followed_by_its_narrative():
    policy = goal(
        "G2",
        title="Et fælles sprog om sammenhængende forløb",
        task_type="policy",
        measure_type="qualitative",
        assessments=[
            {"period": "2026", "fulfilment": "in_progress", "narrative": "Første fælles workshop."},
            {
                "period": "2027",
                "fulfilment": "met",
                "narrative": "Alle kommuner bruger forløbsbeskrivelsen.",
                "real_change": "Færre borgere falder mellem to stole.",
            },
        ],
    )
    [status] = follow_up(picture(policy), {})
    assert status.indicators == ()
    assert status.fulfilment is Fulfilment.MET
    assert status.period == "2027"
    assert status.real_change.startswith("Færre borgere")
    assert status.without_projects


def test_more_than_ten_goals_gives_a_warning_not_a_refusal():
    eleven = picture(*(goal(f"G{i}") for i in range(11)))
    assert len(eleven["goals"]) == 11
    [warning] = goal_warnings(eleven)
    assert warning["field"] == "goals" and "5–10" in warning["message"]
    assert goal_warnings(picture(*(goal(f"G{i}") for i in range(10)))) == []
    [few] = goal_warnings(picture(goal("G1")))  # fewer than five: also a warning only
    assert few["field"] == "goals" and "5–10" in few["message"]


def test_sub_goals_and_one_year_periods_are_refused():
    with pytest.raises(ValidationError) as nested:
        picture(goal(goals=[goal("G1.1")]))
    assert "goals" in nested.value.messages["goals"][0]
    with pytest.raises(ValidationError) as short:
        GoalPictureSchema().load({"text": "x", "period": {"from": 2026, "to": 2026}})
    assert "to" in short.value.messages["period"]


def test_an_indicator_with_one_value_and_no_baseline_has_no_direction_yet():
    lonely = {"name": "Tilfredshed", "values": [{"period": "2026", "value": 4.1}]}
    [status] = follow_up(picture(goal(indicators=[lonely])), {})
    assert status.indicators[0].trend is Trend.UNKNOWN
    assert status.indicators[0].distance_to_target is None


def test_comparable_areas_give_the_distance_to_the_best_and_the_change_in_variation():
    """DR's view (DOMAIN.md §1.5): the arrow, distance to the best now and before, the gap."""
    compared = {
        **READMISSIONS,
        "areas": [
            {"area": "kommune-skanderborg", "period": "2026", "value": 9.0},
            {"area": "kommune-favrskov", "period": "2026", "value": 14.0},
            {"area": "kommune-skanderborg", "period": "2027", "value": 9.5},
            {"area": "kommune-favrskov", "period": "2027", "value": 11.0},
        ],
    }
    [status] = follow_up(picture(goal(indicators=[compared])), {})
    [indicator] = status.indicators
    assert movement(indicator) is Movement.DOWN  # 11 → 10: falling, the desired way
    assert (indicator.best_area, indicator.best_value) == ("kommune-skanderborg", 9.5)
    assert indicator.distance_to_best == 0.5  # 10 against the best's 9.5
    assert indicator.distance_to_best_before == 2.0  # 11 against 9 a period before
    variation = indicator.variation
    assert variation is not None and variation.change is Variation.NARROWING
    assert (variation.first_spread, variation.latest_spread) == (5.0, 1.5)  # own value counts


def test_a_picture_without_the_new_optional_fields_is_loaded_and_dumped_unchanged():
    """Pictures saved before kind, description and areas existed stay byte-for-byte the same."""
    old = {
        "text": "Vi vil skabe sammenhæng.",
        "period": {"from": 2026, "to": 2029},
        "goals": [goal(indicators=[READMISSIONS])],
    }
    schema = GoalPictureSchema()
    dumped = schema.dump(schema.load(old))
    assert "kind" not in dumped and "description" not in dumped["goals"][0]
    assert "areas" not in dumped["goals"][0]["indicators"][0]
    [status] = follow_up(dumped, {})
    assert status.indicators[0].best_area is None and status.indicators[0].variation is None
    with pytest.raises(ValidationError) as wrong:
        schema.load({**old, "kind": "strategi"})
    assert "kind" in wrong.value.messages
    assert schema.load({**old, "kind": "naersundhedsplan"})["kind"] == "naersundhedsplan"
