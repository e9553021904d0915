"""The role views of a group overview (P20): the same data, chosen and ordered per reader."""

from __future__ import annotations

import re

import pytest

from tests.builders import project, publish

GROUP = {
    "id": "kol-aarhus",
    "name": "KOL i Sundhedsråd Aarhus",
    "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
    "coordinators": ["kommune-aarhus"],
}
KOL = dict(
    title="Telemedicinsk hjemmemonitorering af KOL-patienter",
    description="Borgere med svær KOL får tablet og måleudstyr og følges af hjemmesygeplejen.",
    themes=["T2", "T13"],
    target_groups=["kol"],
)
# The overview as it was before the views: every section, in the meeting's order.
OVERVIEW = [
    "goal-picture-title",
    "discuss-title",
    "value-risk-title",
    "pipeline-title",
    "coverage-title",
    "gaps-title",
    "fravalg-title",
    "stranding-title",
    "candidates-title",
    "clusters-title",
]
VIEWS = {
    "politisk": ["goal-picture-title", "discuss-title", "high-gaps-title", "balance-summary-title"],
    "administrativ": [
        "value-risk-title",
        "pipeline-title",
        "coverage-title",
        "stranding-title",
        "gaps-title",
        "fravalg-title",
    ],
    "faglig": ["clusters-title", "candidates-title", "gaps-title"],
}


@pytest.fixture
def group(client, reference_data, token_for):
    assert (
        client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True)).status_code == 201
    )
    # in implementation with no one to run it: the stranding section has something to show
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("A-1", areas=["0751"], stage="implementation", **KOL),
    )
    return "/groups/kol-aarhus"


def sections(page: str) -> list[str]:
    return re.findall(r'<h2 id="([^"]+)"', page)


def tabs(page: str) -> list[tuple[str, bool, str]]:
    bar = page.split('class="view-tabs"', 1)[1].split("</nav>", 1)[0]
    return [
        (href.replace("&amp;", "&"), bool(current), name)
        for href, current, name in re.findall(
            r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', bar
        )
    ]


def test_the_default_is_the_whole_overview_and_the_tabs_offer_each_reader_a_view(client, group):
    response = client.get(group)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert sections(page) == OVERVIEW
    assert tabs(page) == [
        (group, True, "Overblik"),
        (f"{group}?view=politisk", False, "Politisk: retning og mål"),
        (f"{group}?view=administrativ", False, "Administrativ: balancer"),
        (f"{group}?view=faglig", False, "Faglig: praksis og skalering"),
    ]


@pytest.mark.parametrize("view", list(VIEWS))
def test_each_view_shows_its_sections_in_its_order_and_not_the_others(client, group, view):
    response = client.get(group, query_string={"view": view})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert sections(page) == VIEWS[view]
    assert [current for _href, current, _name in tabs(page)].count(True) == 1
    assert (f"{group}?view={view}", True) in [(h, c) for h, c, _n in tabs(page)]
    toc = page.split('aria-label="På denne side"', 1)[1].split("</nav>", 1)[0]
    listed = re.findall(r'href="#([^"]+)"', toc)
    assert listed == [s for s in VIEWS[view] if s not in ("goal-picture-title", "discuss-title")]


def test_the_political_view_says_the_balance_in_words(client, group):
    page = client.get(group, query_string={"view": "politisk"}).get_data(as_text=True)
    summary = page.split('id="balance-summary-title"', 1)[1].split("</section>", 1)[0]
    assert "1 aktivt projekt i gruppens mandat." in summary
    assert "Ingen af dem har endnu en vurdering af værdi og risiko." in summary
    assert (
        "implementering/udbredelse 1" in summary
        and "1 projekt i implementering eller drift kan strande." in summary
    )
    assert f'href="{group}?view=administrativ"' in summary


def test_an_unknown_view_is_a_danish_400_page_with_the_way_back(client, group):
    response = client.get(group, query_string={"view": "borgmester"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Der findes ingen visning ved navn borgmester" in page
    assert f'<a href="{group}">Til overblikket</a>' in page
    assert 'id="value-risk-title"' not in page


def test_the_view_names_are_english_on_the_english_pages(client, group):
    client.get("/language/en")
    page = client.get(group, query_string={"view": "faglig"}).get_data(as_text=True)
    assert [(name, current) for _href, current, name in tabs(page)] == [
        ("Overview", False),
        ("Political: direction and goals", False),
        ("Administrative: balances", False),
        ("Professional: practice and scaling", True),
    ]
    assert 'aria-label="Views of the group"' in page
