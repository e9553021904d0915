"""An organisation's data quality over HTTP and on its page, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from ecosystem.store.tables import Project
from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

ORG = "kommune-aarhus"
LONG = (
    "Borgere med svær KOL får måleudstyr med hjem og følges dagligt af hjemmesygeplejen, "
    "som ringer op ved faldende iltmætning og aftaler besøg med lægen i almen praksis."
)
HIDDEN_TITLE = "Zqxhemmelig afprøvning uden målgruppe"


def complete(external_id: str, **fields: Any) -> dict[str, Any]:
    card = {
        "title": f"Hjemmemonitorering af KOL {external_id}",
        "description": LONG,
        "themes": ["T2.1"],
        "target_groups": ["kol"],
        "areas": ["0751"],
        "start_date": "2025-01-01",
        "value_score": 4,
        "risk_score": 2,
        "contact": {"name": "Projektleder", "email": "kol@example.dk"},
    }
    card.update(fields)
    return project(external_id, **card)


CARDS = (
    complete("A-1"),
    # a placeholder with only the main theme, under a group working on the sub-theme
    complete("A-2", title="Tele-KOL", description="Tele-KOL.", themes=["T2"]),
    complete("A-3", title=HIDDEN_TITLE, target_groups=[], visibility="private"),
)
GROUP = {
    "id": "kol-aarhus",
    "name": "KOL i Aarhus",
    "mandate": {"themes": ["T2.1"], "areas": ["sundhedsraad-aarhus"]},
    "coordinators": [ORG],
}


@pytest.fixture
def portfolio(reference_data: None, client: Any, token_for: Any, db: Session) -> None:
    publish(client, token_for, ORG, *CARDS)
    response = client.post("/api/v1/groups", json=GROUP, headers=token_for(ORG))
    assert response.status_code == 201, response.json
    held = dt.date.today() - dt.timedelta(days=10)
    review = client.post(
        f"/api/v1/groups/{GROUP['id']}/reviews",
        json={"meeting_date": held.isoformat()},
        headers=token_for(ORG),
    )
    assert review.status_code == 201, review.json
    # A-1 was last changed before the review and never confirmed: it is stale.
    before = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    db.execute(update(Project).where(Project.external_id == "A-1").values(updated_at=before))
    db.commit()


def quality(client: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = client.get(f"/api/v1/organisations/{ORG}/quality", headers=headers or {})
    assert response.status_code == 200, response.json
    body: dict[str, Any] = response.json
    return body


@pytest.mark.usefixtures("portfolio")
def test_the_owner_sees_every_part_of_its_portfolio(client, token_for):
    body = quality(client, token_for(ORG))
    assert body["complete"] is True and body["projects"] == 3
    assert {p["key"]: p["weight"] for p in body["parts"]} == {
        "completeness": 40,
        "descriptions": 20,
        "current": 20,
        "codes": 20,
    }
    assert body["score"] == round(sum(p["points"] for p in body["parts"]))
    assert 0 < body["score"] < 100
    fields = {f["key"]: f for f in body["fields"]}
    assert [p["title"] for p in fields["target_groups"]["missing"]] == [HIDDEN_TITLE]
    assert [p["project"]["external_id"] for p in body["placeholders"]] == ["A-2"]
    assert [s["project"]["external_id"] for s in body["stale"]] == ["A-1"]
    assert body["stale"][0]["group"] == {"id": "kol-aarhus", "name": "KOL i Aarhus"}
    assert [(c["project"]["external_id"], c["code"]) for c in body["codes"]] == [("A-2", "T2")]
    assert 1 <= len(body["suggestions"]) <= 3
    first = body["suggestions"][0]
    assert first["text"] and first["text_en"] and first["projects"]
    assert [r["group"]["id"] for r in body["reviews"]] == ["kol-aarhus"]


@pytest.mark.usefixtures("portfolio")
def test_others_see_the_quality_of_what_they_may_see_and_nothing_private(client, token_for):
    for headers in ({}, token_for("kommune-aalborg")):
        body = quality(client, headers)
        assert body["complete"] is False and body["projects"] == 2
        assert HIDDEN_TITLE not in str(body)
        fields = {f["key"]: f for f in body["fields"]}
        assert fields["target_groups"]["missing"] == []
    assert quality(client, token_for(admin=True))["projects"] == 3


def test_an_organisation_without_projects_is_asked_to_publish(client):
    body = quality(client)
    assert body["score"] is None and body["projects"] == 0
    assert [s["key"] for s in body["suggestions"]] == ["publish"]


def test_an_unknown_organisation_is_404_problem(client):
    response = client.get("/api/v1/organisations/nobody-here/quality")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    page = client.get("/organisations/nobody-here/quality")
    assert page.status_code == 404


# --- the page -----------------------------------------------------------------------------


@pytest.mark.usefixtures("portfolio")
def test_the_page_speaks_danish_first_and_english_on_request(client, token_for):
    page = client.get(f"/organisations/{ORG}/quality").get_data(as_text=True)
    assert (
        "Datakvalitet" in page and "Tre ting, der ville gøre jeres portefølje mere nyttig" in page
    )
    assert "Udfyldte felter" in page and "«Tele-KOL»" in page
    assert HIDDEN_TITLE not in page  # the public reader
    client.get("/language/en")
    english = client.get(f"/organisations/{ORG}/quality").get_data(as_text=True)
    assert "Data quality" in english and "Three things that would make your portfolio" in english
    assert "Fields filled in" in english and "Udfyldte felter" not in english


@pytest.mark.usefixtures("portfolio")
def test_the_organisation_page_links_to_its_quality(client):
    page = client.get(f"/organisations/{ORG}").get_data(as_text=True)
    assert f'href="/organisations/{ORG}/quality"' in page
