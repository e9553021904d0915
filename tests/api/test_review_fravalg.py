"""Reviews read the "fravalgt" register as of their moment (both databases).

A gap the register covers at the review's moment is not an open gap of the pack, nor an
item to discuss; the pack lists it under "Fravalgt" with the reason; since last review
names a gap that became fravalgt as such, not as closed. A later change to the register
does not change what an old review said.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.api.test_pages import text_of
from tests.api.test_reviews import first_review  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("reference_data")

REGISTER = "/api/v1/groups/kronikere-aarhus/deliberately-not"
INEQUALITY = "public_value:T2:sundhedsraad-aarhus:inequality"
CHOICE = {
    "themes": ["T2"],
    "reason": "Regionens ulighedsprogram løfter det.",
    "decided_by": "Sundhedsrådet",
    "decided_on": "2026-04-01",
}


def test_a_review_reads_the_register_as_of_its_moment(
    first_review,  # noqa: F811 (the fixture imported above)
    app,
    client,
    token_for,
):
    aarhus = token_for("kommune-aarhus")
    first = f"/api/v1/reviews/{first_review['id']}"
    assert INEQUALITY in {g["id"] for g in client.get(f"{first}/pack").json["gaps"]}
    entry = client.post(REGISTER, json=CHOICE, headers=aarhus).json
    second = client.post(
        "/api/v1/groups/kronikere-aarhus/reviews",
        json={"meeting_date": "2026-06-15"},
        headers=aarhus,
    ).json
    # The choice came after the first review: that review still calls the gap open.
    app.extensions["ecosystem.catalogue"].forget()
    assert INEQUALITY in {g["id"] for g in client.get(f"{first}/pack").json["gaps"]}

    pack = client.get(f"/api/v1/reviews/{second['id']}/pack").json
    assert INEQUALITY not in {g["id"] for g in pack["gaps"]}
    assert not [t for t in pack["to_discuss"] if t["kind"] == "gap"]
    opted = {g["id"]: g for g in pack["deliberately_not"]}
    assert opted[INEQUALITY]["opted_out_label"] == (
        "Fravalgt: Regionens ulighedsprogram løfter det. (Sundhedsrådet, 1. april 2026)"
    )
    changes = pack["since_last"]
    assert INEQUALITY in changes["gaps_opted_out"]
    assert INEQUALITY not in changes["gaps_closed"]
    named = {c["gap"]: c for c in changes["gap_changes"]}[INEQUALITY]
    assert named["change"] == "opted_out"
    assert named["text"].startswith("Fravalgt siden sidst: projekter om ulighed i sundhed")

    # Withdrawn later, the gap is open now, yet the second review reads as it was.
    client.delete(f"{REGISTER}/{entry['id']}", headers=aarhus)
    app.extensions["ecosystem.catalogue"].forget()
    now = client.get("/api/v1/groups/kronikere-aarhus/gaps").json
    assert INEQUALITY in {g["id"] for g in now["gaps"]}
    again = client.get(f"/api/v1/reviews/{second['id']}/pack").json
    assert again["deliberately_not"] == pack["deliberately_not"]

    page = text_of(client.get(f"/reviews/{second['id']}"))
    assert 'id="opted-out-title">Fravalgt</h2>' in page
    assert "Regionens ulighedsprogram løfter det. (Sundhedsrådet, 1. april 2026)" in page
    sheets = load_workbook(
        io.BytesIO(client.get(f"/api/v1/reviews/{second['id']}/pack?format=xlsx").data)
    )
    rows = list(sheets["Fravalgt"].iter_rows(values_only=True))
    assert rows[0] == ("Hvad (What)", "Fravalgt fordi (Opted out because)")
    assert ("projekter om ulighed i sundhed", opted[INEQUALITY]["opted_out_label"]) in rows
