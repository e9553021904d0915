"""Page sessions are held on the server: revoking, expiring and signing out end them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from ecosystem.store import tokens as store
from ecosystem.store.tables import ApiToken, PageSession
from tests.api.test_pages import csrf, text_of

pytestmark = pytest.mark.usefixtures("reference_data")

AARHUS = "kommune-aarhus"
SIGNED_IN = "Logget ind som"


def signed_in_with(client, db, **options):
    """Sign in with a fresh Aarhus token; the token's id."""
    token = store.issue(db, AARHUS, **options)
    db.commit()
    response = client.post(
        "/sign-in", data={"token": token.secret, "csrf_token": csrf(client, "/sign-in")}
    )
    assert response.status_code == 303
    assert SIGNED_IN in text_of(client.get("/"))
    return token.info.id


def test_revoking_the_token_signs_the_page_session_out_at_the_next_request(client, db):
    token_id = signed_in_with(client, db)
    store.revoke_token(db, token_id, dt.datetime.now(dt.UTC))
    db.commit()
    page = text_of(client.get("/"))
    assert SIGNED_IN not in page and "Log ind (udgivere)" in page


def test_a_token_that_expires_ends_the_page_session(client, db):
    token_id = signed_in_with(client, db)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.execute(update(ApiToken).where(ApiToken.id == token_id).values(expires_at=past))
    db.commit()
    assert SIGNED_IN not in text_of(client.get("/"))


def test_an_expired_token_does_not_sign_in(client, db):
    token = store.issue(db, AARHUS)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.execute(update(ApiToken).where(ApiToken.id == token.info.id).values(expires_at=past))
    db.commit()
    response = client.post(
        "/sign-in", data={"token": token.secret, "csrf_token": csrf(client, "/sign-in")}
    )
    assert response.status_code == 401
    assert "udløbet" in text_of(response)


def test_a_copied_cookie_is_anonymous_after_sign_out(app, client, db):
    signed_in_with(client, db)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    client.post("/sign-out", data={"csrf_token": csrf(client)})
    assert db.scalar(select(func.count()).select_from(PageSession)) == 0
    replay = app.test_client()
    replay.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    assert SIGNED_IN not in text_of(replay.get("/"))


def test_signing_out_in_one_browser_keeps_the_other_signed_in(app, client, db):
    token = store.issue(db, AARHUS)
    db.commit()
    other = app.test_client()
    for browser in (client, other):
        browser.post(
            "/sign-in", data={"token": token.secret, "csrf_token": csrf(browser, "/sign-in")}
        )
    client.post("/sign-out", data={"csrf_token": csrf(client)})
    assert SIGNED_IN not in text_of(client.get("/"))
    assert SIGNED_IN in text_of(other.get("/"))


def test_a_session_older_than_its_lifetime_is_signed_out(client, db):
    signed_in_with(client, db)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=9)
    db.execute(update(PageSession).values(created_at=long_ago))
    db.commit()
    assert SIGNED_IN not in text_of(client.get("/"))


def test_page_use_records_the_tokens_last_use(client, db):
    token_id = signed_in_with(client, db)
    db.expire_all()
    assert db.get(ApiToken, token_id).last_used_at is not None
