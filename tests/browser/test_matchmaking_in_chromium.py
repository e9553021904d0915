"""Matchmaking end to end in a real Chromium, in pages only (no token in a header).

Two demo organisations say yes to matchmaking on their organisation pages; one checks a
near-copy of the other's demo project and saves it as an intention; the match refresh
runs (the service, as ``ecosystem matches refresh`` would, against the served database);
the other organisation finds the match in its inbox and answers "Interesseret" with a
reason, which the first then reads in its own inbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker

from ecosystem.services import matches
from ecosystem.store.engine import make_engine
from tests.browser.conftest import seeded_demo, served, token_at

pytestmark = pytest.mark.browser

OWNER = "kommune-esbjerg"  # its demo project is copied
OWN_PROJECT = "BG-K0561-2024-001"  # "Sårkompetencecenter i hjemmesygeplejen"
PLANNER = "kommune-vejle"  # checks the near-copy and saves it as an intention
REASON = "Vi vil gerne høre om jeres erfaringer med sårcentret."


@pytest.fixture(scope="module")
def match_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The seeded demo served for real (its own file: this test writes consent and matches)."""
    url = seeded_demo(tmp_path_factory.mktemp("matchmaking") / "demo.db")
    with served(url) as base:
        yield base, url


def refresh_matches(url: str) -> int:
    """What ``ecosystem matches refresh`` does, against the database the server reads."""
    from tests.builders import unit_of

    engine = make_engine(url)
    with sessionmaker(engine)() as db:
        added = matches.refresh(unit_of(db))
        db.commit()
    engine.dispose()
    return added


def sign_in(page: Any, base: str, token: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/sign-in")
    page.get_by_label("Din organisations token").fill(token)
    page.get_by_role("button", name="Log ind").click()
    assert "Du er logget ind." in page.locator("[role=status]").inner_text()


def opt_in(page: Any, base: str, organisation: str) -> None:
    page.goto(f"{base}/organisations/{organisation}")
    page.get_by_label("Giv os besked om stærkt overlappende projekter").check()
    page.get_by_role("button", name="Gem indstillingen").click()
    assert "Match er slået til" in page.locator("[role=status]").inner_text()


def test_an_intention_is_matched_and_answered_in_the_inbox(page, match_site, tmp_path: Path):
    base, url = match_site
    owner_token, planner_token = token_at(url, OWNER), token_at(url, PLANNER)
    card = page.request.get(f"{base}/api/v1/organisations/{OWNER}/projects/{OWN_PROJECT}").json()

    sign_in(page, base, owner_token)
    opt_in(page, base, OWNER)
    sign_in(page, base, planner_token)
    opt_in(page, base, PLANNER)

    # The planner checks a near-copy of the owner's project on the front door …
    title = f"{card['title']} i Vejle"
    page.goto(base + "/")
    page.get_by_label("Arbejdstitel").fill(title)
    page.get_by_label("Beskrivelse", exact=True).fill(card["description"])
    page.locator("#all-tags > summary").click()
    for code in card["themes"]:
        page.locator(f"input[name=themes][value='{code}']").check()
    page.get_by_role("button", name="Find overlap").click()
    assert page.locator("h3", has_text=card["title"]).count() >= 1

    # … and saves it as an intention; it lands on the new project's page.
    intention = page.locator("section.intention")
    assert intention.locator("input[name=visibility][value=ecosystem]").is_checked()
    intention.screenshot(path=str(tmp_path / "check-intention.png"))
    intention.get_by_role("button", name="Gem som hensigt").click()
    status = page.locator("[role=status]").inner_text()
    assert "Gemt som hensigt. Ejere af lignende projekter, der har sagt ja til matchmaking" in (
        status
    )
    assert page.locator("h1").inner_text() == title

    assert refresh_matches(url) >= 1

    # The owner finds the match in its inbox and answers it.
    sign_in(page, base, owner_token)
    page.goto(f"{base}/matches")
    match = page.locator("li.match", has_text=title)
    assert match.count() == 1
    match.get_by_label("Interesseret").check()
    match.get_by_label("Begrundelse (gør fremtidige match bedre)").fill(REASON)
    match.get_by_role("button", name="Gem svaret").click()
    assert "Jeres svar er gemt." in page.locator("[role=status]").inner_text()
    page.screenshot(path=str(tmp_path / "matches-inbox.png"), full_page=True)

    # The planner reads the answer in its own inbox.
    sign_in(page, base, planner_token)
    page.goto(f"{base}/matches")
    theirs = page.locator("li.match", has_text=title).locator(".match__answers").inner_text()
    assert "Interesseret" in theirs and REASON in theirs
