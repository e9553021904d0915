"""The stranding warning (P19) on the project page, the organisation page and the group overview.

The pages judge on today's date, so the funding dates here are set relative to it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.test_pages import KOL, KOL_ELSEWHERE, project_id, sign_in, text_of
from tests.builders import project, publish

HEADING = "Kan strande efter puljen"
NO_OWNER = "Ingen er angivet som driftsejer efter projektet."
TODAY = dt.datetime.now(dt.UTC).date()
SOON = (TODAY + dt.timedelta(days=60)).isoformat()
LATER = (TODAY + dt.timedelta(days=400)).isoformat()
OWNER = "Hjemmeplejen, Aarhus Kommune"


@pytest.fixture
def client(client, reference_data):
    return client


def test_an_implementation_project_without_an_owner_is_warned_on_its_page(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("A-1", stage="implementation", **KOL))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    page = text_of(client.get(f"/projects/{pid}"))
    assert 'id="stranding"' in page and HEADING in page and NO_OWNER in page
    assert "Skriv på kortet" not in page  # the hint to fix it is for the owner only
    sign_in(client, token_for, "kommune-aarhus")
    assert "Skriv på kortet, hvem der driver det" in text_of(client.get(f"/projects/{pid}"))


def test_the_warning_is_english_after_the_language_switch(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("A-1", stage="operation", **KOL))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    client.get("/language/en?next=/")
    page = text_of(client.get(f"/projects/{pid}"))
    assert "May strand when funding ends" in page
    assert "No one is named to run it after the project." in page


def test_funding_ending_soon_without_a_plan_is_warned_and_a_plan_lifts_it(client, token_for):
    card = dict(stage="implementation", implementation_owner=OWNER, funding_ends=SOON, **KOL)
    publish(client, token_for, "kommune-aarhus", project("A-1", **card))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    page = text_of(client.get(f"/projects/{pid}"))
    assert HEADING in page and "og der er ingen plan for drift." in page
    assert NO_OWNER not in page
    planned = {**card, "operation_plan": "Overgår til hjemmeplejens budget."}
    publish(client, token_for, "kommune-aarhus", project("A-1", **planned))
    assert 'id="stranding"' not in text_of(client.get(f"/projects/{pid}"))


@pytest.mark.parametrize(
    "fields",
    [
        dict(stage="pilot"),  # too early to strand
        dict(stage="implementation", implementation_owner=OWNER),  # no end date
        dict(stage="implementation", implementation_owner=OWNER, funding_ends=LATER),
    ],
    ids=["pilot", "owned", "funded-long"],
)
def test_no_warning_where_the_rule_does_not_hold(client, token_for, fields):
    publish(client, token_for, "kommune-aarhus", project("A-1", **fields, **KOL))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    page = text_of(client.get(f"/projects/{pid}"))
    assert 'id="stranding"' not in page and HEADING not in page
    assert HEADING not in text_of(client.get("/organisations/kommune-aarhus"))


def test_the_organisation_page_lists_its_projects_that_may_strand(client, token_for):
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("A-1", stage="implementation", **KOL),
        project(
            "A-2",
            **{
                **KOL_ELSEWHERE,
                "stage": "operation",
                "implementation_owner": OWNER,
                "funding_ends": SOON,
            },
        ),
        project("A-3", title="Sikker drift", stage="operation", implementation_owner=OWNER),
    )
    page = text_of(client.get("/organisations/kommune-aarhus"))
    assert 'id="stranding-title"' in page and HEADING in page
    section = page.split('id="stranding-title"', 1)[1].split("</section>", 1)[0]
    # the soonest funding end first, then the one with no owner; the safe one is not listed
    assert section.index(KOL_ELSEWHERE["title"]) < section.index(KOL["title"])
    assert NO_OWNER in section and "Sikker drift" not in section


def test_the_group_overview_lists_the_projects_in_its_slice_that_may_strand(client, token_for):
    group = {
        "id": "kol-aarhus",
        "name": "KOL i Sundhedsråd Aarhus",
        "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
        "coordinators": ["kommune-aarhus"],
    }
    response = client.post("/api/v1/groups", json=group, headers=token_for(admin=True))
    assert response.status_code == 201
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("A-1", areas=["0751"], stage="implementation", **KOL),
    )
    publish(  # outside the group's areas: not its business
        client,
        token_for,
        "kommune-aalborg",
        project("AAL-1", areas=["0851"], stage="implementation", **KOL_ELSEWHERE),
    )
    page = text_of(client.get("/groups/kol-aarhus"))
    assert 'href="#stranding-title"' in page
    section = page.split('id="stranding-title"', 1)[1].split("</section>", 1)[0]
    assert KOL["title"] in section and NO_OWNER in section
    assert KOL_ELSEWHERE["title"] not in section
