"""The app factory, health and the API page (the OpenAPI document: test_openapi.py)."""

from __future__ import annotations

import subprocess
import sys

from api import create_app
from ecosystem.store import migrate


def test_the_factory_takes_the_database_from_config(database_url, engine):
    app = create_app({"DATABASE_URL": database_url})
    assert not app.testing
    assert app.config["DATABASE_URL"] == database_url
    app.extensions["ecosystem.engine"].dispose()


def test_the_default_database_is_sqlite_under_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("instance/ecosystem.db")
    app.extensions["ecosystem.engine"].dispose()


def test_health_reports_database_and_schema_revision(client):
    body = client.get("/api/v1/health").json
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["schema_revision"] == body["schema_head"] == migrate.head_revision()


def test_health_says_503_when_the_database_is_unreachable(tmp_path):
    app = create_app(
        {"TESTING": True, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    )
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_the_api_page_is_served_without_any_external_resource(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/organisations/{org}/portfolio" in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page


def test_the_domain_core_never_imports_flask():
    code = (
        "import importlib, pkgutil, sys, ecosystem\n"
        "for m in pkgutil.walk_packages(ecosystem.__path__, 'ecosystem.'):\n"
        "    if '.migrations' not in m.name: importlib.import_module(m.name)\n"
        "assert not any(n == 'flask' or n.startswith('flask.') for n in sys.modules), 'flask imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
