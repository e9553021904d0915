"""From cells to cards: every row of a sheet becomes a project card and its problems.

The header row says which column is which; each cell is read by its column's kind
(:mod:`ecosystem.spreadsheet.cells`), labels are matched to codes
(:mod:`ecosystem.spreadsheet.vocabulary`), and the card is validated by the portfolio
schema (:mod:`ecosystem.spreadsheet.validation`). Pure: no database.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.utils import get_column_letter

from ecosystem.portfolio import ProjectSchema
from ecosystem.spreadsheet.cells import (
    Messages,
    blank,
    cell_text,
    read_boolean,
    read_date,
    read_integer,
    read_number,
    split,
)
from ecosystem.spreadsheet.columns import SPEC_BY_KEY, column_header, map_header
from ecosystem.spreadsheet.problems import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    FileRejected,
    ParsedImport,
    ParsedRow,
    Problem,
    Progress,
    UnsupportedFile,
    too_large,
)
from ecosystem.spreadsheet.reading import (
    DEFAULT_WORKBOOK_LIMITS,
    RawTable,
    WorkbookLimits,
    detect_format,
    empty_sheet,
    read_csv,
    read_xlsx,
)
from ecosystem.spreadsheet.validation import mark_duplicates, spec_key_for, validate_card
from ecosystem.spreadsheet.vocabulary import LabelIndex, Lookups, Vocabularies

__all__ = ["parse_spreadsheet", "parse_table"]


def parse_spreadsheet(
    content: bytes,
    vocabularies: Vocabularies,
    *,
    filename: str | None = None,
    organisation_id: str | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_FILE_BYTES,
    workbook_limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS,
    progress: Progress | None = None,
) -> ParsedImport:
    """Read a CSV or XLSX file into project cards with every problem placed.

    Raises :class:`FileRejected` when the file cannot be read as a table at all.
    """
    if len(content) > max_bytes:
        raise too_large(len(content), max_bytes)
    kind = detect_format(content, filename)
    if kind == "iati":
        raise UnsupportedFile(
            "Filen er XML; brug IATI-importen",
            "The file is XML; use the IATI import",
        )
    raw = (
        read_xlsx(content, max_rows=max_rows, limits=workbook_limits)
        if kind == "xlsx"
        else read_csv(content, max_rows=max_rows)
    )
    return parse_table(
        raw, vocabularies, source=kind, organisation_id=organisation_id, progress=progress
    )


def parse_table(
    raw: RawTable,
    vocabularies: Vocabularies,
    *,
    source: str,
    organisation_id: str | None = None,
    progress: Progress | None = None,
) -> ParsedImport:
    """Give the cells their meaning: map the headers, convert each cell, validate each card."""
    if not raw.header or all(blank(cell) for cell in raw.header):
        raise empty_sheet()
    columns, problems = map_header(raw.header, raw.header_row)
    rows = [(number, cells) for number, cells in raw.rows if not all(blank(c) for c in cells)]
    if not rows:
        raise FileRejected(
            "Arket har overskrifter, men ingen projekter",
            "The sheet has headers but no projects",
        )
    reader = _RowReader(columns, raw.header, Lookups(vocabularies), raw.bad_cells, organisation_id)
    parsed: list[ParsedRow] = []
    for done, (number, cells) in enumerate(rows, start=1):
        parsed.append(reader.read(number, cells))
        if progress is not None and (done % 500 == 0 or done == len(rows)):
            progress(done, len(rows))
    mark_duplicates(parsed, column_header(columns, raw.header, "external_id"))
    details = {
        **raw.details,
        "header_row": raw.header_row,
        "columns": {key: str(raw.header[index]) for index, key in columns.items()},
    }
    return ParsedImport(source, parsed, problems, details)


class _RowReader:
    """Turns one row's cells into a card and its problems."""

    def __init__(
        self,
        columns: dict[int, str],
        header: list[Any],
        lookups: Lookups,
        bad_cells: dict[tuple[int, int], tuple[str, str]],
        organisation_id: str | None,
    ) -> None:
        self.columns = columns
        self.header = header
        self.lookups = lookups
        self.bad_cells = bad_cells
        self.organisation_id = organisation_id
        self.schema = ProjectSchema()
        self.header_of = {key: str(header[index]) for index, key in columns.items()}

    def read(self, number: int, cells: list[Any]) -> ParsedRow:
        card: dict[str, Any] = {}
        problems: list[Problem] = []
        failed: set[str] = set()
        for index, value in enumerate(cells):
            key = self.columns.get(index)
            if (number, index) in self.bad_cells:
                da, en = self.bad_cells[(number, index)]
                problems.append(self._problem(number, index, key, da, en))
                failed.add((key or "").split(".")[0])
                continue
            if key is None:
                if not blank(value) and index >= len(self.header):
                    problems.append(self._stray_cell(number, index))
                continue
            converted, messages = self._convert(key, value)
            for da, en in messages:
                problems.append(self._problem(number, index, key, da, en))
            if messages:
                failed.add(key.split(".")[0])
            if converted is not None and key in SPEC_BY_KEY:
                _put(card, key, converted)
        return validate_card(self.schema, (number, card, problems, failed), self._column_of)

    def _convert(self, key: str, value: Any) -> tuple[Any, Messages]:
        if key == "organisation":
            return None, self._check_owner(value)
        if key not in SPEC_BY_KEY:
            return None, []  # informational export columns
        kind = SPEC_BY_KEY[key].kind
        text = cell_text(value)
        if kind == "date":
            return read_date(value)
        if kind == "number":
            return read_number(value)
        if kind == "integer":
            return read_integer(value)
        if text is None:
            return None, []
        if kind == "boolean":
            return read_boolean(text)
        if kind == "choice":
            return _single(self.lookups.choices[key], text)
        if kind == "codes":
            return self._codes(key, text)
        if kind == "funding":
            return self._funding(text)
        if kind == "partners":
            return self._partners(text)
        if kind == "links":
            return self._links(text)
        return text, []

    def _check_owner(self, value: Any) -> Messages:
        owner = cell_text(value)
        if owner is None or self.organisation_id is None or owner == self.organisation_id:
            return []
        return [
            (
                f"Rækken hører til '{owner}', men der importeres for '{self.organisation_id}'",
                f"The row belongs to '{owner}' but the import is for '{self.organisation_id}'",
            )
        ]

    def _codes(self, key: str, text: str) -> tuple[list[str], Messages]:
        index = self.lookups.codes[key]
        codes, messages = [], []
        for item in split(text):
            code, problem = index.resolve(item)
            if code is not None:
                codes.append(code)
            elif problem is not None:
                messages.append(problem)
        return codes, messages

    def _funding(self, text: str) -> tuple[list[dict[str, str]], Messages]:
        sources = []
        for item in split(text):
            name, kind = item, None
            match = re.fullmatch(r"(.*\S)\s*\(([^()]+)\)", item)
            if match:
                code = self.lookups.funding_kinds.find(match.group(2).strip())
                if code is not None:
                    name, kind = match.group(1).strip(), code
            sources.append({"name": name, **({"kind": kind} if kind else {})})
        return sources, []

    def _partners(self, text: str) -> tuple[list[dict[str, str]], Messages]:
        partners = []
        for item in split(text):
            code = self.lookups.organisations.find(item)
            partners.append({"organisation": code} if code else {"name": item})
        return partners, []

    def _links(self, text: str) -> tuple[list[dict[str, str]], Messages]:
        links, messages = [], []
        for item in split(text):
            match = re.fullmatch(r"([^/\s]+)\s*/\s*(\S+?)(?:\s*\(([^()]+)\))?", item)
            if match is None:
                messages.append(
                    (
                        f"'{item}' skal skrives organisation/projekt-id (relation)",
                        f"'{item}' must be written organisation/project-id (relation)",
                    )
                )
                continue
            organisation, problem = self.lookups.organisations.resolve(match.group(1))
            relation, relation_problem = (
                self.lookups.relations.resolve(match.group(3).strip())
                if match.group(3)
                else ("related", None)
            )
            if problem or relation_problem:
                messages += [m for m in (problem, relation_problem) if m is not None]
                continue
            links.append(
                {
                    "organisation": organisation or "",
                    "external_id": match.group(2),
                    "relation": relation or "related",
                }
            )
        return links, messages

    def _column_of(self, path: str) -> str | None:
        """The header of the column a schema message about ``path`` belongs to."""
        key = spec_key_for(path)
        return self.header_of.get(key, SPEC_BY_KEY[key].header) if key else None

    def _problem(self, number: int, index: int, key: str | None, da: str, en: str) -> Problem:
        column = (
            str(self.header[index])
            if index < len(self.header) and self.header[index]
            else get_column_letter(index + 1)
        )
        return Problem(da, en, row=number, column=column, field=key)

    def _stray_cell(self, number: int, index: int) -> Problem:
        letter = get_column_letter(index + 1)
        return Problem(
            f"Cellen {letter}{number} har en værdi, men kolonnen har ingen overskrift",
            f"Cell {letter}{number} has a value but its column has no header",
            row=number,
            column=letter,
        )


def _put(card: dict[str, Any], key: str, value: Any) -> None:
    if "." in key:
        outer, inner = key.split(".", 1)
        card.setdefault(outer, {})[inner] = value
    else:
        card[key] = value


def _single(index: LabelIndex, text: str) -> tuple[str | None, Messages]:
    code, problem = index.resolve(text)
    return code, [problem] if problem else []
