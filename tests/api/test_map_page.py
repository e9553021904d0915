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


def _council_group(client, token_for) -> None:
    """ "KOL i Aarhus": theme T2 in Sundhedsråd Aarhus (Aarhus and Favrskov here)."""
    group = {
        "id": "kol-aarhus",
        "name": "KOL i Aarhus",
        "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
        "coordinators": ["kommune-aarhus"],
    }
    response = client.post("/api/v1/groups", json=group, headers=token_for(admin=True))
    assert response.status_code == 201, response.json


def test_a_group_on_one_theme_opens_the_map_on_that_theme(client, token_for, published):
    _council_group(client, token_for)
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


# --- the project list as a map, and a group's mandate on its overview ---------------------


def _total_listed(client, query: str) -> int:
    """The project list page's own total ("Viser 1–2 af 2."), 0 when nothing matches."""
    page = text_of(client.get(f"/projects?{query}"))
    found = re.search(r"Viser [\d.]+–[\d.]+ af ([\d.]+)\.", page)
    return int(found[1].replace(".", "")) if found else 0


def test_the_project_list_shows_its_own_filters_on_the_map(client, published):
    page = text_of(client.get("/projects?theme=T2&q=KOL&vis=kort"))
    assert 'aria-current="page">Kort</a>' in page
    counts = _counts(page)
    assert len(counts) == 98
    # every filter applies, free text included: the two KOL projects on T2, not A3 or B1
    assert counts["0751"] == 2 and counts["0710"] == 1 and counts["0851"] == 0
    for code in ("0751", "0710", "0851"):
        assert counts[code] == _total_listed(client, f"theme=T2&q=KOL&area={code}")
    # a municipality leads to its part of the list, with the other filters kept
    assert "/projects?q=KOL&amp;theme=T2&amp;area=0751" in page
    assert 'href="/projects?q=KOL&amp;theme=T2"' in page  # the tab back to the list


def test_a_listing_narrowed_to_a_council_maps_only_its_municipalities(client, published):
    page = text_of(client.get("/projects?area=sundhedsraad-aarhus&vis=kort"))
    counts = _counts(page)
    # the council's municipalities (Aarhus and Favrskov in the test gazetteer), enlarged
    assert set(counts) == {"0751", "0710"} and set(_table(page)) == {"Aarhus", "Favrskov"}
    assert counts == {"0751": 2, "0710": 1}
    assert "Bornholm er i boksen" not in page


def test_the_list_filtered_on_a_group_holds_its_mandates_projects(client, token_for, published):
    _council_group(client, token_for)
    page = text_of(client.get("/projects?group=kol-aarhus"))
    assert "Kun projekterne i mandatet for KOL i Aarhus" in page
    assert "Tele-KOL i Aarhus" in page and "Fælles KOL-forløb" in page
    assert "Psykiatri i Aalborg" not in page and "Delt projekt" not in page
    # free text searches within the group's projects, not past them
    searched = text_of(client.get("/projects?group=kol-aarhus&q=tele-kol"))
    assert "Tele-KOL i Aarhus" in searched and "Fælles KOL-forløb" not in searched
    assert _total_listed(client, "group=kol-aarhus&q=psykiatri") == 0

    overview = text_of(client.get("/groups/kol-aarhus"))
    assert "Hvor mandatets projekter finder sted" in overview
    drawn = _counts(overview[overview.index('id="coverage-map"') - 200 :])
    assert set(drawn) < {code for code in _counts(text_of(client.get("/kort")))}
    assert drawn["0751"] == 2 and drawn["0710"] == 1
    for code, count in drawn.items():
        assert count == _total_listed(client, f"group=kol-aarhus&area={code}"), code
    assert "/projects?group=kol-aarhus&amp;area=0751" in overview


def test_an_unknown_group_on_the_project_list_is_a_400_naming_the_field(client):
    response = client.get("/projects?group=no-such-group")
    assert response.status_code == 400
    assert "Der er ingen tematisk gruppe med dette id." in text_of(response)
