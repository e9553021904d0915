"""The import page: upload a file, see what it would do, publish it, on both databases."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from ecosystem.store.tables import Project
from tests.api.test_pages import controls_of, csrf, sign_in, text_of
from tests.builders import portfolio, project

pytestmark = pytest.mark.usefixtures("reference_data")

ORG = "kommune-aarhus"
HEADER = "Projekt-id;Titel;Beskrivelse;Fase;Temaer;Områder"
GOOD_ROW = "P-1;Tele-KOL;Borgere med KOL følges hjemme;Afprøvning;Kronisk sygdom og ældre;Aarhus"
BAD_ROW = "P-2;Demens;Demensvenlig kommune;pilot;Kronikere;"


def csv_file(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8")


def upload(client, content, *, token=None, full=False, name="projekter.csv"):
    form = {
        "csrf_token": token if token is not None else csrf(client, "/import"),
        "file": (io.BytesIO(content), name),
    }
    if full:
        form["full"] = "on"
    return client.post("/import", data=form, content_type="multipart/form-data")


def publish_form(page):
    action = re.search(r'action="(/import/[^"]+/publish)"', page)
    return action[1] if action else None


def project_count(db):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Project))


def test_a_reader_who_is_not_signed_in_is_sent_to_sign_in(client):
    response = client.get("/import")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/sign-in?next=/import")


def test_the_upload_form_has_a_labelled_file_input_the_full_choice_and_the_templates(
    client, token_for
):
    sign_in(client, token_for, ORG)
    response = client.get("/import")
    assert response.status_code == 200
    page = text_of(response)
    assert "Importér projekter fra en fil" in page
    assert 'type="file"' in page and 'name="full"' in page
    assert "/api/v1/imports/template.xlsx" in page and "/api/v1/imports/template.csv" in page
    assert controls_of(response).unlabelled() == []
    assert 'href="/import"' in text_of(client.get("/"))  # in the menu once signed in


def test_a_file_with_a_bad_row_shows_each_problem_and_publishes_nothing(client, token_for, db):
    sign_in(client, token_for, ORG)
    response = upload(client, csv_file(GOOD_ROW, BAD_ROW))
    assert response.status_code == 200
    page = text_of(response)
    assert "Tele-KOL" in page and "oprettes" in page and "har fejl" in page
    assert "Temaer" in page and "findes ikke som tema" in page
    assert "<td>3</td>" in page  # the row of the problem
    assert publish_form(page) is None
    assert "Udgiv</button>" not in page
    assert controls_of(response).unlabelled() == []
    assert project_count(db) == 0


def test_a_good_file_is_previewed_then_published_to_the_organisation(client, token_for, db):
    sign_in(client, token_for, ORG)
    page = text_of(upload(client, csv_file(GOOD_ROW)))
    assert "Tele-KOL" in page and "P-1" in page and "oprettes" in page
    assert project_count(db) == 0  # a preview writes no project
    target = publish_form(page)
    assert target is not None
    response = client.post(target, data={"csrf_token": csrf(client, "/import")})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/organisations/{ORG}"
    assert "Importen er udgivet: 1 oprettet" in text_of(client.get(response.headers["Location"]))
    card = client.get(f"/api/v1/organisations/{ORG}/projects/P-1", headers=token_for(ORG)).json
    assert card["title"] == "Tele-KOL"


def test_a_preview_made_stale_by_another_publish_asks_for_a_new_upload(client, token_for, db):
    sign_in(client, token_for, ORG)
    target = publish_form(text_of(upload(client, csv_file(GOOD_ROW))))
    changed = client.put(
        f"/api/v1/organisations/{ORG}/portfolio",
        json=portfolio(ORG, project("A-9")),
        headers=token_for(ORG),
    )
    assert changed.status_code == 200
    response = client.post(target, data={"csrf_token": csrf(client, "/import")})
    assert response.status_code == 409
    assert "Upload filen igen" in text_of(response)
    assert (
        client.get(f"/api/v1/organisations/{ORG}/projects/P-1", headers=token_for(ORG)).status_code
        == 404
    )


def test_an_unreadable_file_is_shown_on_the_form_with_the_reason(client, token_for, db):
    sign_in(client, token_for, ORG)
    response = upload(client, b"", name="tom.csv")
    assert response.status_code == 422
    assert "Filen kunne ikke bruges" in text_of(response) and "tom" in text_of(response)
    assert project_count(db) == 0


def test_an_upload_without_the_csrf_token_is_refused_and_stores_nothing(client, token_for, db):
    sign_in(client, token_for, ORG)
    response = upload(client, csv_file(GOOD_ROW), token="forged")
    assert response.status_code == 400
    assert "intet blev gemt" in text_of(response)
    assert project_count(db) == 0


def test_publishing_without_the_csrf_token_is_refused(client, token_for, db):
    sign_in(client, token_for, ORG)
    target = publish_form(text_of(upload(client, csv_file(GOOD_ROW))))
    assert client.post(target, data={}).status_code == 400
    assert project_count(db) == 0
