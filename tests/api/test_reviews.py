"""Reviews over HTTP: snapshots that history reproduces, since last review, decisions, the pack."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecosystem.labels import OVERLAP_RELATIONS, SEVERITIES, STAGES
from ecosystem.store.reviews import Review, ReviewDecision
from ecosystem.store.tables import Project
from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

KOL_TEXT = (
    "Borgere med svær KOL får måleudstyr i hjemmet og følges af hjemmesygeplejen via "
    "telemedicinsk monitorering af iltmætning, puls og vejrtrækning."
)


def kol(external_id: str, **fields: Any) -> dict[str, Any]:
    card = {
        "title": "Telemedicinsk hjemmemonitorering af borgere med KOL",
        "description": KOL_TEXT,
        "target_groups": ["kol"],
        "areas": ["0751"],
        "value_score": 3,
        "risk_score": 2,
    }
    card.update(fields)
    return project(external_id, **card)


GROUP = {
    "id": "kronikere-aarhus",
    "name": "Kronikere og ældre – Sundhedsråd Aarhus",
    "mandate": {
        "themes": ["T2"],
        "target_groups": ["kol", "aeldre"],
        "areas": ["sundhedsraad-aarhus"],
    },
    "members": [
        {"organisation": "kommune-aarhus", "role": "administrative"},
        {"organisation": "auh", "role": "professional"},
    ],
    "coordinators": ["kommune-aarhus"],
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


FALLS = "Faldforebyggende træning i eget hjem for ældre borgere efter udskrivelse fra sygehus."


@pytest.fixture
def first_review(client, token_for, db):
    """A group with an overlap (P-1 × H-1) and a review opened by its coordinator."""
    publish(client, token_for, "kommune-aarhus", kol("P-1"))
    publish(client, token_for, "auh", kol("H-1"))
    publish(
        client,
        token_for,
        "kommune-favrskov",
        project(
            "F-1",
            title="Faldforebyggelse for ældre",
            description=FALLS,
            target_groups=["aeldre"],
            areas=["0710"],
            stage="implementation",
        ),
    )
    assert (
        client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True)).status_code == 201
    )
    response = client.post(
        "/api/v1/groups/kronikere-aarhus/reviews",
        json={
            "meeting_date": "2026-03-15",
            "participants": [
                {"organisation": "kommune-aarhus", "role": "political"},
                {"organisation": "auh", "role": "professional"},
            ],
        },
        headers=token_for("kommune-aarhus"),
    )
    assert response.status_code == 201, response.json
    return response.json


def change_the_slice(client: Any, token_for: Any) -> None:
    """Every kind of change a since-last-review page must show."""
    # P-1 matures and is valued higher: a stage change, a score change, a scaling candidate.
    publish(client, token_for, "kommune-aarhus", kol("P-1", stage="implementation", value_score=4))
    # H-1 turns to something else: its overlap with P-1 disappears.
    publish(
        client,
        token_for,
        "auh",
        kol(
            "H-1",
            title="Psykiatrisk udgående team for ældre",
            description="Et udgående psykiatrisk team besøger ældre med depression i plejeboliger.",
            target_groups=["aeldre"],
        ),
    )
    # Favrskov withdraws F-1: a gap opens in 0710.
    assert (
        client.delete(
            "/api/v1/organisations/kommune-favrskov/projects/F-1",
            headers=token_for("kommune-favrskov"),
        ).status_code
        == 204
    )
    # Aarhus University starts the same thing as P-1: a new project and a new overlap.
    publish(client, token_for, "au", kol("U-1", stage="idea"))


def test_opening_a_review_needs_a_coordinator_or_an_admin(first_review, client, token_for):
    body = {"meeting_date": "2026-06-15"}
    url = "/api/v1/groups/kronikere-aarhus/reviews"
    assert client.post(url, json=body).status_code == 401
    refused = client.post(url, json=body, headers=token_for("auh"))
    assert refused.status_code == 403
    assert refused.content_type == "application/problem+json"
    assert client.post(url, json=body, headers=token_for(admin=True)).status_code == 201


def test_a_review_with_bad_input_names_the_field_and_writes_nothing(
    reference_data, client, token_for, db
):
    assert (
        client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True)).status_code == 201
    )
    response = client.post(
        "/api/v1/groups/kronikere-aarhus/reviews",
        json={
            "meeting_date": "2026-15-01",
            "participants": [{"organisation": "x", "role": "boss"}],
        },
        headers=token_for("kommune-aarhus"),
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert "meeting_date" in fields
    assert "participants.0.role" in fields or "participants[0].role" in fields
    unknown = client.post(
        "/api/v1/groups/kronikere-aarhus/reviews",
        json={
            "meeting_date": "2026-01-01",
            "participants": [{"organisation": "nobody", "role": "political"}],
        },
        headers=token_for("kommune-aarhus"),
    )
    assert unknown.status_code == 422
    assert unknown.json["errors"][0]["field"] == "participants[0].organisation"
    assert db.scalar(select(func.count()).select_from(Review)) == 0


def test_a_review_snapshot_holds_the_slice_its_overlaps_and_gaps(first_review, client, db):
    review = client.get(f"/api/v1/reviews/{first_review['id']}").json
    snapshot = review["snapshot"]
    ids = {p["external_id"] for p in snapshot["projects"]}
    assert ids == {"P-1", "H-1", "F-1"}
    assert [{o["a"]["external_id"], o["b"]["external_id"]} for o in snapshot["overlaps"]] == [
        {"P-1", "H-1"}
    ]
    kinds = {g["kind"] for g in snapshot["gaps"]}
    assert "pipeline_no_early" in kinds  # nothing at idea or analysis
    assert review["participants"][0] == {"organisation": "kommune-aarhus", "role": "political"}
    assert review["group"]["mandate"]["areas"] == ["sundhedsraad-aarhus"]


def test_an_old_review_reads_the_same_after_later_publishes(first_review, app, client, token_for):
    url = f"/api/v1/reviews/{first_review['id']}"
    before = client.get(url).json["snapshot"]
    # Re-read from history, not from the worker's cache of recomputed snapshots.
    app.extensions["ecosystem.catalogue"].forget()
    change_the_slice(client, token_for)
    patched = client.patch(
        "/api/v1/groups/kronikere-aarhus",
        json={"mandate": {"areas": ["region-midtjylland"]}},
        headers=token_for(admin=True),
    )
    assert patched.status_code == 200
    after = client.get(url).json
    assert after["snapshot"] == before
    assert after["group"]["mandate"]["areas"] == ["sundhedsraad-aarhus"]  # the mandate as it was


def test_since_last_review_shows_every_kind_of_difference(first_review, client, token_for, db):
    decided = client.post(
        f"/api/v1/reviews/{first_review['id']}/decisions",
        json={
            "finding": {"kind": "project", "projects": [project_id(db, "kommune-favrskov", "F-1")]},
            "kind": "continue",
            "rationale": "Vigtigt for borgerne i Favrskov.",
        },
        headers=token_for("kommune-aarhus"),
    )
    assert decided.status_code == 201
    first = client.get(f"/api/v1/reviews/{first_review['id']}/since-last").json
    assert first["previous"] is None and first["changes"] is None

    change_the_slice(client, token_for)
    second = client.post(
        "/api/v1/groups/kronikere-aarhus/reviews",
        json={"meeting_date": "2026-06-15"},
        headers=token_for("kommune-aarhus"),
    ).json
    body = client.get(f"/api/v1/reviews/{second['id']}/since-last").json
    assert body["previous"]["id"] == first_review["id"]
    changes = body["changes"]
    p1, h1, u1 = (
        project_id(db, "kommune-aarhus", "P-1"),
        project_id(db, "auh", "H-1"),
        project_id(db, "au", "U-1"),
    )
    assert [p["external_id"] for p in changes["new_projects"]] == ["U-1"]
    assert [p["external_id"] for p in changes["withdrawn"]] == ["F-1"]
    assert changes["stage_changes"] == [
        {
            "project": changes["stage_changes"][0]["project"],
            "before": "pilot",
            "after": "implementation",
        }
    ]
    assert changes["stage_changes"][0]["project"]["id"] == p1
    assert [(c["field"], c["before"], c["after"]) for c in changes["score_changes"]] == [
        ("value_score", 3, 4)
    ]
    assert changes["overlaps_disappeared"] == [f"overlap:{min(p1, h1)}-{max(p1, h1)}"]
    assert changes["overlaps_appeared"] == [f"overlap:{min(p1, u1)}-{max(p1, u1)}"]
    assert "theme_area:T2:0710:-" in changes["gaps_opened"]
    assert any(g.startswith("pipeline_no_early:T2") for g in changes["gaps_closed"])
    assert p1 in [p["id"] for p in changes["new_scaling_candidates"]]
    assert [d["id"] for d in changes["decisions"]] == [decided.json["id"]]


def test_a_decision_is_tied_to_a_finding_of_the_review(first_review, client, token_for, db):
    p1, h1 = project_id(db, "kommune-aarhus", "P-1"), project_id(db, "auh", "H-1")
    url = f"/api/v1/reviews/{first_review['id']}/decisions"
    not_a_pair = client.post(
        url,
        json={
            "finding": {
                "kind": "overlap",
                "projects": [p1, project_id(db, "kommune-favrskov", "F-1")],
            },
            "kind": "coordinate",
            "counterparts": ["kommune-favrskov"],
            "rationale": "Lær af hinanden.",
        },
        headers=token_for("kommune-aarhus"),
    )
    assert not_a_pair.status_code == 422
    assert not_a_pair.json["errors"][0]["field"] == "finding.projects"
    no_counterpart = client.post(
        url,
        json={
            "finding": {"kind": "overlap", "projects": [p1, h1]},
            "kind": "merge",
            "rationale": "x",
        },
        headers=token_for("kommune-aarhus"),
    )
    assert no_counterpart.status_code == 422
    assert no_counterpart.json["errors"][0]["field"] == "counterparts"
    no_gap = client.post(
        url,
        json={"finding": {"kind": "gap", "gap": "nothing"}, "kind": "note", "rationale": "x"},
        headers=token_for("kommune-aarhus"),
    )
    assert no_gap.status_code == 422 and no_gap.json["errors"][0]["field"] == "finding.gap"
    not_a_coordinator = client.post(
        url,
        json={
            "finding": {"kind": "overlap", "projects": [p1, h1]},
            "kind": "note",
            "rationale": "x",
        },
        headers=token_for("auh"),
    )
    assert not_a_coordinator.status_code == 403
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(ReviewDecision)) == 0


def test_an_accepted_duplication_is_settled_and_the_owner_responds(
    first_review, client, token_for, db
):
    p1, h1 = project_id(db, "kommune-aarhus", "P-1"), project_id(db, "auh", "H-1")
    before = {p.id: (p.data, p.revision) for p in db.scalars(select(Project))}
    decision = client.post(
        f"/api/v1/reviews/{first_review['id']}/decisions",
        json={
            "finding": {"kind": "overlap", "projects": [h1, p1]},
            "kind": "accept_duplication",
            "rationale": "Hospitalet og kommunen følger forskellige patienter; begge er nødvendige.",
        },
        headers=token_for("kommune-aarhus"),
    )
    assert decision.status_code == 201, decision.json
    assert decision.json["owners"] == ["auh", "kommune-aarhus"]
    assert decision.json["settles"] is True

    pack = client.get(f"/api/v1/reviews/{first_review['id']}/pack").json
    assert pack["overlaps_to_discuss"] == []
    assert [o["key"] for o in pack["settled"]] == [f"overlap:{min(p1, h1)}-{max(p1, h1)}"]
    assert [d["id"] for d in pack["pending_decisions"]] == [decision.json["id"]]

    url = f"/api/v1/decisions/{decision.json['id']}/responses"
    outsider = client.post(url, json={"response": "agreed"}, headers=token_for("kommune-favrskov"))
    assert outsider.status_code == 403
    bad = client.post(url, json={"response": "maybe"}, headers=token_for("auh"))
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "response"
    for organisation in ("auh", "kommune-aarhus"):
        answered = client.post(
            url,
            json={"response": "in_dialogue", "comment": "Vi taler sammen i april."},
            headers=token_for(organisation),
        )
        assert answered.status_code == 201
    agreed = client.post(url, json={"response": "agreed"}, headers=token_for("auh"))
    assert agreed.json["current_responses"] == {"auh": "agreed", "kommune-aarhus": "in_dialogue"}
    assert len(agreed.json["responses"]) == 3  # nothing is lost

    on_project = client.get(f"/api/v1/projects/{h1}/decisions").json
    assert [d["id"] for d in on_project] == [decision.json["id"]]
    assert on_project[0]["responses"][-1]["response"] == "agreed"
    # A decision never changes another organisation's data.
    db.expire_all()
    assert {p.id: (p.data, p.revision) for p in db.scalars(select(Project))} == before


def test_the_pack_has_an_agenda_with_public_value_questions_and_an_xlsx(first_review, client):
    pack = client.get(f"/api/v1/reviews/{first_review['id']}/pack").json
    keys = [item["key"] for item in pack["agenda"]]
    assert keys == [
        "since_last",
        "balance",
        "overlaps",
        "gaps",
        "scaling",
        "public_value",
        "decisions",
    ]
    assert len(pack["public_value_questions"]) == 4
    assert "ulighed" in pack["public_value_questions"][0]["text"]
    assert pack["balance"]["pipeline"]
    workbook = client.get(f"/api/v1/reviews/{first_review['id']}/pack?format=xlsx")
    assert workbook.status_code == 200
    sheets = load_workbook(io.BytesIO(workbook.data))
    assert sheets.sheetnames == [
        "Det skal vi tale om",
        "Overlap",
        "Huller",
        "Fravalgt",
        "Skalering",
        "Beslutninger",
        "Projekter",
    ]
    overlap = sheets["Overlap"]
    assert overlap.max_row == 2
    assert {overlap["B2"].value, overlap["D2"].value} == {
        "Aarhus Kommune",
        "Aarhus Universitetshospital",
    }
    # Values are named as the meeting reads them, never as codes.
    relation = overlap["F2"].value
    assert relation in {label.da for label in OVERLAP_RELATIONS.values()}
    stages = {row[3] for row in sheets["Projekter"].iter_rows(min_row=2, values_only=True)}
    assert stages and stages <= {label.da for label in STAGES.values()}
    severities = {row[0] for row in sheets["Huller"].iter_rows(min_row=2, values_only=True)}
    assert severities <= {label.da for label in SEVERITIES.values()}


def test_the_printable_pack_is_a_danish_page_with_charts_and_lists(first_review, client):
    page = client.get(f"/reviews/{first_review['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Dagsorden" in html and "Siden sidste møde" in html
    assert "Overlap at drøfte" in html
    assert html.count("<svg") == 2  # value × risk and the stage pipeline
    assert "Telemedicinsk hjemmemonitorering" in html
    assert "Mindsker porteføljen ulighed i sundhed" in html
    listing = client.get("/groups/kronikere-aarhus/reviews").get_data(as_text=True)
    assert f"/reviews/{first_review['id']}" in listing
    assert client.get("/reviews/999").status_code == 404


def test_a_decision_about_a_private_project_is_seen_only_by_those_who_see_the_project(
    client, token_for, db
):
    publish(client, token_for, "auh", kol("S-1", visibility="private"))
    assert (
        client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True)).status_code == 201
    )
    review = client.post(
        "/api/v1/groups/kronikere-aarhus/reviews",
        json={"meeting_date": "2026-03-15"},
        headers=token_for(admin=True),
    ).json
    secret = project_id(db, "auh", "S-1")
    decision = client.post(
        f"/api/v1/reviews/{review['id']}/decisions",
        json={
            "finding": {"kind": "project", "projects": [secret]},
            "kind": "note",
            "rationale": "x",
        },
        headers=token_for(admin=True),
    )
    assert decision.status_code == 201
    url = f"/api/v1/decisions/{decision.json['id']}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=token_for("kommune-aarhus")).status_code == 404
    assert client.get(url, headers=token_for("auh")).status_code == 200
    assert client.get(f"/api/v1/reviews/{review['id']}").json["decisions"] == []
    as_owner = client.get(f"/api/v1/reviews/{review['id']}", headers=token_for("auh")).json
    assert [d["id"] for d in as_owner["decisions"]] == [decision.json["id"]]
    assert [p["external_id"] for p in as_owner["snapshot"]["projects"]] == ["S-1"]


def test_the_project_page_shows_the_decision_and_the_owners_answer(
    first_review, client, token_for, db
):
    p1, h1 = project_id(db, "kommune-aarhus", "P-1"), project_id(db, "auh", "H-1")
    decision = client.post(
        f"/api/v1/reviews/{first_review['id']}/decisions",
        json={
            "finding": {"kind": "overlap", "projects": [h1, p1]},
            "kind": "accept_duplication",
            "rationale": "Begge indsatser er nødvendige i denne periode.",
        },
        headers=token_for("kommune-aarhus"),
    ).json
    page = client.get(f"/projects/{h1}").get_data(as_text=True)
    assert "Begge indsatser er nødvendige i denne periode." in page
    assert "Den ejende organisation har ikke svaret endnu." in page
    client.post(
        f"/api/v1/decisions/{decision['id']}/responses",
        json={"response": "agreed", "comment": "Enige."},
        headers=token_for("auh"),
    )
    page = client.get(f"/projects/{h1}").get_data(as_text=True)
    assert "Enige." in page
    assert "Den ejende organisation har ikke svaret endnu." not in page
