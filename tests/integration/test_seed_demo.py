"""Loading the demo portfolio: idempotent, and never over an organisation's own data."""

from __future__ import annotations

from sqlalchemy import func, select

import seeds
from ecosystem.store import projects
from ecosystem.store.tables import Project, ProjectRevision
from tests.builders import project, unit_of


def count(db, model):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def test_demo_seeding_is_idempotent_and_respects_published_data(db):
    seeds.load_reference(unit_of(db))
    first_external_id = next(iter(seeds.demo_portfolios()["kommune-aarhus"]))["external_id"]
    projects.publish(
        db,
        "kommune-aarhus",
        [
            {
                **project(first_external_id, title="Vores eget projekt"),
                "demo": False,
                "visibility": "public",
                "disclose_when_private": False,
            }
        ],
        actor="org:kommune-aarhus",
        full=True,
    )
    db.commit()
    report = seeds.load_demo(unit_of(db))
    db.commit()
    total = sum(len(items) for items in seeds.demo_portfolios().values())
    assert report.added["project"] == total - 1
    assert count(db, Project) == total
    own = db.scalar(
        select(Project)
        .where(Project.external_id == first_external_id)
        .where(Project.organisation_id == "kommune-aarhus")
    )
    assert own.title == "Vores eget projekt"
    assert own.demo is False

    revisions = count(db, ProjectRevision)
    again = seeds.load_demo(unit_of(db))
    db.commit()
    assert again.added["project"] == 0
    assert count(db, ProjectRevision) == revisions
