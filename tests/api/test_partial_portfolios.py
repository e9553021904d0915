"""P2: a portfolio is partial unless its organisation says "complete": true, and pages say so."""

from __future__ import annotations

import pytest

from tests.api.test_pages import KOL, KOL_ELSEWHERE, text_of
from tests.builders import portfolio, project, publish

NOTE = "Udvalgte projekter, ikke udtømmende"
URL = "/api/v1/organisations/kommune-aarhus/portfolio"


@pytest.fixture
def client(client, reference_data):
    return client


def put(client, token_for, organisation, *cards, **document):
    response = client.put(
        f"/api/v1/organisations/{organisation}/portfolio",
        json={**portfolio(organisation, *cards), **document},
        headers=token_for(organisation),
    )
    assert response.status_code == 200, response.json
    return response


def test_a_portfolio_is_partial_until_its_document_says_complete(client, token_for):
    put(client, token_for, "kommune-aarhus", project("A-1"))
    assert client.get(URL).json["complete"] is False
    put(client, token_for, "kommune-aarhus", project("A-1"), complete=True)
    assert client.get(URL).json["complete"] is True
    # One project put on its own says nothing about the whole portfolio.
    response = client.put(
        "/api/v1/organisations/kommune-aarhus/projects/A-2",
        json=project("A-2"),
        headers=token_for("kommune-aarhus"),
    )
    assert response.status_code == 201
    assert client.get(URL).json["complete"] is True
    # A whole document that leaves the flag out is partial again: partial is the default.
    put(client, token_for, "kommune-aarhus", project("A-1"))
    assert client.get(URL).json["complete"] is False


def test_a_flag_that_is_not_a_boolean_is_refused_naming_it_and_nothing_is_written(
    client, token_for
):
    response = client.put(
        URL,
        json={**portfolio("kommune-aarhus", project("A-1")), "complete": "måske"},
        headers=token_for("kommune-aarhus"),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["complete"]
    assert client.get(URL).json == {
        "organisation": "kommune-aarhus",
        "complete": False,
        "projects": [],
    }


def test_the_organisation_page_says_selected_not_exhaustive_until_declared_complete(
    client, token_for
):
    put(client, token_for, "kommune-aarhus", project("A-1", **KOL))
    page = text_of(client.get("/organisations/kommune-aarhus"))
    assert 'id="partial-note"' in page and NOTE in page
    put(client, token_for, "kommune-aarhus", project("A-1", **KOL), complete=True)
    assert NOTE not in text_of(client.get("/organisations/kommune-aarhus"))


def test_the_note_is_english_after_the_language_switch(client, token_for):
    put(client, token_for, "kommune-aarhus", project("A-1", **KOL))
    client.get("/language/en?next=/")
    assert "Selected projects, not exhaustive" in text_of(
        client.get("/organisations/kommune-aarhus")
    )


def test_the_group_overview_is_partial_unless_every_organisation_counted_is_complete(
    client, token_for
):
    group = {
        "id": "kol-aarhus",
        "name": "KOL i Sundhedsråd Aarhus",
        "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
        "coordinators": ["kommune-aarhus"],
    }
    assert (
        client.post("/api/v1/groups", json=group, headers=token_for(admin=True)).status_code == 201
    )
    put(client, token_for, "kommune-aarhus", project("A-1", areas=["0751"], **KOL), complete=True)
    put(client, token_for, "auh", project("AUH-1", areas=["0751"], **KOL_ELSEWHERE))
    assert NOTE in text_of(client.get("/groups/kol-aarhus"))  # auh has not said it is complete
    put(client, token_for, "auh", project("AUH-1", areas=["0751"], **KOL_ELSEWHERE), complete=True)
    assert NOTE not in text_of(client.get("/groups/kol-aarhus"))
    # An organisation outside the group's slice does not count.
    publish(client, token_for, "kommune-aalborg", project("AAL-1", areas=["0851"], **KOL))
    assert NOTE not in text_of(client.get("/groups/kol-aarhus"))


def test_the_project_list_count_is_partial_for_one_organisation_until_it_is_complete(
    client, token_for
):
    put(client, token_for, "kommune-aarhus", project("A-1", **KOL), complete=True)
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_ELSEWHERE))
    assert NOTE not in text_of(client.get("/projects?organisation=kommune-aarhus"))
    assert NOTE in text_of(client.get("/projects?organisation=kommune-aalborg"))
    assert NOTE in text_of(client.get("/projects"))  # every organisation: most are partial
