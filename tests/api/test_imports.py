"""Uploading spreadsheets and IATI files: preview, publish, stale previews, bad files."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from ecosystem.store.previews import ImportPreview
from ecosystem.store.tables import AuditEntry, Project, ProjectRevision
from tests.builders import portfolio, project

pytestmark = pytest.mark.usefixtures("reference_data")

ORG = "kommune-aarhus"
IMPORTS = f"/api/v1/organisations/{ORG}/imports"
PORTFOLIO = f"/api/v1/organisations/{ORG}/portfolio"
HEADER = "Projekt-id;Titel;Beskrivelse;Fase;Temaer;Områder"


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def upload(
    client: Any, headers: dict[str, str], content: bytes, name: str = "projekter.csv", **form: Any
) -> Any:
    # Encoded here rather than by the test client, which leaves big bodies in an open
    # temporary file.
    fields = {"file": FileStorage(io.BytesIO(content), filename=name)}
    boundary, body = encode_multipart({**fields, **{k: str(v).lower() for k, v in form.items()}})
    return client.post(
        IMPORTS,
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def publish(client: Any, headers: dict[str, str], preview_id: str) -> Any:
    return client.post(f"{IMPORTS}/{preview_id}/publish", headers=headers)


def counts(db: Session) -> tuple[int, int, int]:
    db.expire_all()
    return (
        db.scalar(select(func.count()).select_from(Project)) or 0,
        db.scalar(select(func.count()).select_from(ProjectRevision)) or 0,
        db.scalar(select(func.count()).select_from(ImportPreview)) or 0,
    )


@pytest.fixture
def headers(token_for):
    return token_for(ORG)


def test_an_upload_previews_without_writing_and_publish_applies_it(client, headers, db):
    content = csv_file(
        "P-1;Tele-KOL;Borgere med KOL følges hjemme;Afprøvning;Kronisk sygdom og ældre;Aarhus",
        "P-2;Demens;Demensvenlig kommune;Idé;T2;0751",
    )
    response = upload(client, headers, content)
    assert response.status_code == 201
    preview = response.json
    assert response.headers["Location"].endswith(f"{IMPORTS}/{preview['id']}")
    assert preview["publishable"] is True
    assert preview["summary"]["created"] == 2
    assert [(r["row"], r["action"]) for r in preview["rows"]] == [(2, "created"), (3, "created")]
    assert preview["rows"][0]["project"]["stage"] == "pilot"
    assert preview["rows"][0]["project"]["areas"] == ["0751"]
    assert counts(db)[:2] == (0, 0)

    again = client.get(f"{IMPORTS}/{preview['id']}", headers=headers)
    assert again.status_code == 200 and again.json["summary"] == preview["summary"]

    published = publish(client, headers, preview["id"])
    assert published.status_code == 200
    assert published.json == {
        "organisation": ORG,
        "created": ["P-1", "P-2"],
        "updated": [],
        "unchanged": [],
        "withdrawn": [],
    }
    read = client.get(PORTFOLIO).json["projects"]
    assert {p["external_id"]: p["title"] for p in read} == {"P-1": "Tele-KOL", "P-2": "Demens"}
    revisions = db.scalars(select(ProjectRevision.actor)).all()
    assert set(revisions) == {f"org:{ORG}"}

    twice = publish(client, headers, preview["id"])
    assert twice.status_code == 409
    assert twice.headers["Content-Type"] == "application/problem+json"


def test_rows_are_paged_and_filtered_by_action(client, headers):
    client.put(PORTFOLIO, json=portfolio(ORG, project("P-0")), headers=headers)
    rows = [f"P-{i};Titel {i};Beskrivelse;pilot;T2;" for i in range(1, 6)]
    preview = upload(client, headers, csv_file(*rows), full=True).json
    second = client.get(
        f"{IMPORTS}/{preview['id']}", query_string={"page": 2, "per_page": 2}, headers=headers
    ).json
    assert [r["external_id"] for r in second["rows"]] == ["P-3", "P-4"]
    assert second["total_rows"] == 6
    withdrawn = client.get(
        f"{IMPORTS}/{preview['id']}", query_string={"action": "withdrawn"}, headers=headers
    ).json
    assert [(r["row"], r["external_id"]) for r in withdrawn["rows"]] == [(None, "P-0")]


def test_only_the_organisation_may_upload_or_see_its_previews(client, headers, token_for):
    content = csv_file("P-1;Titel;Beskrivelse;pilot;T2;")
    assert upload(client, {}, content).status_code == 401
    other = token_for("kommune-favrskov")
    assert upload(client, other, content).status_code == 403
    preview = upload(client, headers, content).json
    assert client.get(f"{IMPORTS}/{preview['id']}", headers=other).status_code == 403
    assert publish(client, other, preview["id"]).status_code == 403
    elsewhere = f"/api/v1/organisations/kommune-favrskov/imports/{preview['id']}"
    assert client.get(elsewhere, headers=other).status_code == 404


# --- the round trip --------------------------------------------------------------------


CARDS = [
    project(
        "SUND-1",
        areas=["0751"],
        target_groups=["kol"],
        goals=["NM2"],
        budget_dkk=2400000,
        start_date="2026-02-01",
        end_date="2027-06-30",
        partners=[{"organisation": "auh"}, {"name": "Lungeforeningen"}],
        funding_sources=[{"name": "Egne midler", "kind": "own"}],
        contact={"name": "Sekretariatet", "email": "sundhed@aarhus.example"},
        value_score=4,
        visibility="ecosystem",
    ),
    project("SUND-2", title="Demensvenlig kommune", themes=["T2.1", "T13"], stage="idea"),
    project("SUND-3", title="Psykiatri i nærmiljøet", themes=["T4"], description="Med; semikolon"),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_portfolio_imports_unchanged_and_edited_rows_are_exactly_the_updates(
    client, headers, db, fmt
):
    client.put(PORTFOLIO, json=portfolio(ORG, *CARDS), headers=headers)
    exported = client.get(f"{PORTFOLIO}.{fmt}", headers=headers)
    assert exported.status_code == 200

    unchanged = upload(client, headers, exported.data, f"portefolje.{fmt}", full=True).json
    assert unchanged["publishable"], unchanged["problems"]
    assert unchanged["summary"] | {"rows": 0} == {
        "rows": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "withdrawn": 0,
        "invalid": 0,
        "errors": 0,
        "warnings": 0,
    }

    edited = _edit(
        exported.data, fmt, {"SUND-1": ("Fase", "Drift"), "SUND-3": ("Titel", "Ny titel")}
    )
    preview = upload(client, headers, edited, f"portefolje.{fmt}", full=True).json
    updates = {
        r["external_id"]: r["changed_fields"] for r in preview["rows"] if r["action"] == "updated"
    }
    assert updates == {"SUND-1": ["stage"], "SUND-3": ["title"]}
    assert preview["summary"]["unchanged"] == 1

    before = counts(db)[1]
    result = publish(client, headers, preview["id"]).json
    assert sorted(result["updated"]) == ["SUND-1", "SUND-3"]
    assert counts(db)[1] == before + 2


def _edit(content: bytes, fmt: str, changes: dict[str, tuple[str, str]]) -> bytes:
    """Change cells the way a person would: in the spreadsheet, by column header."""
    if fmt == "csv":
        lines = content.decode("utf-8-sig").split("\r\n")
        header = lines[0].split(";")
        edited = [lines[0]]
        for line in lines[1:]:
            cells = line.split(";")
            if cells[0] in changes:
                column, value = changes[cells[0]]
                cells[_column(header, column)] = value
            edited.append(";".join(cells))
        return "\ufeff".encode() + "\r\n".join(edited).encode()
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in changes:
            column, value = changes[row[0].value]
            row[_column(header, column)].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column(header: list[Any], danish: str) -> int:
    return next(i for i, name in enumerate(header) if str(name).startswith(danish + " ("))


# --- whole-portfolio imports, problems and atomicity ---------------------------------------


def test_the_full_option_withdraws_what_the_file_leaves_out_and_only_then(client, headers, db):
    client.put(PORTFOLIO, json=portfolio(ORG, project("P-1"), project("P-2")), headers=headers)
    content = csv_file(
        f"P-1;{project()['title']};{project()['description']};pilot;T2;",
    )
    partial = upload(client, headers, content).json
    assert partial["summary"]["withdrawn"] == 0
    full = upload(client, headers, content, full=True).json
    assert [(r["external_id"], r["action"]) for r in full["rows"]] == [
        ("P-1", "unchanged"),
        ("P-2", "withdrawn"),
    ]
    assert publish(client, headers, full["id"]).json["withdrawn"] == ["P-2"]
    assert [p["external_id"] for p in client.get(PORTFOLIO).json["projects"]] == ["P-1"]


def test_a_file_with_any_error_publishes_nothing(client, headers, db):
    content = csv_file(
        "P-1;Titel;Beskrivelse;pilot;T2;",
        "P-2;Titel;Beskrivelse;pilot;Kronikere;",
        "P-3;Titel;Beskrivelse;pilot;T2;",
    )
    preview = upload(client, headers, content).json
    assert preview["publishable"] is False
    assert [(r["row"], r["action"]) for r in preview["rows"]] == [
        (2, "created"),
        (3, "invalid"),
        (4, "created"),
    ]
    (problem,) = preview["problems"]
    assert problem["text"].startswith(
        "Række 3, kolonne Temaer: 'Kronikere' findes ikke som tema — mente du "
        "'Kronisk sygdom og ældre'?"
    )
    refused = publish(client, headers, preview["id"])
    assert refused.status_code == 422
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json["errors"] == [{"field": "row 3, Temaer", "message": problem["message"]}]
    assert counts(db)[:2] == (0, 0)


def test_a_row_that_cannot_be_read_is_not_withdrawn_by_a_full_import(client, headers):
    client.put(PORTFOLIO, json=portfolio(ORG, project("P-1"), project("P-2")), headers=headers)
    content = csv_file("P-1;Titel;Beskrivelse;pilot;T2;", "P-2;Titel;Beskrivelse;pilot;T99;")
    preview = upload(client, headers, content, full=True).json
    assert preview["summary"]["withdrawn"] == 0
    assert [r["action"] for r in preview["rows"]] == ["updated", "invalid"]


def test_publishing_refuses_when_the_data_changed_since_the_preview(client, headers, db):
    client.put(PORTFOLIO, json=portfolio(ORG, project("P-1")), headers=headers)
    preview = upload(client, headers, csv_file("P-2;Ny;Beskrivelse;pilot;T2;"), full=True).json
    assert preview["summary"]["withdrawn"] == 1

    # Meanwhile someone publishes P-1 anew (e.g. through the API).
    client.put(
        f"/api/v1/organisations/{ORG}/projects/P-1",
        json=project("P-1", title="Ændret imens"),
        headers=headers,
    )
    before = counts(db)
    refused = publish(client, headers, preview["id"])
    assert refused.status_code == 409
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert "upload the file again" in refused.json["detail"]
    assert counts(db)[:2] == before[:2]
    assert [p["external_id"] for p in client.get(PORTFOLIO).json["projects"]] == ["P-1"]

    fresh = upload(client, headers, csv_file("P-2;Ny;Beskrivelse;pilot;T2;"), full=True).json
    assert publish(client, headers, fresh["id"]).status_code == 200


def test_another_organisations_publish_does_not_make_a_preview_stale(client, headers, token_for):
    preview = upload(client, headers, csv_file("P-1;Titel;Beskrivelse;pilot;T2;")).json
    favrskov = "/api/v1/organisations/kommune-favrskov/portfolio"
    client.put(
        favrskov,
        json=portfolio("kommune-favrskov", project("F-1")),
        headers=token_for("kommune-favrskov"),
    )
    assert publish(client, headers, preview["id"]).status_code == 200


def test_an_expired_preview_cannot_be_published(app, client, headers, db):
    app.config["IMPORT_PREVIEW_TTL"] = dt.timedelta(seconds=-1)
    preview = upload(client, headers, csv_file("P-1;Titel;Beskrivelse;pilot;T2;")).json
    response = publish(client, headers, preview["id"])
    assert response.status_code == 404
    assert "expired" in response.json["detail"]
    assert counts(db)[0] == 0


# --- bad files -------------------------------------------------------------------------


def _workbook(*rows: list[Any], merge: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BAD_FILES = {
    "malformed-csv": (csv_file('P-1;"Titel uden slut;b;pilot;T2;'), "x.csv", 422, "linje"),
    "not-really-xlsx": (b"Projekt-id;Titel\r\n", "x.xlsx", 415, "ikke en Excel"),
    "zip-not-workbook": (b"PK\x03\x04" + b"\0" * 100, "x.xlsx", 415, "ødelagt"),
    "old-xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 200, "x.xls", 415, ".xls"),
    "merged-cells": (
        _workbook(HEADER.split(";"), ["P-1", "T", "B", "pilot", "T2", ""], merge="B2:C2"),
        "x.xlsx",
        422,
        "flettede celler",
    ),
    "empty-sheet": (_workbook(), "x.xlsx", 422, "tomt"),
    "headers-only": (_workbook(HEADER.split(";")), "x.xlsx", 422, "ingen projekter"),
    "empty-file": (b"", "x.csv", 422, "tom"),
    "missing-columns": (b"Titel;Fase\r\nA;pilot\r\n", "x.csv", 422, "passer ikke"),
    "xxe": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<iati-activities version='2.03'>&x;</iati-activities>",
        "x.xml",
        422,
        "DTD",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_get_a_clear_problem_and_change_nothing(client, headers, db, name):
    content, filename, status, words = BAD_FILES[name]
    response = upload(client, headers, content, filename)
    assert response.status_code == status, response.json
    assert response.headers["Content-Type"] == "application/problem+json"
    assert words in response.json["detail"] + " ".join(
        e["message"] for e in response.json["errors"]
    )
    assert counts(db) == (0, 0, 0)


def test_a_file_over_the_size_limit_gets_413(app, client, headers, db):
    app.config["IMPORT_MAX_BYTES"] = 1000
    response = upload(client, headers, csv_file(*["P-1;T;B;pilot;T2;"] * 100))
    assert response.status_code == 413
    assert "at most" in response.json["detail"]
    assert counts(db) == (0, 0, 0)


def test_a_hundred_thousand_row_file_is_refused(client, headers, db):
    rows = [f"P-{i};T {i};B;pilot;T2;" for i in range(100_000)]
    response = upload(client, headers, csv_file(*rows))
    assert response.status_code == 422
    assert "20,000 rows" in response.json["detail"]
    assert counts(db) == (0, 0, 0)


def test_an_upload_without_a_file_is_refused(client, headers):
    response = client.post(IMPORTS, data={}, headers=headers, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "file"


# --- templates -------------------------------------------------------------------------


def test_the_templates_can_be_downloaded_without_a_token(client):
    csv = client.get("/api/v1/imports/template.csv")
    assert csv.status_code == 200
    assert csv.data.startswith(b"\xef\xbb\xbfProjekt-id (Project ID);Titel (Title);")
    xlsx = client.get("/api/v1/imports/template.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.data))
    assert workbook.sheetnames == ["Projekter", "Vejledning", "Koder"]
    codes = [row[1] for row in workbook["Koder"].iter_rows(min_row=2, values_only=True)]
    assert {"T2", "kol", "0751", "NM2"} <= set(codes)


# --- IATI through the same preview -----------------------------------------------------


IATI = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity>
  <iati-identifier>DK-CVR-29189919-T1</iati-identifier>
  <reporting-org ref="DK-CVR-29189919" type="11"><narrative>Aarhus Kommune</narrative></reporting-org>
  <title><narrative>Sundhedsdata i kommunen</narrative></title>
  <description><narrative>Bedre brug af data.</narrative></description>
  <participating-org role="4"><narrative>Aarhus Universitet</narrative></participating-org>
  <activity-status code="1"/>
  <activity-date type="1" iso-date="2026-03-01"/>
  <recipient-country code="DK"/>
  <sector code="{sector}"/>
 </iati-activity>
</iati-activities>
"""


def test_an_iati_file_goes_through_the_same_preview_with_the_admin_editable_mapping(
    client, headers, token_for, db
):
    content = IATI.replace("{sector}", "43082").encode()
    unmapped = upload(client, headers, content, "aktiviteter.xml").json
    assert unmapped["source"] == "iati" and unmapped["publishable"] is False
    assert "43082" in unmapped["problems"][0]["message_en"]

    admin = token_for(admin=True)
    url = "/api/v1/iati/sector-themes/43082"
    assert client.put(url, json={"themes": ["T13"]}, headers=headers).status_code == 403
    refused = client.put(url, json={"themes": ["T99"]}, headers=admin)
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "themes[0]"
    mapped = client.put(url, json={"themes": ["T13"]}, headers=admin)
    assert mapped.status_code == 200
    assert mapped.json | {"updated_at": None} == {
        "sector": "43082",
        "sector_name": "Research/scientific institutions",
        "themes": ["T13"],
        "unknown_themes": [],
        "source": "admin",
        "updated_by": "admin",
        "updated_at": None,
    }
    assert db.scalar(select(AuditEntry.key).where(AuditEntry.entity == "iati_sector_theme"))

    preview = upload(client, headers, content, "aktiviteter.xml").json
    assert preview["publishable"], preview["problems"]
    card = preview["rows"][0]["project"]
    assert (card["external_id"], card["stage"], card["themes"]) == (
        "DK-CVR-29189919-T1",
        "analysis",
        ["T13"],
    )
    assert card["partners"] == [{"organisation": "au"}]
    assert publish(client, headers, preview["id"]).status_code == 200

    assert client.delete(url, headers=admin).status_code == 204
    listed = {row["sector"]: row for row in client.get("/api/v1/iati/sector-themes").json}
    assert listed["43082"]["source"] == "default"
    assert listed["43082"]["unknown_themes"] == ["T12"]  # not in the small test taxonomy
    assert client.delete(url, headers=admin).status_code == 404


# Arabic-Indic, full-width and superscript digits all pass str.isdigit().
@pytest.mark.parametrize(
    "sector",
    [
        "health",
        "1222",
        "\u0661\u0662\u0662\u0662\u0660",
        "\uff11\uff12\uff12",
        "\u00b9\u00b2\u00b2",
    ],
)
def test_a_sector_code_must_look_like_one(client, token_for, db, sector):
    response = client.put(
        f"/api/v1/iati/sector-themes/{sector}",
        json={"themes": ["T2"]},
        headers=token_for(admin=True),
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "sector"
    db.expire_all()
    written = select(func.count()).where(AuditEntry.entity == "iati_sector_theme")
    assert db.scalar(written) == 0


def test_the_upload_form_is_one_multipart_request_body_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json
    upload = document["paths"][IMPORTS.replace(ORG, "{org}")]["post"]
    assert all(p["in"] in ("path", "query") for p in upload.get("parameters", []))
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    name = form["$ref"].rsplit("/", 1)[-1]
    properties = document["components"]["schemas"][name]["properties"]
    assert properties["file"]["format"] == "binary"
    assert properties["full"]["type"] == "boolean"
