"""API tokens over the API and the command line: listed, revoked, expired, last use recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from api.cli import main
from ecosystem.store import tokens as store
from ecosystem.store.tables import ApiToken

AARHUS, AALBORG = "kommune-aarhus", "kommune-aalborg"
PROJECT = {
    "external_id": "P-1",
    "title": "t",
    "description": "d",
    "stage": "idea",
    "themes": ["T2"],
}


pytestmark = pytest.mark.usefixtures("reference_data")


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def publish(client, headers, organisation=AARHUS):
    return client.put(
        f"/api/v1/organisations/{organisation}/projects/P-1", json=PROJECT, headers=headers
    )


def issued(db, organisation=None, **options):
    """A token issued straight in the database: (its id, its Authorization header)."""
    token = store.issue(db, organisation, admin=organisation is None, **options)
    db.commit()
    return token.info.id, bearer(token.secret)


# --- listing -------------------------------------------------------------------------------


def test_admins_list_every_token_and_never_see_a_secret_again(client, db):
    _, admin = issued(db)
    aarhus = store.issue(db, AARHUS, label="udgiver")
    store.issue(db, AALBORG)
    db.commit()
    response = client.get("/api/v1/tokens", headers=admin)
    assert response.status_code == 200
    listed = {item["organisation"]: item for item in response.json}
    assert set(listed) == {None, AARHUS, AALBORG}
    assert listed[AARHUS]["label"] == "udgiver" and listed[AARHUS]["revoked_at"] is None
    assert aarhus.secret.startswith(listed[AARHUS]["prefix"])
    assert len(listed[AARHUS]["prefix"]) < len(aarhus.secret) // 3
    assert aarhus.secret not in response.get_data(as_text=True)
    assert all("token" not in item for item in response.json)


def test_an_organisation_lists_only_its_own_tokens(client, db):
    own, aarhus = issued(db, AARHUS)
    other, _ = issued(db, AARHUS)
    issued(db, AALBORG)
    issued(db)
    response = client.get("/api/v1/tokens", headers=aarhus)
    assert [item["id"] for item in response.json] == [own, other]


def test_listing_tokens_needs_a_token(client):
    response = client.get("/api/v1/tokens")
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"


# --- revoking ------------------------------------------------------------------------------


def test_an_admin_revokes_a_token_and_it_stops_working_at_once(client, db):
    _, admin = issued(db)
    token_id, aarhus = issued(db, AARHUS)
    assert publish(client, aarhus).status_code == 201
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=admin).status_code == 204
    refused = publish(client, aarhus)
    assert refused.status_code == 401
    assert refused.content_type == "application/problem+json"
    listed = {t["id"]: t for t in client.get("/api/v1/tokens", headers=admin).json}
    assert listed[token_id]["revoked_at"] is not None
    # Revoking again changes nothing, and is not an error.
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=admin).status_code == 204


def test_an_organisation_revokes_its_own_tokens_but_no_one_elses(client, db):
    colleague, _ = issued(db, AARHUS)
    own, aarhus = issued(db, AARHUS)
    aalborg_id, aalborg = issued(db, AALBORG)
    admin_id, _ = issued(db)
    for foreign in (aalborg_id, admin_id, 9999):
        response = client.delete(f"/api/v1/tokens/{foreign}", headers=aarhus)
        assert response.status_code == 404, foreign
        assert response.content_type == "application/problem+json"
    assert publish(client, aalborg, AALBORG).status_code == 201  # still works
    assert client.delete(f"/api/v1/tokens/{colleague}", headers=aarhus).status_code == 204
    assert client.delete(f"/api/v1/tokens/{own}", headers=aarhus).status_code == 204
    assert publish(client, aarhus).status_code == 401


def test_revoking_needs_a_token(client, db):
    token_id, _ = issued(db, AARHUS)
    assert client.delete(f"/api/v1/tokens/{token_id}").status_code == 401


# --- expiry --------------------------------------------------------------------------------


def test_a_token_may_be_issued_with_an_expiry(client, db):
    _, admin = issued(db)
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).replace(microsecond=0)
    response = client.post(
        "/api/v1/tokens",
        json={"organisation": AARHUS, "expires_at": expires.isoformat()},
        headers=admin,
    )
    assert response.status_code == 201
    body = response.json
    assert body["token"].startswith(body["prefix"]) and body["id"]
    assert dt.datetime.fromisoformat(body["expires_at"]) == expires
    assert publish(client, bearer(body["token"])).status_code == 201


def test_an_expiry_in_the_past_is_refused_and_writes_nothing(client, db):
    _, admin = issued(db)
    response = client.post(
        "/api/v1/tokens",
        json={"organisation": AARHUS, "expires_at": "2020-01-01T00:00:00Z"},
        headers=admin,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["expires_at"]
    assert len(client.get("/api/v1/tokens", headers=admin).json) == 1


def test_an_expired_token_gets_401_problem_json(client, db):
    token_id, aarhus = issued(db, AARHUS)
    assert publish(client, aarhus).status_code == 201
    db.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    )
    db.commit()
    response = publish(client, aarhus)
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert "expired" in response.json["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# --- last use ------------------------------------------------------------------------------


def last_used(db, token_id):
    db.expire_all()
    return db.get(ApiToken, token_id).last_used_at


def test_the_last_use_is_recorded_at_most_once_a_minute(client, db):
    token_id, aarhus = issued(db, AARHUS)
    assert last_used(db, token_id) is None
    client.get("/api/v1/tokens", headers=aarhus)
    first = last_used(db, token_id)
    assert first is not None
    client.get("/api/v1/tokens", headers=aarhus)
    assert last_used(db, token_id) == first  # within the minute: not written again
    an_hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    db.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=an_hour_ago))
    db.commit()
    client.get("/api/v1/tokens", headers=aarhus)
    assert last_used(db, token_id) > first


def test_recording_a_use_writes_once_between_requests_that_saw_the_same_old_time(db):
    token_id, _ = issued(db, AARHUS)
    now, minute = dt.datetime.now(dt.UTC), dt.timedelta(minutes=1)
    assert store.touch_token(db, token_id, now, minute) is True
    assert store.touch_token(db, token_id, now + dt.timedelta(seconds=5), minute) is False
    assert store.touch_token(db, token_id, now + minute, minute) is True


# --- the command line ----------------------------------------------------------------------


def invoke(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_the_command_line_lists_and_revokes_tokens(runner, db, client):
    token = store.issue(db, AARHUS, label="udgiver")
    db.commit()
    listing = invoke(runner, "token", "list")
    assert listing.exit_code == 0
    assert f"{token.info.id}\t{token.info.prefix}…\t{AARHUS} 'udgiver'\tactive" in listing.stdout
    assert token.secret not in listing.stdout
    assert invoke(runner, "token", "revoke", str(token.info.id)).exit_code == 0
    assert "revoked" in invoke(runner, "token", "list").stdout
    assert publish(client, bearer(token.secret)).status_code == 401
    unknown = runner.invoke(main, ["token", "revoke", "9999"])
    assert unknown.exit_code != 0 and "9999" in unknown.output


def test_the_command_line_issues_a_token_that_expires(runner, db):
    result = invoke(runner, "token", "issue", AARHUS, "--expires", "2099-06-30")
    assert result.exit_code == 0
    info = store.find_token(db, result.stdout.strip())
    assert info.expires_at == dt.datetime(2099, 6, 30, tzinfo=dt.UTC)
    assert "expires 2099-06-30T00:00" in invoke(runner, "token", "list").stdout
