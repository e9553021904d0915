"""Publishing a portfolio over HTTP and reading it back."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecosystem.store.tables import Project, ProjectRevision
from tests.builders import portfolio, project

pytestmark = pytest.mark.usefixtures("reference_data")

URL = "/api/v1/organisations/kommune-aarhus/portfolio"


def counts(db: Session) -> tuple[int, int]:
    db.expire_all()
    return (
        db.scalar(select(func.count()).select_from(Project)) or 0,
        db.scalar(select(func.count()).select_from(ProjectRevision)) or 0,
    )


def test_publish_then_read_back_returns_the_same_document(client, token_for):
    document = portfolio(
        "kommune-aarhus",
        project(
            "P-1",
            areas=["0751"],
            target_groups=["kol"],
            goals=["NM2"],
            budget_dkk=2400000,
            start_date="2026-02-01",
            end_date="2027-06-30",
            last_reviewed="2026-10-01",
        ),
        project("P-2", title="Demensvenlig kommune", themes=["T2.1"], stage="idea"),
    )
    response = client.put(URL, json=document, headers=token_for("kommune-aarhus"))
    assert response.status_code == 200
    assert sorted(response.json["created"]) == ["P-1", "P-2"]

    read = client.get(URL).json
    by_id = {p["external_id"]: p for p in read["projects"]}
    assert by_id["P-1"]["areas"] == ["0751"]
    assert by_id["P-1"]["budget_dkk"] == 2400000
    assert (by_id["P-1"]["start_date"], by_id["P-1"]["end_date"]) == ("2026-02-01", "2027-06-30")
    assert by_id["P-2"]["title"] == "Demensvenlig kommune"
    assert by_id["P-2"]["stage"] == "idea"


def test_the_after_the_pool_fields_are_published_and_read_back(client, token_for):
    after = {
        "funding_ends": "2027-06-30",
        "implementation_owner": "Hjemmeplejen, Aarhus Kommune",
        "operation_plan": "Overgår til hjemmeplejens driftsbudget.",
    }
    document = portfolio("kommune-aarhus", project("P-1", stage="implementation", **after))
    assert client.put(URL, json=document, headers=token_for("kommune-aarhus")).status_code == 200
    read = client.get(URL).json["projects"][0]
    assert {key: read[key] for key in after} == after
    one = client.get("/api/v1/organisations/kommune-aarhus/projects/P-1").json
    assert {key: one[key] for key in after} == after


def test_republishing_the_same_document_changes_nothing(client, token_for, db):
    headers = token_for("kommune-aarhus")
    document = portfolio("kommune-aarhus", project("P-1"), project("P-2", title="Anden"))
    client.put(URL, json=document, headers=headers)
    before = counts(db)
    version = client.get("/api/v1/health").json["catalog_version"]

    again = client.put(URL, json=document, headers=headers).json
    assert again["unchanged"] == ["P-1", "P-2"]
    assert again["created"] == again["updated"] == again["withdrawn"] == []
    assert counts(db) == before
    assert client.get("/api/v1/health").json["catalog_version"] == version


def test_a_project_left_out_is_withdrawn_and_kept_in_history(client, token_for, db):
    headers = token_for("kommune-aarhus")
    client.put(
        URL, json=portfolio("kommune-aarhus", project("P-1"), project("P-2")), headers=headers
    )
    result = client.put(URL, json=portfolio("kommune-aarhus", project("P-1")), headers=headers).json
    assert result["withdrawn"] == ["P-2"]

    listed = client.get("/api/v1/projects").json
    assert [p["external_id"] for p in listed["items"]] == ["P-1"]
    withdrawn_id = db.scalar(select(Project.id).where(Project.external_id == "P-2"))
    detail = client.get(f"/api/v1/projects/{withdrawn_id}").json
    assert detail["withdrawn"] is True
    assert [r["action"] for r in detail["revisions"]] == ["created", "withdrawn"]
    assert detail["revisions"][0]["data"]["title"] == project()["title"]

    restored = client.put(
        URL, json=portfolio("kommune-aarhus", project("P-1"), project("P-2")), headers=headers
    )
    assert restored.json["updated"] == ["P-2"]
    detail = client.get(f"/api/v1/projects/{withdrawn_id}").json
    assert [r["action"] for r in detail["revisions"]] == ["created", "withdrawn", "restored"]


def test_updates_record_which_fields_changed(client, token_for, db):
    headers = token_for("kommune-aarhus")
    client.put(URL, json=portfolio("kommune-aarhus", project("P-1")), headers=headers)
    client.put(
        URL,
        json=portfolio("kommune-aarhus", project("P-1", stage="implementation")),
        headers=headers,
    )
    project_id = db.scalar(select(Project.id))
    revisions = client.get(f"/api/v1/projects/{project_id}").json["revisions"]
    assert revisions[-1]["changed_fields"] == ["stage"]
    assert revisions[-1]["actor"] == "org:kommune-aarhus"


def test_as_of_reads_show_the_portfolio_as_it_was(client, token_for):
    headers = token_for("kommune-aarhus")
    client.put(
        URL, json=portfolio("kommune-aarhus", project("P-1"), project("P-2")), headers=headers
    )
    time.sleep(0.01)
    between = dt.datetime.now(dt.UTC).isoformat()
    time.sleep(0.01)
    client.put(
        URL, json=portfolio("kommune-aarhus", project("P-1", stage="operation")), headers=headers
    )

    now = client.get(URL).json["projects"]
    then = client.get(URL, query_string={"as_of": between}).json["projects"]
    assert [(p["external_id"], p["stage"]) for p in now] == [("P-1", "operation")]
    assert [(p["external_id"], p["stage"]) for p in then] == [("P-1", "pilot"), ("P-2", "pilot")]
    listed = client.get("/api/v1/projects", query_string={"as_of": between, "stage": "pilot"}).json
    assert listed["total"] == 2
    before_anything = client.get(URL, query_string={"as_of": "2000-01-01"}).json["projects"]
    assert before_anything == []


def test_another_organisations_token_is_refused_and_nothing_changes(client, token_for, db):
    client.put(
        URL, json=portfolio("kommune-aarhus", project("P-1")), headers=token_for("kommune-aarhus")
    )
    before = counts(db)
    response = client.put(
        URL, json=portfolio("kommune-aarhus", project("P-9")), headers=token_for("kommune-aalborg")
    )
    assert response.status_code == 403
    assert response.content_type == "application/problem+json"
    assert counts(db) == before
    single = client.delete(
        "/api/v1/organisations/kommune-aarhus/projects/P-1", headers=token_for("kommune-aalborg")
    )
    assert single.status_code == 403
    assert counts(db) == before


def test_writing_without_a_token_or_with_a_bad_one_is_401(client, token_for):
    document = portfolio("kommune-aarhus", project())
    assert client.put(URL, json=document).status_code == 401
    bad = client.put(URL, json=document, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert bad.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_admin_token_may_publish_for_any_organisation(client, token_for):
    response = client.put(
        URL, json=portfolio("kommune-aarhus", project()), headers=token_for(admin=True)
    )
    assert response.status_code == 200
    assert response.json["created"] == ["P-1"]


def _problem(response: Any) -> dict[str, Any]:
    assert response.content_type == "application/problem+json"
    body = response.json
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == response.status_code
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("card", "field", "fragment"),
    [
        (project(themes=["T2", "T99"]), "projects[0].themes[1]", "T99"),
        (project(areas=["9999"]), "projects[0].areas[0]", "9999"),
        (project(target_groups=["kronikere"]), "projects[0].target_groups[0]", "kronikere"),
        (project(goals=["NM9"]), "projects[0].goals[0]", "NM9"),
        (
            project(partners=[{"organisation": "kommune-atlantis"}]),
            "projects[0].partners[0].organisation",
            "kommune-atlantis",
        ),
        (project(stage="someday"), "projects[0].stage", "one of"),
        (project(themes=[]), "projects[0].themes", "Length"),
        (project(budget_dkk="a lot"), "projects[0].budget_dkk", "number"),
        (project(value_score=6), "projects[0].value_score", "less than or equal to 5"),
        (project(risk_score=0), "projects[0].risk_score", "greater than or equal to 1"),
        (project(title="x" * 20_000), "projects[0].title", "300"),
        (project(start_date="2026-05-01", end_date="2026-01-01"), "projects[0].end_date", "before"),
        (
            project(start_date="2026-05-01", funding_ends="2026-01-01"),
            "projects[0].funding_ends",
            "before",
        ),
        (project(funding_ends="snart"), "projects[0].funding_ends", "date"),
        (project(implementation_owner="x" * 301), "projects[0].implementation_owner", "300"),
        (project(operation_plan="x" * 1001), "projects[0].operation_plan", "1000"),
        (project(surprise=True), "projects[0].surprise", "Unknown field"),
        (
            {k: v for k, v in project().items() if k != "description"},
            "projects[0].description",
            "Missing",
        ),
    ],
)
def test_invalid_documents_are_refused_with_the_exact_place_and_nothing_is_written(
    client, token_for, db, card, field, fragment
):
    before = counts(db)
    response = client.put(
        URL, json=portfolio("kommune-aarhus", card), headers=token_for("kommune-aarhus")
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in _problem(response)["errors"]}
    assert field in errors, errors
    assert fragment in errors[field]
    assert counts(db) == before


def test_a_duplicated_external_id_names_both_places(client, token_for, db):
    response = client.put(
        URL,
        json=portfolio("kommune-aarhus", project("P-1"), project("P-1")),
        headers=token_for("kommune-aarhus"),
    )
    assert response.status_code == 422
    errors = _problem(response)["errors"]
    assert errors == [
        {
            "field": "projects[1].external_id",
            "message": "Duplicate external_id 'P-1' (also projects[0]).",
        }
    ]
    assert counts(db) == (0, 0)


def test_one_bad_project_rejects_the_whole_document(client, token_for, db):
    document = portfolio("kommune-aarhus", project("P-1"), project("P-2", themes=["nope"]))
    response = client.put(URL, json=document, headers=token_for("kommune-aarhus"))
    assert response.status_code == 422
    assert counts(db) == (0, 0)


def test_unknown_code_suggests_the_nearest_real_one(client, token_for):
    response = client.put(
        URL,
        json=portfolio("kommune-aarhus", project(themes=["T13.0"])),
        headers=token_for("kommune-aarhus"),
    )
    assert "Did you mean 'T13'?" in response.json["errors"][0]["message"]


def test_invalid_utf8_and_malformed_json_are_400_problems(client, token_for, db):
    headers = {**token_for("kommune-aarhus"), "Content-Type": "application/json"}
    for body in (
        b'{"organisation": "kommune-aarhus", "projects": [{"title": "\xff\xfe"}]}',
        b"{not json",
    ):
        response = client.put(URL, data=body, headers=headers)
        assert response.status_code == 400
        _problem(response)
    assert counts(db) == (0, 0)


def test_a_document_for_another_organisation_than_the_url_is_refused(client, token_for):
    response = client.put(
        URL, json=portfolio("kommune-aalborg", project()), headers=token_for(admin=True)
    )
    assert response.status_code == 422


def test_bodies_over_the_limit_get_413(app, token_for):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    client = app.test_client()
    document = portfolio("kommune-aarhus", project(description="x" * 5000))
    response = client.put(URL, json=document, headers=token_for("kommune-aarhus"))
    assert response.status_code == 413
    _problem(response)


def test_one_project_can_be_put_read_and_withdrawn(client, token_for):
    headers = token_for("kommune-aarhus")
    url = "/api/v1/organisations/kommune-aarhus/projects/P-7"
    created = client.put(url, json=project("P-7"), headers=headers)
    assert created.status_code == 201
    assert created.json["organisation"]["name"] == "Aarhus Kommune"
    updated = client.put(url, json=project("P-7", stage="operation"), headers=headers)
    assert updated.status_code == 200
    assert updated.json["revision"] == 2
    assert client.get(url).json["stage"] == "operation"
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get("/api/v1/projects").json["total"] == 0
    assert client.delete(url, headers=headers).status_code == 404


def test_single_project_errors_point_at_the_field_itself(client, token_for):
    url = "/api/v1/organisations/kommune-aarhus/projects/P-7"
    response = client.put(
        url, json=project("P-7", areas=["0000"]), headers=token_for("kommune-aarhus")
    )
    assert response.json["errors"][0]["field"] == "areas[0]"
    mismatch = client.put(url, json=project("P-8"), headers=token_for("kommune-aarhus"))
    assert mismatch.status_code == 422


def test_publishing_for_an_unknown_organisation_is_404(client, token_for):
    response = client.put(
        "/api/v1/organisations/kommune-atlantis/portfolio",
        json=portfolio("kommune-atlantis", project()),
        headers=token_for(admin=True),
    )
    assert response.status_code == 404
