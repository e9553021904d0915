"""Spreadsheets in and out: CSV and XLSX ⇄ portfolio documents, with every problem placed.

Organisations keep their projects in spreadsheets. This package reads such a sheet (CSV
in any common delimiter and encoding, or XLSX) into project cards — one row per project,
Danish column headers or their English aliases, labels instead of codes — and reports
every problem with its row, column and a Danish/English message. It also writes the
same columns back out (the template and portfolio exports), so an exported file imports
unchanged.

By concern: :mod:`~ecosystem.spreadsheet.reading` (bytes → cells),
:mod:`~ecosystem.spreadsheet.columns` (headers and aliases),
:mod:`~ecosystem.spreadsheet.cells` (one cell's value),
:mod:`~ecosystem.spreadsheet.vocabulary` (labels → codes),
:mod:`~ecosystem.spreadsheet.rows` (row → card),
:mod:`~ecosystem.spreadsheet.validation` (the schema's messages in the user's terms),
:mod:`~ecosystem.spreadsheet.tables` and :mod:`~ecosystem.spreadsheet.template` (writing).

Pure: no database. The reference vocabularies come in as plain :class:`Vocabularies`.
"""

from ecosystem.spreadsheet.columns import COLUMNS, INFO_COLUMNS, FieldSpec
from ecosystem.spreadsheet.problems import (
    MAX_FILE_BYTES,
    MAX_REPORTED_PROBLEMS,
    MAX_ROWS,
    FileRejected,
    FileTooLarge,
    ParsedImport,
    ParsedRow,
    Problem,
    Progress,
    UnsupportedFile,
    too_large,
)
from ecosystem.spreadsheet.reading import DEFAULT_WORKBOOK_LIMITS, WorkbookLimits, detect_format
from ecosystem.spreadsheet.rows import parse_spreadsheet, parse_table
from ecosystem.spreadsheet.tables import card_to_row, listing_table, portfolio_table
from ecosystem.spreadsheet.template import template_csv, template_xlsx
from ecosystem.spreadsheet.validation import Card, validate_cards
from ecosystem.spreadsheet.vocabulary import LabelIndex, Term, Vocabularies, fold

__all__ = [
    "COLUMNS",
    "DEFAULT_WORKBOOK_LIMITS",
    "INFO_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_REPORTED_PROBLEMS",
    "MAX_ROWS",
    "Card",
    "FieldSpec",
    "FileRejected",
    "FileTooLarge",
    "LabelIndex",
    "ParsedImport",
    "ParsedRow",
    "Problem",
    "Progress",
    "Term",
    "UnsupportedFile",
    "Vocabularies",
    "WorkbookLimits",
    "card_to_row",
    "detect_format",
    "fold",
    "listing_table",
    "parse_spreadsheet",
    "parse_table",
    "portfolio_table",
    "template_csv",
    "template_xlsx",
    "too_large",
    "validate_cards",
]
