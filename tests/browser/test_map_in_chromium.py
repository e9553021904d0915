"""The municipality maps (the project list's and /kort) in a real Chromium: links, languages, 360 px."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_pages_in_chromium import FOCUS_VISIBLE, LOW_CONTRAST, UNLABELLED

pytestmark = pytest.mark.browser


def test_the_project_list_as_a_map_leads_to_each_municipalitys_projects(
    page, demo_site, screenshot
):
    page.goto(demo_site.at("/projects"))
    page.get_by_label("Tema", exact=True).select_option("T2")
    page.get_by_label("Område eller sundhedsråd").select_option("sundhedsraad-aarhus")
    page.get_by_role("button", name="Vis projekter").click()
    page.get_by_role("link", name="Kort", exact=True).click()
    assert "vis=kort" in page.url
    drawn = page.locator("svg#denmark-map a")
    assert page.locator("svg#denmark-map").is_visible()
    assert 1 < drawn.count() < 98  # the council's municipalities, enlarged
    screenshot(page, "project-list-map")

    aarhus = page.locator('svg#denmark-map a[href*="area=0751"]')
    name = aarhus.get_attribute("aria-label") or ""
    shown = int(re.search(r": (\d+) projekt", name)[1])  # type: ignore[index]
    aarhus.focus()
    assert page.evaluate(FOCUS_VISIBLE)["visible"]
    aarhus.click()
    assert "area=0751" in page.url and "theme=T2" in page.url and "vis=" not in page.url
    listed = page.locator("ul.project-list > li").count()
    assert listed == min(shown, 25)


def test_the_whole_map_outlines_a_council(page, demo_site):
    page.goto(demo_site.at("/projects?vis=kort"))
    page.get_by_role(
        "link", name="Fremhæv et sundhedsråd eller en gruppes mandat på hele kortet"
    ).click()
    assert page.url.endswith("/kort")
    page.get_by_label("Tema", exact=True).select_option("T2")
    page.get_by_label("Fremhæv et sundhedsråd").select_option("sundhedsraad-aarhus")
    page.get_by_role("button", name="Vis kortet").click()
    assert page.locator("svg#denmark-map a").count() == 98
    assert page.locator("svg#denmark-map use").count() == 4  # Aarhus and Samsø outlined


def test_the_map_in_english_labelled_with_contrast_and_fits_360_pixels(
    browser, page, demo_site, screenshot
):
    page.goto(demo_site.at("/kort"))
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate(LOW_CONTRAST) == []
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "Projects on the map of the municipalities"
    assert re.search(
        r": \d+ projects?$",
        page.locator("svg#denmark-map a").first.get_attribute("aria-label") or "",
    )
    screenshot(page, "map-english")

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK")
    small = context.new_page()
    try:
        small.goto(demo_site.at("/kort"))
        assert small.evaluate("() => document.documentElement.scrollWidth") <= 360
        screenshot(small, "map-360px")
    finally:
        context.close()
