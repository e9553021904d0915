"""One real server over the seeded demo, and Debian's Chromium driven by Playwright.

The browser tests share one server per session (seeding the 429 demo projects takes a
few seconds) and run on SQLite only: the page tests in tests/api cover both databases.
Chromium must be installed (``apt-get install -y chromium``); locally its absence skips
these tests, in CI (``CI=true``) it fails them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from werkzeug.serving import WSGIRequestHandler, make_server

from api import create_app
from ecosystem.store import migrate
from ecosystem.store.engine import make_engine
from ecosystem.store.tokens import issue_token

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
PUBLISHER = "kommune-samsoe"  # signs in and edits one of its cards


@dataclass(frozen=True)
class DemoSite:
    url: str
    token: str  # a publisher token for PUBLISHER

    def at(self, path: str) -> str:
        return self.url + path


class _Quiet(WSGIRequestHandler):
    def log(self, *_args: Any, **_kwargs: Any) -> None:
        pass


def seeded_demo(path: Path) -> str:
    """A SQLite file at ``path`` with the reference data, the demo and its groups; its URL."""
    import seeds
    from seeds.groups import load_demo_groups
    from tests.builders import unit_of

    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with sessionmaker(engine)() as db:
        uow = unit_of(db)
        seeds.load_reference(uow)
        seeds.load_demo(uow)
        load_demo_groups(uow)
        db.commit()
    engine.dispose()
    return url


def token_at(url: str, organisation: str) -> str:
    """A new token of ``organisation`` in the database at ``url``."""
    engine = make_engine(url)
    with sessionmaker(engine)() as db:
        token = issue_token(db, organisation)
        db.commit()
    engine.dispose()
    return token


@contextmanager
def served(url: str) -> Iterator[str]:
    """The app over the database at ``url``, served by a real (threaded) server; its base URL."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-tests"})
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        app.extensions["ecosystem.engine"].dispose()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """The app served on 127.0.0.1 by a real (threaded) server, over the seeded demo."""
    url = seeded_demo(tmp_path_factory.mktemp("browser") / "demo.db")
    with served(url) as base:
        yield DemoSite(base, token_at(url, PUBLISHER))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context per test: no cookies, Danish by default."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot() -> Any:
    """Keeps a picture of a page for people reviewing the run (test-artifacts/, not in git)."""

    def take(page: Any, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
