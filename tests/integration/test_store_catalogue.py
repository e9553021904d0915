"""What the per-process catalogue reads, on SQLite and PostgreSQL: the versions that say
whether anything changed, the changed rows, the live slice and the reference snapshot."""

from __future__ import annotations

import datetime as dt

import pytest

from ecosystem.groups import OrganisationInfo
from ecosystem.labels import Label
from ecosystem.model import Principal
from ecosystem.store import catalogue, reference
from ecosystem.store import projects as project_store
from tests.builders import project, publish_in

pytestmark = pytest.mark.usefixtures("reference_data")

AARHUS = "kommune-aarhus"
ADMIN = Principal(is_admin=True)


def test_a_publish_moves_the_catalogue_version_and_reference_data_its_own(db):
    start, reference_start = catalogue.versions(db)
    assert reference_start > 0  # loading the reference data was audited

    publish_in(db, AARHUS, project("P-1"))
    db.commit()
    assert catalogue.versions(db) == (start + 1, reference_start)

    reference.update(db, "theme", "T4", {"label_en": "Mental health"}, "test")
    db.commit()
    version, reference_version = catalogue.versions(db)
    assert (version, reference_version > reference_start) == (start + 1, True)
    assert project_store.catalog_version(db) == version


def test_the_changed_rows_since_a_version_include_withdrawn_and_private_ones(db):
    publish_in(db, AARHUS, project("P-1"), project("P-2"))
    db.commit()
    seen = catalogue.versions(db)[0]
    publish_in(db, AARHUS, project("P-1"), project("P-3", visibility="private"))  # withdraws P-2
    db.commit()

    changed = catalogue.changed_projects(db, seen)

    assert [(r.external_id, r.withdrawn) for r in changed] == [("P-2", True), ("P-3", False)]
    assert all("description" not in r.data for r in changed)  # long texts stay in the database
    assert sorted(r.external_id for r in project_store.changed_since(db, seen)) == ["P-2", "P-3"]
    assert all(r.updated_at.utcoffset() == dt.timedelta(0) for r in changed)  # aware, in UTC
    assert catalogue.changed_projects(db, catalogue.versions(db)[0]) == []


def test_the_live_slice_is_visible_and_not_withdrawn_projects_optionally_by_theme(db):
    publish_in(
        db,
        AARHUS,
        project("KOL", themes=["T2.1"]),
        project("PSYK", themes=["T4"]),
        project("HIDDEN", themes=["T4"], visibility="private"),
        project("GONE"),
    )
    db.commit()
    publish_in(  # withdraws GONE
        db,
        AARHUS,
        project("KOL", themes=["T2.1"]),
        project("PSYK", themes=["T4"]),
        project("HIDDEN", themes=["T4"], visibility="private"),
    )
    db.commit()

    everyone = [r.external_id for r in catalogue.live_projects(db, Principal())]
    assert everyone == ["KOL", "PSYK"]
    assert [r.external_id for r in catalogue.live_projects(db, ADMIN)] == [
        "KOL",
        "PSYK",
        "HIDDEN",
    ]
    by_theme = catalogue.live_projects(db, Principal(), themes={"T2", "T2.1"})
    assert [r.external_id for r in by_theme] == ["KOL"]


def test_projects_by_id_bring_the_long_texts_only_when_asked(db):
    publish_in(db, AARHUS, project("P-1"), project("P-2", visibility="private"))
    db.commit()
    ids = [project_store.project_id_for(db, AARHUS, key) for key in ("P-1", "P-2")]

    short = catalogue.projects_by_id(db, Principal(), ids)
    full = catalogue.projects_by_id(db, Principal(), ids, full=True)

    assert [r.external_id for r in short] == [r.external_id for r in full] == ["P-1"]
    assert "description" not in short[0].data
    assert full[0].data["description"].startswith("Borgere med svær KOL")


def test_the_reference_snapshot_has_places_taxonomy_organisations_and_goals(db):
    snapshot = catalogue.reference_for_analysis(db)

    assert snapshot.organisations[AARHUS] == OrganisationInfo(
        AARHUS, "Aarhus Kommune", "municipality", ("0751",)
    )
    assert sorted(snapshot.area_parents["0751"]) == ["region-midtjylland", "sundhedsraad-aarhus"]
    assert snapshot.area_schemes["sundhedsraad-aarhus"] == "health_council"
    assert snapshot.theme_parents["T2.1"] == "T2"
    assert snapshot.theme_labels["T2.1"] == Label("KOL", "COPD")
    assert snapshot.target_group_labels["kol"] == Label("Borgere med KOL", "People with COPD")
    assert snapshot.goal_sets == {"nationale-maal": ["NM2"]}
