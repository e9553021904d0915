"""One text rule for every string the API accepts, and exports that stored text cannot break.

NUL cannot be stored in PostgreSQL, a lone surrogate cannot be encoded as UTF-8, and the
other control characters are illegal in XML and XLSX: each is refused with a 422 naming
the place, and nothing is written. Text that got in before the rule is repaired on export.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from marshmallow import ValidationError
from openpyxl import load_workbook
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ecosystem import iati
from ecosystem.safe_text import Text, xml_safe
from ecosystem.store.tables import Area, Project
from tests.api.test_imports import csv_file, upload
from tests.api.test_pages import card_form, edit_form, project_id, sign_in
from tests.builders import portfolio, project, publish_in

pytestmark = pytest.mark.usefixtures("reference_data")

ORG = "kommune-aarhus"
PORTFOLIO = f"/api/v1/organisations/{ORG}/portfolio"


def put_raw(client: Any, headers: dict[str, str], body: str) -> Any:
    """A portfolio sent as the JSON text given (escapes such as \\ud800 kept as written)."""
    return client.put(PORTFOLIO, data=body, content_type="application/json", headers=headers)


def project_count(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Project)) or 0


def only_error(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/problem+json"
    errors = response.json["errors"]
    assert len(errors) == 1, errors
    return dict(errors[0])


@pytest.mark.parametrize(
    ("place", "card"),
    [
        ("projects[0].title", project(title="Tele\x00KOL")),
        ("projects[0].description", project(description="Borgere\x00 med KOL")),
        ("projects[0].contact.name", project(contact={"name": "Anne\x00"})),
        ("projects[0].funding_sources[0].name", project(funding_sources=[{"name": "A\x00"}])),
        ("projects[0].themes[0]", project(themes=["T2\x00"])),
    ],
)
def test_nul_in_a_card_is_refused_naming_the_field_and_nothing_is_written(
    client, token_for, db, place, card
):
    response = client.put(PORTFOLIO, json=portfolio(ORG, card), headers=token_for(ORG))
    error = only_error(response)
    assert error["field"] == place
    assert "U+0000" in error["message"] and "nul-tegn" in error["message"]
    assert project_count(db) == 0


def test_nul_in_a_reference_name_is_refused_naming_the_field(client, token_for, db):
    admin = token_for(admin=True)
    body = {"code": "SE", "scheme": "iso3166", "name_da": "Sver\x00ige", "name_en": "Sweden"}
    error = only_error(client.post("/api/v1/areas", json=body, headers=admin))
    assert error["field"] == "name_da"
    changed = client.patch("/api/v1/areas/0751", json={"name_en": "Aarhus\x00"}, headers=admin)
    assert only_error(changed)["field"] == "name_en"
    db.expire_all()
    assert db.scalar(select(func.count()).where(Area.code == "SE")) == 0
    assert db.get(Area, "0751").name_en == "Aarhus"  # type: ignore[union-attr]


def test_a_lone_surrogate_is_refused_as_invalid_unicode(client, token_for, db):
    body = json.dumps(portfolio(ORG, project(title="TITLE"))).replace("TITLE", "Tele\\ud800KOL")
    assert "\\ud800" in body
    error = only_error(put_raw(client, token_for(ORG), body))
    assert error["field"] == "projects[0].title"
    assert "U+D800" in error["message"] and "surrogate" in error["message"]
    assert project_count(db) == 0


@pytest.mark.parametrize(
    ("char", "words"),
    [
        ("\x07", "kontroltegn (U+0007), som ikke er tilladt / contains a control character"),
        ("\x1b", "U+001B"),
        ("\x7f", "U+007F"),
        ("\x85", "U+0085"),  # C1: mis-decoded Windows-1252, invisible
        ("\ufffe", "ikke-tegn (U+FFFE)"),
        ("\uffff", "U+FFFF"),
    ],
)
def test_control_characters_and_non_characters_are_refused(client, token_for, db, char, words):
    card = project(description=f"Borgere med KOL{char} følges hjemme")
    error = only_error(client.put(PORTFOLIO, json=portfolio(ORG, card), headers=token_for(ORG)))
    assert error["field"] == "projects[0].description"
    assert words in error["message"]
    assert error["message"].startswith("Indeholder")  # Danish first
    assert project_count(db) == 0


def test_tab_newline_and_carriage_return_are_still_text(client, token_for):
    text = "Første afsnit.\r\n\r\nAndet afsnit:\tmed tabulator og æøå, emoji 🫁."
    response = client.put(
        PORTFOLIO, json=portfolio(ORG, project(description=text)), headers=token_for(ORG)
    )
    assert response.status_code == 200, response.json
    stored = client.get(PORTFOLIO).json["projects"][0]
    assert stored["description"] == text


def test_over_long_text_is_refused_with_its_length(client, token_for, db):
    error = only_error(
        client.put(
            PORTFOLIO,
            json=portfolio(ORG, project(description="x" * 20_001)),
            headers=token_for(ORG),
        )
    )
    assert error["field"] == "projects[0].description"
    assert project_count(db) == 0


def test_the_field_caps_every_string_and_smaller_caps_can_be_given():
    field = Text()
    assert field.deserialize("x" * 20_000) == "x" * 20_000
    with pytest.raises(ValidationError, match="at most 20000 characters long"):
        field.deserialize("x" * 20_001)
    with pytest.raises(ValidationError, match=r"Må højst være 8 tegn lang \(er 9\)"):
        Text(max_length=8).deserialize("123456789")


def test_a_control_character_in_a_spreadsheet_row_is_a_row_error(client, token_for, db):
    content = csv_file(
        "P-1;Tele\x07KOL;Borgere med KOL følges hjemme;pilot;T2;",
        "P-2;Demens;Demensvenlig kommune;pilot;T2;0751",
    )
    response = upload(client, token_for(ORG), content)
    assert response.status_code == 201, response.json
    preview = response.json
    assert preview["publishable"] is False
    problems = [p for p in preview["problems"] if p["severity"] == "error"]
    assert len(problems) == 1, problems
    assert problems[0]["row"] == 2
    assert problems[0]["field"] == "title"
    assert "U+0007" in problems[0]["message_da"] and problems[0]["message_da"].startswith(
        "Indeholder"
    )
    assert project_count(db) == 0


def test_a_control_character_on_the_edit_page_is_a_form_error(client, token_for, db):
    client.put(PORTFOLIO, json=portfolio(ORG, project("A-1")), headers=token_for(ORG))
    pid = project_id(client, token_for, ORG, "A-1")
    sign_in(client, token_for, ORG)
    _page, fields = edit_form(client, pid)
    response = client.post(f"/projects/{pid}/edit", data=card_form(fields, title="Tele\x00KOL"))
    assert response.status_code == 422
    assert 'id="error-title"' in response.get_data(as_text=True)
    assert client.get(f"/api/v1/projects/{pid}").json["revision"] == 1


# --- exports of text stored before the rule ----------------------------------------------------

BAD = "Tele\x07KOL\x1b og \x0bhjemme\x0c"  # legal in PostgreSQL text, illegal in XML and XLSX


@pytest.fixture
def stored_badly(reference_data: None, db: Session) -> None:
    """A project whose stored title and description carry control characters, written
    straight into the table as an older version of the service (or a hand fix) could."""
    card = project("P-1", areas=["0751"], contact={"name": "Kontakt", "phone": "+45 1"})
    publish_in(db, ORG, card)
    db.commit()
    row = db.scalars(select(Project)).one()
    data = {**row.data, "title": BAD, "description": BAD + " beskrivelse"}
    data["contact"] = {**data["contact"], "name": "Kon\x01takt"}
    db.execute(update(Project).where(Project.id == row.id).values(title=BAD, data=data))
    db.commit()


@pytest.mark.usefixtures("stored_badly")
def test_xlsx_and_csv_exports_replace_illegal_characters(client):
    response = client.get("/api/v1/projects.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    titles = [cell.value for cell in sheet["D"][1:]]  # type: ignore[index]
    assert titles == [xml_safe(BAD)] == ["Tele\ufffdKOL\ufffd og \ufffdhjemme\ufffd"]

    csv = client.get("/api/v1/projects.csv")
    assert csv.status_code == 200
    assert xml_safe(BAD).encode() in csv.data and b"\x07" not in csv.data


@pytest.mark.usefixtures("stored_badly")
def test_iati_exports_stay_well_formed_and_valid(client):
    for path in ("/api/v1/projects.iati.xml", f"{PORTFOLIO}.iati.xml"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", response.data)
        root = ET.fromstring(response.data)  # well-formed, or this raises
        titles = [n.text for n in root.iter("narrative") if n.text and "KOL" in n.text]
        assert xml_safe(BAD) in titles
        assert iati.schema_errors(response.data) == []


def test_xml_safe_keeps_what_xml_can_carry():
    text = "Æblegrød\t\n\r 🫁 \u0085 \ufffd"
    assert xml_safe(text) == text
    assert xml_safe("\x00\x08\x0b\x0c\x0e\x1f\ufffe\uffff") == "\ufffd" * 8
