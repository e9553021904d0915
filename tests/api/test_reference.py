"""Reference data over HTTP: readable by all, changed only by admins, with history."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ecosystem.store.tables import AuditEntry

pytestmark = pytest.mark.usefixtures("reference_data")


def test_everyone_can_list_and_read_reference_data(client):
    areas = client.get("/api/v1/areas?scheme=municipality").json
    assert [a["code"] for a in areas] == ["0710", "0751", "0851"]
    aarhus = client.get("/api/v1/areas/0751").json
    assert aarhus["parents"] == ["region-midtjylland", "sundhedsraad-aarhus"]
    assert client.get("/api/v1/organisations?kind=hospital").json[0]["id"] == "auh"
    assert client.get("/api/v1/themes?parent=T2").json[0]["code"] == "T2.1"
    assert client.get("/api/v1/goals?goal_set=nationale-maal").json[0]["code"] == "NM2"
    assert client.get("/api/v1/areas/9999").status_code == 404


def test_admins_add_areas_of_other_schemes_and_changes_are_audited(client, token_for, db):
    admin = token_for(admin=True)
    created = client.post(
        "/api/v1/areas",
        json={"code": "SE", "scheme": "iso3166", "name_da": "Sverige", "name_en": "Sweden"},
        headers=admin,
    )
    assert created.status_code == 201
    changed = client.patch("/api/v1/areas/SE", json={"name_en": "Kingdom of Sweden"}, headers=admin)
    assert changed.json["name_en"] == "Kingdom of Sweden"
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.key == "SE")).all()
    assert actions == ["created", "updated"]


def test_publishers_and_anonymous_callers_cannot_change_reference_data(client, token_for):
    body = {"code": "T99", "label_da": "Nyt", "label_en": "New"}
    assert client.post("/api/v1/themes", json=body).status_code == 401
    assert (
        client.post("/api/v1/themes", json=body, headers=token_for("kommune-aarhus")).status_code
        == 403
    )
    assert client.get("/api/v1/themes/T99").status_code == 404


def test_reference_writes_refuse_duplicates_and_dangling_codes(client, token_for):
    admin = token_for(admin=True)
    duplicate = client.post(
        "/api/v1/themes", json={"code": "T2", "label_da": "x", "label_en": "x"}, headers=admin
    )
    assert duplicate.status_code == 409
    dangling = client.post(
        "/api/v1/organisations",
        json={
            "id": "ny-org",
            "name": "Ny",
            "kind": "ngo",
            "areas": ["0751", "0000"],
            "parent_id": "nobody",
        },
        headers=admin,
    )
    assert dangling.status_code == 422
    assert {e["field"] for e in dangling.json["errors"]} == {"parent_id", "areas[1]"}
    assert client.get("/api/v1/organisations/ny-org").status_code == 404
    wrong_kind = client.post(
        "/api/v1/organisations", json={"id": "x", "name": "X", "kind": "pub"}, headers=admin
    )
    assert wrong_kind.json["errors"][0]["field"] == "kind"


def test_admins_issue_tokens_over_the_api(client, token_for):
    response = client.post(
        "/api/v1/tokens", json={"organisation": "kommune-aarhus"}, headers=token_for(admin=True)
    )
    assert response.status_code == 201
    token = response.json["token"]
    publish = client.put(
        "/api/v1/organisations/kommune-aarhus/projects/P-1",
        json={
            "external_id": "P-1",
            "title": "t",
            "description": "d",
            "stage": "idea",
            "themes": ["T2"],
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert publish.status_code == 201
    refused = client.post(
        "/api/v1/tokens",
        json={"organisation": "kommune-aarhus"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 403
