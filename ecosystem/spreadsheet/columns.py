"""The template's columns: Danish headers, English aliases, and how each cell is read.

An import finds its columns by header, in any order and in either language (case,
accents and spacing do not matter); an export writes exactly these columns, so an
exported file imports unchanged.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from ecosystem.spreadsheet.cells import cell_text
from ecosystem.spreadsheet.problems import FileRejected, Problem
from ecosystem.spreadsheet.vocabulary import fold, name_keys
from ecosystem.tabular import Column

__all__ = [
    "COLUMNS",
    "HEADERS",
    "INFO_COLUMNS",
    "SPEC_BY_KEY",
    "FieldSpec",
    "column_header",
    "map_header",
]


@dataclass(frozen=True)
class FieldSpec:
    """One column of the sheet: where it goes in the card and how its cells are read."""

    key: str
    header_da: str
    header_en: str
    kind: str
    help_da: str
    help_en: str
    required: bool = False

    @property
    def column(self) -> Column:
        return Column(self.key, self.header_da, self.header_en)

    @property
    def header(self) -> str:
        return self.column.header


COLUMNS: tuple[FieldSpec, ...] = (
    FieldSpec("external_id", "Projekt-id", "Project ID", "text", "Jeres eget projektnummer; unikt, uden mellemrum", "Your own project number; unique, no spaces", True),
    FieldSpec("title", "Titel", "Title", "text", "Højst 300 tegn", "At most 300 characters", True),
    FieldSpec("description", "Beskrivelse", "Description", "text", "Hvad projektet gør og for hvem", "What the project does and for whom", True),
    FieldSpec("stage", "Fase", "Stage", "choice", "Idé, Analyse, Afprøvning (pilot), Implementering og udbredelse, Drift, Afsluttet, Stoppet", "Idea, Analysis, Pilot, Implementation and scaling, Operation, Completed, Stopped", True),
    FieldSpec("themes", "Temaer", "Themes", "codes", "Koder eller navne, adskilt af ';' (fx T2; Telemedicin og hjemmemonitorering)", "Codes or names separated by ';'", True),
    FieldSpec("target_groups", "Målgrupper", "Target groups", "codes", "Koder eller navne, adskilt af ';'", "Codes or names separated by ';'"),
    FieldSpec("areas", "Områder", "Areas", "codes", "Kommunenavn eller -kode, region, sundhedsråd eller DK; adskilt af ';'", "Municipality name or code, region, health council or DK; separated by ';'"),
    FieldSpec("start_date", "Startdato", "Start date", "date", "2026-12-31, 31-12-2026 eller 31.12.2026", "2026-12-31, 31-12-2026 or 31.12.2026"),
    FieldSpec("end_date", "Slutdato", "End date", "date", "Ikke før startdato", "Not before the start date"),
    FieldSpec("budget_dkk", "Budget i kr.", "Budget DKK", "number", "Samlet budget i kroner, fx 2400000 eller 2.400.000", "Total budget in kroner"),
    FieldSpec("funding_sources", "Finansiering", "Funding", "funding", "Navn (type), adskilt af ';', fx Egne midler (own)", "Name (kind) separated by ';'"),
    FieldSpec("funding_ends", "Finansiering slutter", "Funding ends", "date", "Dato hvor den nuværende finansiering (puljen) slutter", "Date the current funding (the pool) ends"),
    FieldSpec("implementation_owner", "Driftsejer", "Implementation owner", "text", "Hvem driver det efter projektet, fx en afdeling eller enhed; højst 300 tegn", "Who runs it after the project, e.g. a department or unit; at most 300 characters"),
    FieldSpec("operation_plan", "Plan for drift", "Operation plan", "text", "Kort om hvordan driften fortsætter efter puljen; højst 1.000 tegn", "In brief how operation continues after the funding; at most 1,000 characters"),
    FieldSpec("value_score", "Værdiscore", "Value score", "integer", "Helt tal 1-5", "Whole number 1-5"),
    FieldSpec("value_rationale", "Værdibegrundelse", "Value rationale", "text", "Højst 2.000 tegn", "At most 2,000 characters"),
    FieldSpec("risk_score", "Risikoscore", "Risk score", "integer", "Helt tal 1-5", "Whole number 1-5"),
    FieldSpec("risk_rationale", "Risikobegrundelse", "Risk rationale", "text", "Højst 2.000 tegn", "At most 2,000 characters"),
    FieldSpec("goals", "Mål", "Goals", "codes", "Målkoder, fx NM2; adskilt af ';'", "Goal codes separated by ';'"),
    FieldSpec("partners", "Partnere", "Partners", "partners", "Organisations-id eller navn, adskilt af ';'", "Organisation id or name separated by ';'"),
    FieldSpec("evidence.summary", "Evidens", "Evidence", "text", "Kort om evaluering og resultater", "Evaluation and results in brief"),
    FieldSpec("evidence.url", "Evidens-link", "Evidence URL", "text", "Webadresse", "Web address"),
    FieldSpec("evidence.outcome", "Evidensudfald", "Evidence outcome", "choice", "Positiv, Blandet, Negativ, Uafklaret", "Positive, Mixed, Negative, Inconclusive"),
    FieldSpec("contact.name", "Kontakt", "Contact", "text", "En funktion eller postkasse er nok", "A role or mailbox is enough"),
    FieldSpec("contact.email", "Kontakt-e-mail", "Contact email", "text", "E-mailadresse", "Email address"),
    FieldSpec("contact.phone", "Kontakttelefon", "Contact phone", "text", "Telefonnummer", "Phone number"),
    FieldSpec("contact.url", "Kontaktlink", "Contact URL", "text", "Webadresse", "Web address"),
    FieldSpec("visibility", "Synlighed", "Visibility", "choice", "Offentlig (standard), Økosystemet, Privat", "Public (default), Ecosystem, Private"),
    FieldSpec("disclose_when_private", "Vis anonymt når privat", "Disclose when private", "boolean", "ja/nej", "yes/no"),
    FieldSpec("care_level", "Behandlingsniveau", "Care level", "choice", "Det specialiserede sundhedsvæsen, Det nære sundhedsvæsen, Tværsektorielt", "Specialised, Near, Cross-sector"),
    FieldSpec("development_type", "Udviklingstype", "Development type", "choice", "Udvikling, Driftsnær udvikling, Drift", "Development, Operations-near development, Operations"),
    FieldSpec("links", "Relationer", "Links", "links", "organisation/projekt-id (relation), adskilt af ';', fx kommune-aarhus/SUND-1 (Bygger på)", "organisation/project-id (relation) separated by ';'"),
    FieldSpec("last_reviewed", "Senest gennemgået", "Last reviewed", "date", "Dato", "Date"),
    FieldSpec("demo", "Demo", "Demo", "boolean", "ja hvis projektet er fiktivt", "yes if the project is fictional"),
)  # fmt: skip

# Columns an export adds for people; an import accepts and skips them.
INFO_COLUMNS: tuple[Column, ...] = (
    Column("organisation", "Organisation", "Organisation"),
    Column("organisation_name", "Organisationsnavn", "Organisation name"),
    Column("id", "Løbenummer", "Id"),
    Column("revision", "Revision", "Revision"),
    Column("updated_at", "Opdateret", "Updated"),
    Column("withdrawn", "Trukket tilbage", "Withdrawn"),
)
SPEC_BY_KEY = {spec.key: spec for spec in COLUMNS}


def _header_keys(*names: str) -> set[str]:
    keys: set[str] = set()
    for name in names:
        keys |= name_keys(name)
    return keys


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in COLUMNS:
        for key in _header_keys(spec.key, spec.header_da, spec.header_en, spec.header):
            index[key] = spec.key
    for column in INFO_COLUMNS:
        for key in _header_keys(
            column.key, column.header_da, column.header_en or "", column.header
        ):
            index[key] = column.key
    return index


HEADERS = _header_index()


def map_header(header: list[Any], header_row: int) -> tuple[dict[int, str], list[Problem]]:
    """column index → field key; unknown headers are warnings, missing required ones refuse."""
    columns: dict[int, str] = {}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    duplicates: list[Problem] = []
    for index, cell in enumerate(header):
        name = cell_text(cell)
        if name is None:
            continue
        key = HEADERS.get(fold(name.rstrip("*")))
        if key is None:
            problems.append(_unknown_header(name, header_row))
            continue
        if key in seen:
            duplicates.append(
                Problem(
                    f"Kolonnen '{name}' står der to gange (også kolonne {get_column_letter(seen[key] + 1)})",
                    f"Column '{name}' appears twice (also column {get_column_letter(seen[key] + 1)})",
                    row=header_row,
                    column=name,
                )
            )
            continue
        seen[key] = index
        columns[index] = key
    missing = [spec for spec in COLUMNS if spec.required and spec.key not in seen]
    if missing or duplicates:
        raise _mismatch(missing, duplicates, header_row)
    return columns, problems


def _mismatch(missing: list[FieldSpec], duplicates: list[Problem], header_row: int) -> FileRejected:
    details = [
        Problem(
            f"Kolonnen '{spec.header_da}' mangler",
            f"Column '{spec.header_en}' is missing",
            row=header_row,
            column=spec.header,
        )
        for spec in missing
    ]
    return FileRejected(
        "Overskriftsrækken passer ikke til skabelonen",
        "The header row does not match the template",
        details=details + duplicates,
    )


def _unknown_header(name: str, header_row: int) -> Problem:
    close = difflib.get_close_matches(fold(name), list(HEADERS), n=1, cutoff=0.75)
    spec = SPEC_BY_KEY.get(HEADERS[close[0]]) if close else None
    hint_da = f" — mente du '{spec.header_da}'?" if spec else ""
    hint_en = f" — did you mean '{spec.header_en}'?" if spec else ""
    return Problem(
        f"Kolonnen '{name}' kendes ikke og bliver ikke læst{hint_da}",
        f"Column '{name}' is not known and is not read{hint_en}",
        row=header_row,
        column=name,
        severity="warning",
    )


def column_header(columns: dict[int, str], header: list[Any], key: str) -> str:
    for index, column_key in columns.items():
        if column_key == key:
            return str(header[index])
    return SPEC_BY_KEY[key].header
