"""Visibility holds in history, in responses to decisions and in what "not found" says.

A card first published ``private`` and later made ``public`` keeps its private past from
the public; a decision about a hidden project cannot be answered (nor read) by those it
is hidden from; and a hidden object answers exactly as one that does not exist.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecosystem.errors import NOT_FOUND
from ecosystem.store.tables import Project
from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

AUH, AARHUS, AALBORG = "auh", "kommune-aarhus", "kommune-aalborg"
SECRET_TITLE = "Hemmelig qwvorfase kronikerindsats"
SECRET_WORD = "zyxprivat"
PUBLIC_TITLE = "Telemedicin for borgere med KOL i Aarhus"
GROUP = {
    "id": "kronikere",
    "name": "Kronikere",
    "mandate": {"themes": ["T2"]},
    "coordinators": [AARHUS],
}


def project_id(db: Session, organisation: str, external_id: str) -> int:
    db.expire_all()
    found = db.scalar(
        select(Project.id).where(
            Project.organisation_id == organisation, Project.external_id == external_id
        )
    )
    assert found is not None
    return found


def secret_card(**fields: Any) -> dict[str, Any]:
    card = {
        "title": SECRET_TITLE,
        "description": f"Et internt udkast ({SECRET_WORD}) om kronikere.",
        "visibility": "private",
    }
    return project("S-1", **{**card, **fields})


@pytest.fixture
def made_public(client, token_for, db) -> int:
    """AUH's S-1: published private (revision 1), then public with other words (revision 2)."""
    publish(client, token_for, AUH, secret_card())
    publish(client, token_for, AUH, project("S-1", title=PUBLIC_TITLE, visibility="public"))
    return project_id(db, AUH, "S-1")


def revisions_seen(client, project_id: int, headers: dict[str, str] | None = None) -> list[int]:
    response = client.get(f"/api/v1/projects/{project_id}", headers=headers or {})
    assert response.status_code == 200, response.json
    return [revision["number"] for revision in response.json["revisions"]]


# --- 1. private history stays private ---------------------------------------------------------


def test_the_public_sees_only_the_revisions_that_were_public(made_public, client, token_for):
    response = client.get(f"/api/v1/projects/{made_public}")
    assert [r["number"] for r in response.json["revisions"]] == [2]
    assert SECRET_WORD not in response.get_data(as_text=True)
    assert SECRET_TITLE not in response.get_data(as_text=True)
    # Another organisation is not the owner: a private revision is hidden from it too.
    assert revisions_seen(client, made_public, token_for(AALBORG)) == [2]


def test_the_owner_and_admins_see_the_whole_history(made_public, client, token_for):
    assert revisions_seen(client, made_public, token_for(AUH)) == [1, 2]
    assert revisions_seen(client, made_public, token_for(admin=True)) == [1, 2]


def test_an_ecosystem_revision_is_seen_by_organisations_but_not_by_the_public(
    client, token_for, db
):
    publish(client, token_for, AUH, secret_card(visibility="ecosystem"))
    publish(client, token_for, AUH, project("S-1", title=PUBLIC_TITLE))
    pid = project_id(db, AUH, "S-1")
    assert revisions_seen(client, pid) == [2]
    assert revisions_seen(client, pid, token_for(AALBORG)) == [1, 2]


def test_reading_as_of_the_private_past_is_not_found_for_others(made_public, client, token_for):
    owners = client.get(f"/api/v1/projects/{made_public}", headers=token_for(AUH)).json
    private_moment = owners["revisions"][0]["created_at"]
    url = f"/api/v1/projects/{made_public}?as_of={quote(private_moment)}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=token_for(AALBORG)).status_code == 404
    as_owner = client.get(url, headers=token_for(AUH))
    assert as_owner.status_code == 200 and as_owner.json["title"] == SECRET_TITLE
    listed = client.get(f"/api/v1/projects?as_of={quote(private_moment)}").json
    assert made_public not in [item["id"] for item in listed["items"]]


def test_the_project_page_history_leaves_the_private_past_out(made_public, client, token_for):
    page = client.get(f"/projects/{made_public}").get_data(as_text=True)
    assert PUBLIC_TITLE in page
    assert SECRET_TITLE not in page and SECRET_WORD not in page


def test_a_group_history_still_shows_every_version_to_anyone(client, token_for):
    assert (
        client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True)).status_code == 201
    )
    changed = client.patch(
        "/api/v1/groups/kronikere", json={"name": "Kronikere i Midt"}, headers=token_for(AARHUS)
    )
    assert changed.status_code == 200, changed.json
    history = client.get("/api/v1/groups/kronikere").json["revisions"]
    assert [r["number"] for r in history] == [1, 2]


# --- 2. a decision about a hidden project cannot be answered -----------------------------------


@pytest.fixture
def hidden_decision(client, token_for, db) -> dict[str, Any]:
    """A decision naming AUH's private S-1 and Aarhus's public P-1."""
    publish(client, token_for, AUH, secret_card())
    publish(client, token_for, AARHUS, project("P-1"))
    assert (
        client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True)).status_code == 201
    )
    review = client.post(
        "/api/v1/groups/kronikere/reviews",
        json={"meeting_date": "2026-03-15"},
        headers=token_for(admin=True),
    )
    assert review.status_code == 201, review.json
    decision = client.post(
        f"/api/v1/reviews/{review.json['id']}/decisions",
        json={
            "finding": {
                "kind": "cluster",
                "projects": [project_id(db, AUH, "S-1"), project_id(db, AARHUS, "P-1")],
            },
            "kind": "note",
            "rationale": f"Begrundelse {SECRET_WORD}.",
        },
        headers=token_for(admin=True),
    )
    assert decision.status_code == 201, decision.json
    return dict(decision.json)


def test_an_owner_who_may_not_see_every_project_gets_the_same_404_when_responding(
    hidden_decision, client, token_for, db
):
    url = f"/api/v1/decisions/{hidden_decision['id']}"
    aarhus = token_for(AARHUS)  # owns P-1, but S-1 is hidden from it
    read = client.get(url, headers=aarhus)
    answered = client.post(
        f"{url}/responses", json={"response": "agreed", "comment": "Ja."}, headers=aarhus
    )
    assert read.status_code == answered.status_code == 404
    assert answered.json["detail"] == read.json["detail"] == NOT_FOUND
    body = {k: v for k, v in answered.json.items() if k != "instance"}
    assert SECRET_WORD not in json.dumps(body) and str(project_id(db, AUH, "S-1")) not in str(body)
    # Nothing was written: the owner of S-1 still sees no response.
    assert client.get(url, headers=token_for(AUH)).json["responses"] == []


def test_an_owner_who_sees_every_project_may_respond(hidden_decision, client, token_for):
    answered = client.post(
        f"/api/v1/decisions/{hidden_decision['id']}/responses",
        json={"response": "in_dialogue", "comment": "Vi taler sammen."},
        headers=token_for(AUH),
    )
    assert answered.status_code == 201, answered.json


# --- 3. hidden and missing answer alike ---------------------------------------------------------


def same_but_path(hidden: Any, missing: Any) -> None:
    """The two problem+json bodies are byte-identical once the path is taken out."""
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content_type == missing.content_type == "application/problem+json"
    first, second = json.loads(hidden.get_data()), json.loads(missing.get_data())
    assert first.pop("instance") != second.pop("instance")
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["detail"] == NOT_FOUND
    raw = hidden.get_data().replace(hidden.request.path.encode(), b"PATH")
    assert raw == missing.get_data().replace(missing.request.path.encode(), b"PATH")


def test_a_hidden_project_answers_like_a_missing_one(client, token_for, db):
    publish(client, token_for, AUH, secret_card())
    secret = project_id(db, AUH, "S-1")
    for headers in ({}, token_for(AALBORG)):
        same_but_path(
            client.get(f"/api/v1/projects/{secret}", headers=headers),
            client.get(f"/api/v1/projects/{secret + 1000}", headers=headers),
        )
        same_but_path(
            client.get(f"/api/v1/organisations/{AUH}/projects/S-1", headers=headers),
            client.get(f"/api/v1/organisations/{AUH}/projects/NOPE", headers=headers),
        )
        same_but_path(
            client.get(f"/api/v1/projects/{secret}/decisions", headers=headers),
            client.get(f"/api/v1/projects/{secret + 1000}/decisions", headers=headers),
        )


def test_a_hidden_decision_answers_like_a_missing_one(hidden_decision, client, token_for):
    url = f"/api/v1/decisions/{hidden_decision['id']}"
    missing = f"/api/v1/decisions/{hidden_decision['id'] + 1000}"
    same_but_path(client.get(url), client.get(missing))
    aarhus = token_for(AARHUS)
    body = {"response": "agreed", "comment": ""}
    same_but_path(
        client.post(f"{url}/responses", json=body, headers=aarhus),
        client.post(f"{missing}/responses", json=body, headers=aarhus),
    )


def test_missing_reviews_and_groups_say_the_same_words(client):
    for url in ("/api/v1/reviews/4242", "/api/v1/groups/ingen-gruppe"):
        response = client.get(url)
        assert response.status_code == 404 and response.json["detail"] == NOT_FOUND


def test_a_hidden_project_page_is_the_same_page_as_a_missing_one(client, token_for, db):
    publish(client, token_for, AUH, secret_card())
    secret = project_id(db, AUH, "S-1")
    hidden = client.get(f"/projects/{secret}")
    missing = client.get(f"/projects/{secret + 1000}")
    assert hidden.status_code == missing.status_code == 404
    # The page names its own address (the language switch returns to it); nothing else differs.
    assert hidden.get_data().replace(f"/projects/{secret}".encode(), b"PATH") == (
        missing.get_data().replace(f"/projects/{secret + 1000}".encode(), b"PATH")
    )
