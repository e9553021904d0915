"""The data quality page in a real Chromium over the seeded demo: Danish, English, 360 px."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ORGANISATION = "region-nordjylland"  # the largest demo portfolio


def test_the_quality_page_is_reached_from_the_organisation_and_speaks_both_languages(
    page, demo_site, screenshot
):
    page.goto(demo_site.at(f"/organisations/{ORGANISATION}"))
    page.get_by_role("link", name="Datakvalitet: hvad der ville gøre kortene mere nyttige").click()
    assert page.locator("h1").inner_text() == "Datakvalitet: Region Nordjylland"
    assert "af 100" in page.locator("#score-title + p").inner_text()
    heading = page.get_by_role(
        "heading", name="Tre ting, der ville gøre jeres portefølje mere nyttig"
    )
    suggestions = page.locator("section[aria-labelledby=suggestions-title] ol > li")
    assert heading.is_visible() and 1 <= suggestions.count() <= 3
    screenshot(page, "quality")
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Data quality: Region Nordjylland"
    assert page.get_by_role(
        "heading", name="Three things that would make your portfolio more useful"
    ).is_visible()
    assert "Fields filled in" in page.locator("table").first.inner_text()
    screenshot(page, "quality-en")


def test_the_quality_page_fits_a_360_pixel_screen(browser, demo_site, screenshot):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK")
    page = context.new_page()
    try:
        page.goto(demo_site.at(f"/organisations/{ORGANISATION}/quality"))
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, width
        screenshot(page, "quality-360px")
    finally:
        context.close()
