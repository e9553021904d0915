"""Exports of listings and portfolios as CSV, XLSX, JSON and IATI XML."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from ecosystem import iati
from tests.builders import portfolio, project

pytestmark = pytest.mark.usefixtures("reference_data")

AARHUS = "/api/v1/organisations/kommune-aarhus"


@pytest.fixture
def published(reference_data, client, token_for):
    aarhus = portfolio(
        "kommune-aarhus",
        project(
            "P-1",
            areas=["0751"],
            target_groups=["kol"],
            budget_dkk=2400000,
            start_date="2026-02-01",
            end_date="2027-06-30",
            partners=[{"organisation": "auh"}],
        ),
        project("P-2", title="Psykiatri", themes=["T4"], stage="idea"),
        project("P-3", title="Hemmelig", visibility="private"),
    )
    favrskov = portfolio("kommune-favrskov", project("F-1", title="Favrskov KOL", areas=["0710"]))
    client.put(f"{AARHUS}/portfolio", json=aarhus, headers=token_for("kommune-aarhus"))
    client.put(
        "/api/v1/organisations/kommune-favrskov/portfolio",
        json=favrskov,
        headers=token_for("kommune-favrskov"),
    )


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # so Danish Excel reads UTF-8
    return [line.split(";") for line in data.decode("utf-8-sig").splitlines()]


@pytest.mark.usefixtures("published")
def test_a_listing_exports_with_its_filters_as_csv(client):
    response = client.get("/api/v1/projects.csv?theme=T2&area=sundhedsraad-aarhus")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="projekter-')
    header, *rows = csv_rows(response.data)
    assert header[:4] == [
        "Organisation",
        "Organisationsnavn (Organisation name)",
        "Projekt-id (Project ID)",
        "Titel (Title)",
    ]
    # Both councils' municipalities match the area; the private project and T4 do not.
    assert sorted((row[0], row[2]) for row in rows) == [
        ("kommune-aarhus", "P-1"),
        ("kommune-favrskov", "F-1"),
    ]


@pytest.mark.usefixtures("published")
def test_a_listing_exports_as_typed_xlsx_with_frozen_header_and_filters(client):
    response = client.get("/api/v1/projects.xlsx?organisation=kommune-aarhus")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    header = [cell.value for cell in sheet[1]]
    rows = [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    first = next(row for row in rows if row["Projekt-id (Project ID)"] == "P-1")
    assert first["Budget i kr. (Budget DKK)"] == 2400000
    assert first["Startdato (Start date)"] == dt.datetime(2026, 2, 1)
    assert first["Trukket tilbage (Withdrawn)"] is False
    assert len(rows) == 2


@pytest.mark.usefixtures("published")
def test_a_listing_exports_as_json_with_every_match_not_one_page(client):
    everything = client.get("/api/v1/projects.json?per_page=1")  # no paging in exports
    assert everything.headers["Content-Disposition"].endswith('.json"')
    assert sorted(p["external_id"] for p in everything.json) == ["F-1", "P-1", "P-2"]
    assert everything.json[0]["organisation"]["name"]


@pytest.mark.usefixtures("published")
def test_private_projects_are_exported_only_to_their_owner(client, token_for):
    anonymous = client.get(f"{AARHUS}/portfolio.json").json
    assert [p["external_id"] for p in anonymous["projects"]] == ["P-1", "P-2"]
    own = client.get(f"{AARHUS}/portfolio.json", headers=token_for("kommune-aarhus")).json
    assert [p["external_id"] for p in own["projects"]] == ["P-1", "P-2", "P-3"]


@pytest.mark.usefixtures("published")
def test_a_portfolio_exports_in_the_template_columns_and_as_it_was(client, token_for):
    csv = client.get(f"{AARHUS}/portfolio.csv")
    header, *rows = csv_rows(csv.data)
    assert header[0] == "Projekt-id (Project ID)" and "Organisation" not in header
    assert [row[0] for row in rows] == ["P-1", "P-2"]
    before = client.get(f"{AARHUS}/portfolio.csv?as_of=2000-01-01")
    assert csv_rows(before.data)[1:] == []
    assert client.get("/api/v1/organisations/kommune-atlantis/portfolio.csv").status_code == 404


@pytest.mark.usefixtures("published")
def test_iati_exports_validate_against_the_iati_schema(client):
    listing = client.get("/api/v1/projects.iati.xml?theme=T2")
    assert listing.status_code == 200
    assert listing.mimetype == "application/xml"
    assert iati.schema_errors(listing.data) == []
    assert b"<iati-identifier>kommune-favrskov-F-1</iati-identifier>" in listing.data
    assert b"P-2" not in listing.data  # filtered out (T4)

    own = client.get(f"{AARHUS}/portfolio.iati.xml")
    assert iati.schema_errors(own.data) == []
    assert own.data.count(b"<iati-activity ") == 2
    assert b'vocabulary-uri="http://127.0.0.1:8000/api/v1/themes"' in own.data
    assert b"Hemmelig" not in own.data


def test_the_openapi_document_lists_the_import_and_export_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/organisations/{org}/imports",
        "/api/v1/organisations/{org}/imports/{preview_id}/publish",
        "/api/v1/imports/template.{fmt}",
        "/api/v1/projects.{fmt}",
        "/api/v1/projects.iati.xml",
        "/api/v1/organisations/{org}/portfolio.{fmt}",
        "/api/v1/iati/sector-themes/{sector}",
    ):
        assert path in paths, path
