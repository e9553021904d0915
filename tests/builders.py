"""Small builders for test data (real Danish codes, fictional projects)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ecosystem import publishing as planning
from ecosystem.model import PublishResult
from ecosystem.portfolio import ProjectSchema
from ecosystem.services.catalogue import Catalogue
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import publishing as publishing_store
from ecosystem.store import reference

AREAS = [
    {"code": "DK", "scheme": "national", "name_da": "Danmark", "name_en": "Denmark", "parents": []},
    {
        "code": "region-midtjylland",
        "scheme": "region",
        "name_da": "Region Midtjylland",
        "name_en": "Central Denmark Region",
        "parents": ["DK"],
    },
    {
        "code": "region-nordjylland",
        "scheme": "region",
        "name_da": "Region Nordjylland",
        "name_en": "North Denmark Region",
        "parents": ["DK"],
    },
    {
        "code": "sundhedsraad-aarhus",
        "scheme": "health_council",
        "name_da": "Sundhedsråd Aarhus",
        "name_en": "Health Council Aarhus",
        "parents": ["region-midtjylland"],
    },
    {
        "code": "sundhedsraad-limfjorden",
        "scheme": "health_council",
        "name_da": "Sundhedsråd Limfjorden",
        "name_en": "Health Council Limfjorden",
        "parents": ["region-nordjylland"],
    },
    {
        "code": "0751",
        "scheme": "municipality",
        "name_da": "Aarhus",
        "name_en": "Aarhus",
        "parents": ["region-midtjylland", "sundhedsraad-aarhus"],
    },
    {
        "code": "0710",
        "scheme": "municipality",
        "name_da": "Favrskov",
        "name_en": "Favrskov",
        "parents": ["region-midtjylland", "sundhedsraad-aarhus"],
    },
    {
        "code": "0851",
        "scheme": "municipality",
        "name_da": "Aalborg",
        "name_en": "Aalborg",
        "parents": ["region-nordjylland", "sundhedsraad-limfjorden"],
    },
]
ORGANISATIONS = [
    {
        "id": "region-midtjylland",
        "name": "Region Midtjylland",
        "kind": "region",
        "areas": ["region-midtjylland"],
    },
    {"id": "kommune-aarhus", "name": "Aarhus Kommune", "kind": "municipality", "areas": ["0751"]},
    {
        "id": "kommune-favrskov",
        "name": "Favrskov Kommune",
        "kind": "municipality",
        "areas": ["0710"],
    },
    {"id": "kommune-aalborg", "name": "Aalborg Kommune", "kind": "municipality", "areas": ["0851"]},
    {
        "id": "auh",
        "name": "Aarhus Universitetshospital",
        "kind": "hospital",
        "areas": ["0751"],
        "parent_id": "region-midtjylland",
    },
    {
        "id": "au",
        "name": "Aarhus Universitet",
        "kind": "university",
        "areas": ["region-midtjylland"],
    },
]
THEMES = [
    {
        "code": "T2",
        "label_da": "Kronisk sygdom og ældre",
        "label_en": "Chronic disease and the elderly",
    },
    {"code": "T2.1", "parent_code": "T2", "label_da": "KOL", "label_en": "COPD"},
    {
        "code": "T4",
        "label_da": "Psykiatri og mental sundhed",
        "label_en": "Psychiatry and mental health",
    },
    {
        "code": "T13",
        "label_da": "Digitalisering, telemedicin og sundhedsteknologi",
        "label_en": "Digitalisation, telemedicine and health technology",
    },
]
TARGET_GROUPS = [
    {"code": "kol", "label_da": "Borgere med KOL", "label_en": "People with COPD"},
    {
        "code": "aeldre",
        "label_da": "Ældre medicinske patienter",
        "label_en": "Elderly medical patients",
    },
]


def load_small_reference(db: Session) -> None:
    for area in AREAS:
        reference.create(db, "area", {**area, "parents": []}, "test")
    for area in AREAS:
        reference.update(db, "area", area["code"], {"parents": area["parents"]}, "test")
    for organisation in ORGANISATIONS:
        reference.create(db, "organisation", organisation, "test")
    for theme in THEMES:
        reference.create(db, "theme", theme, "test")
    for group in TARGET_GROUPS:
        reference.create(db, "target_group", group, "test")
    reference.create(db, "goal_set", {"id": "nationale-maal", "name_da": "Nationale mål"}, "test")
    reference.create(
        db,
        "goal",
        {
            "code": "NM2",
            "goal_set_id": "nationale-maal",
            "title_da": "Styrket indsats for kronikere og ældre patienter",
        },
        "test",
    )


def project(external_id: str = "P-1", **fields: Any) -> dict[str, Any]:
    """A valid project card; keyword arguments override or add fields."""
    card: dict[str, Any] = {
        "external_id": external_id,
        "title": "Telemedicinsk hjemmemonitorering af borgere med KOL",
        "description": "Borgere med svær KOL får måleudstyr og følges af hjemmesygeplejen.",
        "stage": "pilot",
        "themes": ["T2"],
    }
    card.update(fields)
    return card


def portfolio(organisation: str, *projects: dict[str, Any]) -> dict[str, Any]:
    return {"organisation": organisation, "projects": list(projects)}


def publish(client: Any, token_for: Any, organisation: str, *cards: dict[str, Any]) -> None:
    """Publish the organisation's whole portfolio over HTTP with its own token."""
    response = client.put(
        f"/api/v1/organisations/{organisation}/portfolio",
        json=portfolio(organisation, *cards),
        headers=token_for(organisation),
    )
    assert response.status_code == 200, response.json
    embed_queued(client.application)


def embed_queued(app: Any) -> None:
    """Run the embedding job until the queue is empty (the web process does it in the
    background; tests want the vectors now)."""
    from api.db import new_unit_of_work
    from ecosystem.services import embeddings

    embeddings.drain(lambda: new_unit_of_work(app), "tests")


def publish_in(
    db: Session, organisation: str, *cards: dict[str, Any], full: bool = True, actor: str = "test"
) -> PublishResult:
    """Publish cards straight through the store, as a service would: validated by
    ``ProjectSchema``, checked, planned by the core and applied (the test commits)."""
    loaded = [ProjectSchema().load(card) for card in cards]
    publishing_store.require_organisation(db, organisation)
    publishing_store.check_references(db, loaded, lambda index: f"projects[{index}]")
    current = publishing_store.current_cards(db, organisation)
    plan = planning.plan_publish(organisation, current, loaded, full=full)
    return publishing_store.apply_plan(db, plan, actor=actor)


def unit_of(db: Session) -> UnitOfWork:
    """A unit of work that writes in the test's own session (the test commits it).

    For loaders such as :mod:`seeds`, which only write; it has a catalogue of its own.
    """
    return UnitOfWork(lambda: db, Catalogue())
