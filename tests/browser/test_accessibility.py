"""Every kind of page, error pages included, against axe-core's WCAG 2.0/2.1 A and AA rules.

axe-core runs inside Debian's Chromium on the seeded demo, served for real. The engine is
the copy bundled in the ``axe-playwright-python`` package (axe-core's own JavaScript,
MPL-2.0), so nothing loads from the internet. One server and one browser tab per reader
(anonymous in Danish, anonymous in English, a publisher, a group's coordinator) serve the
whole module; each page kind is its own test, so a report names the page that failed.

Closed ``<details>`` are opened before the run: axe skips what is hidden, and the lists
behind "Se alle" and the decision forms are part of the page a reader uses. Of the same
``<details>`` repeated down a list (a decision form under each of 160 findings) only the
first is opened: they come from one macro, and axe's contrast rule takes seconds per hundred.

A rule axe cannot decide ("incomplete") fails the test too, except colour contrast: axe
cannot tell the background of text in an SVG chart or in a scrolling box of checkboxes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.browser.conftest import DemoSite, seeded_demo, served, token_at

pytestmark = pytest.mark.browser

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations", "incomplete"],
}
GROUP = "kronikere-aeldre-aarhus"
COORDINATOR = "sundhedsraad-aarhus"  # coordinates GROUP: opens its reviews
PUBLISHER = "kommune-samsoe"  # publishes cards: edits one, imports
ORGANISATION = "kommune-samsoe"
DRAFT = {
    "Arbejdstitel": "Telemedicinsk hjemmemonitorering af borgere med KOL",
    "Beskrivelse": (
        "Borgere med svær KOL får en tablet og måleudstyr, så hjemmesygeplejen kan følge "
        "iltmætning, puls og vægt derhjemme og gribe ind før en akut indlæggelse."
    ),
}
OPEN_DETAILS = """() => {
  const opened = new Map();  // list → the classes of <details> already opened in it
  for (const details of document.querySelectorAll('details')) {
    const list = details.parentElement.closest('ul, ol, tbody');
    const kinds = opened.get(list) || new Set();
    if (list && kinds.has(details.className)) continue;
    kinds.add(details.className);
    opened.set(list, kinds);
    details.open = true;
  }
}"""
UNDECIDABLE = {"color-contrast"}


@dataclass
class Readers:
    """The served demo and one tab per kind of reader; ids found on the way."""

    site: DemoSite
    tabs: dict[str, Any]
    found: dict[str, str]


def sign_in(page: Any, site: DemoSite, token: str) -> None:
    page.goto(site.at("/sign-in"))
    page.get_by_label("Din organisations token").fill(token)
    page.get_by_role("button", name="Log ind").click()
    assert "Du er logget ind." in page.locator("[role=status]").inner_text()


def open_review(page: Any, site: DemoSite) -> str:
    """The demo has no review: the coordinator opens one with the page form; its pack's path."""
    page.goto(site.at(f"/groups/{GROUP}/reviews/new"))
    page.get_by_label("Mødedato").fill("2026-09-10")
    page.get_by_label("Titel", exact=True).fill("Kvartalsmøde september")
    page.locator("input[name=participants]").first.check()
    page.get_by_role("button", name="Åbn gennemgangen").click()
    assert "Gennemgangen er åbnet" in page.locator("[role=status]").inner_text()
    return re.sub(r"^https?://[^/]+", "", page.url)


@pytest.fixture(scope="module")
def readers(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Readers]:
    url = seeded_demo(tmp_path_factory.mktemp("axe") / "demo.db")
    with served(url) as base:
        site = DemoSite(base, token_at(url, PUBLISHER))
        contexts, tabs = [], {}
        for reader in ("da", "en", "publisher", "coordinator"):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
            context.set_default_timeout(30_000)
            contexts.append(context)
            tabs[reader] = context.new_page()
        tabs["en"].goto(site.at("/language/en?next=/"))
        sign_in(tabs["publisher"], site, site.token)
        sign_in(tabs["coordinator"], site, token_at(url, COORDINATOR))
        found = {"pack": open_review(tabs["coordinator"], site)}
        tabs["publisher"].goto(site.at(f"/organisations/{PUBLISHER}"))
        card = tabs["publisher"].locator(".project-list a").first.get_attribute("href")
        found["card"] = card
        yield Readers(site, tabs, found)
        for context in contexts:
            context.close()


def visit(path: str | Callable[[Readers], str]) -> Callable[[Any, Readers], int]:
    def go(page: Any, readers: Readers) -> int:
        where = path(readers) if callable(path) else path
        return int(page.goto(readers.site.at(where)).status)

    return go


def check_result(page: Any, readers: Readers) -> int:
    """The check form sent with a draft: the result page (its status)."""
    page.goto(readers.site.at("/"))
    for label, text in DRAFT.items():
        page.get_by_label(label, exact=True).fill(text)
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Find overlap").click()
    page.wait_for_load_state()
    assert page.locator("ol.matches > li").count() >= 1
    return int(sent.value.status)


# (test id, reader, how to get there (returns the page's HTTP status), the status expected)
PAGES: list[tuple[str, str, Callable[[Any, Readers], int], int]] = [
    ("front-page", "da", visit("/"), 200),
    ("check-result", "da", check_result, 200),
    ("projects", "da", visit("/projects"), 200),
    ("project", "da", visit(lambda r: r.found["card"]), 200),
    ("organisations", "da", visit("/organisations"), 200),
    ("organisation", "da", visit(f"/organisations/{ORGANISATION}"), 200),
    ("organisation-quality", "da", visit(f"/organisations/{ORGANISATION}/quality"), 200),
    ("organisation-graph", "da", visit("/organisations/danske-regioner/graph"), 200),
    ("groups", "da", visit("/groups"), 200),
    ("group", "da", visit(f"/groups/{GROUP}"), 200),
    *(
        (f"group-{view}", "da", visit(f"/groups/{GROUP}?view={view}"), 200)
        for view in ("politisk", "administrativ", "faglig")
    ),
    ("group-unknown-view", "da", visit(f"/groups/{GROUP}?view=nogen"), 400),
    ("group-graph", "da", visit(f"/groups/{GROUP}/graph"), 200),
    ("goal-picture", "da", visit(f"/groups/{GROUP}/goals"), 200),
    ("map", "da", visit("/kort"), 200),
    ("reviews", "da", visit(f"/groups/{GROUP}/reviews"), 200),
    ("pack", "da", visit(lambda r: r.found["pack"]), 200),
    ("sign-in", "da", visit("/sign-in"), 200),
    ("api-docs", "da", visit("/api/v1/docs"), 200),
    ("not-found", "da", visit("/no-such-page"), 404),
    ("no-such-project", "da", visit("/projects/999999"), 404),
    ("method-not-allowed", "da", visit("/sign-out"), 405),
    ("review-new", "coordinator", visit(f"/groups/{GROUP}/reviews/new"), 200),
    ("pack-for-coordinator", "coordinator", visit(lambda r: r.found["pack"]), 200),
    ("group-for-coordinator", "coordinator", visit(f"/groups/{GROUP}"), 200),
    ("goal-picture-edit", "coordinator", visit(f"/groups/{GROUP}/goals/edit"), 200),
    ("edit-card", "publisher", visit(lambda r: r.found["card"] + "/edit"), 200),
    ("import", "publisher", visit("/import"), 200),
    ("matches", "publisher", visit("/matches"), 200),
    ("matchmaking-consent", "publisher", visit(f"/organisations/{PUBLISHER}/matchmaking"), 200),
    ("own-organisation", "publisher", visit(f"/organisations/{PUBLISHER}"), 200),
    ("front-page-en", "en", visit("/"), 200),
    ("group-en", "en", visit(f"/groups/{GROUP}"), 200),
    ("pack-en", "en", visit(lambda r: r.found["pack"]), 200),
    ("map-en", "en", visit("/kort"), 200),
    ("not-found-en", "en", visit("/no-such-page"), 404),
]


def report(violations: list[dict[str, Any]]) -> str:
    """Each rule broken: its id, impact and help, then the elements (CSS selectors) breaking it."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:8]:
            lines.append(f"    {' > '.join(map(str, node['target']))}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", " ")
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize(
    ("reader", "go", "status"),
    [pytest.param(reader, go, status, id=name) for name, reader, go, status in PAGES],
)
def test_the_page_passes_axe_wcag_2_1_aa(
    readers: Readers, axe: Any, reader: str, go: Callable[[Any, Readers], int], status: int
) -> None:
    page = readers.tabs[reader]
    assert go(page, readers) == status, page.url
    page.evaluate(OPEN_DETAILS)
    results = axe.run(page, options=WCAG_AA).response
    undecided = [found for found in results["incomplete"] if found["id"] not in UNDECIDABLE]
    failures = results["violations"] + undecided
    if failures:
        pytest.fail(f"{page.url}\n{report(failures)}", pytrace=False)
