"""P2: a portfolio is partial unless its organisation says "complete": true, and pages say so."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ecosystem.labels import partial_portfolio_note
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


GROUP = {
    "id": "kol-aarhus",
    "name": "KOL i Sundhedsråd Aarhus",
    "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
    "coordinators": ["kommune-aarhus"],
}


def add_group(client, token_for):
    response = client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True))
    assert response.status_code == 201


def test_the_group_overview_is_partial_unless_every_organisation_counted_is_complete(
    client, token_for
):
    add_group(client, token_for)
    put(client, token_for, "kommune-aarhus", project("A-1", areas=["0751"], **KOL), complete=True)
    put(client, token_for, "auh", project("AUH-1", areas=["0751"], **KOL_ELSEWHERE))
    # auh has not said it is complete, and is named.
    page = text_of(client.get("/groups/kol-aarhus"))
    assert f"{NOTE}: porteføljerne fra Aarhus Universitetshospital er udvalgte" in page
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


def test_the_pack_the_map_and_the_group_workbook_carry_the_note(client, token_for):
    add_group(client, token_for)
    put(client, token_for, "kommune-aarhus", project("A-1", areas=["0751"], **KOL), complete=True)
    put(client, token_for, "auh", project("AUH-1", areas=["0751"], **KOL_ELSEWHERE))
    review = client.post(
        "/api/v1/groups/kol-aarhus/reviews",
        json={"meeting_date": "2026-12-10"},
        headers=token_for("kommune-aarhus"),
    )
    assert review.status_code == 201, review.json
    pack = text_of(client.get(f"/reviews/{review.json['id']}"))
    assert 'id="partial-note"' in pack and "fra Aarhus Universitetshospital" in pack
    assert 'id="partial-note"' in text_of(client.get("/kort"))  # counts over everyone

    first = workbook_of(client.get("/groups/kol-aarhus/export.xlsx"))["Huller"]
    assert first["A1"].value.startswith(f"{NOTE}: porteføljerne fra Aarhus Universitetshospital")
    assert first.freeze_panes == "A3"  # the header sits under the note

    put(client, token_for, "auh", project("AUH-1", areas=["0751"], **KOL_ELSEWHERE), complete=True)
    first = workbook_of(client.get("/groups/kol-aarhus/export.xlsx"))["Huller"]
    # Every portfolio counted is complete: no note, the header is the first line.
    assert first["A1"].value.startswith("Forklaring") and first.freeze_panes == "A2"


def workbook_of(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


@pytest.mark.parametrize(
    ("partial", "counted", "expected"),
    [
        ([], 3, None),
        (["A"], 1, NOTE),
        ([], 0, NOTE),
        (["A", "B"], 5, f"{NOTE}: porteføljerne fra A og B er udvalgte"),
        (["A", "B", "C", "D"], 9, f"{NOTE}: 4 af 9 organisationers porteføljer er udvalgte"),
        (["A", "B", "C", "D"], 4, f"{NOTE}: alle 4 organisationers porteføljer er udvalgte"),
    ],
)
def test_the_note_names_a_few_partial_portfolios_and_counts_many(partial, counted, expected):
    note = partial_portfolio_note(partial, counted)
    assert (note.da if note else None) == expected
