"""Listing and filtering projects, and who may see what."""

from __future__ import annotations

import pytest

from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")


def ids(response):
    return sorted(p["external_id"] for p in response.json["items"])


@pytest.fixture
def ecosystem_projects(reference_data, client, token_for):
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("A-KOL", areas=["0751"], target_groups=["kol"], themes=["T2.1"]),
        project(
            "A-PSYK",
            title="Angst hos unge",
            description="Gruppeforløb for unge med angst.",
            themes=["T4"],
            areas=["0751"],
            stage="operation",
        ),
    )
    publish(
        client,
        token_for,
        "kommune-favrskov",
        project("F-KOL", areas=["0710"], themes=["T2"], target_groups=["aeldre"]),
    )
    publish(client, token_for, "kommune-aalborg", project("AAL-1", areas=["0851"], themes=["T13"]))
    publish(
        client,
        token_for,
        "auh",
        project("AUH-1", areas=["0751"], themes=["T2", "T13"], visibility="ecosystem"),
    )
    publish(client, token_for, "au", project("AU-1", themes=["T4"], visibility="private"))


@pytest.mark.usefixtures("ecosystem_projects")
class TestFilters:
    def test_a_health_council_matches_the_projects_of_its_municipalities(self, client):
        assert ids(client.get("/api/v1/projects?area=sundhedsraad-aarhus")) == [
            "A-KOL",
            "A-PSYK",
            "F-KOL",
        ]
        assert ids(client.get("/api/v1/projects?area=region-nordjylland")) == ["AAL-1"]

    def test_a_theme_matches_its_sub_themes(self, client):
        assert ids(client.get("/api/v1/projects?theme=T2")) == ["A-KOL", "F-KOL"]
        assert ids(client.get("/api/v1/projects?theme=T2.1")) == ["A-KOL"]

    def test_filters_combine_with_and_across_and_or_within_dimensions(self, client):
        assert ids(client.get("/api/v1/projects?theme=T2,T4&area=0751")) == ["A-KOL", "A-PSYK"]
        assert ids(client.get("/api/v1/projects?theme=T2,T4&stage=operation")) == ["A-PSYK"]
        assert ids(client.get("/api/v1/projects?target_group=aeldre")) == ["F-KOL"]
        assert ids(client.get("/api/v1/projects?organisation_kind=municipality&q=angst")) == [
            "A-PSYK"
        ]
        assert ids(client.get("/api/v1/projects?organisation=kommune-aalborg")) == ["AAL-1"]

    def test_free_text_matches_every_word_case_insensitively(self, client):
        assert ids(client.get("/api/v1/projects", query_string={"q": "KOL hjemmesygeplejen"})) == [
            "A-KOL",
            "AAL-1",
            "F-KOL",
        ]

    def test_pagination_reports_the_total(self, client):
        first = client.get("/api/v1/projects?per_page=2&page=1").json
        second = client.get("/api/v1/projects?per_page=2&page=2").json
        assert first["total"] == second["total"] == 4  # public only
        assert len(first["items"]) == 2
        assert {p["id"] for p in first["items"]}.isdisjoint({p["id"] for p in second["items"]})

    def test_bad_query_arguments_are_422_naming_the_argument(self, client):
        response = client.get("/api/v1/projects?stage=someday&per_page=100000")
        assert response.status_code == 422
        fields = {e["field"] for e in response.json["errors"]}
        assert {"stage.0", "per_page"} <= fields or {"stage[0]", "per_page"} <= fields


@pytest.mark.usefixtures("ecosystem_projects")
class TestVisibility:
    def test_anonymous_readers_see_only_public_projects(self, client):
        assert ids(client.get("/api/v1/projects")) == ["A-KOL", "A-PSYK", "AAL-1", "F-KOL"]

    def test_any_token_sees_ecosystem_projects_but_not_others_private_ones(self, client, token_for):
        seen = ids(client.get("/api/v1/projects", headers=token_for("kommune-aalborg")))
        assert "AUH-1" in seen
        assert "AU-1" not in seen

    def test_the_owner_sees_its_private_project(self, client, token_for):
        assert "AU-1" in ids(client.get("/api/v1/projects", headers=token_for("au")))

    def test_a_private_project_is_not_found_by_id_for_others(self, client, token_for):
        own = client.get("/api/v1/projects", headers=token_for("au")).json["items"]
        private_id = next(p["id"] for p in own if p["external_id"] == "AU-1")
        assert client.get(f"/api/v1/projects/{private_id}").status_code == 404
        assert (
            client.get(
                f"/api/v1/projects/{private_id}", headers=token_for("kommune-aarhus")
            ).status_code
            == 404
        )
        assert (
            client.get(f"/api/v1/projects/{private_id}", headers=token_for("au")).status_code == 200
        )
        assert client.get("/api/v1/organisations/au/portfolio").json["projects"] == []


def test_free_text_folds_danish_letters_on_every_database(client, token_for):
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("ÆRØ-1", title="Sundhedshus på ÆRØ", description="Øget tilgængelighed for ældre."),
    )
    for query in ("ærø", "ØGET", "Ældre"):
        found = client.get("/api/v1/projects", query_string={"q": query}).json["items"]
        assert [p["external_id"] for p in found] == ["ÆRØ-1"], query


def test_free_text_matches_terms_never_substrings_and_ranks_by_relevance(client, token_for):
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("ONK", title="Onkologisk rehabilitering", description="Efter kræft."),
        project("KOLDING", title="Sundhedshus i Kolding", description="Psykologer og læger."),
        project("KOL-1", title="Tele-KOL", description="Borgere med KOL måler selv. KOL, KOL."),
    )
    publish(
        client,
        token_for,
        "kommune-aalborg",
        project("COPD", title="COPD at home", description="Chronic obstructive pulmonary disease."),
    )
    found = client.get("/api/v1/projects", query_string={"q": "KOL"}).json["items"]
    assert [p["external_id"] for p in found] == ["KOL-1", "COPD"]
