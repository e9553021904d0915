"""The ecosystem graph pages in a real Chromium over the seeded demo: Danish, English, 360 px."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ORGANISATION = "danske-regioner"  # a partner on many demo projects
GROUP = "kronikere-aeldre-aarhus"


def test_the_graph_is_reached_from_the_organisation_and_speaks_both_languages(
    page, demo_site, screenshot
):
    page.goto(demo_site.at(f"/organisations/{ORGANISATION}"))
    page.get_by_role("link", name="Partnere og finansiering: hvem arbejder sammen med hvem").click()
    assert page.locator("h1").inner_text() == "Partnere og finansiering: Danske Regioner"
    drawing = page.locator("svg#ecosystem-graph")
    assert drawing.is_visible() and drawing.bounding_box()["height"] > 200
    ties = page.locator("section[aria-labelledby=ties-title] tbody tr")
    assert ties.count() == drawing.locator("line").count() > 0
    table = page.locator("section[aria-labelledby=ties-title] tbody").inner_text()
    assert "Danske Regioner arbejder sammen" in table or "og Danske Regioner arbejder" in table
    assert "finansierer" in table
    screenshot(page, "graph")
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Partners and funders: Danske Regioner"
    assert page.get_by_role("heading", name="Ties and the projects behind them").is_visible()
    screenshot(page, "graph-en")


def test_a_circle_opens_that_organisations_graph(page, demo_site):
    page.goto(demo_site.at(f"/organisations/{ORGANISATION}/graph"))
    page.locator("svg#ecosystem-graph a[href='/organisations/auh/graph']").click()
    page.wait_for_url("**/organisations/auh/graph")
    assert "Aarhus Universitetshospital" in page.locator("h1").inner_text()


def test_the_group_graph_fits_a_360_pixel_screen(browser, demo_site, screenshot):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK")
    page = context.new_page()
    try:
        page.goto(demo_site.at(f"/groups/{GROUP}"))
        page.get_by_role("link", name="Partnere og finansiering i gruppen").click()
        assert page.locator("h1").inner_text().startswith("Partnere og finansiering i gruppen")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, width
        assert page.locator("svg#ecosystem-graph").bounding_box()["width"] <= 360
        screenshot(page, "graph-group-360px")
    finally:
        context.close()
