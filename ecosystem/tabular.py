"""Tables for export: CSV that Danish Excel opens right, and XLSX with typed cells.

This is the one writer of CSV and XLSX files (exports, the import template, review packs)
and the one home of the formula guard. No spreadsheet program may ever run stored text as
a formula: in CSV, which Excel parses, text that starts with ``=``, ``+``, ``-`` or ``@``
gets a leading apostrophe (the import reads it back unchanged, see :func:`unguarded`); in
XLSX every text cell is typed as text, so it needs no apostrophe ("+45 …" stays as it is).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ecosystem.safe_text import xml_safe

__all__ = [
    "FILE_FORMATS",
    "Column",
    "Table",
    "guarded",
    "table_bytes",
    "to_csv_bytes",
    "to_json_rows",
    "to_xlsx_bytes",
    "to_xlsx_workbook",
    "unguarded",
]

Cell = str | int | float | bool | dt.date | dt.datetime | None
FILE_FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    key: str
    header_da: str
    header_en: str | None = None
    width: int | None = None
    """Characters wide in XLSX; by default as wide as the header (12 to 60)."""
    names: Callable[[str], str] | None = None
    """How a reader says each code in this column (``"pilot"`` → ``"Afprøvning/pilot"``).

    Spreadsheets are read by people at a meeting, so CSV and XLSX cells carry the names;
    JSON rows keep the codes, which programs match on.
    """

    @property
    def header(self) -> str:
        """Danish first; English in brackets when it differs (the template's aliases)."""
        if self.header_en and self.header_en != self.header_da:
            return f"{self.header_da} ({self.header_en})"
        return self.header_da


@dataclass(frozen=True)
class Table:
    """Rows of plain values under named columns; lists become '; '-joined text."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[dict[str, Any]]
    # A line above the header in a workbook sheet (what the counts are: P2); not in CSV.
    note: str | None = None

    def cells(self) -> list[list[Cell]]:
        return [
            [_cell(_named(column, row.get(column.key))) for column in self.columns]
            for row in self.rows
        ]


def _named(column: Column, value: Any) -> Any:
    if column.names is None or value is None:
        return value
    if isinstance(value, list | tuple):
        return [column.names(str(item)) for item in value]
    return column.names(str(value))


def _cell(value: Any) -> Cell:
    # Text is repaired here, once for CSV and XLSX: a control character stored before the
    # input rule (ecosystem.safe_text) would make openpyxl refuse the whole workbook.
    if isinstance(value, list | tuple | set):
        return xml_safe("; ".join(str(item) for item in value))
    if isinstance(value, dict):
        return xml_safe("; ".join(f"{k}: {v}" for k, v in value.items()))
    if isinstance(value, str):
        return xml_safe(value)
    return value  # type: ignore[no-any-return]


def guarded(text: str) -> str:
    """Text as spreadsheet programs must show it: never run as a formula.

    >>> guarded("=SUM(A1:A9)"), guarded("-5 %"), guarded("Titel")
    ("'=SUM(A1:A9)", "'-5 %", 'Titel')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unguarded(text: str) -> str:
    """The text :func:`guarded` was given.

    >>> unguarded("'=SUM(A1:A9)"), unguarded("'Titel")
    ('=SUM(A1:A9)', "'Titel")
    """
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in "=+-@" else text


def table_bytes(table: Table, fmt: str) -> bytes:
    """The table as a ``csv`` or ``xlsx`` file."""
    if fmt == "csv":
        return to_csv_bytes(table)
    if fmt == "xlsx":
        return to_xlsx_bytes(table)
    raise ValueError(f"Unknown table format {fmt!r}; use one of {', '.join(FILE_FORMATS)}.")


def to_csv_bytes(table: Table) -> bytes:
    """UTF-8 with BOM and ';' as delimiter: what Danish Excel expects when double-clicked."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([xml_safe(column.header) for column in table.columns])
    for row in table.cells():
        writer.writerow(["" if value is None else _csv_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value: Cell) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return guarded(value) if isinstance(value, str) else str(value)


def to_xlsx_bytes(table: Table) -> bytes:
    """One sheet with typed cells, a frozen header row and filters on every column."""
    return to_xlsx_workbook([table])


def to_xlsx_workbook(tables: Sequence[Table]) -> bytes:
    """Each table as one sheet (named by its title) of one workbook, in order."""
    workbook = Workbook()
    first = workbook.active
    if first is not None:
        workbook.remove(first)
    for table in tables:
        _fill(workbook.create_sheet(table.title[:31] or "Data"), table)
    if not tables:
        workbook.create_sheet("Data")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Worksheet, table: Table) -> None:
    """Typed cells under a frozen header row (the note's line above it), filters on every column."""
    if table.note:
        sheet.append([xml_safe(table.note)])
        _never_formulas(sheet[sheet.max_row])
    header = sheet.max_row + 1 if table.note else 1
    sheet.append([xml_safe(column.header) for column in table.columns])
    for row in table.cells():
        sheet.append([_xlsx_value(value) for value in row])
        _never_formulas(sheet[sheet.max_row])
    sheet.freeze_panes = f"A{header + 1}"
    last = get_column_letter(max(len(table.columns), 1))
    sheet.auto_filter.ref = f"A{header}:{last}{max(len(table.rows) + header, header)}"
    for index, column in enumerate(table.columns, start=1):
        width = column.width or min(60, max(12, len(column.header) + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)  # Excel has no time zones
    return value


def _never_formulas(cells: Sequence[Any]) -> None:
    # openpyxl turns text starting with "=" into a formula; in a cell typed as text,
    # Excel shows it as it is, so XLSX needs no apostrophe (unlike CSV, which Excel parses).
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def to_json_rows(table: Table) -> list[dict[str, Any]]:
    return [{column.key: row.get(column.key) for column in table.columns} for row in table.rows]
