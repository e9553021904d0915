"""The store's smaller records on SQLite and PostgreSQL: import previews, sector themes,
tokens, reviews and decisions. Each comes back as a plain dataclass, never an ORM row."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from ecosystem.errors import InvalidInput, NotFound
from ecosystem.groups import GroupSchema
from ecosystem.iati.sectors import SectorOverride
from ecosystem.model import Principal
from ecosystem.previews import PENDING, PUBLISHED, Preview
from ecosystem.reviews import DecisionKind, ResponseKind
from ecosystem.store import groups as group_store
from ecosystem.store import previews, sector_themes, tokens
from ecosystem.store import projects as project_store
from ecosystem.store import reviews as review_store
from ecosystem.store.tables import ApiToken, AuditEntry, Base
from tests.builders import project, publish_in

pytestmark = pytest.mark.usefixtures("reference_data")

AARHUS = "kommune-aarhus"
NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


def plain(value: object) -> bool:
    """A dataclass instance that is not mapped by SQLAlchemy."""
    return dataclasses.is_dataclass(value) and not isinstance(value, Base)


# --- import previews -------------------------------------------------------------------------


def a_preview(preview_id: str = "p1", *, expires_at: dt.datetime | None = None) -> Preview:
    return Preview(
        id=preview_id,
        organisation_id=AARHUS,
        actor="org:kommune-aarhus",
        source="csv",
        filename="projekter.csv",
        full=True,
        fingerprint="f" * 64,
        publishable=True,
        status=PENDING,
        summary={"created": 1},
        report={"details": {}, "problems": [], "rows": [{"number": 2, "action": "created"}]},
        result=None,
        created_at=NOW,
        expires_at=expires_at or NOW + dt.timedelta(hours=2),
    )


def test_a_preview_comes_back_as_it_was_stored(db):
    previews.add(db, a_preview())
    db.commit()
    found = previews.get(db, "p1")
    assert found == a_preview()
    assert plain(found)
    assert previews.get(db, "nope") is None


def test_a_preview_is_claimed_once_and_keeps_its_result(db):
    previews.add(db, a_preview())
    db.commit()
    assert previews.claim(db, "p1", NOW) is True
    assert previews.claim(db, "p1", NOW) is False
    previews.record_result(db, "p1", {"created": ["P-1"]})
    db.commit()
    found = previews.get(db, "p1")
    assert found is not None
    assert (found.status, found.published_at, found.result) == (
        PUBLISHED,
        NOW,
        {"created": ["P-1"]},
    )


def test_expired_previews_are_forgotten(db):
    previews.add(db, a_preview("old", expires_at=NOW - dt.timedelta(minutes=1)))
    previews.add(db, a_preview("new"))
    db.commit()
    previews.delete_expired(db, NOW)
    db.commit()
    assert (previews.get(db, "old"), previews.get(db, "new") is not None) == (None, True)


# --- sector themes -----------------------------------------------------------------------------


def test_an_admins_sector_mapping_is_set_changed_and_dropped_with_an_audit_trail(db):
    sector_themes.set_override(db, "12110", ["T2"], "admin")
    sector_themes.set_override(db, "12110", ["T2", "T4"], "admin")
    db.commit()
    found = sector_themes.overrides(db)
    assert list(found) == ["12110"]
    assert found["12110"].themes == ["T2", "T4"]
    assert type(found["12110"]) is SectorOverride

    sector_themes.drop_override(db, "12110", "admin")
    db.commit()
    assert sector_themes.overrides(db) == {}
    with pytest.raises(NotFound):
        sector_themes.drop_override(db, "12110", "admin")
    trail = db.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "iati_sector_theme")
    ).all()
    assert trail == ["updated", "updated", "reset"]


# --- tokens ----------------------------------------------------------------------------------------


def test_only_a_tokens_hash_is_stored(db):
    token = tokens.issue_token(db, AARHUS, label="publisher")
    db.commit()
    row = db.scalars(select(ApiToken)).one()
    assert token.startswith("eco_")
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(v) for v in (row.token_hash, row.label, row.organisation_id)}
    assert tokens.principal_for(db, token) == Principal(organisation_id=AARHUS)


def test_a_revoked_or_unknown_token_stands_for_no_one(db):
    admin = tokens.issue_token(db, admin=True)
    db.commit()
    assert tokens.principal_for(db, admin) == Principal(is_admin=True)
    row = db.scalars(select(ApiToken)).one()
    row.revoked_at = NOW
    db.commit()
    assert tokens.principal_for(db, admin) is None
    assert tokens.principal_for(db, "eco_never-issued") is None


def test_a_token_is_for_an_organisation_that_exists_or_for_the_admin_role(db):
    with pytest.raises(InvalidInput):
        tokens.issue_token(db, AARHUS, admin=True)
    with pytest.raises(InvalidInput):
        tokens.issue_token(db)
    with pytest.raises(NotFound):
        tokens.issue_token(db, "kommune-atlantis")


# --- reviews and decisions -------------------------------------------------------------------------


@pytest.fixture
def review(db, reference_data) -> review_store.ReviewRecord:
    publish_in(db, AARHUS, project("KOL-1"), project("PRIVATE", visibility="private"))
    document = GroupSchema().load(
        {
            "id": "kronikere-aarhus",
            "name": "Kronikere og ældre",
            "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
            "coordinators": [AARHUS],
        }
    )
    group = group_store.create_group(db, document, actor="admin")
    opened = review_store.open_review(
        db,
        group,
        document,
        title="Marts",
        meeting_date=dt.date(2026, 3, 1),
        participants=[{"organisation": AARHUS, "name": "Sekretariatet"}],
        pairs=[],
        as_of=NOW,
        actor="org:kommune-aarhus",
    )
    db.commit()
    return opened


def test_a_review_is_a_frozen_record(db, review):
    assert plain(review)
    assert review_store.get_review(db, review.id) == review
    assert review_store.list_reviews(db, "kronikere-aarhus") == [review]
    assert review_store.previous_review(db, review) is None
    assert (review.group_revision, review.as_of, review.meeting_date) == (
        1,
        NOW,
        dt.date(2026, 3, 1),
    )
    with pytest.raises(NotFound):
        review_store.get_review(db, review.id + 1)


def decide(db, review, *project_keys: str) -> int:
    ids = [project_store.project_id_for(db, AARHUS, key) for key in project_keys]
    decision = review_store.add_decision(
        db,
        review,
        finding_key=f"gap:{'-'.join(project_keys)}",
        finding={"kind": "gap"},
        project_ids=ids,
        kind=DecisionKind.COORDINATE,
        counterparts=["kommune-aalborg"],
        rationale="Samme målgruppe",
        actor="org:kommune-aarhus",
    )
    assert plain(decision)
    assert decision.owners == (AARHUS,)
    db.commit()
    return decision.id


def test_a_decision_and_its_responses_are_records(db, review):
    decision_id = decide(db, review, "KOL-1")
    answered = review_store.add_response(
        db,
        decision_id,
        organisation_id=AARHUS,
        response=ResponseKind.AGREED,
        comment="Vi tager kontakt",
        actor="org:kommune-aarhus",
    )
    db.commit()

    found = review_store.get_decision(db, decision_id)
    assert found == answered
    assert [(r.organisation_id, r.response) for r in found.responses] == [
        (AARHUS, ResponseKind.AGREED)
    ]
    assert all(plain(r) for r in found.responses)
    assert (found.kind, found.counterparts) == (DecisionKind.COORDINATE, ("kommune-aalborg",))
    with pytest.raises(NotFound):
        review_store.get_decision(db, decision_id + 1)


def test_a_decision_is_seen_by_whoever_may_see_all_its_projects(db, review):
    public = decide(db, review, "KOL-1")
    private = decide(db, review, "KOL-1", "PRIVATE")
    anonymous, owner = Principal(), Principal(organisation_id=AARHUS)

    assert [d.id for d in review_store.decisions_for_group(db, "kronikere-aarhus")] == [
        public,
        private,
    ]
    assert [d.id for d in review_store.decisions_for_group(db, "kronikere-aarhus", anonymous)] == [
        public
    ]
    kol = project_store.project_id_for(db, AARHUS, "KOL-1")
    assert [d.id for d in review_store.decisions_for_project(db, kol, owner)] == [public, private]
    assert [d.id for d in review_store.decisions_for_project(db, kol, anonymous)] == [public]
    hidden = review_store.get_decision(db, private)
    assert review_store.may_see_decision(db, hidden, owner)
    assert not review_store.may_see_decision(db, hidden, anonymous)
