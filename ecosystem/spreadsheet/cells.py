"""One cell at a time: text, yes/no, dates, numbers and lists as Danes and Excel write them.

Each reader returns the value and the messages (Danish, English) that explain why a cell
could not be read; the row reader gives the messages their row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from openpyxl.utils.datetime import from_excel

from ecosystem.spreadsheet.vocabulary import fold
from ecosystem.tabular import unguarded

__all__ = [
    "FALSE",
    "TRUE",
    "Messages",
    "blank",
    "cell_text",
    "read_boolean",
    "read_date",
    "read_integer",
    "read_number",
    "split",
]

Messages = list[tuple[str, str]]
TRUE = {"ja", "j", "yes", "y", "true", "sand", "1", "x"}
FALSE = {"nej", "n", "no", "false", "falsk", "0"}


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str | None:
    """A cell as text: numbers without a spurious '.0', dates as ISO, formula escapes removed."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    # Exports write '=…, '+…, '-… and '@… so spreadsheet programs never run them as formulas.
    return unguarded(str(value).strip()) or None


def split(text: str) -> list[str]:
    """Multi-valued cells: values separated by ';' (or line breaks within the cell)."""
    return [item.strip() for item in re.split(r"[;\n]", text) if item.strip()]


def read_boolean(text: str) -> tuple[bool | None, Messages]:
    key = fold(text)
    if key in TRUE:
        return True, []
    if key in FALSE:
        return False, []
    return None, [(f"'{text}' skal være ja eller nej", f"'{text}' must be yes or no")]


# Excel day numbers for 1990-01-01 … 2100-12-31; a bare number outside is no date (e.g. 2026).
_EXCEL_DAYS = (32874, 73415)
_DANISH_DATE = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")


def read_date(value: Any) -> tuple[str | None, Messages]:
    """ISO (2026-12-31) and Danish (31-12-2026, 31.12.2026, 31/12/2026) dates, or Excel dates."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, []
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), []
    if isinstance(value, dt.date):
        return value.isoformat(), []
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and _EXCEL_DAYS[0] <= value <= _EXCEL_DAYS[1]
    ):
        return from_excel(value).date().isoformat(), []  # a date cell without date format
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]00:00(:00)?)?", text):
            return dt.date.fromisoformat(text[:10]).isoformat(), []
        match = _DANISH_DATE.fullmatch(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day).isoformat(), []
    except ValueError:
        pass
    return None, [
        (
            f"'{text}' er ikke en dato; skriv fx 2026-12-31 eller 31-12-2026",
            f"'{text}' is not a date; write e.g. 2026-12-31 or 31-12-2026",
        )
    ]


def read_number(value: Any) -> tuple[float | None, Messages]:
    """Numbers as Danes and Excel write them: 2400000, 2.400.000, 2 400 000,50, 2400000.5."""
    if value is None or isinstance(value, bool):
        return None, []
    if isinstance(value, int | float):
        return float(value), []
    text = str(value).strip()
    if not text:
        return None, []
    cleaned = re.sub(r"(?i)\s|kr\.?|dkk", "", text.replace("\xa0", ""))
    parsed = _danish_number(cleaned)
    if parsed is None:
        return None, [
            (
                f"'{text}' er ikke et tal; skriv fx 2400000 eller 2.400.000",
                f"'{text}' is not a number; write e.g. 2400000 or 2.400.000",
            )
        ]
    return parsed, []


def _danish_number(text: str) -> float | None:
    """
    Examples
    --------
    >>> [_danish_number(t) for t in ["2.400.000", "2400000,5", "1.234,56", "1,234.56", "2.5", "2.400"]]
    [2400000.0, 2400000.5, 1234.56, 1234.56, 2.5, 2400.0]
    """
    if not re.fullmatch(r"-?[0-9.,]*[0-9][0-9.,]*", text):
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif "," in text:
        text = text.replace(",", "") if text.count(",") > 1 else text.replace(",", ".")
    elif text.count(".") > 1 or re.fullmatch(r"-?\d{1,3}\.\d{3}", text):
        text = text.replace(".", "")  # Danish thousands separators
    try:
        return float(text)
    except ValueError:
        return None


def read_integer(value: Any) -> tuple[int | None, Messages]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, []
    if isinstance(value, int) and not isinstance(value, bool):
        return value, []
    if isinstance(value, float) and value.is_integer():
        return int(value), []
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text), []
    return None, [(f"'{text}' er ikke et helt tal", f"'{text}' is not a whole number")]
