"""The pages in a real Chromium: the overlap check, a group overview, editing a card,
the language switch, and accessibility (labels, contrast, keyboard focus, 360 px).
"""

from __future__ import annotations

import re

import pytest

import seeds

pytestmark = pytest.mark.browser

COPD_DRAFT = {
    "title": "Telemedicinsk hjemmemonitorering af borgere med KOL",
    "description": (
        "Borgere med svær KOL får en tablet og måleudstyr, så hjemmesygeplejen kan følge "
        "iltmætning, puls og vægt derhjemme og gribe ind før en akut indlæggelse. Vi samarbejder "
        "med lungemedicinsk afdeling om opfølgningen."
    ),
}
GROUP = "kronikere-aeldre-aarhus"


def planted(scenario: str) -> set[str]:
    """Titles of the demo projects the answer key plants in one overlap scenario."""
    keys = {
        key
        for overlap in seeds.answer_key()["overlaps"]
        if overlap["scenario"] == scenario
        for key in overlap["projects"]
    }
    titles = set()
    for organisation, items in seeds.demo_portfolios().items():
        for item in items:
            if f"{organisation}:{item['external_id']}" in keys:
                titles.add(item["title"])
    return titles


def test_the_overlap_check_finds_the_planted_copd_overlaps_with_reasons(
    page, demo_site, screenshot
):
    page.goto(demo_site.at("/"))
    assert page.locator("h1").inner_text() == "Hvem gør det samme?"
    page.get_by_role("link", name="Tjek overlap").last.click()  # the front page's entrance
    assert page.locator("#check-title").inner_text() == "Før du starter – tjek overlap"
    page.get_by_label("Arbejdstitel").fill(COPD_DRAFT["title"])
    page.get_by_label("Beskrivelse").fill(COPD_DRAFT["description"])
    page.get_by_label("Borgere med KOL", exact=True).check()  # one of the few at first sight
    page.get_by_role("button", name="Find overlap").click()

    results = page.locator("ol.matches > li")
    assert results.count() >= 5
    found = set(page.locator("ol.matches h3").all_inner_texts())
    expected = planted("copd-telemedicine")
    assert "Telemedicin til borgere med KOL i hele landet – fælles udbredelse" in found
    assert len(found & expected) >= 4, (found, expected)
    first = results.first
    assert first.locator(".relation").inner_text()  # how it relates: duplicate, parallel, …
    assert first.locator("ul.reasons li").count() >= 2
    assert first.locator("mark").count() >= 1  # shared words highlighted
    assert "Kontakt" in first.inner_text()
    screenshot(page, "overlap-check")


def test_a_group_overview_shows_its_charts_and_lists_and_leads_to_the_projects(
    page, demo_site, screenshot
):
    page.goto(demo_site.at("/groups"))
    page.get_by_role("link", name="Kronikere og ældre – Sundhedsråd Aarhus").click()
    assert page.url.endswith(f"/groups/{GROUP}")
    for chart in ("#value-risk", "#pipeline", "#coverage", "#clusters"):
        assert page.locator(f"svg{chart}").is_visible(), chart
    assert page.locator("svg#value-risk circle").count() >= 3
    assert page.locator("svg#value-risk text", has_text="Perler").count() == 1
    assert page.locator("ol.gaps > li").count() >= 1
    assert page.locator("ol.candidates > li").count() >= 1
    assert page.locator("ol.clusters > li").count() >= 1
    screenshot(page, "group-overview")

    bubble = page.locator("svg#value-risk a").last  # drawn last: never under another bubble
    name = bubble.get_attribute("aria-label")
    bubble.click()
    assert re.search(r"/projects/\d+$", page.url)
    assert page.locator("h1").inner_text() in name
    screenshot(page, "project")


def test_a_publisher_signs_in_edits_a_card_and_sees_the_change_in_its_history(
    page, demo_site, screenshot
):
    page.goto(demo_site.at("/sign-in"))
    page.get_by_label("Din organisations token").fill(demo_site.token)
    page.get_by_role("button", name="Log ind").click()
    assert "Du er logget ind." in page.locator("[role=status]").inner_text()
    assert page.url.endswith("/organisations/kommune-samsoe")
    page.locator(".project-list a").first.click()
    old_title = page.locator("h1").inner_text()
    page.get_by_role("link", name="Redigér kortet").click()
    screenshot(page, "edit-card")
    new_title = f"{old_title} (opdateret)"
    page.get_by_label("Titel", exact=True).fill(new_title)
    page.get_by_label("Kontakt: e-mail").fill("sundhed@samsoe.example")
    page.get_by_role("button", name="Gem kortet").click()

    assert "Kortet er gemt." in page.locator("[role=status]").inner_text()
    assert page.locator("h1").inner_text() == new_title
    latest = page.locator("ol.history > li").first
    assert "ændret af Samsø Kommune" in latest.inner_text()
    assert latest.locator("del").first.inner_text() == old_title
    assert latest.locator("ins").first.inner_text() == new_title
    screenshot(page, "project-history")


def test_the_language_switch_turns_the_page_english_and_back(page, demo_site):
    page.goto(demo_site.at("/projects"))
    assert page.locator("html").get_attribute("lang") == "da"
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Projects across the ecosystem"
    assert page.url.endswith("/projects")
    page.get_by_role("link", name="Dansk").click()
    assert page.locator("h1").inner_text() == "Projekter på tværs af økosystemet"


# --- accessibility ------------------------------------------------------------------------

UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden')
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)"""

# Contrast of every visible piece of text (outside the SVG charts) against the first
# opaque background behind it, by the WCAG 2.1 formula; large text needs 3:1, other 4.5:1.
LOW_CONTRAST = """() => {
  const parse = c => { const p = c.match(/[\\d.]+/g).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.a > 0.99) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const failures = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || !el.getClientRects().length) continue;
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (!text) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const fg = luminance(parse(style.color)), bg = luminance(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) failures.push(`${el.tagName}.${el.className} "${text.slice(0, 30)}" ${ratio.toFixed(2)}`);
  }
  return failures;
}"""

FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow && style.boxShadow !== 'none';
  const svgMark = el.closest('svg') && [...el.children].some(c => parseFloat(getComputedStyle(c).strokeWidth) >= 3);
  return {tag: el.tagName, id: el.id, text: (el.innerText || el.getAttribute('aria-label') || '').slice(0, 40), visible: outline || ring || !!svgMark};
}"""

MAIN_PAGES = [
    "/",
    "/projects?area=sundhedsraad-aarhus",
    "/projects/1",
    "/groups",
    f"/groups/{GROUP}",
    f"/groups/{GROUP}?view=politisk",
    "/organisations",
    "/organisations/kommune-odense",
    "/sign-in",
]


def test_every_control_has_a_label_and_text_has_enough_contrast(page, demo_site):
    for path in MAIN_PAGES:
        page.goto(demo_site.at(path))
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(UNLABELLED) == [], path
        assert page.evaluate(LOW_CONTRAST) == [], path


def test_the_keyboard_reaches_everything_with_a_visible_focus(page, demo_site):
    page.goto(demo_site.at("/"))
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_VISIBLE)
    assert first["text"] == "Spring til indhold" and first["visible"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_VISIBLE)
        assert focused["visible"], focused
        reached.append(focused["id"])
        if focused["id"] == "title":
            break
    assert "title" in reached  # the form is the first thing after the skip link

    page.goto(demo_site.at(f"/groups/{GROUP}"))
    bubble = page.locator("svg#value-risk a").first
    bubble.focus()
    focused = page.evaluate(FOCUS_VISIBLE)
    assert focused["tag"] == "a" and focused["visible"], focused  # chart marks take focus too


def test_the_main_pages_fit_a_360_pixel_screen(browser, demo_site, screenshot):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK")
    page = context.new_page()
    try:
        for path in MAIN_PAGES:
            page.goto(demo_site.at(path))
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 360, (path, width)
            if path == f"/groups/{GROUP}":
                screenshot(page, "group-overview-360px")
        page.goto(demo_site.at("/"))
        screenshot(page, "overlap-check-360px")
    finally:
        context.close()


PHONE = 390


def test_the_check_form_a_result_and_a_group_overview_fit_a_phone(browser, demo_site, tmp_path):
    """390 px: the page never scrolls sideways; the heat map scrolls in its own region."""
    context = browser.new_context(viewport={"width": PHONE, "height": 844}, locale="da-DK")
    page = context.new_page()

    def fits(name: str) -> None:
        page.screenshot(path=str(tmp_path / f"{name}-{PHONE}px.png"), full_page=True)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE, (name, width)

    try:
        page.goto(demo_site.at("/"))
        assert page.locator("input[name=themes]:visible").count() <= 10  # a few at first sight
        page.locator("summary", has_text="Vis alle temaer og målgrupper").click()
        assert page.get_by_label("Telemedicin og hjemmemonitorering").is_visible()
        fits("front-page")

        page.get_by_label("Arbejdstitel").fill(COPD_DRAFT["title"])
        page.get_by_label("Beskrivelse").fill(COPD_DRAFT["description"])
        page.get_by_role("button", name="Find overlap").click()
        question = page.locator("#suggestions-title").inner_text()
        assert question.startswith("Handler det om") and question.endswith("?")
        offered = page.locator("section.suggestions input[type=checkbox]")
        assert offered.count() >= 1
        assert not any(box.is_checked() for box in offered.all())  # nothing chosen for you
        fits("check-result")
        offered.first.check()
        page.get_by_role("button", name="Tjek igen med disse").click()
        assert page.locator("ol.matches > li").count() >= 1
        fits("check-again")

        page.goto(demo_site.at("/groups/forebyggelse-ulighed-nord"))  # the widest heat map
        region = page.get_by_role("region", name=re.compile("Dækning: temaer × områder .*sidelæns"))
        assert region.get_attribute("tabindex") == "0"  # the keyboard can scroll it
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # there is more to see
        assert page.get_by_text("Stryg sidelæns for at se flere kolonner").is_visible()
        region.scroll_into_view_if_needed()
        fits("group-overview")
    finally:
        context.close()
