"""Validation messages: the portfolio schema's verdict on a card, in the user's terms.

A card built from a row (or an IATI activity) is validated by the same
:class:`~ecosystem.portfolio.ProjectSchema` as the API; its English messages get a Danish
version and the column they came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from marshmallow import Schema, ValidationError

from ecosystem.errors import flatten_messages
from ecosystem.portfolio import ProjectSchema
from ecosystem.spreadsheet.columns import SPEC_BY_KEY
from ecosystem.spreadsheet.problems import ParsedRow, Problem

__all__ = [
    "Card",
    "mark_duplicates",
    "spec_key_for",
    "translate",
    "validate_card",
    "validate_cards",
]

Card = tuple[int, dict[str, Any], list[Problem], set[str]]
"""A card built by a reader: its row number, the card, its problems, the fields that failed."""


def validate_card(
    schema: Schema, card: Card, column_of: Callable[[str], str | None], unit: str = "row"
) -> ParsedRow:
    """The validated card, or the card as read with the schema's problems added.

    A field the reader already reported (``failed``) is not reported again in the
    schema's words; ``column_of`` names the column of a field path.
    """
    number, data, problems, failed = card
    try:
        project = schema.load(data)
    except ValidationError as error:
        for found in flatten_messages(error.messages, whole=""):
            path = found.field
            if path.split(".")[0].split("[")[0] in failed:
                continue  # already reported, in the user's terms, for that cell
            da, en = translate(found.message)
            problems.append(
                Problem(da, en, row=number, column=column_of(path), field=path or None, unit=unit)
            )
        return ParsedRow(number, data, problems)
    return ParsedRow(number, project, problems)


def validate_cards(
    cards: Sequence[Card], place: Callable[[str], str], unit: str = "row"
) -> list[ParsedRow]:
    """Validate cards built by another reader (IATI); ``place`` names the element of a path."""
    schema = ProjectSchema()
    rows = [validate_card(schema, card, place, unit) for card in cards]
    mark_duplicates(rows, place("external_id"), unit)
    return rows


def mark_duplicates(rows: list[ParsedRow], column: str, unit: str = "row") -> None:
    """A second row with the same project id is an error, naming the first."""
    first_row: dict[str, int] = {}
    for row in rows:
        external_id = row.external_id
        if external_id is None:
            continue
        if external_id in first_row:
            row.problems.append(
                Problem(
                    f"Projekt-id '{external_id}' står også i "
                    f"{'aktivitet' if unit == 'activity' else 'række'} {first_row[external_id]}",
                    f"Project ID '{external_id}' also appears in {unit} {first_row[external_id]}",
                    row=row.number,
                    column=column,
                    field="external_id",
                    unit=unit,
                )
            )
        else:
            first_row[external_id] = row.number


def spec_key_for(path: str) -> str | None:
    """``evidence.url`` → ``evidence.url``; ``funding_sources[0].kind`` → ``funding_sources``."""
    plain = re.sub(r"\[\d+\]", "", path)
    if plain in SPEC_BY_KEY:
        return plain
    top = plain.split(".")[0]
    return top if top in SPEC_BY_KEY else None


_TRANSLATIONS: tuple[tuple[str, str], ...] = (
    (r"Missing data for required field\.", "Skal udfyldes"),
    (r"Shorter than minimum length 1\.", "Skal udfyldes"),
    (r"Longer than maximum length (\d+)\.", r"Højst \1 tegn eller værdier"),
    (
        r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.",
        r"Skal være mellem \1 og \2",
    ),
    (r"Not a valid email address\.", "Ikke en gyldig e-mailadresse"),
    (r"Not a valid URL\.", "Ikke en gyldig webadresse (URL)"),
    (r"Must not be before start_date\.", "Slutdatoen ligger før startdatoen"),
    (r"Must not be blank\.", "Må ikke være tom"),
    (r"Must not contain whitespace\.", "Må ikke indeholde mellemrum"),
)


def translate(message: str) -> tuple[str, str]:
    """A Danish version of the schema's English message.

    >>> translate("Missing data for required field.")
    ('Skal udfyldes', 'Missing data for required field.')
    """
    for pattern, danish in _TRANSLATIONS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, danish, message), message
    if " / " in message:  # already bilingual, Danish first (ecosystem.safe_text)
        danish, english = message.split(" / ", 1)
        return danish, english
    return f"Ugyldig værdi ({message})", message
