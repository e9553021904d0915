"""The DAC sector → theme mapping IATI imports use: shipped defaults, overridden by admins.

The defaults are data (``seeds/data/dac_theme_map.csv``); an admin may map any sector to
other themes (or to none), and may drop that again so the default applies.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from ecosystem.data_files import seeds_data
from ecosystem.errors import FieldError, InvalidInput
from ecosystem.references import unknown_codes

__all__ = [
    "SectorOverride",
    "SectorThemes",
    "check_sector_code",
    "checked_themes",
    "default_sector_themes",
    "sector_theme_rows",
    "themes_in_force",
]


@dataclass(frozen=True)
class SectorOverride:
    """An admin's mapping of one sector, replacing the default."""

    themes: Sequence[str]
    actor: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class SectorThemes:
    """One mapped sector: its themes, the ones that do not exist (yet), and their source."""

    sector: str
    sector_name: str | None
    themes: list[str]
    unknown_themes: list[str]
    source: str  # "default" or "admin"
    updated_by: str | None = None
    updated_at: dt.datetime | None = None


@functools.cache
def _default_map() -> tuple[dict[str, list[str]], dict[str, str]]:
    themes: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    with seeds_data("dac_theme_map.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            themes.setdefault(row["sector_code"], []).append(row["theme_code"])
            names[row["sector_code"]] = row["sector_name"]
    return themes, names


def default_sector_themes() -> dict[str, list[str]]:
    """The shipped defaults: DAC sector code (5 digits, or a 3-digit category) → themes."""
    return {code: list(themes) for code, themes in _default_map()[0].items()}


def themes_in_force(
    overrides: Mapping[str, SectorOverride], known: Collection[str]
) -> dict[str, list[str]]:
    """The mapping an import uses: defaults overridden by admins, only themes that exist."""
    mapping = default_sector_themes()
    for sector, override in overrides.items():
        mapping[sector] = list(override.themes)
    return {sector: [t for t in themes if t in known] for sector, themes in mapping.items()}


def sector_theme_rows(
    overrides: Mapping[str, SectorOverride], known: Collection[str]
) -> list[SectorThemes]:
    """Every mapped sector, in code order, with its themes and where the mapping comes from."""
    defaults, names = _default_map()
    rows = []
    for sector in sorted(defaults.keys() | overrides.keys()):
        override = overrides.get(sector)
        themes = list(override.themes) if override else list(defaults[sector])
        rows.append(
            SectorThemes(
                sector=sector,
                sector_name=names.get(sector),
                themes=[theme for theme in themes if theme in known],
                unknown_themes=[theme for theme in themes if theme not in known],
                source="admin" if override else "default",
                updated_by=override.actor if override else None,
                updated_at=override.updated_at if override else None,
            )
        )
    return rows


_DAC_CODE = re.compile(r"[0-9]{3}(?:[0-9]{2})?")


def check_sector_code(sector: str) -> None:
    """A DAC sector code has 5 digits, or 3 for a category: ASCII digits only.

    ``str.isdigit`` also accepts Arabic-Indic, full-width and superscript digits, which
    would store a "code" no IATI file ever carries.

    >>> check_sector_code("12220"), check_sector_code("122")
    (None, None)
    >>> check_sector_code("health")
    Traceback (most recent call last):
    ...
    ecosystem.errors.InvalidInput: En DAC-sektorkode har 5 cifre (3 for en kategori). / A DAC sector code has 5 digits (or 3 for a category).
    >>> check_sector_code("\u0661\u0662\u0662\u0662\u0660")  # Arabic-Indic 12220
    Traceback (most recent call last):
    ...
    ecosystem.errors.InvalidInput: En DAC-sektorkode har 5 cifre (3 for en kategori). / A DAC sector code has 5 digits (or 3 for a category).
    """
    if _DAC_CODE.fullmatch(sector) is None:
        raise InvalidInput(
            "En DAC-sektorkode har 5 cifre (3 for en kategori). / "
            "A DAC sector code has 5 digits (or 3 for a category).",
            [FieldError("sector", f"{sector!r} is not a DAC sector code.")],
        )


def checked_themes(themes: Sequence[str], known: Collection[str]) -> list[str]:
    """The themes once each, in order, if every one exists (an empty list maps to none)."""
    errors = unknown_codes("themes", "theme", themes, known)
    if errors:
        raise InvalidInput(
            "Temaerne findes ikke. / The mapping refers to themes that do not exist.", errors
        )
    return list(dict.fromkeys(themes))
