"""Before the meeting: the cards not reviewed since the last review, listed and e-mailed."""

from __future__ import annotations

import email
import json

import pytest

from api.cli import main
from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

GROUP = {
    "id": "kronikere-aarhus",
    "name": "Kronikere og ældre – Sundhedsråd Aarhus",
    "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
    "coordinators": ["kommune-aarhus"],
}


@pytest.fixture
def arranged(client, token_for):
    contact = {"name": "Sekretariatet", "email": "sundhed@aarhus.example"}
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("OLD", title="Gammelt kort", last_reviewed="2026-01-10", contact=contact),
        project("NEVER", title="Aldrig bekræftet", contact=contact),
        project("FRESH", title="Nyligt bekræftet", last_reviewed="2026-04-01", contact=contact),
        project("ELSEWHERE", title="I Aalborg", areas=["0851"], contact=contact),
    )
    publish(
        client,
        token_for,
        "auh",
        project("H-1", title="Hospitalets kort", last_reviewed="2026-02-01"),
    )
    assert (
        client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True)).status_code == 201
    )
    opened = client.post(
        "/api/v1/groups/kronikere-aarhus/reviews",
        json={"meeting_date": "2026-03-01"},
        headers=token_for("kommune-aarhus"),
    )
    assert opened.status_code == 201


def test_the_list_names_each_organisations_cards_not_reviewed_since_the_last_meeting(
    arranged, client
):
    body = client.get("/api/v1/groups/kronikere-aarhus/refresh-list").json
    assert body["since"] == "2026-03-01"
    listed = {o["organisation"]["id"]: o for o in body["organisations"]}
    assert [p["external_id"] for p in listed["kommune-aarhus"]["projects"]] == ["NEVER", "OLD"]
    assert listed["kommune-aarhus"]["contacts"] == ["sundhed@aarhus.example"]
    assert [p["external_id"] for p in listed["auh"]["projects"]] == ["H-1"]
    assert listed["auh"]["contacts"] == []


def test_the_command_prints_the_list(arranged, runner):
    result = runner.invoke(main, ["reviews", "reminders", "kronikere-aarhus"])
    assert result.exit_code == 0, result.output
    assert "Aarhus Kommune (kommune-aarhus)" in result.output
    assert "OLD  Gammelt kort  [2026-01-10]" in result.output
    assert "NEVER  Aldrig bekræftet  [aldrig / never]" in result.output
    assert "FRESH" not in result.output and "ELSEWHERE" not in result.output
    as_json = runner.invoke(main, ["reviews", "reminders", "kronikere-aarhus", "--json"])
    assert json.loads(as_json.output)["organisations"]["auh"]["projects"] == ["H-1"]


def test_the_command_e_mails_each_organisation_through_the_configured_smtp_server(
    arranged, runner, app, inbox
):
    sink, port = inbox
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="sekretariat@rm.example")
    result = runner.invoke(main, ["reviews", "reminders", "kronikere-aarhus", "--send"])
    assert result.exit_code == 0, result.output
    assert "Sendt / sent: 1" in result.output
    assert "auh" in result.stderr  # no address on its cards: said so, not silently skipped
    [message] = sink.messages
    assert sink.envelopes == [["sundhed@aarhus.example"]]
    assert message["From"] == "sekretariat@rm.example"
    assert "2 projektkort" in str(
        email.header.make_header(email.header.decode_header(message["Subject"]))
    )
    body = message.get_payload(decode=True).decode()
    assert "Gammelt kort (OLD, 2026-01-10)" in body
    assert "Aldrig bekræftet (NEVER, aldrig / never)" in body
    assert "Nyligt bekræftet" not in body


def test_sending_without_an_smtp_server_is_refused_with_a_reason(arranged, runner, monkeypatch):
    monkeypatch.delenv("ECOSYSTEM_SMTP_HOST", raising=False)
    result = runner.invoke(main, ["reviews", "reminders", "kronikere-aarhus", "--send"])
    assert result.exit_code != 0
    assert "SMTP" in result.output
