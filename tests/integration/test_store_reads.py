"""Reading back on SQLite and PostgreSQL: revision histories, as-of reads and visibility."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from ecosystem.errors import NotFound, StaleData
from ecosystem.groups import GroupSchema
from ecosystem.model import Principal, Revision
from ecosystem.query import ProjectQuery
from ecosystem.store import groups as group_store
from ecosystem.store import projects as store
from ecosystem.store.history import revisions_of
from ecosystem.store.tables import Project, ProjectRevision
from tests.builders import project, publish_in

pytestmark = pytest.mark.usefixtures("reference_data")

AARHUS = "kommune-aarhus"
ANONYMOUS = Principal()
OTHER_ORGANISATION = Principal(organisation_id="kommune-aalborg")
OWNER = Principal(organisation_id=AARHUS)
ADMIN = Principal(is_admin=True)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def listed(db, principal: Principal, **query) -> list[str]:
    found = store.list_projects(db, ProjectQuery(**query), principal, per_page=None)
    return [record.external_id for record in found.items]


# --- revision histories ----------------------------------------------------------------------


def test_a_projects_revisions_are_plain_records_oldest_first(db):
    publish_in(db, AARHUS, project("P-1"))
    db.commit()
    publish_in(db, AARHUS, project("P-1", stage="implementation"), actor="org:kommune-aarhus")
    db.commit()
    project_id = store.project_id_for(db, AARHUS, "P-1")

    history = revisions_of(db, ProjectRevision, ProjectRevision.project_id, project_id)

    assert history == store.revisions(db, project_id)
    assert all(type(r) is Revision for r in history)
    assert [(r.number, r.action, r.actor) for r in history] == [
        (1, "created", "test"),
        (2, "updated", "org:kommune-aarhus"),
    ]
    assert history[1].changed_fields == ["stage"]
    assert history[0].created_at <= history[1].created_at
    assert history[0].created_at.tzinfo is not None


def group_document(**changes) -> dict:
    document = {
        "id": "kronikere-aarhus",
        "name": "Kronikere og ældre – Sundhedsråd Aarhus",
        "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
        "coordinators": [AARHUS],
    }
    return GroupSchema().load({**document, **changes})


def test_a_groups_revisions_come_from_the_same_history(db):
    group_store.create_group(db, group_document(), actor="admin")
    group_store.update_group(db, "kronikere-aarhus", group_document(name="Kronikere"), actor="x")
    group_store.update_group(db, "kronikere-aarhus", group_document(name="Kronikere"), actor="y")
    db.commit()

    history = group_store.group_revisions(db, "kronikere-aarhus")

    assert [(r.number, r.action, r.actor) for r in history] == [
        (1, "created", "admin"),
        (2, "updated", "x"),  # the second, identical change wrote nothing
    ]
    assert history[1].changed_fields == ["name"]
    assert group_store.get_group(db, "kronikere-aarhus").revision == 2


def test_a_group_change_from_a_stale_revision_is_refused(db):
    group_store.create_group(db, group_document(), actor="admin")
    group_store.update_group(db, "kronikere-aarhus", group_document(name="Ny"), actor="x")
    with pytest.raises(StaleData):
        group_store.update_group(
            db, "kronikere-aarhus", group_document(name="Igen"), actor="x", expected_revision=1
        )


def test_an_unknown_group_has_no_history(db):
    with pytest.raises(NotFound):
        group_store.group_revisions(db, "findes-ikke")


# --- as-of reads -------------------------------------------------------------------------------


def test_an_as_of_read_shows_each_project_as_it_was_then(db):
    before_anything = now()
    publish_in(db, AARHUS, project("P-1"), project("P-2"))
    db.commit()
    first = now()
    publish_in(db, AARHUS, project("P-1", stage="operation"))  # and withdraws P-2
    db.commit()
    project_id = store.project_id_for(db, AARHUS, "P-1")

    assert store.get_project(db, project_id, ADMIN).revision == 2
    then = store.get_project(db, project_id, ADMIN, as_of=first)
    assert (then.revision, then.withdrawn) == (1, False)
    assert listed(db, ADMIN, organisations=(AARHUS,), as_of=first) == ["P-1", "P-2"]
    assert [r.external_id for r in store.portfolio(db, AARHUS, ADMIN, as_of=first)] == [
        "P-1",
        "P-2",
    ]
    assert [r.external_id for r in store.portfolio(db, AARHUS, ADMIN)] == ["P-1"]
    assert listed(db, ADMIN, as_of=before_anything) == []
    with pytest.raises(NotFound):
        store.get_project(db, project_id, ADMIN, as_of=before_anything)


# --- visibility ----------------------------------------------------------------------------------


@pytest.fixture
def three_visibilities(db, reference_data) -> None:
    publish_in(
        db,
        AARHUS,
        project("PUBLIC"),
        project("ECOSYSTEM", visibility="ecosystem"),
        project("PRIVATE", visibility="private"),
    )
    db.commit()


@pytest.mark.usefixtures("three_visibilities")
@pytest.mark.parametrize(
    ("principal", "sees"),
    [
        (ANONYMOUS, ["PUBLIC"]),
        (OTHER_ORGANISATION, ["PUBLIC", "ECOSYSTEM"]),
        (OWNER, ["PUBLIC", "ECOSYSTEM", "PRIVATE"]),
        (ADMIN, ["PUBLIC", "ECOSYSTEM", "PRIVATE"]),
    ],
    ids=["anonymous", "another-organisation", "owner", "admin"],
)
def test_the_visibility_clause_is_what_each_principal_may_see(db, principal, sees):
    clause = store.visible_clause(principal)
    rows = db.scalars(select(Project.external_id).where(clause).order_by(Project.id))
    assert list(rows) == sees
    assert listed(db, principal) == sees
    assert listed(db, principal, as_of=now()) == sees  # as-of reads filter the same way


@pytest.mark.usefixtures("three_visibilities")
def test_a_project_the_principal_may_not_see_is_simply_not_found(db):
    private = store.project_id_for(db, AARHUS, "PRIVATE")
    with pytest.raises(NotFound):
        store.get_project(db, private, OTHER_ORGANISATION)
    assert store.get_project(db, private, OWNER).external_id == "PRIVATE"


def test_records_are_dataclasses_never_rows(db):
    publish_in(db, AARHUS, project("P-1"))
    db.commit()
    record = store.get_project(db, store.project_id_for(db, AARHUS, "P-1"), ADMIN)
    assert dataclasses.is_dataclass(record)
    assert not isinstance(record, Project)
