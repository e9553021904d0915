"""The quarterly review cycle in a real Chromium, in pages only (no token in a header).

A coordinator prepares the next meeting from the group page, records a decision on an
overlap of the pack; the owner of one of its projects signs in and answers on its
project page; the review's page then shows the answer. The owner then moves that card to
another stage, and the next review's "since last review" names the change and the
answer. The pack is checked for codes and English words (it is read in Danish) and at a
phone's width.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, DemoSite, seeded_demo, served, token_at

pytestmark = pytest.mark.browser

GROUP = "kronikere-aeldre-aarhus"
COORDINATOR = "sundhedsraad-aarhus"


@pytest.fixture(scope="module")
def cycle_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[DemoSite, Callable[[str], str]]]:
    """The seeded demo served for real, and a way to issue an organisation's token."""
    url = seeded_demo(tmp_path_factory.mktemp("cycle") / "demo.db")
    with served(url) as base:
        yield DemoSite(base, token_at(url, COORDINATOR)), lambda org: token_at(url, org)


def sign_in(page: Any, site: DemoSite, token: str) -> None:
    page.goto(site.at("/sign-in"))
    page.get_by_label("Din organisations token").fill(token)
    page.get_by_role("button", name="Log ind").click()
    assert "Du er logget ind." in page.locator("[role=status]").inner_text()


def project_id(link: Any) -> int:
    found = re.search(r"/projects/(\d+)$", link.get_attribute("href") or "")
    assert found, link.get_attribute("href")
    return int(found[1])


def test_a_review_runs_from_the_group_page_to_the_owners_answer(page, cycle_site):
    site, token_of = cycle_site
    sign_in(page, site, site.token)

    # The coordinator prepares the next meeting from the group page.
    page.goto(site.at(f"/groups/{GROUP}"))
    page.get_by_role("link", name="Forbered næste møde").click()
    page.get_by_label("Mødedato").fill("2026-09-10")
    page.get_by_label("Titel", exact=True).fill("Kvartalsmøde september")
    page.locator("input[name=participants]").first.check()
    page.get_by_role("button", name="Åbn gennemgangen").click()
    assert "Gennemgangen er åbnet" in page.locator("[role=status]").inner_text()
    assert page.locator("h1").inner_text() == "Kvartalsmøde september"
    review_url = page.url

    # … and records a decision on the pack's first overlap (the full list is behind "Se alle").
    page.locator("section[aria-labelledby=overlaps-title] details.see-all > summary").click()
    overlap = page.locator("ul.overlaps > li").first
    first, second = (project_id(overlap.locator("> a").nth(i)) for i in range(2))
    overlap.get_by_text("Registrér beslutning", exact=True).click()
    overlap.get_by_label("Beslutning", exact=True).select_option("coordinate")
    overlap.get_by_label("Med hvem eller hvortil").fill(str(second))
    overlap.get_by_label("Begrundelse").fill(
        "Samme målgruppe i samme område: aftal en fælles plan."
    )
    overlap.get_by_role("button", name="Registrér beslutningen").click()
    assert "Beslutningen er registreret" in page.locator("[role=status]").inner_text()
    decision = int(page.url.rsplit("#decision-", 1)[1])
    made = page.locator(f"#decision-{decision}")
    assert "Koordinér med" in made.inner_text() and "intet svar endnu" in made.inner_text()
    owners = page.request.get(
        site.at(f"/api/v1/decisions/{decision}"),
        headers={"Authorization": f"Bearer {site.token}"},
    ).json()["owners"]
    page.screenshot(path=str(ARTIFACTS / "review-cycle-decision.png"), full_page=True)

    # The owner of one of the two projects signs in and answers on its project page.
    page.get_by_role("button", name="Log ud").click()
    sign_in(page, site, token_of(owners[0]))
    answer, answered = None, None
    for candidate in (first, second):
        page.goto(site.at(f"/projects/{candidate}"))
        if page.locator(f"form#answer-{decision}-{owners[0]}").count():
            answer, answered = page.locator(f"form#answer-{decision}-{owners[0]}"), candidate
            break
    assert answer is not None, "the owner sees an answer form on one of its projects"
    answer.get_by_label("I dialog").check()
    answer.get_by_label("Kommentar").fill("Vi mødes med de andre i oktober.")
    answer.get_by_role("button", name="Gem svaret").click()
    assert "Svaret er gemt" in page.locator("[role=status]").inner_text()
    assert (
        "I dialog – Vi mødes med de andre i oktober."
        in page.locator(f"#decision-{decision}").inner_text()
    )

    # The review's page shows the answer.
    page.goto(review_url)
    made = page.locator(f"#decision-{decision}").inner_text()
    assert "I dialog – Vi mødes med de andre i oktober." in made
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-cycle-answered.png"), full_page=True)

    # The owner moves the answered card on; the next review names the change and the answer.
    page.goto(site.at(f"/projects/{answered}/edit"))
    stage = page.get_by_label("Fase", exact=True)
    before = stage.input_value()
    after = "operation" if before != "operation" else "implementation"
    stage.select_option(after)
    page.get_by_role("button", name="Gem kortet").click()
    title = page.locator("h1").inner_text()
    page.get_by_role("button", name="Log ud").click()
    sign_in(page, site, site.token)
    page.goto(site.at(f"/groups/{GROUP}"))
    page.get_by_role("link", name="Forbered næste møde").click()
    page.get_by_label("Mødedato").fill("2026-12-10")
    page.get_by_label("Titel", exact=True).fill("Kvartalsmøde december")
    page.get_by_role("button", name="Åbn gennemgangen").click()
    since = page.locator("section[aria-labelledby=since-title]").inner_text()
    assert title in since and "→" in since, since
    assert "I dialog – Vi mødes med de andre i oktober." in since, since
    pack_is_danish(page.locator("main").inner_text())
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "review-cycle-next-390.png"), full_page=True)


# Codes and the English names of values a Danish reader must never meet in the pack
# ("pilot" and "parallel" are Danish words too, so they are not listed).
CODES = re.compile(r"\b(?:T\d+(?:\.\d+)?|kommune-[a-z]+|region-[a-z]+|sundhedsraad-[a-z]+)\b")
ENGLISH = re.compile(
    r"\b(?:duplicate|sequential|complementary|high|medium|low|agreed|declined|"
    r"in_dialogue|idea|analysis|implementation|operation|completed|None)\b"
)


def pack_is_danish(text: str) -> None:
    assert not CODES.findall(text), CODES.findall(text)
    assert not ENGLISH.findall(text), ENGLISH.findall(text)
