"""On the demo data: a COPD telemedicine draft finds the planted COPD overlaps first, with reasons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import seeds
from api import create_app
from api.cli import main
from api.db import new_unit_of_work
from ecosystem.store.engine import make_engine
from tests.conftest import _empty


@pytest.fixture(scope="module")
def demo_app(database_url: str) -> Iterator[Any]:
    """An app over the reference data and the demo portfolio, seeded once per backend.

    The tests here only read, so they share it.
    """
    engine = make_engine(database_url)
    _empty(engine)
    engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": database_url})
    uow = new_unit_of_work(app)
    with uow:
        seeds.load_reference(uow)
        seeds.load_demo(uow)
    uow.close()
    yield app
    app.extensions["ecosystem.engine"].dispose()


def copd_cluster() -> set[str]:
    cluster = next(c for c in seeds.answer_key()["clusters"] if c["id"] == "CL-A01")
    return {key.split(":", 1)[1] for key in cluster["projects"]}


def copd_telemedicine() -> set[str]:
    """The cluster and the projects linked into it: Horsens' stopped pilot, merged into the
    national rollout, is left out of the planted cluster but is the same intervention."""
    members = copd_cluster()
    linked = {
        card["external_id"]
        for cards in seeds.demo_portfolios().values()
        for card in cards
        if any(link["external_id"] in members for link in card.get("links", []))
    }
    return members | linked


DRAFT = {
    "title": "Telemedicin til KOL-patienter i kommunen",
    "description": "Vi vil starte et projekt, hvor borgere med KOL får udstyr til at måle "
    "iltmætning og puls derhjemme, og hvor sygeplejersker følger op på målingerne.",
    "target_groups": ["kol"],
}


def test_a_copd_telemedicine_draft_lists_the_planted_copd_overlaps_first(demo_app):
    body = demo_app.test_client().post("/api/v1/overlaps/check?limit=5", json=DRAFT).json
    found = [m["project"]["external_id"] for m in body["matches"]]
    assert set(found[:5]) <= copd_telemedicine(), found
    first = body["matches"][0]
    assert first["reasons"] and first["shared_terms"]
    assert first["relation"] in {"sequential", "parallel"}
    assert first["project"]["demo"] is True


def test_the_cli_check_prints_the_same_overlaps(demo_app):
    result = demo_app.test_cli_runner().invoke(
        main,
        [
            "overlaps",
            "check",
            "--title",
            DRAFT["title"],
            "--description",
            DRAFT["description"],
            "--json",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert '"external_id": "PL-' in result.output


def test_the_report_groups_the_planted_copd_cluster(demo_app):
    report = (
        demo_app.test_client().get("/api/v1/overlaps?relation=sequential,parallel,duplicate").json
    )
    clusters = [{p["external_id"] for p in c["projects"]} for c in report["clusters"]]
    assert any(len(cluster & copd_cluster()) >= 4 for cluster in clusters)
