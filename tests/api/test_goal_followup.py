"""Goal pictures over HTTP: who may set them, history, links from project cards, follow-up."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ecosystem.store import catalogue as catalogue_store
from ecosystem.store.goals import GoalPicture
from tests.builders import portfolio, project

pytestmark = pytest.mark.usefixtures("reference_data")

URL = "/api/v1/goal-pictures/organisation/kommune-aarhus"


def picture(*goals: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": "Aarhus Kommune vil give ældre og kronikere sammenhængende forløb tæt på hjemmet.",
        "period": {"from": 2026, "to": 2029},
        "goals": list(goals),
    }


def goal(code: str, **fields: Any) -> dict[str, Any]:
    document = {
        "code": code,
        "title": f"Mål {code}",
        "task_type": "operational",
        "measure_type": "quantitative",
    }
    document.update(fields)
    return document


READMISSIONS = goal(
    "AAR-1",
    title="Færre genindlæggelser",
    indicators=[
        {
            "name": "Genindlæggelser inden 30 dage",
            "unit": "%",
            "direction": "down",
            "baseline": {"period": "2025", "value": 12},
            "target": {"period": "2028", "value": 8},
            "values": [{"period": "2026", "value": 11}, {"period": "2027", "value": 10}],
        }
    ],
    assessments=[
        {
            "period": "2027",
            "fulfilment": "partly_met",
            "narrative": "Udrulningen blev forsinket af mangel på sygeplejersker.",
        }
    ],
)
DIALOGUE = goal("AAR-2", task_type="policy", measure_type="qualitative")


def test_an_organisation_sets_its_goal_picture_and_projects_link_to_its_goals(client, token_for):
    saved = client.put(
        URL, json=picture(READMISSIONS, DIALOGUE), headers=token_for("kommune-aarhus")
    )
    assert saved.status_code == 200, saved.json
    assert saved.json["revision"] == 1
    assert [w["field"] for w in saved.json["warnings"]] == ["goals"]  # two goals are few
    published = client.put(
        "/api/v1/organisations/kommune-aarhus/portfolio",
        json=portfolio("kommune-aarhus", project("P-1", goals=["AAR-1"])),
        headers=token_for("kommune-aarhus"),
    )
    assert published.status_code == 200, published.json

    followed = client.get(URL + "/follow-up").json
    first, second = followed["goals"]
    assert first["fulfilment"] == "partly_met"
    assert "mangel på sygeplejersker" in first["summary"]
    assert first["indicators"][0]["trend"] == "improving"
    assert first["indicators"][0]["distance_to_target"] == 2
    assert first["indicators"][0]["progress"] == 0.5
    assert len(first["projects"]) == 1 and not first["without_projects"]
    assert second["without_projects"] is True  # a goal with nothing behind it is visible
    assert second["fulfilment"] == "not_yet_assessed"
    assert all("fail" not in g["summary_en"].lower() for g in followed["goals"])


def test_only_the_owner_sets_an_organisations_goals_and_bad_input_writes_nothing(
    client, token_for, db
):
    assert client.put(URL, json=picture(DIALOGUE)).status_code == 401
    assert client.put(URL, json=picture(DIALOGUE), headers=token_for("auh")).status_code == 403
    failed = goal("AAR-3", assessments=[{"period": "2027", "fulfilment": "failed"}])
    refused = client.put(URL, json=picture(failed), headers=token_for("kommune-aarhus"))
    assert refused.status_code == 422
    assert refused.content_type == "application/problem+json"
    assert refused.json["errors"][0]["field"].startswith("goals")
    assert db.scalar(select(func.count()).select_from(GoalPicture)) == 0


def test_more_than_ten_goals_is_saved_with_a_warning_and_history_is_kept(client, token_for):
    headers = token_for("kommune-aarhus")
    assert client.put(URL, json=picture(DIALOGUE), headers=headers).status_code == 200
    many = client.put(URL, json=picture(*(goal(f"AAR-{i}") for i in range(2, 14))), headers=headers)
    assert many.status_code == 200
    assert many.json["warnings"][0]["field"] == "goals"
    current = client.get(URL).json
    assert current["revision"] == 2 and len(current["goals"]) == 12
    assert [h["revision"] for h in current["history"]] == [1, 2]


def test_two_owners_may_use_the_same_goal_code_and_each_links_its_own(client, token_for, db):
    """Goal codes are the owner's own: B's DR-MAAL-1 is not refused because A has one."""
    shared = goal("DR-MAAL-1")
    for owner in ("kommune-aarhus", "kommune-aalborg"):
        saved = client.put(
            f"/api/v1/goal-pictures/organisation/{owner}",
            json=picture(shared),
            headers=token_for(owner),
        )
        assert saved.status_code == 200, saved.json
        # Each organisation's own card names the goal by its bare code.
        published = client.put(
            f"/api/v1/organisations/{owner}/portfolio",
            json=portfolio(owner, project("P-1", goals=["DR-MAAL-1"])),
            headers=token_for(owner),
        )
        assert published.status_code == 200, published.json
    # Anyone else names it in full; the cards hold the full codes.
    other = client.put(
        "/api/v1/organisations/auh/portfolio",
        json=portfolio("auh", project("P-1", goals=["kommune-aarhus:DR-MAAL-1", "NM2"])),
        headers=token_for("auh"),
    )
    assert other.status_code == 200, other.json
    aalborg = client.get("/api/v1/organisations/kommune-aalborg/projects/P-1").json
    assert aalborg["goals"] == ["kommune-aalborg:DR-MAAL-1"]

    followed = client.get(URL + "/follow-up").json["goals"][0]
    aarhus_ids = {
        client.get(f"/api/v1/organisations/{org}/projects/P-1").json["id"]
        for org in ("kommune-aarhus", "auh")
    }
    assert set(followed["projects"]) == aarhus_ids  # not Aalborg's project


def test_an_owners_goal_code_is_refused_only_when_it_cannot_be_its_own(client, token_for):
    headers = token_for("kommune-aarhus")
    # A national goal's code is free to use in one's own picture; cards' NM2 stays national.
    assert client.put(URL, json=picture(goal("NM2")), headers=headers).status_code == 200
    too_long = client.put(URL, json=picture(goal("X" * 60)), headers=headers)
    assert too_long.status_code == 422
    assert too_long.json["errors"][0]["field"] == "goals[0].code"
    assert client.get(URL).json["revision"] == 1  # the refused picture wrote nothing


def test_a_groups_goals_are_set_by_its_coordinators(client, token_for):
    group = {
        "id": "kronikere-aarhus",
        "name": "Kronikere",
        "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
        "coordinators": ["kommune-aarhus"],
    }
    assert (
        client.post("/api/v1/groups", json=group, headers=token_for(admin=True)).status_code == 201
    )
    url = "/api/v1/goal-pictures/group/kronikere-aarhus"
    assert client.put(url, json=picture(goal("KA-1")), headers=token_for("auh")).status_code == 403
    saved = client.put(url, json=picture(goal("KA-1")), headers=token_for("kommune-aarhus"))
    assert saved.status_code == 200
    assert client.get("/api/v1/goal-pictures/group/nobody").status_code == 404


def test_saving_the_same_picture_again_changes_no_version(client, token_for, db):
    """An unchanged picture is no reference-data change: workers have nothing to rebuild."""
    headers = token_for("kommune-aarhus")
    first = client.put(URL, json=picture(READMISSIONS, DIALOGUE), headers=headers)
    assert first.status_code == 200
    db.expire_all()
    versions = catalogue_store.versions(db)

    again = client.put(URL, json=picture(READMISSIONS, DIALOGUE), headers=headers)
    assert again.status_code == 200 and again.json["revision"] == first.json["revision"]
    db.expire_all()
    assert catalogue_store.versions(db) == versions
    assert db.scalar(select(func.count()).select_from(GoalPicture)) == 1

    # One goal renamed: a real change, a new revision and a new reference version.
    renamed = goal("AAR-2", title="Dialog med borgerne", task_type="policy")
    changed = client.put(URL, json=picture(READMISSIONS, renamed), headers=headers)
    assert changed.json["revision"] == first.json["revision"] + 1
    db.expire_all()
    assert catalogue_store.versions(db)[1] > versions[1]


def test_a_goal_registered_before_codes_were_namespaced_keeps_its_code(client, token_for, db):
    from ecosystem.store import reference
    from ecosystem.store.goals import goal_set_id

    set_id = goal_set_id("organisation", "kommune-aarhus")
    reference.create(db, "goal_set", {"id": set_id, "name_da": "Mål for Aarhus"}, "t")
    reference.create(db, "goal", {"code": "AAR-9", "goal_set_id": set_id, "title_da": "Gl."}, "t")
    db.commit()
    headers = token_for("kommune-aarhus")
    assert client.put(URL, json=picture(goal("AAR-9")), headers=headers).status_code == 200
    published = client.put(
        "/api/v1/organisations/kommune-aarhus/portfolio",
        json=portfolio("kommune-aarhus", project("P-1", goals=["AAR-9"])),
        headers=headers,
    )
    assert published.status_code == 200, published.json
    card = client.get("/api/v1/organisations/kommune-aarhus/projects/P-1").json
    assert card["goals"] == ["AAR-9"]
    assert len(client.get(URL + "/follow-up").json["goals"][0]["projects"]) == 1


def test_a_picture_based_on_an_older_revision_is_refused_and_writes_nothing(client, token_for, db):
    headers = token_for("kommune-aarhus")
    first = client.put(URL, json={**picture(DIALOGUE), "revision": 0}, headers=headers)
    assert first.status_code == 200 and first.json["revision"] == 1
    assert "revision" not in db.scalars(select(GoalPicture.data)).one()  # never stored
    stale = client.put(URL, json={**picture(READMISSIONS), "revision": 0}, headers=headers)
    assert stale.status_code == 409 and stale.content_type == "application/problem+json"
    current = client.put(URL, json={**picture(READMISSIONS), "revision": 1}, headers=headers)
    assert current.status_code == 200 and current.json["revision"] == 2
    assert db.scalar(select(func.count()).select_from(GoalPicture)) == 2
