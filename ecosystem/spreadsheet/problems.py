"""What reading a file found: problems with their places, rows, and refusals of whole files.

The limits are documented in docs/spreadsheet-import.md: enough for the largest portfolio
(about 10,000 projects), small enough that a mistaken upload cannot exhaust a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecosystem.errors import FieldError, InputTooLarge, InvalidInput, UnsupportedInput

__all__ = [
    "MAX_CELLS",
    "MAX_COMPRESSION_RATIO",
    "MAX_FILE_BYTES",
    "MAX_REPORTED_PROBLEMS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "FileRejected",
    "FileTooLarge",
    "ParsedImport",
    "ParsedRow",
    "Problem",
    "Progress",
    "UnsupportedFile",
    "too_large",
]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX is a zip; a small file may unpack to gigabytes. Refuse workbooks that unpack to
# more than this before anything parses them (20,000 rows of all 37 columns filled unpack
# to about 40 MiB).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Spreadsheet XML compresses about 5-25 times; a member that unpacks to hundreds of times
# its packed size is made to (e.g. 50 MiB of empty <row/> in 80 KB) and is refused.
MAX_COMPRESSION_RATIO = 100
# Cells read from the sheet, every row counting as at least one, blank or not: 20,000 rows
# of the 37 columns are 740,000. Blank rows are skipped, so without this budget a sheet of
# millions of empty rows would hold a worker for as long as it takes to read them.
MAX_CELLS = 1_000_000
MAX_REPORTED_PROBLEMS = 1_000

Progress = Callable[[int, int], None]


# --- problems --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem with a file, a row or a cell, in Danish and English."""

    message_da: str
    message_en: str
    row: int | None = None
    column: str | None = None
    field: str | None = None
    severity: str = "error"
    unit: str = "row"  # or "activity", for IATI files

    @property
    def message(self) -> str:
        return f"{self.message_da} / {self.message_en}"

    @property
    def text(self) -> str:
        """The message with its place, e.g. ``Række 14, kolonne Temaer: …``."""
        unit_da, column_da = (
            ("aktivitet", "element") if self.unit == "activity" else ("række", "kolonne")
        )
        unit_en, column_en = (
            ("activity", "element") if self.unit == "activity" else ("row", "column")
        )
        where_da, where_en = (
            ", ".join(
                part
                for part in (
                    f"{unit} {self.row}" if self.row is not None else "",
                    f"{column} {self.column}" if self.column else "",
                )
                if part
            )
            for unit, column in ((unit_da, column_da), (unit_en, column_en))
        )
        if not where_da:
            return self.message
        return f"{_upper_first(where_da)}: {self.message_da} / {_upper_first(where_en)}: {self.message_en}"

    @property
    def place(self) -> str:
        """A short place for problem+json ``field``: ``row 14, Temaer`` or ``file``."""
        parts = [f"{self.unit} {self.row}" if self.row is not None else "", self.column or ""]
        return ", ".join(part for part in parts if part) or "file"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "severity": self.severity,
            "unit": self.unit,
            "message": self.message,
            "message_da": self.message_da,
            "message_en": self.message_en,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        return cls(
            message_da=data["message_da"],
            message_en=data["message_en"],
            row=data.get("row"),
            column=data.get("column"),
            field=data.get("field"),
            severity=data.get("severity", "error"),
            unit=data.get("unit", "row"),
        )


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


class FileRejected(InvalidInput):
    """The file cannot be read as a portfolio at all; nothing is stored or changed.

    ``reason`` says why: ``unreadable`` here, ``too_large`` (:class:`FileTooLarge`) or
    ``unsupported`` (:class:`UnsupportedFile`).
    """

    reason = "unreadable"

    def __init__(
        self, message_da: str, message_en: str, *, details: Sequence[Problem] = ()
    ) -> None:
        message = f"{message_da} / {message_en}"
        errors = [FieldError("file", message)] + [
            FieldError(problem.place, problem.message) for problem in details
        ]
        super().__init__(message, errors)


class FileTooLarge(FileRejected, InputTooLarge):
    """The file (or the workbook, unpacked) is larger than the limit."""

    reason = "too_large"


class UnsupportedFile(FileRejected, UnsupportedInput):
    """The file is in a format that cannot be read (e.g. .xls, or a zip that is no workbook)."""

    reason = "unsupported"


def too_large(size: int, max_bytes: int) -> FileTooLarge:
    """The refusal of a file of ``size`` bytes."""
    return FileTooLarge(
        f"Filen er for stor ({size / 1e6:.1f} MB); højst {max_bytes / 1e6:.0f} MB",
        f"The file is too large ({size / 1e6:.1f} MB); at most {max_bytes / 1e6:.0f} MB",
    )


@dataclass
class ParsedRow:
    """One row of the file (or one IATI activity) and the project card it becomes.

    ``project`` is the validated, normalised card when the row has no errors, and the
    best-effort partial card otherwise (so a preview can still show what was understood).
    """

    number: int
    project: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(problem.severity == "error" for problem in self.problems)

    @property
    def external_id(self) -> str | None:
        value = self.project.get("external_id")
        return value if isinstance(value, str) else None


@dataclass
class ParsedImport:
    """A whole file read: its rows, file-level problems and how it was read."""

    source: str
    rows: list[ParsedRow]
    problems: list[Problem] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def all_problems(self) -> Iterator[Problem]:
        yield from self.problems
        for row in self.rows:
            yield from row.problems

    @property
    def error_count(self) -> int:
        return sum(1 for problem in self.all_problems() if problem.severity == "error")

    @property
    def publishable(self) -> bool:
        return bool(self.rows) and self.error_count == 0
