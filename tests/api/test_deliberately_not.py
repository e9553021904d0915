"""The "fravalgt" register over the API, and how gap analyses set apart what was opted out of.

Both databases. Bad input is refused naming the field and writes nothing; only the
organisation itself or the group's coordinators write; every step is kept as history.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecosystem.store.deliberately_not import DeliberatelyNot, DeliberatelyNotRevision
from tests.api.test_groups import admin, created, slice_published  # noqa: F401 (fixtures)
from tests.api.test_pages import csrf, sign_in, text_of
from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

FAVRSKOV = "/api/v1/organisations/kommune-favrskov/deliberately-not"
GROUP = "/api/v1/groups/kronikere-aarhus/deliberately-not"


def entry(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "themes": ["T2"],
        "areas": ["0710"],
        "reason": "Region Midtjylland løfter kronikerindsatsen i Favrskov.",
        "decided_by": "Sundheds- og omsorgsudvalget",
        "decided_on": "2025-03-12",
    }
    document.update(changes)
    return document


def counts(db: Session) -> tuple[int, int]:
    db.expire_all()
    return (
        db.scalar(select(func.count()).select_from(DeliberatelyNot)) or 0,
        db.scalar(select(func.count()).select_from(DeliberatelyNotRevision)) or 0,
    )


def fields_of(response) -> set[str]:
    return {e["field"] for e in response.json["errors"]}


def test_an_organisation_records_edits_and_withdraws_an_entry_keeping_its_history(
    client, token_for, db
):
    favrskov = token_for("kommune-favrskov")
    added = client.post(FAVRSKOV, json=entry(until="2026-12-31"), headers=favrskov)
    assert added.status_code == 201, added.json
    assert added.json["label"] == (
        "Fravalgt: Region Midtjylland løfter kronikerindsatsen i Favrskov. "
        "(Sundheds- og omsorgsudvalget, 12. marts 2025)"
    )
    item = f"{FAVRSKOV}/{added.json['id']}"
    changed = client.put(
        item, json=entry(reason="Regionen gør det bedre.", revision=1), headers=favrskov
    )
    assert (changed.status_code, changed.json["revision"]) == (200, 2)
    stale = client.put(item, json=entry(reason="Igen.", revision=1), headers=favrskov)
    assert stale.status_code == 409
    assert client.delete(item, headers=favrskov).json["withdrawn"] is True
    assert counts(db) == (1, 3)
    history = client.get(item).json["history"]
    assert [h["action"] for h in history] == ["created", "updated", "withdrawn"]
    assert history[0]["data"]["reason"].startswith("Region Midtjylland")
    assert history[1]["changed_fields"] == ["reason", "until"]
    listed = client.get(FAVRSKOV).json["items"]
    assert [(e["withdrawn"], e["in_force"]) for e in listed] == [(True, False)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"themes": ["T99"]}, "themes[0]"),
        ({"areas": ["0710", "9999"]}, "areas[1]"),
        ({"target_groups": ["ingen"]}, "target_groups[0]"),
        ({"reason": None}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
        ({"decided_by": "y" * 201}, "decided_by"),
        ({"decided_on": "i går"}, "decided_on"),
        ({"until": "2024-01-01"}, "until"),
        ({"themes": [], "areas": []}, "themes"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    client, token_for, db, changes, field
):
    document = {k: v for k, v in entry(**changes).items() if v is not None}
    refused = client.post(FAVRSKOV, json=document, headers=token_for("kommune-favrskov"))
    assert refused.status_code == 422, refused.json
    assert refused.content_type == "application/problem+json"
    assert field in fields_of(refused)
    assert counts(db) == (0, 0)


@pytest.mark.usefixtures("created")
def test_only_the_owner_or_the_groups_coordinators_may_write(client, token_for, db):
    assert client.post(FAVRSKOV, json=entry()).status_code == 401
    other = client.post(FAVRSKOV, json=entry(), headers=token_for("kommune-aarhus"))
    assert other.status_code == 403
    assert "Kun organisationen selv" in other.json["detail"]
    member = client.post(GROUP, json=entry(), headers=token_for("auh"))  # member, not coordinator
    assert member.status_code == 403
    assert counts(db) == (0, 0)
    mine = client.post(FAVRSKOV, json=entry(), headers=token_for("kommune-favrskov")).json
    item = f"{FAVRSKOV}/{mine['id']}"
    assert client.delete(item, headers=token_for("kommune-aarhus")).status_code == 403
    assert client.put(item, json=entry(), headers=token_for("kommune-aarhus")).status_code == 403
    coordinator = client.post(GROUP, json=entry(), headers=token_for("kommune-aarhus"))
    assert coordinator.status_code == 201
    # An entry is found only under its own owner.
    assert client.get(f"{GROUP}/{mine['id']}").status_code == 404
    assert counts(db) == (2, 2)


@pytest.mark.usefixtures("slice_published")
def test_a_gap_opted_out_of_is_shown_as_fravalgt_not_as_open(client, token_for):
    gaps = "/api/v1/groups/kronikere-aarhus/gaps"
    before = client.get(gaps).json
    assert "theme_area:T2:0710:-" in {g["id"] for g in before["gaps"]}
    assert before["deliberately_not"] == []
    favrskov = token_for("kommune-favrskov")
    added = client.post(FAVRSKOV, json=entry(), headers=favrskov).json
    after = client.get(gaps).json
    assert "theme_area:T2:0710:-" not in {g["id"] for g in after["gaps"]}
    opted = {g["id"]: g for g in after["deliberately_not"]}
    favrskov_gap = opted["theme_area:T2:0710:-"]
    assert favrskov_gap["opted_out_label"].startswith("Fravalgt: Region Midtjylland løfter")
    assert [e["id"] for e in favrskov_gap["opted_out"]] == [added["id"]]
    # The group's own choice covers a cell whatever the organisations did.
    client.post(
        GROUP,
        json=entry(themes=[], areas=[], target_groups=["kol"], reason="AUH har KOL."),
        headers=token_for("kommune-aarhus"),
    )
    kol = "theme_target_group:T2:sundhedsraad-aarhus:kol"
    final = client.get(gaps).json
    assert kol not in {g["id"] for g in final["gaps"]}
    assert kol in {g["id"] for g in final["deliberately_not"]}
    # Withdrawn, the gap is open again.
    client.delete(f"{FAVRSKOV}/{added['id']}", headers=favrskov)
    assert "theme_area:T2:0710:-" in {g["id"] for g in client.get(gaps).json["gaps"]}


# --- the pages -------------------------------------------------------------------------------


def test_the_organisation_page_records_a_choice_and_refuses_bad_input_in_danish(
    client, token_for, db
):
    page = "/organisations/kommune-favrskov"
    assert 'name="reason"' not in text_of(client.get(page))  # not for anonymous readers
    sign_in(client, token_for, "kommune-favrskov")
    assert 'name="reason"' in text_of(client.get(page))
    form = {
        "csrf_token": csrf(client, page),
        "themes": "T2",
        "areas": "0710",
        "reason": "",
        "decided_by": "Byrådet",
        "decided_on": "2025-03-12",
    }
    refused = client.post(f"{page}/fravalg", data=form)
    assert refused.status_code == 422
    assert "Feltet skal udfyldes." in text_of(refused)
    assert 'value="Byrådet"' in text_of(refused)  # what was sent is kept
    too_long = client.post(f"{page}/fravalg", data={**form, "reason": "x" * 2001})
    assert "Skriv højst 2000 tegn." in text_of(too_long)
    assert counts(db) == (0, 0)
    saved = client.post(f"{page}/fravalg", data={**form, "reason": "Regionen gør det."})
    assert saved.status_code == 303 and saved.location.endswith("#fravalg")
    shown = text_of(client.get(page))
    assert "Fravalgt: Regionen gør det. (Byrådet, 12. marts 2025)" in shown
    assert "Område: Favrskov" in shown
    assert counts(db) == (1, 1)


@pytest.mark.usefixtures("slice_published")
def test_the_group_page_shows_fravalgt_gaps_apart_and_refuses_non_coordinators(
    client, token_for, db
):
    client.post(FAVRSKOV, json=entry(), headers=token_for("kommune-favrskov"))
    page = text_of(client.get("/groups/kronikere-aarhus"))
    assert "Fravalgt: Region Midtjylland løfter kronikerindsatsen i Favrskov." in page
    assert 'id="opted-out-title"' in page
    sign_in(client, token_for, "auh")  # a member, not a coordinator
    assert 'action="/groups/kronikere-aarhus/fravalg"' not in text_of(
        client.get("/groups/kronikere-aarhus")
    )
    refused = client.post(
        "/groups/kronikere-aarhus/fravalg",
        data={"csrf_token": csrf(client, "/sign-in"), **entry(themes="T2", areas="0710")},
    )
    assert refused.status_code == 403
    assert "Kun gruppens koordinatorer" in text_of(refused)
    assert counts(db) == (1, 1)


@pytest.mark.usefixtures("slice_published")
def test_the_group_workbook_has_a_fravalgt_sheet_with_gaps_and_entries(client, token_for):
    client.post(FAVRSKOV, json=entry(), headers=token_for("kommune-favrskov"))
    own = entry(themes=[], areas=[], target_groups=["kol"], reason="AUH har KOL.")
    added = client.post(GROUP, json=own, headers=token_for("kommune-aarhus")).json
    client.delete(f"{GROUP}/{added['id']}", headers=token_for("kommune-aarhus"))
    response = client.get("/groups/kronikere-aarhus/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data))["Fravalgt"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:3] == ("Slags (Kind)", "Hvad (What)", "Tema (Theme)")
    kinds = {(r[0], r[4], r[6], r[10]) for r in rows}
    # The Favrskov gap, said with its reason; Favrskov's entry behind it; the group's own
    # entry, withdrawn, still listed with its status. Names, never codes.
    gap = next(r for r in rows if r[0] == "Fravalgt hul")
    assert gap[4] == "Favrskov" and gap[5].startswith("Fravalgt: Region Midtjylland løfter")
    assert ("Fravalg", "Favrskov", "Favrskov Kommune", "Gælder") in kinds
    assert ("Fravalg", None, "Gruppen", "Trukket tilbage") in kinds


@pytest.mark.usefixtures("slice_published")
def test_an_adopter_that_opted_out_is_listed_last_with_its_own_reason(client, token_for):
    url = "/api/v1/groups/kronikere-aarhus/scaling-candidates"

    def adopters() -> list[dict[str, Any]]:
        found = {c["project"]["external_id"]: c for c in client.get(url).json["candidates"]}
        return list(found["AAR-1"]["adopters"])

    before = adopters()  # read once, so a stale remembered answer would show below
    assert [a["organisation"]["id"] for a in before] == ["region-midtjylland", "kommune-favrskov"]
    choice = entry(
        themes=["T2"],
        areas=[],
        target_groups=["aeldre"],
        reason="Analysen afsluttes; kommunerne løfter ældreindsatsen.",
        decided_by="Regionsrådet",
    )
    region = "/api/v1/organisations/region-midtjylland/deliberately-not"
    added = client.post(region, json=choice, headers=token_for("region-midtjylland")).json
    after = adopters()
    # Recommended, never commanded: still named, with its own words first, but last.
    assert [a["organisation"]["id"] for a in after] == ["kommune-favrskov", "region-midtjylland"]
    last = after[-1]
    assert last["opted_out"] == [added["id"]]
    assert last["reasons"][0] == (
        "Har fravalgt det: Analysen afsluttes; kommunerne løfter ældreindsatsen. "
        "(Regionsrådet, 12. marts 2025)"
    )
    assert last["reasons"][1].startswith("Starter selv det samme")
    assert after[0]["opted_out"] == []
    # One organisation among several answering for the place: the gaps stay open.
    gaps = client.get("/api/v1/groups/kronikere-aarhus/gaps").json
    assert gaps["deliberately_not"] == []


@pytest.mark.parametrize("adopter", ["kommune-favrskov", "0710"], ids=["organisation", "area"])
@pytest.mark.parametrize(
    "url",
    ["/api/v1/groups/kronikere-aarhus/scaling-candidates", "/api/v1/scaling-candidates"],
    ids=["in-the-group", "ad-hoc"],
)
@pytest.mark.usefixtures("slice_published")
def test_a_candidate_the_adopter_opted_out_of_ranks_last_for_it_with_its_reason(
    client, token_for, url, adopter
):
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project(
            "AAR-1",
            stage="operation",
            target_groups=["aeldre"],
            areas=["0751"],
            evidence={"summary": "Færre indlæggelser.", "outcome": "positive"},
        ),
        project("AAR-4", stage="operation", target_groups=["kol"], areas=["0751"]),
    )

    def ranked() -> list[dict[str, Any]]:
        return list(client.get(f"{url}?adopter={adopter}").json["candidates"])

    def ids(found: list[dict[str, Any]]) -> list[str]:
        return [c["project"]["external_id"] for c in found]

    assert ids(ranked()) == ["AAR-1", "AAR-4", "AAL-1"]  # read once: no stale answer below
    choice = entry(areas=[], target_groups=["aeldre"], reason="Vi løfter ældre i eget regi.")
    added = client.post(FAVRSKOV, json=choice, headers=token_for("kommune-favrskov")).json
    after = ranked()
    # Favrskov (the area's only organisation) chose it: still listed, but after the others.
    assert ids(after) == ["AAR-4", "AAL-1", "AAR-1"]
    last = after[-1]["adopter"]
    assert last["opted_out"] == [added["id"]]
    assert last["reasons"][0] == (
        "Har fravalgt det: Vi løfter ældre i eget regi. "
        "(Sundheds- og omsorgsudvalget, 12. marts 2025)"
    )
    assert last["reasons"][1].startswith("Favrskov mangler")
    assert [c["adopter"]["opted_out"] for c in after[:2]] == [[], []]
