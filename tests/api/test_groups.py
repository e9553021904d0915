"""Thematic groups over HTTP: who may change them, what they cover, and their analyses."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecosystem.store.groups import ThematicGroup, ThematicGroupRevision
from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

GROUPS = "/api/v1/groups"


def group(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": "kronikere-aarhus",
        "name": "Kronikere og ældre – Sundhedsråd Aarhus",
        "description": "Rådgiver sundhedsrådet om kronisk sygdom.",
        "mandate": {
            "themes": ["T2"],
            "target_groups": ["kol", "aeldre"],
            "areas": ["sundhedsraad-aarhus"],
            "goals": ["NM2"],
            "level": "advise",
        },
        "members": [
            {"organisation": "kommune-aarhus", "role": "administrative"},
            {"organisation": "auh", "role": "professional"},
        ],
        "coordinators": ["kommune-aarhus"],
    }
    document.update(changes)
    return document


def counts(db: Session) -> tuple[int, int]:
    db.expire_all()
    return (
        db.scalar(select(func.count()).select_from(ThematicGroup)) or 0,
        db.scalar(select(func.count()).select_from(ThematicGroupRevision)) or 0,
    )


@pytest.fixture
def admin(token_for):
    return token_for(admin=True)


@pytest.fixture
def created(reference_data, client, admin):
    response = client.post(GROUPS, json=group(), headers=admin)
    assert response.status_code == 201
    return response.json


# --- creating and changing -----------------------------------------------------------------


def test_an_admin_creates_a_group_and_everyone_can_read_it_with_defaults(client, created):
    assert created["revision"] == 1
    assert created["review_cadence"] == "quarterly"
    assert created["demo"] is False
    listed = client.get(GROUPS).json
    assert [g["id"] for g in listed] == ["kronikere-aarhus"]
    detail = client.get(f"{GROUPS}/kronikere-aarhus").json
    assert detail["mandate"]["areas"] == ["sundhedsraad-aarhus"]
    assert [r["action"] for r in detail["revisions"]] == ["created"]
    assert detail["revisions"][0]["actor"] == "admin"


def test_an_organisation_may_create_a_group_only_naming_itself_coordinator(client, token_for, db):
    aarhus = token_for("kommune-aarhus")
    refused = client.post(GROUPS, json=group(coordinators=["kommune-favrskov"]), headers=aarhus)
    assert refused.status_code == 403
    assert refused.content_type == "application/problem+json"
    assert "koordinator" in refused.json["detail"]
    assert counts(db) == (0, 0)
    accepted = client.post(GROUPS, json=group(), headers=aarhus)
    assert accepted.status_code == 201
    assert client.get(f"{GROUPS}/kronikere-aarhus").json["revisions"][0]["actor"] == (
        "org:kommune-aarhus"
    )


def test_creating_or_changing_a_group_needs_a_token(client, created, db):
    assert client.post(GROUPS, json=group(id="anden-gruppe")).status_code == 401
    assert client.patch(f"{GROUPS}/kronikere-aarhus", json={"name": "Ny"}).status_code == 401
    assert counts(db) == (1, 1)


def test_a_coordinator_changes_the_group_and_the_history_keeps_every_version(
    client, created, token_for
):
    response = client.patch(
        f"{GROUPS}/kronikere-aarhus",
        json={"mandate": {"themes": ["T2", "T4"]}, "review_cadence": "monthly"},
        headers=token_for("kommune-aarhus"),
    )
    assert response.status_code == 200
    assert response.json["revision"] == 2
    assert response.json["mandate"]["themes"] == ["T2", "T4"]
    # The mandate is merged field by field: the areas stay.
    assert response.json["mandate"]["areas"] == ["sundhedsraad-aarhus"]
    revisions = client.get(f"{GROUPS}/kronikere-aarhus").json["revisions"]
    assert [r["number"] for r in revisions] == [1, 2]
    assert revisions[1]["changed_fields"] == ["mandate", "review_cadence"]
    assert revisions[0]["data"]["mandate"]["themes"] == ["T2"]


def test_other_organisations_may_not_change_a_group_but_admins_may(
    client, created, token_for, admin, db
):
    member = token_for("auh")  # a member, not a coordinator
    refused = client.patch(f"{GROUPS}/kronikere-aarhus", json={"name": "Ny"}, headers=member)
    assert refused.status_code == 403
    assert counts(db) == (1, 1)
    handed_over = client.patch(
        f"{GROUPS}/kronikere-aarhus", json={"coordinators": ["auh"]}, headers=admin
    )
    assert handed_over.status_code == 200
    now_allowed = client.patch(f"{GROUPS}/kronikere-aarhus", json={"name": "Ny"}, headers=member)
    assert now_allowed.status_code == 200


def test_a_coordinator_cannot_remove_itself_from_the_coordinators(client, created, token_for, db):
    response = client.patch(
        f"{GROUPS}/kronikere-aarhus",
        json={"coordinators": ["auh"]},
        headers=token_for("kommune-aarhus"),
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "coordinators"
    assert counts(db) == (1, 1)


def test_a_change_based_on_an_old_revision_is_refused(client, created, token_for):
    headers = token_for("kommune-aarhus")
    first = client.patch(
        f"{GROUPS}/kronikere-aarhus", json={"name": "Første", "revision": 1}, headers=headers
    )
    assert first.status_code == 200
    stale = client.patch(
        f"{GROUPS}/kronikere-aarhus", json={"name": "Anden", "revision": 1}, headers=headers
    )
    assert stale.status_code == 409
    assert client.get(f"{GROUPS}/kronikere-aarhus").json["name"] == "Første"


def test_a_change_that_changes_nothing_writes_nothing(client, created, token_for, db):
    same = client.patch(
        f"{GROUPS}/kronikere-aarhus",
        json={"name": created["name"]},
        headers=token_for("kommune-aarhus"),
    )
    assert same.json["revision"] == 1
    assert counts(db) == (1, 1)


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (group(mandate={"themes": ["T2", "T77"]}), "mandate.themes[1]"),
        (group(mandate={"areas": ["sundhedsraad-atlantis"]}), "mandate.areas[0]"),
        (
            group(members=[{"organisation": "kommune-atlantis", "role": "political"}]),
            "members[0].organisation",
        ),
        (group(coordinators=["kommune-aarhus", "nobody"]), "coordinators[1]"),
        (group(id="Kronikere Aarhus"), "id"),
        (group(mandate={"level": "decide"}), "mandate.level"),
        (group(ambition={"stage_shares": {"idea": 0.7, "pilot": 0.6}}), "ambition.stage_shares"),
        (group(review_cadence="daily"), "review_cadence"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    client, admin, db, document, field
):
    response = client.post(GROUPS, json=document, headers=admin)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in [e["field"] for e in response.json["errors"]]
    assert counts(db) == (0, 0)


def test_a_bad_change_is_refused_naming_the_field(client, created, admin):
    response = client.patch(
        f"{GROUPS}/kronikere-aarhus", json={"mandate": {"themes": ["T77"]}}, headers=admin
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "mandate.themes[0]"
    unknown = client.patch(f"{GROUPS}/kronikere-aarhus", json={"id": "other"}, headers=admin)
    assert unknown.status_code == 422


def test_a_group_id_is_unique_and_an_unknown_group_is_not_found(client, created, admin):
    assert client.post(GROUPS, json=group(), headers=admin).status_code == 409
    assert client.get(f"{GROUPS}/nobody").status_code == 404
    assert client.get(f"{GROUPS}/nobody/gaps").status_code == 404


# --- what a group covers -------------------------------------------------------------------


@pytest.fixture
def slice_published(reference_data, client, token_for, created):
    """Aarhus works on T2; Favrskov (same council) has nothing; Aalborg is elsewhere."""
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project(
            "AAR-1",
            stage="operation",
            target_groups=["aeldre"],
            areas=["0751"],
            goals=["NM2"],
            value_score=4,
            risk_score=2,
            evidence={"summary": "Færre indlæggelser.", "outcome": "positive"},
        ),
        project("AAR-2", stage="idea", target_groups=["kol"], areas=["0751"]),
        project("AAR-3", stage="pilot", themes=["T4"], areas=["0751"]),
    )
    publish(
        client,
        token_for,
        "kommune-aalborg",
        project("AAL-1", stage="implementation", target_groups=["kol"], areas=["0851"]),
    )
    publish(
        client,
        token_for,
        "region-midtjylland",
        project("RM-1", stage="analysis", themes=["T2.1"], areas=["region-midtjylland"]),
        project("RM-2", stage="operation", visibility="private", areas=["0710"]),
    )


def titles(items: list[dict[str, Any]]) -> list[str]:
    return [item["external_id"] for item in items]


@pytest.mark.usefixtures("slice_published")
def test_a_groups_projects_are_listed_with_why_they_fall_under_it(client):
    response = client.get(f"{GROUPS}/kronikere-aarhus/projects")
    assert response.status_code == 200
    items = response.json["items"]
    assert titles(items) == ["AAR-1", "AAR-2", "RM-1"]
    assert items[0]["coverage"]["reach"] == "inside"
    assert "Område: Aarhus" in items[0]["coverage"]["reasons"]
    assert items[2]["coverage"]["reach"] == "enclosing"
    assert response.json["total"] == 3


@pytest.mark.usefixtures("slice_published")
def test_routing_reports_projects_under_no_group_and_under_several(client, admin):
    client.post(
        GROUPS,
        json=group(id="midtjylland", mandate={"themes": ["T2"], "areas": ["region-midtjylland"]}),
        headers=admin,
    )
    report = client.get(f"{GROUPS}/routing").json
    uncovered = {item["project"]["external_id"] for item in report["uncovered"]}
    assert uncovered == {"AAR-3", "AAL-1"}
    several = {item["project"]["external_id"]: item["groups"] for item in report["several"]}
    assert set(several) == {"AAR-1", "AAR-2", "RM-1"}
    assert [g["id"] for g in several["RM-1"]] == ["kronikere-aarhus", "midtjylland"]
    assert report["summary"]["uncovered"] == 2
    exported = client.get(f"{GROUPS}/routing?format=csv&list=several")
    assert exported.status_code == 200
    assert exported.data.decode("utf-8-sig").count("\r\n") == 4  # header and three projects


@pytest.mark.usefixtures("slice_published")
def test_the_gap_report_finds_the_municipality_without_the_theme_with_reasons(client):
    report = client.get(f"{GROUPS}/kronikere-aarhus/gaps").json
    gaps = {g["id"]: g for g in report["gaps"]}
    favrskov = gaps["theme_area:T2:0710:-"]
    # Region Midtjylland's analysis reaches Favrskov, but an analysis alone is thin.
    assert favrskov["severity"] == "low"
    assert favrskov["explanation"].startswith("Spinkel dækning af Kronisk sygdom og ældre (T2)")
    assert favrskov["explanation_en"].startswith("Thin coverage")
    assert [p["external_id"] for p in favrskov["projects"]] == ["RM-1"]
    assert favrskov["nearest"][0]["project"]["external_id"] == "AAR-1"
    assert favrskov["nearest"][0]["proximity"] == "same_council"
    kol = gaps["theme_target_group:T2:sundhedsraad-aarhus:kol"]  # only an idea so far
    assert (kol["severity"], [p["external_id"] for p in kol["projects"]]) == ("low", ["AAR-2"])
    assert "theme_target_group:T2:sundhedsraad-aarhus:aeldre" not in gaps
    assert report["summary"]["gaps"] == len(report["gaps"])
    cell = next(c for c in report["matrices"]["theme_area"]["cells"] if c["column"] == "0751")
    assert cell["status"] == "covered"


@pytest.mark.usefixtures("slice_published")
def test_a_private_project_fills_a_gap_only_for_those_who_may_see_it(client, token_for):
    def favrskov(headers=None):
        report = client.get(f"{GROUPS}/kronikere-aarhus/gaps", headers=headers or {}).json
        return {g["id"] for g in report["gaps"]}

    assert "theme_area:T2:0710:-" in favrskov()
    assert "theme_area:T2:0710:-" not in favrskov(token_for("region-midtjylland"))


@pytest.mark.usefixtures("slice_published")
def test_gaps_export_as_csv_for_danish_excel(client):
    response = client.get(f"{GROUPS}/kronikere-aarhus/gaps?format=csv&severity=low")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Forklaring (Explanation (Danish))"
    assert {row[2] for row in rows[1:]} == {"Lav"}  # the severity named, not coded
    assert any("Favrskov" in row[0] for row in rows[1:])


@pytest.mark.usefixtures("slice_published")
def test_scaling_candidates_name_the_adopters_that_lack_the_project(client):
    response = client.get(f"{GROUPS}/kronikere-aarhus/scaling-candidates")
    assert response.status_code == 200
    candidates = {c["project"]["external_id"]: c for c in response.json["candidates"]}
    aarhus = candidates["AAR-1"]
    assert aarhus["evidence"]["outcome"] == "positive"
    adopters = {a["organisation"]["id"]: a for a in aarhus["adopters"]}
    assert adopters["kommune-favrskov"]["reasons"][0] == (
        "Favrskov mangler projekter om Kronisk sygdom og ældre (T2), og intet lignende findes der."
    )
    assert adopters["kommune-favrskov"]["areas"] == [{"code": "0710", "name": "Favrskov"}]
    # Region Midtjylland's analysis describes the same intervention in the same words,
    # so the overlap engine pairs them: the region is starting what Aarhus already runs.
    assert [p["external_id"] for p in adopters["region-midtjylland"]["starting"]] == ["RM-1"]
    assert {r["kind"] for r in aarhus["reasons"]} >= {"gap", "starting", "evidence"}
    assert "AAR-2" not in candidates  # an idea is not mature
    exported = client.get(f"{GROUPS}/kronikere-aarhus/scaling-candidates?format=xlsx")
    assert exported.status_code == 200
    assert exported.data[:2] == b"PK"


@pytest.mark.usefixtures("slice_published")
def test_the_balance_lists_quadrants_the_unassessed_and_the_ambition(client, token_for):
    client.patch(
        f"{GROUPS}/kronikere-aarhus",
        json={"ambition": {"quadrant_shares": {"oysters": 0.5}}},
        headers=token_for("kommune-aarhus"),
    )
    balance = client.get(f"{GROUPS}/kronikere-aarhus/balance").json
    quadrants = {q["key"]: q for q in balance["quadrants"]}
    by_id = {p["id"]: p for p in balance["projects"]}
    pearl = by_id[quadrants["pearls"]["project_ids"][0]]
    assert (pearl["title"], pearl["value_score"], pearl["risk_score"]) == (
        project()["title"],
        4,
        2,
    )
    assert quadrants["bread_and_butter"]["label"] == "Brød og smør"
    assert len(balance["not_assessed"]) == 2  # AAR-2 and RM-1 have no scores
    assert {by_id[i]["organisation"] for i in balance["not_assessed"]} == {
        "kommune-aarhus",
        "region-midtjylland",
    }
    assert {o["id"] for o in balance["organisations"]} == {"kommune-aarhus", "region-midtjylland"}
    assert "Cooper" in balance["attribution"]
    assert balance["ambition"][0]["note"] == "Østers: 0 % – færre end ambitionen (50 %)."


@pytest.mark.usefixtures("slice_published")
def test_ad_hoc_gaps_take_the_mandate_as_query_arguments(client):
    report = client.get("/api/v1/gaps?theme=T2&area=sundhedsraad-limfjorden").json
    assert report["mandate"]["areas"] == ["sundhedsraad-limfjorden"]
    assert report["matrices"]["units"] == ["0851"]
    pipeline = {g["kind"] for g in report["gaps"]}
    assert "pipeline_no_early" in pipeline  # Aalborg's only T2 project is in implementation
    candidates = client.get("/api/v1/scaling-candidates?theme=T2&area=0710").json
    assert "AAR-1" in [c["project"]["external_id"] for c in candidates["candidates"]]


def test_ad_hoc_queries_name_unknown_codes_by_argument(client):
    response = client.get("/api/v1/gaps?theme=T2,T77&area=atlantis")
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["theme[1]", "area[0]"]
    bad_format = client.get("/api/v1/scaling-candidates?format=pdf")
    assert bad_format.status_code == 422
    assert bad_format.json["errors"][0]["field"] == "format"


@pytest.mark.usefixtures("slice_published")
def test_every_analysis_sees_what_was_published_or_withdrawn_just_before(client, token_for):
    def gap_ids():
        return {g["id"] for g in client.get(f"{GROUPS}/kronikere-aarhus/gaps").json["gaps"]}

    assert "theme_area:T2:0710:-" in gap_ids()
    publish(client, token_for, "kommune-favrskov", project("FAV-1", stage="operation"))
    assert "theme_area:T2:0710:-" not in gap_ids()
    withdrawn = client.delete(
        "/api/v1/organisations/kommune-favrskov/projects/FAV-1",
        headers=token_for("kommune-favrskov"),
    )
    assert withdrawn.status_code in (200, 204)
    assert "theme_area:T2:0710:-" in gap_ids()


@pytest.mark.usefixtures("slice_published")
def test_a_change_to_reference_data_is_seen_by_the_next_analysis(client, admin):
    before = client.get(f"{GROUPS}/kronikere-aarhus/gaps").json["matrices"]["theme_area"]
    assert "T4" not in before["rows"]
    client.patch(f"{GROUPS}/kronikere-aarhus", json={"mandate": {"themes": ["T4"]}}, headers=admin)
    renamed = client.patch("/api/v1/themes/T4", json={"label_da": "Mental sundhed"}, headers=admin)
    assert renamed.status_code == 200
    gaps = client.get(f"{GROUPS}/kronikere-aarhus/gaps").json["gaps"]
    assert any("Mental sundhed (T4)" in g["explanation"] for g in gaps)


@pytest.mark.usefixtures("slice_published")
def test_a_groups_projects_and_balance_export_one_row_per_project(client):
    projects = client.get(f"{GROUPS}/kronikere-aarhus/projects?format=csv")
    rows = list(csv.reader(io.StringIO(projects.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Projekt (Project)", "Organisation"]
    assert len(rows) == 4  # header and AAR-1, AAR-2, RM-1
    balance = client.get(f"{GROUPS}/kronikere-aarhus/balance?format=xlsx")
    assert balance.status_code == 200
    assert balance.headers["Content-Disposition"].endswith('kronikere-aarhus-balance.xlsx"')


def test_groups_can_be_listed_by_whether_they_are_demo(client, admin):
    client.post(GROUPS, json=group(), headers=admin)
    client.post(GROUPS, json=group(id="demo-gruppe", demo=True), headers=admin)
    assert [g["id"] for g in client.get(f"{GROUPS}?demo=true").json] == ["demo-gruppe"]
    assert [g["id"] for g in client.get(f"{GROUPS}?demo=false").json] == ["kronikere-aarhus"]


@pytest.mark.usefixtures("slice_published")
def test_remembered_scaling_candidates_follow_every_publish(client, token_for):
    url = f"{GROUPS}/kronikere-aarhus/scaling-candidates"
    first = client.get(url).json
    assert client.get(url).json == first  # answered again from what the worker remembers
    publish(
        client,
        token_for,
        "kommune-favrskov",
        project(
            "FAV-1",
            stage="operation",
            target_groups=["aeldre"],
            areas=["0710"],
            evidence={"summary": "Virker.", "outcome": "positive"},
        ),
    )
    after = {c["project"]["external_id"] for c in client.get(url).json["candidates"]}
    assert "FAV-1" in after
    assert "FAV-1" not in {c["project"]["external_id"] for c in first["candidates"]}
