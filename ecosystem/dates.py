"""Dates as a reader reads them, in Danish and English: "3. december 2026" / "3 December 2026"."""

from __future__ import annotations

import datetime as dt

from ecosystem.labels import Label

__all__ = ["day_label"]

_MONTHS_DA = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def day_label(day: dt.date) -> Label:
    """``day`` spelled out in both languages.

    >>> day_label(dt.date(2026, 12, 3))
    Label(da='3. december 2026', en='3 December 2026')
    """
    month = day.month - 1
    return Label(
        f"{day.day}. {_MONTHS_DA[month]} {day.year}", f"{day.day} {_MONTHS_EN[month]} {day.year}"
    )
