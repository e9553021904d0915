"""Planning a publish and an import, and deciding whether a preview may still be published.

All pure: the current projects and the new cards are plain data, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from ecosystem.errors import InvalidInput, NotFound, flatten_messages
from ecosystem.iati import sectors
from ecosystem.previews import Preview, new_preview, still_as_previewed, unpublishable
from ecosystem.publishing import (
    StoredCard,
    fingerprint,
    plan_import,
    plan_publish,
    plan_withdrawal,
)
from ecosystem.references import card_reference_errors
from ecosystem.spreadsheet import ParsedImport, ParsedRow, Problem
from ecosystem.tabular import Column, Table, to_csv_bytes, to_xlsx_workbook

ORG = "kommune-aarhus"
NOW = dt.datetime(2026, 5, 4, 12, tzinfo=dt.UTC)


def card(external_id: str, **fields: Any) -> dict[str, Any]:
    return {"external_id": external_id, "title": f"Projekt {external_id}", **fields}


def stored(
    external_id: str, *, revision: int = 1, withdrawn: bool = False, **fields: Any
) -> StoredCard:
    number = int(external_id.rsplit("-", 1)[-1])
    return StoredCard(number, external_id, card(external_id, **fields), revision, withdrawn)


def by_id(*cards: StoredCard) -> dict[str, StoredCard]:
    return {c.external_id: c for c in cards}


# --- plan_publish ---------------------------------------------------------------------------


def test_new_changed_and_equal_cards_are_created_updated_and_left_alone():
    current = by_id(stored("P-1"), stored("P-2"))
    plan = plan_publish(
        ORG, current, [card("P-1"), card("P-2", title="Ny"), card("P-3")], full=False
    )
    assert (plan.result.created, plan.result.updated, plan.result.unchanged) == (
        ["P-3"],
        ["P-2"],
        ["P-1"],
    )
    assert plan.creates == [card("P-3")]
    assert [(c.before.external_id, c.data["title"], c.action) for c in plan.changes] == [
        ("P-2", "Ny", "updated")
    ]
    assert not plan.result.withdrawn


def test_a_withdrawn_project_published_again_is_restored_even_when_its_card_is_equal():
    plan = plan_publish(ORG, by_id(stored("P-1", withdrawn=True)), [card("P-1")], full=False)
    assert plan.result.updated == ["P-1"]
    assert plan.changes[0].action == "restored"


def test_republishing_the_same_cards_changes_nothing():
    current = by_id(stored("P-1"), stored("P-2"))
    plan = plan_publish(ORG, current, [card("P-1"), card("P-2")], full=True)
    assert not plan.result.changed
    assert plan.creates == [] and plan.changes == []


def test_only_a_whole_portfolio_publish_withdraws_what_it_leaves_out():
    current = by_id(stored("P-1"), stored("P-2"), stored("P-3", withdrawn=True))
    assert plan_publish(ORG, current, [card("P-1")], full=False).result.withdrawn == []
    plan = plan_publish(ORG, current, [card("P-1")], full=True)
    assert plan.result.withdrawn == ["P-2"]  # P-3 is withdrawn already
    withdrawal = plan.changes[0]
    assert (withdrawal.action, withdrawal.data) == ("withdrawn", current["P-2"].data)


def test_a_kept_project_is_not_withdrawn_by_a_whole_portfolio_publish():
    current = by_id(stored("P-1"), stored("P-2"))
    plan = plan_publish(ORG, current, [card("P-1")], full=True, keep={"P-2"})
    assert plan.result.withdrawn == []


def test_withdrawing_needs_a_live_project():
    plan = plan_withdrawal(ORG, stored("P-1"), "P-1")
    assert plan.result.withdrawn == ["P-1"] and plan.changes[0].action == "withdrawn"
    for gone in (None, stored("P-1", withdrawn=True)):
        with pytest.raises(NotFound, match="No published project 'P-1'"):
            plan_withdrawal(ORG, gone, "P-1")


def test_the_fingerprint_changes_with_any_revision_withdrawal_or_new_project():
    base = by_id(stored("P-1"), stored("P-2"))
    same = fingerprint(ORG, by_id(stored("P-2"), stored("P-1")))
    assert fingerprint(ORG, base) == same
    for changed in (
        by_id(stored("P-1", revision=2), stored("P-2")),
        by_id(stored("P-1", withdrawn=True), stored("P-2")),
        by_id(stored("P-1"), stored("P-2"), stored("P-3")),
    ):
        assert fingerprint(ORG, changed) != same
    assert fingerprint("region-midtjylland", base) != same


# --- plan_import ----------------------------------------------------------------------------


def parsed(*rows: ParsedRow) -> ParsedImport:
    return ParsedImport(
        "csv", list(rows), [Problem("Ukendt kolonne", "Unknown column", severity="warning")]
    )


def error(row: int) -> Problem:
    return Problem("Fejl", "Error", row=row, column="Temaer")


def test_every_row_is_reported_with_what_it_becomes():
    current = by_id(stored("P-1"), stored("P-2", withdrawn=True), stored("P-3"), stored("P-4"))
    file = parsed(
        ParsedRow(2, card("P-1")),
        ParsedRow(3, card("P-2")),
        ParsedRow(4, card("P-3", title="Ny titel", stage="pilot")),
        ParsedRow(5, card("P-5")),
        ParsedRow(6, card("P-6"), [error(6)]),
    )
    planned = plan_import(ORG, current, file, full=True)
    actions = [(r["row"], r["external_id"], r["action"]) for r in planned.rows]
    assert actions == [
        (2, "P-1", "unchanged"),
        (3, "P-2", "updated"),
        (4, "P-3", "updated"),
        (5, "P-5", "created"),
        (6, "P-6", "invalid"),
        (None, "P-4", "withdrawn"),
    ]
    assert planned.rows[1]["restored"] is True and planned.rows[2]["restored"] is False
    assert planned.rows[2]["changed_fields"] == ["stage", "title"]
    assert planned.rows[4]["problems"][0]["column"] == "Temaer"
    assert planned.rows[5]["project"] == current["P-4"].data
    assert planned.summary == {
        "rows": 5,
        "created": 1,
        "updated": 2,
        "unchanged": 1,
        "withdrawn": 1,
        "invalid": 1,
        "errors": 1,
        "warnings": 1,
    }
    assert planned.fingerprint == fingerprint(ORG, current)
    assert planned.plan.creates == [card("P-5")]  # the invalid row is not published


def test_a_row_that_cannot_be_read_does_not_withdraw_its_project():
    current = by_id(stored("P-1"), stored("P-2"))
    file = parsed(ParsedRow(2, card("P-1")), ParsedRow(3, card("P-2"), [error(3)]))
    planned = plan_import(ORG, current, file, full=True)
    assert planned.plan.result.withdrawn == [] and planned.summary["withdrawn"] == 0
    assert all(change.action != "withdrawn" for change in planned.plan.changes)


# --- previews -------------------------------------------------------------------------------


def preview_of(current: dict[str, StoredCard], *rows: ParsedRow, full: bool = False) -> Preview:
    file = parsed(*rows)
    planned = plan_import(ORG, current, file, full=full)
    return new_preview(
        "abc", ORG, file, planned, full=full, actor="org:x", filename="p.csv", now=NOW
    )


def test_a_preview_is_published_only_as_it_was_previewed():
    current = by_id(stored("P-1"))
    preview = preview_of(current, ParsedRow(2, card("P-1", title="Ny")), ParsedRow(3, card("P-2")))
    assert preview.pending and not preview.expired(NOW)
    assert preview.expired(NOW + dt.timedelta(hours=3))
    assert preview.cards() == [card("P-1", title="Ny"), card("P-2")]
    again = plan_publish(ORG, current, preview.cards(), full=preview.full)
    assert still_as_previewed(preview, again)
    moved_on = by_id(stored("P-1", revision=2))
    assert not still_as_previewed(preview, plan_publish(ORG, moved_on, preview.cards(), full=False))


def test_a_preview_with_errors_says_why_it_cannot_be_published_by_place():
    preview = preview_of({}, ParsedRow(2, card("P-1")), ParsedRow(3, card("P-2"), [error(3)]))
    refusal = unpublishable(preview)
    assert isinstance(refusal, InvalidInput)
    assert [(e.field, e.message) for e in refusal.errors] == [("row 3, Temaer", "Fejl / Error")]
    assert "1 problem(s)" in str(refusal)


# --- reference codes, sector mapping, tables and messages ---------------------------------


def test_every_unknown_code_is_named_with_its_place():
    known = {"themes": {"T2", "T13"}, "target_groups": set(), "areas": {"0751"}, "goals": set()}
    cards = [
        card("P-1", themes=["T2"], areas=["0751"]),
        card("P-2", themes=["T22"], partners=[{"organisation": "auhh"}, {"name": "Fri tekst"}]),
    ]
    errors = card_reference_errors(cards, known, {"auh"}, lambda index: f"projects[{index}]")
    assert [(e.field, e.message) for e in errors] == [
        ("projects[1].themes[0]", "Unknown theme code 'T22'. Did you mean 'T2'?"),
        (
            "projects[1].partners[0].organisation",
            "Unknown organisation code 'auhh'. Did you mean 'auh'?",
        ),
    ]
    assert card_reference_errors(cards[:1], known, set(), lambda _: "") == []


def test_an_admin_mapping_replaces_the_default_and_unknown_themes_are_set_apart():
    override = sectors.SectorOverride(["T13", "T99"], "admin", NOW)
    rows = {row.sector: row for row in sectors.sector_theme_rows({"43082": override}, {"T13"})}
    assert (rows["43082"].themes, rows["43082"].unknown_themes, rows["43082"].source) == (
        ["T13"],
        ["T99"],
        "admin",
    )
    assert sectors.themes_in_force({"43082": override}, {"T13"})["43082"] == ["T13"]
    assert sectors.checked_themes(["T13", "T13"], {"T13"}) == ["T13"]
    with pytest.raises(InvalidInput) as refused:
        sectors.checked_themes(["T13", "T99"], {"T13"})
    assert refused.value.errors[0].field == "themes[1]"


def test_text_that_looks_like_a_formula_is_never_one_in_csv_or_xlsx():
    table = Table(
        "Ark", [Column("text", "Tekst")], [{"text": t} for t in ("=1+1", "+45", "-x", "@a", "ok")]
    )
    workbook = load_workbook(io.BytesIO(to_xlsx_workbook([table, Table("To", [], [])])))
    assert workbook.sheetnames == ["Ark", "To"]
    cells = [row[0] for row in workbook["Ark"].iter_rows(min_row=2)]
    # XLSX: every text cell is typed as text, shown as written, never evaluated.
    assert [(c.value, c.data_type) for c in cells] == [
        (text, "s") for text in ("=1+1", "+45", "-x", "@a", "ok")
    ]
    # CSV is parsed by Excel, so text that could start a formula gets an apostrophe.
    lines = to_csv_bytes(table).decode("utf-8-sig").splitlines()[1:]
    assert lines == ["'=1+1", "'+45", "'-x", "'@a", "ok"]


def test_nested_validation_messages_get_one_place_each():
    messages = {
        "projects": {3: {"stage": ["Bad stage."]}, "_schema": ["Bad list."]},
        "_schema": ["Bad."],
    }
    assert [(e.field, e.message) for e in flatten_messages(messages)] == [
        ("projects[3].stage", "Bad stage."),
        ("projects", "Bad list."),
        ("(document)", "Bad."),
    ]
