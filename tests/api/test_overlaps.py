"""Overlap checks over HTTP: drafts, published projects, the report; freshness and visibility."""

from __future__ import annotations

import pytest

from api import create_app
from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

KOL = dict(
    title="Telemedicinsk hjemmemonitorering af borgere med KOL",
    description="Borgere med svær KOL får tablet og måleudstyr (saturation, puls) og følges af "
    "hjemmesygeplejen i samarbejde med lungemedicinsk afdeling for at undgå indlæggelser.",
    themes=["T2.1", "T13"],
    target_groups=["kol"],
)
KOL_OTHER_WORDS = dict(
    title="Tele-KOL: virtuel opfølgning efter udskrivelse",
    description="Patienter med kronisk obstruktiv lungesygdom monitoreres i hjemmet med målinger af "
    "iltmætning og puls, og sygeplejersker følger op via video for at forebygge genindlæggelse.",
    themes=["T2", "T13"],
    target_groups=["kol"],
)
UNRELATED = dict(
    title="Angstbehandling i grupper for unge",
    description="Kognitiv gruppeterapi for unge mellem 15 og 25 år med angst, i samarbejde med "
    "ungdomsuddannelserne.",
    themes=["T4"],
)


def check(client, draft, headers=None, **args):
    return client.post(
        "/api/v1/overlaps/check", json=draft, query_string=args, headers=headers or {}
    )


def test_a_draft_finds_the_same_intervention_in_other_words_with_reasons(client, token_for):
    publish(
        client, token_for, "kommune-aalborg", project("AAL-KOL", areas=["0851"], **KOL_OTHER_WORDS)
    )
    publish(client, token_for, "auh", project("AUH-PSYK", **UNRELATED))
    response = check(client, {**KOL, "areas": ["0751"]})
    assert response.status_code == 200
    matches = response.json["matches"]
    assert [m["project"]["external_id"] for m in matches] == ["AAL-KOL"]
    match = matches[0]
    assert match["relation"] == "parallel"
    assert match["project"]["organisation"]["name"] == "Aalborg Kommune"
    terms = {t["term"] for t in match["shared_terms"]}
    assert "KOL" in terms
    assert {"code": "kol", "label": "Borgere med KOL"} in match["shared_target_groups"]
    assert any(reason.startswith("Fælles nøgleord") for reason in match["reasons"])
    assert any(reason.startswith("Samme målgruppe") for reason in match["reasons"])


def test_a_mature_project_against_a_starting_draft_is_sequential(client, token_for):
    publish(
        client,
        token_for,
        "kommune-aalborg",
        project("AAL-KOL", stage="operation", **KOL_OTHER_WORDS),
    )
    match = check(client, KOL).json["matches"][0]
    assert match["relation"] == "sequential"
    assert any("bygge videre" in reason for reason in match["reasons"])


def test_own_projects_are_left_out_unless_asked_for(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("A-KOL", **KOL_OTHER_WORDS))
    headers = token_for("kommune-aarhus")
    assert check(client, KOL, headers).json["matches"] == []
    included = check(client, KOL, headers, include_own="true").json["matches"]
    assert [m["project"]["external_id"] for m in included] == ["A-KOL"]
    named = check(client, {**KOL, "organisation": "kommune-aalborg"}).json["matches"]
    assert len(named) == 1


def test_a_publish_is_seen_by_the_next_check_in_another_worker(client, token_for, database_url):
    other_worker = create_app({"TESTING": True, "DATABASE_URL": database_url}).test_client()
    assert check(other_worker, KOL).json["matches"] == []  # builds that worker's index
    publish(client, token_for, "kommune-aalborg", project("AAL-KOL", **KOL_OTHER_WORDS))
    assert [m["project"]["external_id"] for m in check(other_worker, KOL).json["matches"]] == [
        "AAL-KOL"
    ]
    publish(client, token_for, "kommune-aalborg")  # withdraws it
    assert check(other_worker, KOL).json["matches"] == []
    other_worker.application.extensions["ecosystem.engine"].dispose()


def test_publishes_are_taken_in_incrementally_without_rebuilding(app, client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **UNRELATED))
    check(client, KOL)
    engine = app.extensions["ecosystem.catalogue"].built_engine
    builds = engine.index.stats().builds
    publish(client, token_for, "auh", project("AUH-KOL", **KOL_OTHER_WORDS))
    assert [m["project"]["external_id"] for m in check(client, KOL).json["matches"]] == ["AUH-KOL"]
    assert app.extensions["ecosystem.catalogue"].built_engine is engine
    assert engine.index.stats().builds == builds


def test_private_projects_never_leak_but_may_be_hinted_at_when_the_owner_allows(client, token_for):
    publish(
        client,
        token_for,
        "kommune-aalborg",
        project("AAL-SECRET", visibility="private", **KOL_OTHER_WORDS),
    )
    body = check(client, KOL).json
    assert body["matches"] == []
    assert body["hidden"] == []
    publish(
        client,
        token_for,
        "kommune-aalborg",
        project("AAL-SECRET", visibility="private", disclose_when_private=True, **KOL_OTHER_WORDS),
    )
    body = check(client, KOL).json
    assert body["matches"] == []
    assert body["hidden"][0]["message"] == (
        "Et lignende ikke-offentligt projekt findes hos en kommune i Region Nordjylland."
    )
    assert "AAL-SECRET" not in str(body)
    owner = check(client, KOL, token_for("kommune-aalborg"), include_own="true").json
    assert [m["project"]["external_id"] for m in owner["matches"]] == ["AAL-SECRET"]


def test_the_report_lists_cross_organisation_pairs_and_clusters_without_private_ones(
    client, token_for
):
    publish(
        client, token_for, "kommune-aalborg", project("AAL-KOL", areas=["0851"], **KOL_OTHER_WORDS)
    )
    publish(client, token_for, "kommune-aarhus", project("A-KOL", areas=["0751"], **KOL))
    publish(
        client, token_for, "auh", project("AUH-KOL", visibility="private", areas=["0751"], **KOL)
    )
    report = client.get("/api/v1/overlaps").json
    assert report["total_pairs"] == 1
    pair = report["pairs"][0]
    assert {pair["a"]["external_id"], pair["b"]["external_id"]} == {"AAL-KOL", "A-KOL"}
    assert pair["match"]["shared_terms"]
    assert [len(c["projects"]) for c in report["clusters"]] == [2]
    assert "AUH-KOL" not in str(report)
    in_council = client.get("/api/v1/overlaps?area=sundhedsraad-aarhus").json
    assert in_council["total_pairs"] == 1
    elsewhere = client.get("/api/v1/overlaps?area=0710").json
    assert elsewhere["total_pairs"] == 0
    csv = client.get("/api/v1/overlaps?format=csv")
    assert csv.mimetype == "text/csv"
    assert "Aalborg Kommune" in csv.get_data(as_text=True)


def test_a_published_projects_overlaps(client, token_for, db):
    publish(client, token_for, "kommune-aalborg", project("AAL-KOL", **KOL_OTHER_WORDS))
    publish(client, token_for, "kommune-aarhus", project("A-KOL", **KOL))
    listed = client.get("/api/v1/projects?organisation=kommune-aarhus").json["items"]
    response = client.get(f"/api/v1/projects/{listed[0]['id']}/overlaps")
    assert [m["project"]["external_id"] for m in response.json["matches"]] == ["AAL-KOL"]
    assert client.get("/api/v1/projects/999999/overlaps").status_code == 404


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        ({"title": "", "description": "x"}, "title"),
        ({"title": "   ", "description": "  .. "}, "description"),
        ({"title": "KOL", "description": "x" * 100_000}, "description"),
        ({"title": "KOL", "description": "telemedicin", "themes": ["T99"]}, "themes[0]"),
        ({"title": "KOL", "description": "telemedicin", "areas": ["9999"]}, "areas[0]"),
        ({"description": "no title"}, "title"),
    ],
)
def test_bad_drafts_are_422_naming_the_field(client, draft, field):
    response = check(client, draft)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in {e["field"] for e in response.json["errors"]}


def test_an_unknown_organisation_on_the_draft_is_404(client):
    assert check(client, {**KOL, "organisation": "kommune-atlantis"}).status_code == 404


def test_the_index_can_be_built_before_the_first_request(app, client, token_for):
    from api.db import warm_in_background

    publish(client, token_for, "kommune-aalborg", project("AAL-KOL", **KOL_OTHER_WORDS))
    assert app.extensions["ecosystem.catalogue"].built_engine is None
    warm_in_background(app).join(timeout=60)
    engine = app.extensions["ecosystem.catalogue"].built_engine
    assert engine is not None and len(engine.index) == 1
    assert [m["project"]["external_id"] for m in check(client, KOL).json["matches"]] == ["AAL-KOL"]
    assert app.extensions["ecosystem.catalogue"].built_engine is engine


COPD_IN_ENGLISH = dict(
    title="Telehealth for people with COPD after discharge",
    description="Patients with chronic lung disease measure oxygen saturation and pulse at home "
    "on a tablet; community nurses review the readings and call when they worsen, so that "
    "readmissions are avoided.",
    themes=["T2.1", "T13"],
    target_groups=["kol"],
)


def test_a_danish_draft_finds_the_same_intervention_described_in_english(client, token_for):
    publish(client, token_for, "au", project("AU-COPD", **COPD_IN_ENGLISH))
    publish(client, token_for, "kommune-aalborg", project("AAL-ANGST", **UNRELATED))
    result = check(client, {**KOL, "organisation": "kommune-aarhus"}).json
    assert result["comparison"]["semantic"] is True
    first = result["matches"][0]
    assert first["project"]["external_id"] == "AU-COPD"
    assert first["semantic_score"] is not None


def test_a_project_merged_into_another_is_shown_as_part_of_it_not_as_parallel(client, token_for):
    publish(client, token_for, "auh", project("AUH-KOL", stage="implementation", **KOL))
    merged = project(
        "AAL-KOL",
        stage="stopped",
        links=[{"organisation": "auh", "external_id": "AUH-KOL", "relation": "merged_into"}],
        **KOL_OTHER_WORDS,
    )
    publish(client, token_for, "kommune-aalborg", merged)
    matches = client.get(
        f"/api/v1/projects/{_id(client, 'AUH-KOL')}/overlaps", headers=token_for("auh")
    ).json["matches"]
    found = {m["project"]["external_id"]: m for m in matches}["AAL-KOL"]
    assert found["relation"] == "part_of"
    assert "lagt ind i" in " ".join(found["reasons"])


def test_different_interventions_in_one_place_are_never_duplicates(client, token_for):
    rehabilitation = dict(
        title="Holdtræning for borgere med KOL",
        description="Fysioterapeuter leder træning på hold to gange om ugen i kommunens "
        "sundhedscenter, med undervisning i vejrtrækning og sygdomsmestring.",
        themes=["T2.1"],
        target_groups=["kol"],
        areas=["0751"],
    )
    publish(client, token_for, "auh", project("AUH-TRAIN", **rehabilitation))
    matches = check(client, {**KOL, "areas": ["0751"], "organisation": "kommune-aarhus"}).json[
        "matches"
    ]
    assert matches and all(m["relation"] != "duplicate" for m in matches)


def test_a_private_project_never_changes_what_another_reader_is_shown(client, token_for):
    publish(client, token_for, "auh", project("AUH-KOL", **KOL))
    publish(client, token_for, "kommune-aalborg", project("AAL-KOL", **KOL_OTHER_WORDS))
    draft = {**KOL, "organisation": "kommune-favrskov"}
    readers = [{}, token_for("kommune-favrskov")]
    before = [check(client, draft, headers).json["matches"] for headers in readers]
    secret = project(
        "AU-SECRET",
        visibility="private",
        title="Hemmeligt KOL-projekt om saturation og puls",
        description="KOL KOL saturation puls tablet hjemmesygeplejen lungemedicinsk afdeling.",
        target_groups=["kol"],
        themes=["T2.1"],
    )
    publish(client, token_for, "au", secret)
    after = [check(client, draft, headers).json["matches"] for headers in readers]
    assert after == before


def _id(client, external_id):
    found = client.get("/api/v1/projects", query_string={"per_page": 500}).json["items"]
    return next(p["id"] for p in found if p["external_id"] == external_id)


def test_a_change_of_reference_data_is_rebuilt_while_checks_keep_answering(app, client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-KOL", **KOL_OTHER_WORDS))
    assert check(client, KOL).json["matches"]
    catalogue = app.extensions["ecosystem.catalogue"]
    engine = catalogue.built_engine
    renamed = client.patch(
        "/api/v1/target-groups/kol",
        json={"label_da": "Mennesker med KOL"},
        headers=token_for(admin=True),
    )
    assert renamed.status_code == 200
    answered = check(client, KOL).json["matches"]  # by the last good engine, at once
    assert [m["project"]["external_id"] for m in answered] == ["AAL-KOL"]
    catalogue.wait_for_rebuild(timeout=60)
    after = check(client, KOL).json["matches"]
    assert catalogue.built_engine is not engine
    assert "Mennesker med KOL" in " ".join(after[0]["reasons"])
