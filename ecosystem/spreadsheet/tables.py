"""Writing cards out: the template's columns for a portfolio, and a project listing.

A portfolio table has exactly the template's columns, so an exported file can be edited
and imported again; a listing adds who owns each project and the record's own fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ecosystem.model import ProjectRecord
from ecosystem.spreadsheet.columns import COLUMNS, INFO_COLUMNS, FieldSpec
from ecosystem.tabular import Table

__all__ = ["card_to_row", "listing_table", "portfolio_table"]


def card_to_row(card: Mapping[str, Any]) -> dict[str, Any]:
    """A stored card as the template's cells: typed dates and numbers, ';'-joined lists."""
    row: dict[str, Any] = {}
    for spec in COLUMNS:
        value = _dig(card, spec.key)
        if value is None or value == []:
            continue
        row[spec.key] = _cell_for(spec, value)
    return row


def _dig(card: Mapping[str, Any], key: str) -> Any:
    if "." in key:
        outer, inner = key.split(".", 1)
        nested = card.get(outer)
        return nested.get(inner) if isinstance(nested, Mapping) else None
    return card.get(key)


def _cell_for(spec: FieldSpec, value: Any) -> Any:
    if spec.kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if spec.kind == "number" and isinstance(value, float) and value.is_integer():
        return int(value)
    if spec.kind == "funding":
        return [f"{source['name']} ({source.get('kind', 'other')})" for source in value]
    if spec.kind == "partners":
        return [partner.get("organisation") or partner.get("name") for partner in value]
    if spec.kind == "links":
        return [
            f"{link['organisation']}/{link['external_id']} ({link.get('relation', 'related')})"
            for link in value
        ]
    return value


def portfolio_table(cards: Iterable[Mapping[str, Any]], title: str = "Projekter") -> Table:
    """An organisation's cards in the template's columns: an export that imports unchanged."""
    return Table(title, [spec.column for spec in COLUMNS], [card_to_row(card) for card in cards])


def listing_table(
    records: Sequence[ProjectRecord],
    organisation_names: Mapping[str, str],
    title: str = "Projekter",
) -> Table:
    """A project listing: who owns each project, then the template's columns, then the record."""
    owner, name, *record_columns = INFO_COLUMNS
    rows = [
        {
            **card_to_row(record.data),
            "organisation": record.organisation_id,
            "organisation_name": organisation_names.get(record.organisation_id, ""),
            "id": record.id,
            "revision": record.revision,
            "updated_at": record.updated_at,
            "withdrawn": record.withdrawn,
        }
        for record in records
    ]
    columns = [owner, name, *(spec.column for spec in COLUMNS), *record_columns]
    return Table(title, columns, rows)
