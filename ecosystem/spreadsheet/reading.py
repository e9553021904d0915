"""Reading the bytes of a file into a table of cells, or refusing the file with a reason.

CSV in any common delimiter and encoding (UTF-8, UTF-16 as Excel's "Unicode text",
Windows-1252 from Danish Excel) and XLSX (values only: formulas are never calculated;
merged cells and zip bombs are refused: the zip's sizes are checked before openpyxl reads
anything, and reading stops when the sheet has more cells than :class:`WorkbookLimits`
allow). Nothing here knows what the columns mean.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook

from ecosystem.spreadsheet.cells import blank
from ecosystem.spreadsheet.problems import (
    MAX_CELLS,
    MAX_COMPRESSION_RATIO,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    FileRejected,
    FileTooLarge,
    UnsupportedFile,
)
from ecosystem.spreadsheet.vocabulary import fold

__all__ = [
    "DEFAULT_WORKBOOK_LIMITS",
    "RawTable",
    "WorkbookLimits",
    "detect_format",
    "empty_sheet",
    "read_csv",
    "read_xlsx",
]

MiB = 1024 * 1024
# The ratio is only judged for members this large: tiny members compress erratically and
# cannot hold a bomb worth the name.
_RATIO_FLOOR_BYTES = 1 * MiB


@dataclass(frozen=True)
class WorkbookLimits:
    """How much an XLSX may unpack to, how compressed a member may be, how many cells."""

    max_unpacked_bytes: int = MAX_UNPACKED_BYTES
    max_compression_ratio: float = MAX_COMPRESSION_RATIO
    max_cells: int = MAX_CELLS


DEFAULT_WORKBOOK_LIMITS = WorkbookLimits()


@dataclass
class RawTable:
    """Cells as read from the file, before any meaning is given to them."""

    header: list[Any]
    rows: list[tuple[int, list[Any]]]
    header_row: int = 1
    details: dict[str, Any] = field(default_factory=dict)
    # (row, column index) → problem found while reading (e.g. a formula without a value)
    bad_cells: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)


def detect_format(content: bytes, filename: str | None = None) -> str:
    """``csv``, ``xlsx`` or ``iati`` from the bytes themselves (the name is only a hint).

    Examples
    --------
    >>> detect_format(b"Titel;Fase\\r\\n")
    'csv'
    >>> detect_format(b"<?xml version='1.0'?><iati-activities/>")
    'iati'
    """
    name = (filename or "").lower()
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFile(
            "Filen er i det gamle Excel-format (.xls); gem den som .xlsx eller CSV",
            "The file is in the old Excel format (.xls); save it as .xlsx or CSV",
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise UnsupportedFile(
            "Filen hedder .xlsx, men er ikke en Excel-projektmappe",
            "The file is named .xlsx but is not an Excel workbook",
        )
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "iati"
    if content.startswith(b"%PDF") or _looks_binary(content[:4096]):
        raise UnsupportedFile(
            "Filen er hverken CSV, XLSX eller IATI-XML",
            "The file is neither CSV, XLSX nor IATI XML",
        )
    return "csv"


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text, as Excel's "Unicode text" writes it
    return b"\x00" in head


def read_csv(content: bytes, *, max_rows: int = MAX_ROWS) -> RawTable:
    """Decode, sniff the delimiter (';', ',' or tab) and read every record strictly."""
    text, encoding = _decode(content)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = _sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[Any]]] = []
    header: list[Any] | None = None
    header_row = 1
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue  # blank lines mean nothing and do not count towards the limit
            if header is None:
                header, header_row = record, number
                continue
            if len(records) >= max_rows:
                raise _too_many_rows(max_rows)
            records.append((number, list(record)))
    except csv.Error as error:
        raise FileRejected(
            f"CSV-filen kan ikke læses omkring linje {reader.line_num}: {error}",
            f"The CSV file cannot be read near line {reader.line_num}: {error}",
        ) from error
    names = {";": "semicolon", ",": "comma", "\t": "tab"}
    return RawTable(
        header or [],
        records,
        header_row,
        {"encoding": encoding, "delimiter": names.get(delimiter, delimiter)},
    )


_MARKED = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
    (b"\xff\xfe", "utf-16", "utf-16"),
    (b"\xfe\xff", "utf-16", "utf-16"),
)


def _decode(content: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 from Danish Excel."""
    # A byte-order mark names the encoding; bytes that then do not decode are a broken
    # file (an odd length, a lone surrogate), refused as such.
    for mark, encoding, name in _MARKED:
        if content.startswith(mark):
            try:
                return content.decode(encoding), name
            except UnicodeDecodeError as error:
                raise FileRejected(
                    f"Filen begynder som {name}, men er ikke gyldig {name} "
                    f"(byte {error.start}); gem den igen som CSV UTF-8",
                    f"The file starts as {name} but is not valid {name} "
                    f"(byte {error.start}); save it again as CSV UTF-8",
                ) from error
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as error:
        raise FileRejected(
            "Tegnsættet kendes ikke; gem filen som CSV UTF-8",
            "Unknown character encoding; save the file as CSV UTF-8",
        ) from error


def _sniff_delimiter(header_line: str) -> str:
    """The candidate that splits the header line into the most cells (';' wins ties)."""
    best, best_count = ";", 1
    for candidate in (";", "\t", ","):
        try:
            cells = next(csv.reader([header_line], delimiter=candidate))
        except (csv.Error, StopIteration):
            continue
        if len(cells) > best_count:
            best, best_count = candidate, len(cells)
    return best


def read_xlsx(
    content: bytes, *, max_rows: int = MAX_ROWS, limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS
) -> RawTable:
    """The 'Projekter' sheet (or the first), values only: formulas are never evaluated."""
    archive = _open_zip(content, limits)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it does not read (styles, validation).
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a zip that is not a workbook
        raise UnsupportedFile(
            "Filen er en zip-fil, men ikke en Excel-projektmappe (.xlsx)",
            "The file is a zip file but not an Excel workbook (.xlsx)",
        ) from error
    try:
        return _read_sheet(workbook, archive, max_rows, limits)
    except (zipfile.BadZipFile, zlib.error, ElementTree.ParseError) as error:
        # A member whose bytes do not match its declared size or checksum, or whose XML
        # is broken: zipfile and openpyxl find out only while reading it.
        raise _damaged() from error
    finally:
        workbook.close()


def _read_sheet(
    workbook: Any, archive: zipfile.ZipFile, max_rows: int, limits: WorkbookLimits
) -> RawTable:
    """The rows of the project sheet, read until the cell budget or row limit is spent."""
    sheet = _project_sheet(workbook)
    path = str(getattr(sheet, "_worksheet_path", ""))
    xml = _sheet_xml(archive, path)
    _refuse_merged_cells(xml, sheet.title)
    bad_cells = _formulas_without_values(xml)
    sheet.reset_dimensions()
    header: list[Any] | None = None
    header_row = 1
    rows: list[tuple[int, list[Any]]] = []
    cells_read = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            cells_read += max(1, len(cells))
            if cells_read > limits.max_cells:
                raise _too_many_cells(limits.max_cells)
            if all(blank(cell) for cell in cells) and not _has_bad_cell(bad_cells, number):
                continue  # formatted but empty rows are common and mean nothing
            if header is None:
                header, header_row = cells, number
                continue
            if len(rows) >= max_rows:
                raise _too_many_rows(max_rows)
            rows.append((number, cells))
    return RawTable(header or [], rows, header_row, {"sheet": sheet.title}, bad_cells)


def _has_bad_cell(bad_cells: Mapping[tuple[int, int], Any], row: int) -> bool:
    return any(number == row for number, _ in bad_cells)


def _open_zip(content: bytes, limits: WorkbookLimits) -> zipfile.ZipFile:
    """The workbook's zip, once its declared sizes show it is no bomb.

    The sizes are those the zip declares; they cannot lie for long, since :mod:`zipfile`
    stops a member at its declared size and then refuses it for its checksum.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise _damaged() from error
    members = archive.infolist()
    unpacked = sum(info.file_size for info in members)
    if unpacked > limits.max_unpacked_bytes:
        most = limits.max_unpacked_bytes / MiB
        raise FileTooLarge(
            f"Projektmappen fylder {unpacked / MiB:.0f} MiB udpakket; højst {most:.0f} MiB",
            f"The workbook unpacks to {unpacked / MiB:.0f} MiB; at most {most:.0f} MiB",
        )
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
            raise FileRejected(
                f"Projektmappen ser mistænkelig ud: '{info.filename}' pakker ud til {ratio:.0f} "
                f"gange sin størrelse (højst {limits.max_compression_ratio:g}); gem den igen i Excel",
                f"The workbook looks suspicious: '{info.filename}' unpacks to {ratio:.0f} "
                f"times its size (at most {limits.max_compression_ratio:g}); save it again in Excel",
            )
    return archive


def _damaged() -> UnsupportedFile:
    return UnsupportedFile(
        "Filen ligner en Excel-fil, men er ødelagt",
        "The file looks like an Excel file but is damaged",
    )


def _project_sheet(workbook: Any) -> Any:
    for sheet in workbook.worksheets:
        if fold(sheet.title) in {"projekter", "projects"}:
            return sheet
    if not workbook.worksheets:
        raise empty_sheet()
    return workbook.worksheets[0]


def _sheet_xml(archive: zipfile.ZipFile, path: str) -> bytes:
    try:
        return archive.read(path.lstrip("/"))
    except KeyError:
        return b""


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z0-9:]+)"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')


def _refuse_merged_cells(xml: bytes, title: str) -> None:
    ranges = [match.decode() for match in _MERGE.findall(xml)]
    if ranges:
        shown = ", ".join(ranges[:5]) + (" …" if len(ranges) > 5 else "")
        raise FileRejected(
            f"Arket '{title}' har flettede celler ({shown}); ophæv fletningen, så hver celle har sin egen værdi",
            f"Sheet '{title}' has merged cells ({shown}); unmerge them so each cell has its own value",
        )


def _formulas_without_values(xml: bytes) -> dict[tuple[int, int], tuple[str, str]]:
    """Formula cells that carry no stored value: we never calculate, so they have no value."""
    if not re.search(rb"<(?:\w+:)?f[\s>/]", xml):
        return {}
    bad: dict[tuple[int, int], tuple[str, str]] = {}
    for attributes, inner in _CELL.findall(xml):
        inner = inner or b""
        if not re.search(rb"<(?:\w+:)?f[\s>/]", inner):
            continue
        value = re.search(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", inner, re.DOTALL)
        if value and value.group(1).strip():
            continue
        ref = _REF.search(attributes)
        if ref is None:
            continue
        column = _column_index(ref.group(1).decode())
        bad[(int(ref.group(2)), column)] = (
            "Cellen er en formel uden gemt værdi; formler beregnes ikke — skriv værdien, "
            "eller åbn og gem filen i Excel",
            "The cell is a formula without a stored value; formulas are not calculated — "
            "type the value, or open and save the file in Excel",
        )
    return bad


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _too_many_rows(max_rows: int) -> FileRejected:
    return FileRejected(
        f"Filen har mere end {max_rows:,} rækker; del den op".replace(",", "."),
        f"The file has more than {max_rows:,} rows; split it",
    )


def _too_many_cells(max_cells: int) -> FileRejected:
    danish = f"{max_cells:,}".replace(",", ".")
    return FileRejected(
        f"Arket har mere end {danish} celler (tomme rækker medregnet); slet de tomme "
        "rækker og kolonner, eller del filen op",
        f"The sheet has more than {max_cells:,} cells (blank rows included); delete the "
        "blank rows and columns, or split the file",
    )


def empty_sheet() -> FileRejected:
    return FileRejected(
        "Arket er tomt: der er hverken overskrifter eller projekter",
        "The sheet is empty: no headers and no projects",
    )
