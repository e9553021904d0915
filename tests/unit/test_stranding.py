"""The stranding rule (P19): late-stage projects with no owner, or funding ending with no plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ecosystem.card import ProjectCard
from ecosystem.model import Stage
from ecosystem.stranding import HEADING, at_risk, months_after, stranding_risk

TODAY = dt.date(2026, 12, 1)


def card(stage: Stage = Stage.IMPLEMENTATION, **fields: Any) -> ProjectCard:
    safe: dict[str, Any] = {
        "implementation_owner": "Hjemmeplejen, Aarhus Kommune",
        "funding_ends": dt.date(2027, 3, 31),
        "operation_plan": "Overgår til driftsbudgettet.",
    }
    return ProjectCard("P1", "Tele-KOL", "Hjemme.", stage, **{**safe, **fields})


def test_an_owned_late_project_with_a_plan_is_not_at_risk():
    assert stranding_risk(card(), TODAY) is None
    assert stranding_risk(card(Stage.OPERATION), TODAY) is None


@pytest.mark.parametrize("owner", [None, "", "   "])
def test_a_late_project_without_an_owner_is_at_risk(owner):
    risk = stranding_risk(card(implementation_owner=owner), TODAY)
    assert risk is not None and risk.no_owner and risk.funding_ends is None
    assert risk.reason.da == "Ingen er angivet som driftsejer efter projektet."
    assert risk.reason.en == "No one is named to run it after the project."


@pytest.mark.parametrize(
    "stage", [Stage.IDEA, Stage.ANALYSIS, Stage.PILOT, Stage.COMPLETED, Stage.STOPPED]
)
def test_only_implementation_and_operation_can_strand(stage):
    bare = card(stage, implementation_owner=None, operation_plan=None, funding_ends=TODAY)
    assert stranding_risk(bare, TODAY) is None


def test_funding_ending_within_six_months_without_a_plan_is_at_risk():
    risk = stranding_risk(card(operation_plan=None), TODAY)
    assert risk is not None and not risk.no_owner
    assert risk.funding_ends == dt.date(2027, 3, 31)
    assert (
        risk.reason.da == "Finansieringen slutter 31. marts 2027, og der er ingen plan for drift."
    )
    assert risk.reason.en == "The funding ends on 31 March 2027 and there is no plan for operation."


def test_the_six_months_end_on_the_same_day_six_months_later():
    edge = months_after(TODAY, 6)
    assert edge == dt.date(2027, 6, 1)
    assert stranding_risk(card(operation_plan=None, funding_ends=edge), TODAY) is not None
    later = edge + dt.timedelta(days=1)
    assert stranding_risk(card(operation_plan=None, funding_ends=later), TODAY) is None


def test_funding_ending_soon_with_a_plan_or_with_no_end_date_is_not_at_risk():
    assert stranding_risk(card(), TODAY) is None  # the plan is there
    assert stranding_risk(card(operation_plan="  ", funding_ends=None), TODAY) is None


def test_a_blank_plan_is_no_plan():
    assert stranding_risk(card(operation_plan="  "), TODAY) is not None


def test_funding_that_already_ended_without_a_plan_is_said_in_the_past():
    risk = stranding_risk(card(operation_plan=None, funding_ends=dt.date(2026, 6, 30)), TODAY)
    assert risk is not None
    assert risk.reason.da.startswith("Finansieringen sluttede 30. juni 2026")
    assert risk.reason.en.startswith("The funding ended on 30 June 2026")


def test_both_conditions_give_both_reasons_owner_first():
    risk = stranding_risk(card(implementation_owner=None, operation_plan=None), TODAY)
    assert risk is not None and len(risk.reasons) == 2
    assert risk.reason.da.startswith("Ingen er angivet som driftsejer")
    assert "ingen plan for drift" in risk.reason.da


def test_the_rule_judges_the_day_it_is_given_not_the_clock():
    far = card(operation_plan=None, funding_ends=dt.date(2030, 1, 31))
    assert stranding_risk(far, TODAY) is None
    assert stranding_risk(far, dt.date(2029, 9, 1)) is not None


def test_months_after_keeps_to_the_last_day_of_a_short_month():
    assert months_after(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert months_after(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert months_after(dt.date(2026, 7, 15), 6) == dt.date(2027, 1, 15)


def test_projects_at_risk_are_listed_soonest_funding_end_first():
    cards = [
        (3, card(implementation_owner=None)),  # no owner, funding has a plan: no date
        (2, card(operation_plan=None, funding_ends=dt.date(2027, 5, 1))),
        (1, card()),  # safe
        (4, card(operation_plan=None, funding_ends=dt.date(2027, 1, 1))),
    ]
    assert [key for key, _risk in at_risk(cards, TODAY)] == [4, 2, 3]


def test_the_heading_is_danish_first():
    assert (HEADING.da, HEADING.en) == ("Kan strande efter puljen", "May strand when funding ends")
