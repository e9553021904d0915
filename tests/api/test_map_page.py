"""The map page (/kort): counts per municipality as the reader may see them, outlines, errors."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.api.test_pages import csrf, sign_in, text_of
from tests.builders import project, publish

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def client(client, reference_data):
    return client


@pytest.fixture
def published(client, token_for):
    """Aarhus: two public projects (one also in Favrskov), a shared and a private one;
    Aalborg: a public one on another theme."""
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("A1", title="Tele-KOL i Aarhus", areas=["0751"], themes=["T2.1"]),
        project("A2", title="Fælles KOL-forløb", areas=["0751", "0710"], themes=["T2"]),
        project("A3", title="Delt projekt", areas=["0751"], visibility="ecosystem"),
        project("A4", title="Privat projekt", areas=["0751", "0851"], visibility="private"),
    )
    publish(
        client,
        token_for,
        "kommune-aalborg",
        project("B1", title="Psykiatri i Aalborg", areas=["0851"], themes=["T4"]),
    )


def _svg(page: str) -> ET.Element:
    found = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="chart".*?</svg>', page, re.S)
    assert found, "no map on the page"
    return ET.fromstring(found[0])


def _counts(page: str) -> dict[str, int]:
    """Municipality code → count, read from the links of the map (their titles)."""
    counts = {}
    for a in _svg(page).iter(f"{SVG}a"):
        code = re.search(r"area=(\d{4})", a.get("href", ""))
        title = a.find(f"{SVG}title")
        assert code and title is not None and title.text
        counts[code[1]] = int(re.search(r": (\d+) ", title.text)[1])  # type: ignore[index]
    return counts


def _table(page: str) -> dict[str, list[str]]:
    found = re.search(r'<table class="map-table">.*?</table>', page, re.S)
    assert found
    return {
        row.find("th/a").text: [td.text or "" for td in row.findall("td")]  # type: ignore[union-attr]
        for row in ET.fromstring(found[0]).iter("tr")
        if row.find("th/a") is not None
    }


def _listed(client, **filters) -> int:
    """What the listing (the same service the project list page uses) finds."""
    return client.get("/api/v1/projects", query_string=filters).json["total"]


def test_the_page_draws_all_98_municipalities_with_the_published_counts(client, published):
    response = client.get("/kort")
    assert response.status_code == 200
    page = text_of(response)
    counts = _counts(page)
    assert len(counts) == 98
    assert counts["0751"] == 2 and counts["0710"] == 1 and counts["0851"] == 1
    assert sum(counts.values()) == 4
    for code in ("0751", "0710", "0851", "0101"):
        assert counts[code] == _listed(client, area=code)
    assert _table(page)["Aarhus"] == ["2"]
    assert "Aarhus: 2 projekter" in page and "Favrskov: 1 projekt" in page
    assert len(response.data) < 300_000


def test_a_theme_counts_its_sub_themes_and_links_keep_the_filter(client, published):
    page = text_of(client.get("/kort?theme=T2"))
    counts = _counts(page)
    assert counts["0751"] == 2 == _listed(client, area="0751", theme="T2")
    assert counts["0851"] == 0 == _listed(client, area="0851", theme="T2")
    assert "/projects?area=0751&amp;theme=T2" in page
    assert _counts(text_of(client.get("/kort?theme=T4")))["0851"] == 1


def test_a_private_project_at_another_organisation_is_never_counted(client, token_for, published):
    anonymous = _counts(text_of(client.get("/kort")))
    assert anonymous["0751"] == 2 and anonymous["0851"] == 1
    assert "Privat projekt" not in text_of(client.get("/projects?area=0851"))

    sign_in(client, token_for, "kommune-aalborg")
    other = _counts(text_of(client.get("/kort")))
    assert other["0751"] == 3  # the shared project, not the private one
    assert other["0851"] == 1

    client.post("/sign-out", data={"csrf_token": csrf(client)})
    sign_in(client, token_for, "kommune-aarhus")
    owner = _counts(text_of(client.get("/kort")))
    assert owner["0751"] == 4 and owner["0851"] == 2


def test_a_health_council_is_outlined_and_marked_in_the_table(client, published):
    page = text_of(client.get("/kort?council=sundhedsraad-aarhus"))
    assert page.count("<use ") == 4  # Aarhus and Favrskov, stroked and filled again
    table = _table(page)
    assert table["Aarhus"] == ["2", "ja"] and table["Favrskov"] == ["1", "ja"]
    assert table["Aalborg"] == ["1", ""]
    assert "outlined" not in page and "Sundhedsråd Aarhus" in page


def test_a_thematic_groups_mandate_is_outlined(client, token_for, published):
    response = client.post(
        "/api/v1/groups",
        json={
            "id": "kol-nord",
            "name": "KOL i Nordjylland",
            "mandate": {"areas": ["sundhedsraad-limfjorden"]},
            "coordinators": ["kommune-aalborg"],
        },
        headers=token_for(admin=True),
    )
    assert response.status_code == 201, response.json
    page = text_of(client.get("/kort?group=kol-nord"))
    assert page.count("<use ") == 2
    assert _table(page)["Aalborg"] == ["1", "ja"]
    overview = text_of(client.get("/groups/kol-nord"))
    assert '<a href="/kort?group=kol-nord">Se mandatets kommuner på kortet</a>' in overview


def test_a_group_on_one_theme_opens_the_map_on_that_theme(client, token_for, published):
    group = {
        "id": "kol-aarhus",
        "name": "KOL i Aarhus",
        "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
        "coordinators": ["kommune-aarhus"],
    }
    response = client.post("/api/v1/groups", json=group, headers=token_for(admin=True))
    assert response.status_code == 201, response.json
    overview = text_of(client.get("/groups/kol-aarhus"))
    assert 'href="/kort?group=kol-aarhus&amp;theme=T2"' in overview


def test_the_page_is_in_english_on_request(client, published):
    client.get("/language/en")
    page = text_of(client.get("/kort"))
    assert "Projects per municipality" in page and "Aarhus: 2 projects" in page


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("theme=T99", "theme"),
        ("target_group=nobody", "target_group"),
        ("council=0751", "council"),
        ("group=no-such-group", "group"),
        ("council=sundhedsraad-aarhus&group=x", "group"),
    ],
)
def test_unknown_filters_are_a_400_naming_the_field(client, query, field):
    response = client.get(f"/kort?{query}")
    assert response.status_code == 400
    page = text_of(response)
    assert f'href="#field-{field}"' in page
    assert "<svg xmlns" not in page


def test_the_project_list_links_to_the_map_with_its_filters(client):
    page = text_of(client.get("/projects?theme=T2"))
    assert 'href="/kort?theme=T2"' in page
