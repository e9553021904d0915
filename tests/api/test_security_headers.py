"""Security headers on every kind of response; HTTPS settings; URLs never from Host."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from api import create_app
from api.security import API_CSP, DOCS_CSP, PAGES_CSP
from tests.api.test_pages import sign_in
from tests.builders import portfolio, project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

# path → the policy it must carry; errors and files included, since a browser may be
# pointed at any of them.
RESPONSES = {
    "/api/v1/health": API_CSP,
    "/api/v1/projects": API_CSP,
    "/api/v1/openapi.json": API_CSP,
    "/api/v1/projects/999999": API_CSP,  # 404 problem+json
    "/api/v1/no-such-thing": API_CSP,
    "/api/v1/projects.iati.xml": API_CSP,
    "/api/v1/imports/template.csv": API_CSP,
    "/static/pages.css": API_CSP,
    "/static/api_docs.css": API_CSP,
    "/api/v1/docs": DOCS_CSP,
    "/": PAGES_CSP,
    "/sign-in": PAGES_CSP,
    "/projects/999999": PAGES_CSP,  # a page's 404 is a page
}


def _assert_safe(response: TestResponse, policy: str) -> None:
    headers = response.headers
    assert headers["Content-Security-Policy"] == policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", list(RESPONSES))
def test_every_response_carries_the_security_headers(client, path):
    with client.get(path) as response:  # closed: static files are sent from open files
        assert response.status_code in (200, 404), (path, response.status_code)
        _assert_safe(response, RESPONSES[path])
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP by default


def test_writes_and_their_refusals_carry_them_too(client, token_for):
    document = portfolio("kommune-aarhus", project("P-1"))
    unauthorised = client.put("/api/v1/organisations/kommune-aarhus/portfolio", json=document)
    assert unauthorised.status_code == 401
    _assert_safe(unauthorised, API_CSP)
    not_allowed = client.delete("/api/v1/projects")
    assert not_allowed.status_code == 405
    _assert_safe(not_allowed, API_CSP)
    invalid = client.put(
        "/api/v1/organisations/kommune-aarhus/portfolio",
        json={},
        headers=token_for("kommune-aarhus"),
    )
    assert invalid.status_code == 422
    _assert_safe(invalid, API_CSP)


def test_the_api_reference_uses_only_its_own_stylesheet(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "<style" not in page and "<script" not in page and " style=" not in page
    assert '<link rel="stylesheet" href="/static/api_docs.css">' in page
    with client.get("/static/api_docs.css") as stylesheet:
        assert stylesheet.status_code == 200 and stylesheet.mimetype == "text/css"


def test_the_session_cookie_is_not_secure_over_plain_http(client, token_for):
    cookie = sign_in(client, token_for, "kommune-aarhus").headers["Set-Cookie"]
    assert "ecosystem_session=" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie


@pytest.fixture(params=[{"PREFER_HTTPS": True}, {"PUBLIC_BASE_URL": "https://eksempel.dk"}])
def https_app(request, engine, database_url) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, **request.param})
    yield app
    app.extensions["ecosystem.engine"].dispose()


def test_over_https_cookies_are_secure_and_hsts_is_sent(https_app, token_for):
    client = https_app.test_client()
    for path in ("/api/v1/health", "/api/v1/docs", "/", "/static/pages.css"):
        with client.get(path) as response:
            assert response.headers["Strict-Transport-Security"] == "max-age=31536000", path
            assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie = sign_in(client, token_for, "kommune-aarhus").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_prefer_https_false_wins_over_an_https_public_url(engine, database_url):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": "https://eksempel.dk",
            "PREFER_HTTPS": False,
        }
    )
    try:
        response = app.test_client().get("/api/v1/health")
        assert "Strict-Transport-Security" not in response.headers
        assert app.config["SESSION_COOKIE_SECURE"] is False
    finally:
        app.extensions["ecosystem.engine"].dispose()


# --- absolute URLs come from PUBLIC_BASE_URL, not Host ---------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/projects.iati.xml", "/api/v1/organisations/kommune-aarhus/portfolio.iati.xml"],
)
def test_export_urls_come_from_the_configured_base_url_not_the_host_header(
    app, client, token_for, path
):
    publish(client, token_for, "kommune-aarhus", project("P-1"))
    hostile = client.get(path, headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    assert hostile.status_code == 200
    assert b"evil.example" not in hostile.data
    assert b'vocabulary-uri="http://127.0.0.1:8000/api/v1/themes"' in hostile.data

    app.config["PUBLIC_BASE_URL"] = "https://portefolje.eksempel.dk/"
    configured = client.get(path, headers={"Host": "evil.example"})
    assert b'vocabulary-uri="https://portefolje.eksempel.dk/api/v1/themes"' in configured.data
    assert b"evil.example" not in configured.data
