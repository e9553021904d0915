"""The store's write path on SQLite and PostgreSQL: a plan from the core, applied in one go.

Publishing never deletes: every change is a revision, a withdrawn project keeps its
history, and republishing the same cards writes nothing at all.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ecosystem import publishing as planning
from ecosystem.errors import InvalidInput, NotFound
from ecosystem.model import Principal, PublishResult
from ecosystem.query import ProjectQuery
from ecosystem.store import projects as store
from ecosystem.store import publishing as publishing_store
from ecosystem.store.tables import ProjectRevision
from tests.builders import project, publish_in

pytestmark = pytest.mark.usefixtures("reference_data")

AARHUS = "kommune-aarhus"
EVERYONE = Principal(is_admin=True)


def revision_count(db) -> int:
    return int(db.scalar(select(func.count()).select_from(ProjectRevision)) or 0)


def ids_of(db, organisation: str = AARHUS, **query) -> list[str]:
    found = store.list_projects(
        db, ProjectQuery(organisations=(organisation,), **query), EVERYONE, per_page=None
    )
    return [record.external_id for record in found.items]


def test_a_publish_creates_each_project_with_a_first_revision_and_bumps_the_version(db):
    before = store.catalog_version(db)
    result = publish_in(db, AARHUS, project("P-1"), project("P-2", stage="idea"))
    db.commit()

    assert result == PublishResult(created=["P-1", "P-2"])
    assert store.catalog_version(db) == before + 1
    first = store.revisions(db, store.project_id_for(db, AARHUS, "P-1"))
    assert [(r.number, r.action, r.actor) for r in first] == [(1, "created", "test")]
    assert "title" in first[0].changed_fields
    assert ids_of(db) == ["P-1", "P-2"]


def test_republishing_the_same_cards_writes_nothing(db):
    publish_in(db, AARHUS, project("P-1"), project("P-2"))
    db.commit()
    version, revisions = store.catalog_version(db), revision_count(db)

    again = publish_in(db, AARHUS, project("P-1"), project("P-2"))
    db.commit()

    assert again == PublishResult(unchanged=["P-1", "P-2"])
    assert not again.changed
    assert (store.catalog_version(db), revision_count(db)) == (version, revisions)


def test_a_changed_card_is_a_new_revision_naming_what_changed_and_relinks_the_filters(db):
    publish_in(db, AARHUS, project("P-1", themes=["T2"]))
    db.commit()
    result = publish_in(db, AARHUS, project("P-1", themes=["T4"], stage="implementation"))
    db.commit()

    assert result.updated == ["P-1"]
    history = store.revisions(db, store.project_id_for(db, AARHUS, "P-1"))
    assert [(r.number, r.action) for r in history] == [(1, "created"), (2, "updated")]
    assert sorted(history[1].changed_fields) == ["stage", "themes"]
    assert ids_of(db, themes=("T4",)) == ["P-1"]
    assert ids_of(db, themes=("T2",)) == []


def test_a_full_publish_withdraws_what_it_leaves_out_and_keeps_its_history(db):
    publish_in(db, AARHUS, project("P-1"), project("P-2"))
    db.commit()
    result = publish_in(db, AARHUS, project("P-1"))
    db.commit()

    assert result.withdrawn == ["P-2"]
    assert ids_of(db) == ["P-1"]
    assert ids_of(db, include_withdrawn=True) == ["P-1", "P-2"]
    history = store.revisions(db, store.project_id_for(db, AARHUS, "P-2"))
    assert [r.action for r in history] == ["created", "withdrawn"]
    assert history[-1].changed_fields == []


def test_a_partial_publish_leaves_the_others_alone(db):
    publish_in(db, AARHUS, project("P-1"), project("P-2"))
    db.commit()
    result = publish_in(db, AARHUS, project("P-3"), full=False)
    db.commit()
    assert result == PublishResult(created=["P-3"])
    assert ids_of(db) == ["P-1", "P-2", "P-3"]


def test_withdrawing_one_project_and_publishing_it_again_restores_it(db):
    publish_in(db, AARHUS, project("P-1"), project("P-2"))
    db.commit()
    stored = publishing_store.current_card(db, AARHUS, "P-2")
    publishing_store.apply_plan(db, planning.plan_withdrawal(AARHUS, stored, "P-2"), actor="test")
    db.commit()
    assert ids_of(db) == ["P-1"]
    with pytest.raises(NotFound):
        planning.plan_withdrawal(AARHUS, publishing_store.current_card(db, AARHUS, "P-2"), "P-2")

    restored = publish_in(db, AARHUS, project("P-2"), full=False)
    db.commit()
    assert restored.updated == ["P-2"]
    history = store.revisions(db, store.project_id_for(db, AARHUS, "P-2"))
    assert [r.action for r in history] == ["created", "withdrawn", "restored"]


def test_unknown_codes_are_named_by_place_before_anything_is_written(db):
    version = store.catalog_version(db)
    with pytest.raises(InvalidInput) as refused:
        publish_in(db, AARHUS, project("P-1"), project("P-2", themes=["T2", "T99"]))
    assert [e.field for e in refused.value.errors] == ["projects[1].themes[1]"]
    assert store.catalog_version(db) == version
    assert revision_count(db) == 0


def test_an_unknown_organisation_is_not_found(db):
    with pytest.raises(NotFound):
        publishing_store.require_organisation(db, "kommune-atlantis")


def test_the_current_cards_are_what_a_plan_starts_from(db):
    publish_in(db, AARHUS, project("P-1"), project("P-2"))
    db.commit()
    publish_in(db, AARHUS, project("P-1"))
    db.commit()
    current = publishing_store.current_cards(db, AARHUS)
    assert {key: (card.revision, card.withdrawn) for key, card in current.items()} == {
        "P-1": (1, False),
        "P-2": (2, True),
    }
    assert publishing_store.current_card(db, AARHUS, "NOPE") is None


def test_the_catalogue_lock_is_taken_inside_a_transaction(db):
    publishing_store.lock_catalogue(db)  # FOR UPDATE on PostgreSQL; a plain read on SQLite
    publish_in(db, AARHUS, project("P-1"))
    db.commit()
    assert ids_of(db) == ["P-1"]
