"""The import template: the header row, and in XLSX a guide to every column and the codes."""

from __future__ import annotations

from collections.abc import Iterable

from ecosystem import labels
from ecosystem.model import FundingKind, LinkRelation, Stage
from ecosystem.spreadsheet.columns import COLUMNS
from ecosystem.spreadsheet.tables import portfolio_table
from ecosystem.spreadsheet.vocabulary import Term, Vocabularies, choice_index
from ecosystem.tabular import Column, Table, to_csv_bytes, to_xlsx_workbook

__all__ = ["template_csv", "template_xlsx"]

_GUIDE_COLUMNS = (
    Column("header_da", "Kolonne", width=28),
    Column("header_en", "Column", width=24),
    Column("required", "Skal udfyldes / Required", width=40),
    Column("help_da", "Sådan udfyldes den", width=60),
    Column("help_en", "How to fill it in", width=60),
)
_CODE_COLUMNS = (
    Column("list", "Liste / List", width=28),
    Column("code", "Kode / Code", width=24),
    Column("label_da", "Dansk", width=40),
    Column("label_en", "English", width=60),
)


def template_csv() -> bytes:
    """The header row alone, for Danish Excel (UTF-8 with BOM, ';')."""
    return to_csv_bytes(portfolio_table([]))


def template_xlsx(vocabularies: Vocabularies) -> bytes:
    """The template sheet plus a guide to every column and the codes it accepts."""
    return to_xlsx_workbook([portfolio_table([]), _guide(), _codes(vocabularies)])


def _guide() -> Table:
    rows = [
        {
            "header_da": spec.header_da,
            "header_en": spec.header_en,
            "required": "ja" if spec.required else "",
            "help_da": spec.help_da,
            "help_en": spec.help_en,
        }
        for spec in COLUMNS
    ]
    return Table("Vejledning", _GUIDE_COLUMNS, rows)


def _codes(vocabularies: Vocabularies) -> Table:
    lists: list[tuple[str, Iterable[Term]]] = [
        ("Fase / Stage", choice_index("", "", Stage, labels.STAGES).terms.values()),
        ("Temaer / Themes", vocabularies.themes),
        ("Målgrupper / Target groups", vocabularies.target_groups),
        ("Områder / Areas", vocabularies.areas),
        ("Mål / Goals", vocabularies.goals),
        (
            "Finansiering / Funding",
            choice_index("", "", FundingKind, labels.FUNDING_KINDS).terms.values(),
        ),
        (
            "Relationer / Links",
            choice_index("", "", LinkRelation, labels.LINK_RELATIONS).terms.values(),
        ),
    ]
    rows = [
        {
            "list": name,
            "code": term.code,
            "label_da": term.label_da,
            "label_en": term.label_en or "",
        }
        for name, terms in lists
        for term in terms
    ]
    return Table("Koder", _CODE_COLUMNS, rows)
