"""The ecosystem graph over HTTP, on SQLite and PostgreSQL: edges, funding, visibility."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

AARHUS, AUH, AU, AALBORG, FAVRSKOV = (
    "kommune-aarhus",
    "auh",
    "au",
    "kommune-aalborg",
    "kommune-favrskov",
)
GROUP = {"id": "kol", "name": "KOL", "mandate": {"themes": ["T2.1"]}, "coordinators": [AARHUS]}


@pytest.fixture
def published(reference_data: None, client: Any, token_for: Any) -> None:
    publish(
        client,
        token_for,
        AARHUS,
        project(
            "K-1",
            themes=["T2.1"],
            partners=[{"organisation": AUH}, {"name": "Lungeforeningen"}],
            funding_sources=[{"name": "aarhus universitet", "kind": "public_research_fund"}],
        ),
        project("K-2", themes=["T4"], partners=[{"organisation": FAVRSKOV}]),
        # Never an edge for anyone but Aarhus and admins.
        project("K-3", visibility="private", partners=[{"organisation": AALBORG}]),
        # An edge for any signed-in reader, never for the public.
        project("K-4", visibility="ecosystem", partners=[{"organisation": AU}]),
    )
    response = client.post("/api/v1/groups", json=GROUP, headers=token_for(AARHUS))
    assert response.status_code == 201, response.json


def graph(client: Any, query: str = "", headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = client.get(f"/api/v1/graph{query}", headers=headers or {})
    assert response.status_code == 200, response.json
    body: dict[str, Any] = response.json
    return body


def links(body: dict[str, Any]) -> set[tuple[str, str, str, tuple[str, ...]]]:
    titles = {p["id"]: p["external_id"] for p in body["projects"]}
    found = set()
    for link in body["links"]:
        ends = (link["source"], link["target"])
        if link["kind"] == "partner":  # undirected: compare the pair in one order
            ends = tuple(sorted(ends))  # type: ignore[assignment]
        found.add((link["kind"], *ends, tuple(titles[i] for i in link["projects"])))
    return found


@pytest.mark.usefixtures("published")
def test_the_public_sees_partner_and_funding_links_of_public_projects_only(client: Any) -> None:
    body = graph(client)
    assert links(body) == {
        ("partner", AUH, AARHUS, ("K-1",)),
        ("partner", AARHUS, FAVRSKOV, ("K-2",)),
        ("funds", AU, AARHUS, ("K-1",)),
    }
    assert {n["id"] for n in body["nodes"]} == {AARHUS, AUH, AU, FAVRSKOV}
    assert {p["external_id"] for p in body["projects"]} == {"K-1", "K-2"}
    aarhus = next(n for n in body["nodes"] if n["id"] == AARHUS)
    assert aarhus["name"] == "Aarhus Kommune" and aarhus["projects"] == [
        p["id"] for p in body["projects"]
    ]
    assert aarhus["betweenness"] == max(n["betweenness"] for n in body["nodes"]) > 0


@pytest.mark.usefixtures("published")
def test_a_private_project_makes_an_edge_only_for_its_owner(client: Any, token_for: Any) -> None:
    other = graph(client, headers=token_for(AALBORG))
    assert AALBORG not in {n["id"] for n in other["nodes"]}
    assert ("partner", AU, AARHUS, ("K-4",)) in links(other)  # ecosystem: any token
    assert "K-3" not in {p["external_id"] for p in other["projects"]}
    owner = graph(client, headers=token_for(AARHUS))
    assert ("partner", AALBORG, AARHUS, ("K-3",)) in links(owner)
    assert not any(AALBORG in (link["source"], link["target"]) for link in graph(client)["links"])
    # Asking for the hidden partner's own graph shows it nothing either.
    around = graph(client, f"?organisation={AALBORG}", token_for(FAVRSKOV))
    assert around["nodes"] == [] and around["links"] == [] and around["projects"] == []


@pytest.mark.usefixtures("published")
def test_an_organisation_sees_itself_and_its_neighbours_and_a_group_its_themes(
    client: Any,
) -> None:
    around = graph(client, f"?organisation={AUH}")
    assert {n["id"] for n in around["nodes"]} == {AUH, AARHUS}
    assert links(around) == {("partner", AUH, AARHUS, ("K-1",))}
    assert around["graph"]["organisation"] == AUH
    kol = graph(client, "?group=kol")  # T2.1: K-1 only, not K-2 on psychiatry
    assert {p["external_id"] for p in kol["projects"]} == {"K-1"}
    assert kol["graph"]["group"] == "kol"


@pytest.mark.usefixtures("published")
def test_a_groups_graph_holds_only_the_projects_its_mandate_covers(
    client: Any, token_for: Any
) -> None:
    publish(
        client,
        token_for,
        AALBORG,
        project("N-1", themes=["T2.1"], areas=["0851"], partners=[{"organisation": AU}]),
    )
    council = {
        "id": "kol-midt",
        "name": "KOL i Sundhedsråd Aarhus",
        "mandate": {"themes": ["T2.1"], "areas": ["sundhedsraad-aarhus"]},
        "coordinators": [AARHUS],
    }
    response = client.post("/api/v1/groups", json=council, headers=token_for(AARHUS))
    assert response.status_code == 201, response.json
    # Aalborg's COPD project is on the theme but outside the council's municipalities
    assert {p["external_id"] for p in graph(client, "?group=kol")["projects"]} == {"K-1", "N-1"}
    assert {p["external_id"] for p in graph(client, "?group=kol-midt")["projects"]} == {"K-1"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?organisation=nobody", "organisation"),
        ("?organisation=", "organisation"),
        ("?group=nogroup", "group"),
        ("?group=", "group"),
    ],
)
def test_an_unknown_organisation_or_group_is_a_422_naming_it(
    client: Any, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/graph{query}")
    assert response.status_code == 422, response.json
    assert response.content_type.startswith("application/problem+json")
    assert field in str(response.json)


# --- the pages -----------------------------------------------------------------------------


def svg_of(page: str) -> str:
    match = re.search(r"<svg.*?</svg>", page, re.S)
    assert match, "no drawing"
    return match.group(0)


@pytest.mark.usefixtures("published")
def test_the_organisation_graph_page_draws_every_tie_with_its_own_title_in_danish(
    client: Any,
) -> None:
    page = client.get(f"/organisations/{AARHUS}/graph").get_data(as_text=True)
    drawing = svg_of(page)
    # One title per tie (3), per organisation (4) and the drawing's own.
    assert drawing.count("<title") == 3 + 4 + 1
    assert drawing.count("<line") == 3 and drawing.count("<circle") == 4
    assert "Aarhus Universitet finansierer Aarhus Kommune" in page
    assert "Aarhus Universitetshospital og Aarhus Kommune arbejder sammen" in page
    assert "Forbindelser og projekterne bag dem" in page
    assert f'href="/organisations/{AUH}/graph"' in drawing  # each circle opens its graph
    assert "K-3" not in page and AALBORG not in page  # private: not for the public
    assert len(page.encode()) < 300_000


@pytest.mark.usefixtures("published")
def test_the_graph_pages_speak_english_on_request_and_the_owner_sees_its_private_tie(
    client: Any, token_for: Any
) -> None:
    client.get("/language/en")
    page = client.get(f"/organisations/{AARHUS}/graph").get_data(as_text=True)
    assert "Aarhus Universitet funds Aarhus Kommune" in page and "finansierer" not in page
    assert "Ties and the projects behind them" in page
    group = client.get("/groups/kol/graph").get_data(as_text=True)
    assert "Partners and funders in the group KOL" in group
    assert "Favrskov" not in group  # K-2 is on psychiatry, outside the group's themes


@pytest.mark.usefixtures("published")
def test_the_organisation_and_group_pages_link_to_their_graphs(client: Any) -> None:
    assert f'href="/organisations/{AARHUS}/graph"' in client.get(
        f"/organisations/{AARHUS}"
    ).get_data(as_text=True)
    assert 'href="/groups/kol/graph"' in client.get("/groups/kol").get_data(as_text=True)


@pytest.mark.usefixtures("published")
def test_an_organisation_without_ties_says_so_and_unknown_ones_are_404(client: Any) -> None:
    page = client.get(f"/organisations/{AALBORG}/graph").get_data(as_text=True)
    assert "Ingen partnerskaber eller finansiering" in page and "<svg" not in page
    assert client.get("/organisations/nobody/graph").status_code == 404
    assert client.get("/groups/nogroup/graph").status_code == 404
