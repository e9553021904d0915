"""The printable review pack in a real Chromium: agenda, charts and lists, on screen and paper."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, DemoSite, seeded_demo, served, token_at

pytestmark = pytest.mark.browser

GROUP = "kronikere-aeldre-aarhus"


@pytest.fixture(scope="module")
def review_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """The seeded demo served for real; the token is the group's coordinator's."""
    url = seeded_demo(tmp_path_factory.mktemp("reviews") / "demo.db")
    with served(url) as base:
        yield DemoSite(base, token_at(url, "sundhedsraad-aarhus"))


def api(page: Any, site: DemoSite, method: str, path: str, **body: Any) -> Any:
    """Call the API as the group's coordinator, through the browser's own request context."""
    response = page.request.fetch(
        site.at(f"/api/v1{path}"),
        method=method,
        data=body or None,
        headers={"Authorization": f"Bearer {site.token}"},
        timeout=60_000,
    )
    assert response.status in (200, 201), response.text()
    return response.json()


def test_the_printable_pack_renders_with_charts_and_lists(page, review_site):
    first = api(page, review_site, "POST", f"/groups/{GROUP}/reviews", meeting_date="2026-03-12")
    # A pair the page's anonymous reader may see, so that the decision shows on the page.
    public = page.request.get(review_site.at(f"/api/v1/reviews/{first['id']}"), timeout=60_000)
    overlaps = public.json()["snapshot"]["overlaps"]
    assert overlaps, "the demo group has planted overlaps"
    pair = overlaps[0]
    api(
        page,
        review_site,
        "POST",
        f"/reviews/{first['id']}/decisions",
        finding={"kind": "overlap", "projects": [pair["a"]["id"], pair["b"]["id"]]},
        kind="coordinate",
        counterparts=[pair["b"]["organisation"]["id"]],
        rationale="Lær af hinandens erfaringer før udrulning.",
    )
    second = api(
        page,
        review_site,
        "POST",
        f"/groups/{GROUP}/reviews",
        meeting_date="2026-06-11",
        participants=[{"organisation": "sundhedsraad-aarhus", "role": "political"}],
    )

    page.goto(review_site.at(f"/reviews/{second['id']}"))
    assert "Kronikere" in page.locator("h1").inner_text()
    agenda = page.locator("ol.agenda > li").all_inner_texts()
    assert len(agenda) == 7 and agenda[0].startswith("Siden sidste møde")
    charts = page.locator("section[aria-labelledby='balance-title'] svg")
    assert charts.count() == 2
    for index in range(2):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 50
    assert page.locator("#review-value-risk a, svg a").count() > 0  # marks link to projects
    assert page.locator("ol.gaps > li").count() > 0
    assert page.locator("ol.candidates > li").count() > 0
    assert page.locator("ul.overlaps > li").count() > 0
    assert "Lær af hinandens erfaringer" in page.locator("ul.decisions").inner_text()
    assert page.get_by_role("link", name="Hent listerne som Excel (XLSX)").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-pack.png"), full_page=True)

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("link", name="Hent listerne som Excel (XLSX)").is_visible()
    assert charts.first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 20_000
    (ARTIFACTS / "review-pack.pdf").write_bytes(pdf)
