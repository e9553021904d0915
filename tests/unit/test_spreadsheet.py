"""Reading spreadsheets into project cards, and writing cards back out (no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from ecosystem.portfolio import ProjectSchema
from ecosystem.spreadsheet import (
    COLUMNS,
    FileRejected,
    ParsedImport,
    Term,
    Vocabularies,
    parse_spreadsheet,
    portfolio_table,
    template_csv,
    template_xlsx,
)
from ecosystem.tabular import to_csv_bytes, to_xlsx_bytes
from tests.builders import AREAS, ORGANISATIONS, TARGET_GROUPS, THEMES

HEADER = ["Projekt-id", "Titel", "Beskrivelse", "Fase", "Temaer"]


def vocabularies() -> Vocabularies:
    """The small real slice of tests/builders.py, as the store would hand it over."""
    return Vocabularies(
        themes=tuple(Term(t["code"], t["label_da"], t["label_en"]) for t in THEMES),
        target_groups=tuple(Term(t["code"], t["label_da"], t["label_en"]) for t in TARGET_GROUPS),
        areas=tuple(
            Term(
                a["code"],
                a["name_da"],
                a["name_en"],
                (f"{a['name_da']} Kommune",) if a["scheme"] == "municipality" else (),
            )
            for a in AREAS
        ),
        goals=(Term("NM2", "Styrket indsats for kronikere og ældre patienter"),),
        organisations=tuple(Term(o["id"], o["name"]) for o in ORGANISATIONS),
    )


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]], *, title: str = "Projekter") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(content: bytes, **options: Any) -> ParsedImport:
    return parse_spreadsheet(content, vocabularies(), **options)


def row(external_id: str = "P-1", **cells: Any) -> list[Any]:
    values = {
        "Projekt-id": external_id,
        "Titel": "Telemedicin til borgere med KOL",
        "Beskrivelse": "Borgere med svær KOL følges hjemme af sygeplejen.",
        "Fase": "Afprøvning",
        "Temaer": "Kronisk sygdom og ældre",
    }
    values.update(cells)
    return [values[name] for name in HEADER]


def only_problem(parsed: ParsedImport) -> Any:
    problems = list(parsed.all_problems())
    assert len(problems) == 1, [p.text for p in problems]
    return problems[0]


# --- encodings, delimiters, labels, dates -----------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_every_common_encoding_reads_the_danish_letters_right(encoding):
    content = csv_bytes(
        [HEADER, row(Titel="Ældre på Ærø får hjælp", Temaer="T2")], encoding=encoding
    )
    parsed = parse(content)
    assert parsed.publishable
    assert parsed.rows[0].project["title"] == "Ældre på Ærø får hjælp"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_delimiter_is_found_whatever_excel_used(delimiter):
    parsed = parse(csv_bytes([HEADER, row(), row("P-2")], delimiter=delimiter))
    assert [r.project["external_id"] for r in parsed.rows] == ["P-1", "P-2"]
    assert parsed.details["delimiter"] in {"semicolon", "comma", "tab"}


def test_labels_are_matched_ignoring_case_accents_and_punctuation():
    header = [*HEADER, "Målgrupper", "Områder"]
    content = csv_bytes(
        [
            header,
            [
                *row(Fase="AFPRØVNING (PILOT)", Temaer="kronisk sygdom og ÆLDRE; t13"),
                "borgere med kol; Ældre medicinske patienter",
                "Århus; Favrskov Kommune; 751; Region Midtjylland; DK",
            ],
        ]
    )
    project = parse(content).rows[0].project
    assert project["stage"] == "pilot"
    assert project["themes"] == ["T2", "T13"]
    assert project["target_groups"] == ["kol", "aeldre"]
    # '751' is what Excel leaves of the kommunekode 0751
    assert project["areas"] == ["0751", "0710", "region-midtjylland", "DK"]


def test_english_headers_and_the_templates_combined_headers_are_understood():
    english = ["Project ID", "Title", "Description", "Stage", "Themes"]
    combined = [spec.header for spec in COLUMNS[:5]]
    for header in (english, combined):
        parsed = parse(csv_bytes([header, row(Fase="Pilot", Temaer="T2")]))
        assert parsed.publishable, [p.text for p in parsed.all_problems()]


@pytest.mark.parametrize(
    "written", ["2026-12-31", "31-12-2026", "31.12.2026", "31/12/2026", "2026-12-31 00:00:00"]
)
def test_iso_and_danish_dates_are_read(written):
    header = [*HEADER, "Slutdato"]
    parsed = parse(csv_bytes([header, [*row(), written]]))
    assert parsed.rows[0].project["end_date"] == "2026-12-31"


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("2400000", 2400000),
        ("2.400.000", 2400000),
        ("2 400 000,50", 2400000.5),
        ("1.234,5 kr.", 1234.5),
    ],
)
def test_budgets_are_read_as_danes_write_them(written, value):
    parsed = parse(csv_bytes([[*HEADER, "Budget i kr."], [*row(), written]]))
    assert parsed.rows[0].project["budget_dkk"] == value


def test_partners_funding_links_and_nested_fields_are_read_from_their_columns():
    header = [*HEADER, "Partnere", "Finansiering", "Relationer", "Kontakt-e-mail", "Evidensudfald"]
    parsed = parse(
        csv_bytes(
            [
                header,
                [
                    *row(),
                    "auh; Aarhus Universitet; Lungeforeningen",
                    "Egne midler (own); Novo Nordisk Fonden (privat fond)",
                    "kommune-aarhus/SUND-7 (bygger på); auh/A-1",
                    "sundhed@aarhus.example",
                    "positiv",
                ],
            ]
        )
    )
    project = parsed.rows[0].project
    assert project["partners"] == [
        {"organisation": "auh"},
        {"organisation": "au"},
        {"name": "Lungeforeningen"},
    ]
    assert project["funding_sources"] == [
        {"name": "Egne midler", "kind": "own"},
        {"name": "Novo Nordisk Fonden", "kind": "private_foundation"},
    ]
    assert project["links"] == [
        {"organisation": "kommune-aarhus", "external_id": "SUND-7", "relation": "builds_on"},
        {"organisation": "auh", "external_id": "A-1", "relation": "related"},
    ]
    assert project["contact"] == {"email": "sundhed@aarhus.example"}
    assert project["evidence"] == {"outcome": "positive"}


def test_the_after_the_pool_columns_are_read_in_danish_and_in_english():
    for owner, ends, plan in (
        ("Driftsejer", "Finansiering slutter", "Plan for drift"),
        ("Implementation owner", "Funding ends", "Operation plan"),
    ):
        header = [*HEADER, owner, ends, plan]
        cells = [*row(), "Hjemmeplejen, Aarhus Kommune", "30.06.2027", "Overgår til drift."]
        parsed = parse(csv_bytes([header, cells]))
        assert [p.text for p in parsed.all_problems()] == []
        project = parsed.rows[0].project
        assert project["implementation_owner"] == "Hjemmeplejen, Aarhus Kommune"
        assert project["funding_ends"] == "2027-06-30"
        assert project["operation_plan"] == "Overgår til drift."


def test_a_funding_end_that_is_not_a_date_is_reported_at_its_column():
    header = [*HEADER, "Finansiering slutter"]
    problem = only_problem(parse(csv_bytes([header, [*row(), "snart"]])))
    assert problem.column == "Finansiering slutter" and problem.row == 2


# --- problems, each with its row, column and a Danish/English message ---------------------


def test_an_unknown_label_names_row_and_column_and_suggests_the_closest():
    content = csv_bytes([HEADER, row(), row("P-2"), row("P-3", Temaer="Kronikere")])
    problem = only_problem(parse(content))
    assert (problem.row, problem.column, problem.field) == (4, "Temaer", "themes")
    assert problem.text.startswith(
        "Række 4, kolonne Temaer: 'Kronikere' findes ikke som tema — mente du "
        "'Kronisk sygdom og ældre'?"
    )
    assert "did you mean 'Chronic disease and the elderly'?" in problem.message_en


@pytest.mark.parametrize(
    ("column", "value", "danish"),
    [
        ("Startdato", "32-01-2026", "er ikke en dato"),
        ("Budget i kr.", "mange penge", "er ikke et tal"),
        ("Værdiscore", "4,5", "er ikke et helt tal"),
        ("Værdiscore", "7", "Skal være mellem 1 og 5"),
        ("Demo", "måske", "skal være ja eller nej"),
        ("Relationer", "kommune-aarhus SUND-7", "skal skrives organisation/projekt-id"),
        ("Kontakt-e-mail", "ikke-en-adresse", "Ikke en gyldig e-mailadresse"),
        ("Synlighed", "hemmelig", "findes ikke som synlighed"),
        ("Områder", "Atlantis", "findes ikke som område"),
    ],
)
def test_each_kind_of_bad_cell_is_reported_at_its_row_and_column(column, value, danish):
    parsed = parse(csv_bytes([[*HEADER, column], [*row(), ""], [*row("P-2"), value]]))
    problem = only_problem(parsed)
    assert (problem.row, problem.column, problem.severity) == (3, column, "error")
    assert danish in problem.message_da
    assert not parsed.publishable
    assert parsed.rows[0].valid and not parsed.rows[1].valid


def test_an_empty_required_cell_and_an_end_before_the_start_are_reported():
    header = [*HEADER, "Startdato", "Slutdato"]
    parsed = parse(csv_bytes([header, [*row(Titel=""), "01-06-2026", "01-01-2026"]]))
    problems = {p.column: p.message_da for p in parsed.all_problems()}
    assert problems == {
        "Titel": "Skal udfyldes",
        "Slutdato": "Slutdatoen ligger før startdatoen",
    }


def test_a_project_id_used_twice_is_reported_on_the_second_row():
    problem = only_problem(parse(csv_bytes([HEADER, row("P-1"), row("P-1")])))
    assert (problem.row, problem.column) == (3, "Projekt-id")
    assert "står også i række 2" in problem.message_da


def test_an_unknown_column_is_a_warning_with_a_suggestion_and_is_not_read():
    parsed = parse(csv_bytes([[*HEADER, "Slutdatoo"], [*row(), "2026-12-31"]]))
    problem = only_problem(parsed)
    assert problem.severity == "warning"
    assert "mente du 'Slutdato'?" in problem.message_da
    assert parsed.publishable
    assert "end_date" not in parsed.rows[0].project


def test_a_missing_required_column_refuses_the_file_naming_the_column():
    with pytest.raises(FileRejected) as rejected:
        parse(csv_bytes([HEADER[:4], row()[:4]]))
    assert any("Temaer" in error.message for error in rejected.value.errors)


def test_a_value_in_a_column_without_header_is_reported():
    problem = only_problem(parse(csv_bytes([HEADER, [*row(), "", "løs værdi"]])))
    assert problem.column == "G" and "ingen overskrift" in problem.message_da


def test_an_export_row_of_another_organisation_is_refused_when_importing_for_this_one():
    parsed = parse(
        csv_bytes([["Organisation", *HEADER], ["kommune-favrskov", *row()]]),
        organisation_id="kommune-aarhus",
    )
    assert "hører til 'kommune-favrskov'" in only_problem(parsed).message_da


# --- bad files -------------------------------------------------------------------------


def test_malformed_csv_is_refused_with_the_line():
    content = b'Projekt-id;Titel;Beskrivelse;Fase;Temaer\r\nP-1;"Titel uden slut;b;pilot;T2\r\n'
    with pytest.raises(FileRejected) as rejected:
        parse(content)
    assert "linje" in str(rejected.value)


def test_a_file_that_only_pretends_to_be_xlsx_is_refused_as_unsupported():
    for content, name in (
        (b"Projekt-id;Titel\r\n", "portefolje.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "gammel.xls"),
        (_zip_with("word/document.xml", b"<w/>"), "rapport.xlsx"),
        (b"%PDF-1.7\n" + b"\0" * 50, "scan.pdf"),
    ):
        with pytest.raises(FileRejected) as rejected:
            parse(content, filename=name)
        assert rejected.value.reason == "unsupported", name


def _zip_with(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [b"", b"\r\n;;;\r\n", csv_bytes([HEADER]), xlsx_bytes([]), xlsx_bytes([HEADER])],
    ids=["nothing", "blank", "csv-header-only", "xlsx-empty", "xlsx-header-only"],
)
def test_empty_files_and_sheets_are_refused(content):
    with pytest.raises(FileRejected):
        parse(content)


def test_a_hundred_thousand_row_file_is_refused_before_it_is_all_read():
    lines = ["Projekt-id;Titel;Beskrivelse;Fase;Temaer"] + [
        f"P-{i};Titel {i};Beskrivelse;pilot;T2" for i in range(100_000)
    ]
    with pytest.raises(FileRejected) as rejected:
        parse("\r\n".join(lines).encode())
    assert "20.000" in str(rejected.value) and "20,000" in str(rejected.value)


def test_the_row_limit_applies_to_xlsx_too():
    content = xlsx_bytes([HEADER] + [row(f"P-{i}") for i in range(11)])
    with pytest.raises(FileRejected):
        parse(content, max_rows=10)
    assert len(parse(content, max_rows=11).rows) == 11


def test_a_file_over_the_size_limit_is_refused_as_too_large():
    with pytest.raises(FileRejected) as rejected:
        parse(csv_bytes([HEADER, row()]), max_bytes=50)
    assert rejected.value.reason == "too_large"


# --- XLSX specifics --------------------------------------------------------------------


def test_xlsx_cells_keep_their_types():
    header = [*HEADER, "Startdato", "Budget i kr.", "Værdiscore", "Demo"]
    content = xlsx_bytes([header, [*row(20260014), dt.datetime(2026, 2, 1), 2400000, 4.0, True]])
    project = parse(content).rows[0].project
    assert project["external_id"] == "20260014"
    assert project["start_date"] == "2026-02-01"
    assert project["budget_dkk"] == 2400000
    assert project["value_score"] == 4
    assert project["demo"] is True


def test_the_projekter_sheet_is_read_even_when_it_is_not_the_first():
    workbook = Workbook()
    workbook.active.title = "Noter"
    workbook.active.append(["noget", "andet"])
    sheet = workbook.create_sheet("Projekter")
    sheet.append(HEADER)
    sheet.append(row())
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert parse(buffer.getvalue()).rows[0].project["external_id"] == "P-1"


def test_merged_cells_are_refused_naming_the_range():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(row())
    sheet.merge_cells("B2:C2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(FileRejected) as rejected:
        parse(buffer.getvalue())
    assert "B2:C2" in str(rejected.value)


def test_a_formula_is_never_calculated_its_stored_value_is_used_or_it_is_an_error():
    content = xlsx_bytes([HEADER, row(Titel="=1+1"), row("P-2", Titel='="Gemt"&" titel"')])
    # openpyxl writes formulas without values, as a program that never calculated would;
    # give the second one a stored value, as Excel does when it saves.
    content = _with_stored_value(content, "B3", "Gemt titel")
    parsed = parse(content)
    problem = only_problem(parsed)
    assert (problem.row, problem.column) == (2, "Titel")
    assert "formel uden gemt værdi" in problem.message_da
    assert parsed.rows[1].project["title"] == "Gemt titel"


def _with_stored_value(content: bytes, ref: str, value: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                pattern = rf'(<c r="{ref}"[^>]*?)(?: t="\w+")?>(<f>.*?</f>)(<v\s*/>|<v></v>)?</c>'
                data = re.sub(
                    pattern.encode(),
                    rb'\1 t="str">\2<v>' + value.encode() + rb"</v></c>",
                    data,
                )
            target.writestr(item, data)
    return buffer.getvalue()


# --- writing: template and round trip --------------------------------------------------


CARDS = [
    ProjectSchema().load(card)
    for card in (
        {
            "external_id": "SUND-2026-014",
            "title": "=Telemedicinsk hjemmemonitorering",
            "description": "Borgere med svær KOL.\nAnden linje; med semikolon.",
            "stage": "pilot",
            "themes": ["T2", "T13"],
            "target_groups": ["kol"],
            "areas": ["0751", "sundhedsraad-aarhus"],
            "start_date": "2026-02-01",
            "end_date": "2027-06-30",
            "budget_dkk": 2400000,
            "funding_sources": [{"name": "Egne midler", "kind": "own"}, {"name": "Fonden"}],
            "funding_ends": "2027-06-30",
            "implementation_owner": "Hjemmeplejen; Aarhus Kommune",
            "operation_plan": "Overgår til driftsbudgettet.",
            "value_score": 4,
            "risk_score": 3,
            "goals": ["NM2"],
            "partners": [{"organisation": "auh"}, {"name": "Lungeforeningen"}],
            "evidence": {"summary": "Færre indlæggelser.", "outcome": "positive"},
            "contact": {"name": "Sekretariatet", "email": "sundhed@aarhus.example"},
            "visibility": "ecosystem",
            "care_level": "cross_sector",
            "development_type": "development",
            "links": [{"organisation": "auh", "external_id": "A-1", "relation": "builds_on"}],
            "last_reviewed": "2026-10-01",
        },
        {
            "external_id": "2",
            "title": "Kort",
            "description": "Minimal",
            "stage": "idea",
            "themes": ["T4"],
            "budget_dkk": 1234.56,
        },
    )
]


@pytest.mark.parametrize("writer", [to_csv_bytes, to_xlsx_bytes], ids=["csv", "xlsx"])
def test_an_exported_portfolio_reads_back_to_exactly_the_same_cards(writer):
    parsed = parse(writer(portfolio_table(CARDS)))
    assert [p.text for p in parsed.all_problems()] == []
    assert [r.project for r in parsed.rows] == CARDS


def test_the_csv_template_has_danish_headers_with_english_aliases_for_danish_excel():
    content = template_csv()
    assert content.startswith(b"\xef\xbb\xbf")
    header = content.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[:3] == ["Projekt-id (Project ID)", "Titel (Title)", "Beskrivelse (Description)"]
    assert len(header) == len(COLUMNS)


def test_the_xlsx_template_explains_every_column_and_lists_the_codes():
    workbook = load_workbook(io.BytesIO(template_xlsx(vocabularies())))
    assert workbook.sheetnames == ["Projekter", "Vejledning", "Koder"]
    assert workbook["Projekter"].freeze_panes == "A2"
    guide = [row[0] for row in workbook["Vejledning"].iter_rows(min_row=2, values_only=True)]
    assert guide == [spec.header_da for spec in COLUMNS]
    codes = {(r[1], r[2]) for r in workbook["Koder"].iter_rows(min_row=2, values_only=True)}
    assert ("T2", "Kronisk sygdom og ældre") in codes and ("pilot", "Afprøvning/pilot") in codes


def test_a_filled_in_template_imports():
    workbook = load_workbook(io.BytesIO(template_xlsx(vocabularies())))
    workbook["Projekter"].append(["P-9", "Titel", "Beskrivelse", "Idé", "Psykiatri"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse(buffer.getvalue())
    problems = [p.text for p in parsed.all_problems()]
    assert len(problems) == 1 and "mente du 'Psykiatri og mental sundhed'?" in problems[0]


def test_progress_is_reported_up_to_the_last_row():
    seen: list[tuple[int, int]] = []
    parse(
        csv_bytes([HEADER] + [row(f"P-{i}") for i in range(1200)]),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen == [(500, 1200), (1000, 1200), (1200, 1200)]
