"""A check saved as an intention (issue 15): the draft becomes a card of the signed-in
organisation at stage "idea", published like any other, so matchmaking finds it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from ecosystem.store.tables import Project
from tests.api.test_matches import TEXT, A, B, matches_of, opt, refresh, twin
from tests.api.test_pages import csrf, sign_in, text_of
from tests.builders import publish

pytestmark = pytest.mark.usefixtures("reference_data")

DRAFT = {
    "title": "Telemonitorering af borgere med svær KOL",
    "description": TEXT,
    "themes": ["T2"],
    "target_groups": ["kol"],
    "areas": ["0851"],
}


def intention_id(day: dt.date, number: int) -> str:
    return f"HENSIGT-{day.isoformat()}-{number}"


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(Project))


def checked(client, draft=DRAFT):
    response = client.post("/", data={"csrf_token": csrf(client), **draft})
    assert response.status_code == 200
    return text_of(response)


def save(client, draft=DRAFT, **extra):
    return client.post("/intention", data={"csrf_token": csrf(client), **draft, **extra})


def test_only_a_signed_in_publisher_is_offered_the_button(client, token_for):
    assert "Gem som hensigt" not in checked(client)
    sign_in(client, token_for, B)
    page = checked(client)
    assert "Gem som hensigt" in page
    assert 'action="/intention"' in page
    # the draft rides along, and "ecosystem" is the visibility chosen by default
    assert 'name="title" value="Telemonitorering af borgere med svær KOL"' in page
    assert re.search(r'value="ecosystem" checked', page)


def test_a_reader_who_is_not_signed_in_cannot_save(client, db):
    response = save(client)
    assert response.status_code == 401
    assert count(db) == 0


def test_saving_makes_an_idea_card_and_shows_its_page(client, token_for, db):
    sign_in(client, token_for, B)
    response = save(client)
    assert response.status_code == 303
    today = dt.datetime.now(dt.UTC).date()
    card = client.get(
        f"/api/v1/organisations/{B}/projects/{intention_id(today, 1)}", headers=token_for(B)
    ).json
    assert card["stage"] == "idea" and card["visibility"] == "ecosystem"
    assert card["title"] == DRAFT["title"] and card["target_groups"] == ["kol"]
    assert card["areas"] == ["0851"] and card["themes"] == ["T2"]
    assert response.headers["Location"].endswith(f"/projects/{card['id']}")
    page = text_of(client.get(response.headers["Location"]))
    assert (
        "Gemt som hensigt. Ejere af lignende projekter, der har sagt ja til matchmaking, kan få besked."
        in page
    )
    # a second one the same day gets the next number; the visibility is the publisher's
    assert save(client, visibility="public").status_code == 303
    second = client.get(
        f"/api/v1/organisations/{B}/projects/{intention_id(today, 2)}", headers=token_for(B)
    ).json
    assert second["visibility"] == "public"
    assert count(db) == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "Feltet skal udfyldes."),
        ({"themes": []}, "themes", "Vælg mindst én."),
        ({"themes": ["T99"]}, "themes", "Ukendt kode: T99."),
        ({"visibility": "everyone"}, "summary-title", "Hvem må se det: Vælg en af mulighederne."),
    ],
)
def test_bad_input_shows_the_checks_errors_and_writes_nothing(
    client, token_for, db, change, field, message
):
    sign_in(client, token_for, B)
    response = save(client, {**DRAFT, **change})
    assert response.status_code == 422
    page = text_of(response)
    assert f'id="error-{field}"' in page and message in page
    assert count(db) == 0


def test_an_intention_takes_part_in_matchmaking(client, token_for, runner, db):
    publish(client, token_for, A, twin("A-1", areas=["0751"]))
    opt(client, token_for, A)
    opt(client, token_for, B)
    sign_in(client, token_for, B)
    assert save(client).status_code == 303
    refresh(runner)
    [match] = matches_of(client, token_for, A)
    today = dt.datetime.now(dt.UTC).date()
    assert intention_id(today, 1) in str(match)
