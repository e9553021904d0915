"""Tag suggestions over HTTP: offered with a confidence and supporters, never applied."""

from __future__ import annotations

import pytest

from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

KOL_A = dict(
    title="Telemedicinsk hjemmemonitorering af borgere med KOL",
    description="Borgere med svær KOL får tablet og måleudstyr og følges af hjemmesygeplejen.",
    themes=["T2.1", "T13"],
    target_groups=["kol"],
)
KOL_B = dict(
    title="Tele-KOL: hjemmemonitorering efter udskrivelse",
    description="Borgere med KOL monitoreres i hjemmet med målinger af iltmætning og puls.",
    themes=["T2.1"],
    target_groups=["kol"],
)
ANXIETY = dict(
    title="Angstbehandling i grupper for unge",
    description="Kognitiv gruppeterapi for ældre med angst, sammen med ungdomsuddannelserne.",
    themes=["T4"],
    target_groups=["aeldre"],
)
DRAFT = {
    "title": "Hjemmemonitorering af KOL-borgere",
    "description": "Borgere med KOL måler selv iltmætning i hjemmet og følges af sygeplejen.",
}


def suggest(client, body, headers=None):
    return client.post("/api/v1/suggestions", json=body, headers=headers or {})


def codes(response):
    return {(s["kind"], s["code"]) for s in response.json["suggestions"]}


def test_a_draft_is_offered_the_tags_of_its_nearest_projects(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    publish(client, token_for, "auh", project("AUH-1", **KOL_B), project("AUH-2", **ANXIETY))
    response = suggest(client, DRAFT)
    assert response.status_code == 200, response.json
    found = codes(response)
    assert {("target_group", "kol"), ("subtheme", "T2.1"), ("theme", "T2")} <= found
    assert ("target_group", "aeldre") not in found
    first = response.json["suggestions"][0]
    assert 0.0 < first["confidence"] <= 1.0
    assert first["label_da"] and first["label_en"]
    assert {s["title"] for s in first["supporters"]} <= {KOL_A["title"], KOL_B["title"]}
    assert response.json["method"] == "lexical"


def test_tags_the_draft_has_are_not_offered_again(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    found = codes(suggest(client, {**DRAFT, "target_groups": ["kol"], "themes": ["T2.1"]}))
    assert ("target_group", "kol") not in found and ("subtheme", "T2.1") not in found


def test_suggesting_tags_nothing(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    before = client.get("/api/v1/projects").json
    assert suggest(client, DRAFT).status_code == 200
    assert client.get("/api/v1/projects").json == before


def test_a_private_project_neither_votes_nor_shows(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", visibility="private", **KOL_A))
    publish(client, token_for, "auh", project("AUH-2", **ANXIETY))
    response = suggest(client, DRAFT)
    assert ("target_group", "kol") not in codes(response)
    titles = {p["title"] for s in response.json["suggestions"] for p in s["supporters"]}
    assert KOL_A["title"] not in titles
    owner = suggest(client, DRAFT, token_for("kommune-aalborg"))
    assert ("target_group", "kol") in codes(owner)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": "x"}, "title"),
        ({**DRAFT, "themes": ["T999"]}, "themes[0]"),
        ({**DRAFT, "target_groups": ["nobody"]}, "target_groups[0]"),
        ({"title": "!!!", "description": "..."}, "title"),
        ({**DRAFT, "stage": "pilot"}, "stage"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(client, body, field):
    response = suggest(client, body)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in str(response.json)
