"""Rate limits: failed sign-ins and failed tokens are refused with 429, valid tokens never."""

from __future__ import annotations

import pytest

from api import create_app
from ecosystem.store import tokens as store
from tests.api.test_pages import csrf, text_of

pytestmark = pytest.mark.usefixtures("reference_data")

AARHUS = "kommune-aarhus"


def wrong_sign_in(client, token):
    return client.post("/sign-in", data={"token": token, "csrf_token": csrf(client, "/sign-in")})


def test_the_eleventh_wrong_sign_in_in_a_minute_is_refused_with_429(client, db):
    for attempt in range(10):
        assert wrong_sign_in(client, f"eco_guess-{attempt}").status_code == 401
    refused = wrong_sign_in(client, "eco_guess-10")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert "For mange mislykkede forsøg" in text_of(refused)
    # Even the right token waits: the guesser must not learn which one it was.
    right = store.issue_token(db, AARHUS)
    db.commit()
    assert wrong_sign_in(client, right).status_code == 429


def test_failed_tokens_from_one_address_get_429_problem_json(client):
    for attempt in range(20):
        response = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer eco_{attempt}"})
        assert response.status_code == 401
    refused = client.get("/api/v1/tokens", headers={"Authorization": "Bearer eco_20"})
    assert refused.status_code == 429
    assert refused.content_type == "application/problem+json"
    assert refused.json["status"] == 429 and int(refused.headers["Retry-After"]) >= 1


def test_a_revoked_token_is_limited_on_its_own_from_any_address(client, db):
    token = store.issue(db, AARHUS)
    store.revoke_token(db, token.info.id, token.info.created_at)
    db.commit()
    headers = {"Authorization": f"Bearer {token.secret}"}
    for attempt in range(10):
        address = {"REMOTE_ADDR": f"10.0.0.{attempt}"}
        assert (
            client.get("/api/v1/tokens", headers=headers, environ_base=address).status_code == 401
        )
    elsewhere = client.get(
        "/api/v1/tokens", headers=headers, environ_base={"REMOTE_ADDR": "10.1.1.1"}
    )
    assert elsewhere.status_code == 429
    # Another address with a different (wrong) token is not held up by it.
    other = client.get(
        "/api/v1/tokens",
        headers={"Authorization": "Bearer eco_other"},
        environ_base={"REMOTE_ADDR": "10.1.1.1"},
    )
    assert other.status_code == 401


def test_a_valid_token_used_often_is_never_limited(client, db):
    headers = {"Authorization": f"Bearer {store.issue_token(db, AARHUS)}"}
    db.commit()
    statuses = {client.get("/api/v1/tokens", headers=headers).status_code for _ in range(120)}
    assert statuses == {200}


def test_limits_are_configuration(database_url, db):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "RATELIMIT_SIGN_IN": "2/hour"})
    try:
        client = app.test_client()
        assert [wrong_sign_in(client, f"eco_{n}").status_code for n in range(3)] == [401, 401, 429]
        app.config["RATELIMIT_ENABLED"] = False
        assert wrong_sign_in(client, "eco_3").status_code == 401
    finally:
        app.extensions["ecosystem.engine"].dispose()
