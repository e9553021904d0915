"""Matchmaking end to end: consent on both sides, the match both see, answers, the inbox
page, the digest mail, and private projects never shown."""

from __future__ import annotations

import email.header
import re
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from api import jobs
from api.cli import main
from api.db import new_unit_of_work
from ecosystem.store.matches import MatchAnswer, MatchRow, MatchSetting
from tests.api.test_pages import csrf, sign_in
from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")

A, B, C = "kommune-aarhus", "kommune-aalborg", "auh"
TEXT = (
    "Borgere med svær KOL får en tablet og måleudstyr til iltmætning og puls. "
    "Hjemmesygeplejen følger målingerne dagligt og ringer ved forværring, så "
    "indlæggelser undgås. Forløbet varer seks måneder med opfølgning hos egen læge."
)


def twin(external_id: str, **fields: Any) -> dict[str, Any]:
    """The same intervention in (nearly) the same words: surely the same."""
    return project(
        external_id,
        title="Telemonitorering af borgere med svær KOL",
        description=TEXT,
        **{"target_groups": ["kol"], **fields},
    )


OTHER = project(
    "OTHER",
    title="Styrket rehabilitering efter hoftebrud",
    description="Ældre med hoftebrud får genoptræning i eget hjem af fysioterapeuter.",
)


def opt(client, token_for, organisation: str, opted_in: bool = True, excluded=()) -> Any:
    response = client.put(
        f"/api/v1/organisations/{organisation}/matchmaking",
        json={"opted_in": opted_in, "excluded_projects": list(excluded)},
        headers=token_for(organisation),
    )
    assert response.status_code == 200, response.json
    return response.json


def refresh(runner) -> str:
    result = runner.invoke(main, ["matches", "refresh"])
    assert result.exit_code == 0, result.output
    return result.output


def matches_of(client, token_for, organisation: str) -> list[dict[str, Any]]:
    response = client.get("/api/v1/matches", headers=token_for(organisation))
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def twins(client, token_for):
    contact = {"name": "Sekretariatet", "email": "sundhed@aarhus.example"}
    publish(client, token_for, A, twin("A-1", areas=["0751"], contact=contact), OTHER)
    publish(client, token_for, B, twin("B-1", areas=["0851"]))


def test_consent_is_off_by_default_and_only_the_organisation_reads_it(client, token_for):
    own = client.get(f"/api/v1/organisations/{A}/matchmaking", headers=token_for(A))
    assert own.status_code == 200
    assert own.json == {"organisation": A, "opted_in": False, "excluded_projects": []}
    assert client.get(f"/api/v1/organisations/{A}/matchmaking").status_code == 401
    other = client.get(f"/api/v1/organisations/{A}/matchmaking", headers=token_for(B))
    assert other.status_code == 403
    put = client.put(
        f"/api/v1/organisations/{A}/matchmaking", json={"opted_in": True}, headers=token_for(B)
    )
    assert put.status_code == 403


def test_both_opted_in_gives_one_match_both_sides_see(client, token_for, runner, twins, db):
    opt(client, token_for, A)
    opt(client, token_for, B)
    assert "new matches: 1" in refresh(runner)
    assert "new matches: 0" in refresh(runner)  # idempotent
    assert db.scalar(select(func.count()).select_from(MatchRow)) == 1
    [seen_by_a] = matches_of(client, token_for, A)
    [seen_by_b] = matches_of(client, token_for, B)
    assert seen_by_a["id"] == seen_by_b["id"]
    assert seen_by_a["own"]["external_id"] == "A-1" and seen_by_a["other"]["external_id"] == "B-1"
    assert (
        seen_by_b["own"]["external_id"] == "B-1" and seen_by_b["other"]["organisation"]["id"] == A
    )
    assert seen_by_a["confidence"] == "same"
    assert seen_by_a["confidence_label"] == "Sikkert samme indsats"
    assert seen_by_a["reasons"][0].startswith("Sikkert samme indsats")
    assert seen_by_a["reasons_en"] and seen_by_a["other_hint"] is None
    assert matches_of(client, token_for, C) == []


@pytest.mark.parametrize("opted", [(A,), (B,), ()])
def test_no_match_unless_both_organisations_opted_in(client, token_for, runner, twins, opted, db):
    for organisation in opted:
        opt(client, token_for, organisation)
    assert "new matches: 0" in refresh(runner)
    assert matches_of(client, token_for, A) == [] and matches_of(client, token_for, B) == []


def test_a_project_opted_out_is_not_matched(client, token_for, runner, twins):
    opt(client, token_for, A, excluded=["A-1"])
    opt(client, token_for, B)
    assert "new matches: 0" in refresh(runner)
    assert matches_of(client, token_for, B) == []


def test_withdrawing_consent_hides_the_match_and_keeps_it(client, token_for, runner, twins, db):
    opt(client, token_for, A)
    opt(client, token_for, B)
    refresh(runner)
    opt(client, token_for, B, opted_in=False)
    assert matches_of(client, token_for, A) == []
    assert db.scalar(select(func.count()).select_from(MatchRow)) == 1
    opt(client, token_for, B)
    assert len(matches_of(client, token_for, A)) == 1


def test_answers_are_recorded_kept_and_seen_by_the_other_side(client, token_for, runner, twins, db):
    opt(client, token_for, A)
    opt(client, token_for, B)
    refresh(runner)
    [match] = matches_of(client, token_for, A)
    url = f"/api/v1/matches/{match['id']}/answer"
    first = client.post(url, json={"answer": "interested"}, headers=token_for(A))
    assert first.status_code == 201, first.json
    assert first.json["own_answer"]["answer"] == "interested"
    second = client.post(
        url,
        json={"answer": "in_contact", "reason": "Vi mødtes i foråret."},
        headers=token_for(A),
    )
    assert second.status_code == 201
    [seen_by_b] = matches_of(client, token_for, B)
    assert seen_by_b["other_answer"]["answer"] == "in_contact"
    assert seen_by_b["other_answer"]["reason"] == "Vi mødtes i foråret."
    assert seen_by_b["own_answer"] is None
    assert [a["answer"] for a in seen_by_b["answers"]] == ["interested", "in_contact"]
    assert {a["side"] for a in seen_by_b["answers"]} == {"other"}
    assert db.scalar(select(func.count()).select_from(MatchAnswer)) == 2


def _pair_ids(client, token_for, organisation: str) -> set[tuple[str, str]]:
    return {
        (m["own"]["external_id"], m["other"]["external_id"])
        for m in matches_of(client, token_for, organisation)
    }


@pytest.mark.parametrize(
    ("because", "taught"), [("different_target_group", True), ("other", False)]
)
def test_a_not_relevant_reason_narrows_that_projects_later_matches(
    client, token_for, runner, twins, because, taught
):
    for organisation in (A, B, "kommune-favrskov", C):
        opt(client, token_for, organisation)
    refresh(runner)
    [match] = matches_of(client, token_for, A)
    said = client.post(
        f"/api/v1/matches/{match['id']}/answer",
        json={"answer": "not_relevant", "because": because, "reason": "Vi arbejder med ældre"},
        headers=token_for(A),
    )
    assert said.status_code == 201, said.json
    assert said.json["own_answer"]["because"] == because
    # Two more copies of A-1's intervention: one for another target group, one for the same.
    publish(client, token_for, "kommune-favrskov", twin("F-1", target_groups=["aeldre"]))
    publish(client, token_for, C, twin("H-1", areas=["0751"]))
    refresh(runner)
    later = _pair_ids(client, token_for, A)
    assert ("A-1", "H-1") in later  # a shared target group is still matched
    assert (("A-1", "F-1") in later) is not taught
    # the lesson is A-1's alone: Aalborg's copy still meets Favrskov's
    assert ("B-1", "F-1") in _pair_ids(client, token_for, B)


def test_why_not_relevant_belongs_to_that_answer_only(client, token_for, runner, twins, db):
    opt(client, token_for, A)
    opt(client, token_for, B)
    refresh(runner)
    [match] = matches_of(client, token_for, A)
    url = f"/api/v1/matches/{match['id']}/answer"
    for document in (
        {"answer": "interested", "because": "different_place"},
        {"answer": "not_relevant", "because": "no-such-reason"},
    ):
        refused = client.post(url, json=document, headers=token_for(A))
        assert refused.status_code == 422, refused.json
        assert [e["field"] for e in refused.json["errors"]] == ["because"]
    assert db.scalar(select(func.count()).select_from(MatchAnswer)) == 0


def test_only_a_side_may_answer_and_bad_answers_write_nothing(client, token_for, runner, twins, db):
    opt(client, token_for, A)
    opt(client, token_for, B)
    opt(client, token_for, C)
    refresh(runner)
    [match] = matches_of(client, token_for, A)
    url = f"/api/v1/matches/{match['id']}/answer"
    outsider = client.post(url, json={"answer": "interested"}, headers=token_for(C))
    assert outsider.status_code == 404
    assert (
        client.post(
            "/api/v1/matches/999999/answer", json={"answer": "interested"}, headers=token_for(A)
        ).json["detail"]
        == outsider.json["detail"]
    )
    posing = client.post(
        url, json={"answer": "interested", "organisation": B}, headers=token_for(A)
    )
    assert posing.status_code == 403
    assert client.post(url, json={"answer": "interested"}).status_code == 401
    bad = client.post(url, json={"answer": "maybe"}, headers=token_for(A))
    assert bad.status_code == 422
    assert bad.headers["Content-Type"].startswith("application/problem+json")
    assert [e["field"] for e in bad.json["errors"]] == ["answer"]
    long = client.post(
        url, json={"answer": "interested", "reason": "x" * 2001}, headers=token_for(A)
    )
    assert long.status_code == 422 and long.json["errors"][0]["field"] == "reason"
    assert db.scalar(select(func.count()).select_from(MatchAnswer)) == 0


def test_bad_consent_names_the_field_and_writes_nothing(client, token_for, twins, db):
    for body, field in (
        ({"opted_in": "yes"}, "opted_in"),
        ({}, "opted_in"),
        ({"opted_in": True, "excluded_projects": ["A-1", "NOPE"]}, "excluded_projects[1]"),
    ):
        response = client.put(
            f"/api/v1/organisations/{A}/matchmaking", json=body, headers=token_for(A)
        )
        assert response.status_code == 422, body
        assert response.headers["Content-Type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json["errors"]] == [field]
    assert db.scalar(select(func.count()).select_from(MatchSetting)) == 0


def test_a_private_project_is_never_shown_to_the_other_side(client, token_for, runner, db):
    publish(client, token_for, A, twin("SECRET", visibility="private", areas=["0751"]))
    publish(client, token_for, B, twin("B-1", areas=["0851"]))
    opt(client, token_for, A)
    opt(client, token_for, B)
    assert "new matches: 0" in refresh(runner)  # the owner allowed no hint: no match at all
    publish(
        client,
        token_for,
        A,
        twin("SECRET", visibility="private", disclose_when_private=True, areas=["0751"]),
    )
    assert "new matches: 1" in refresh(runner)
    [seen_by_b] = matches_of(client, token_for, B)
    assert seen_by_b["other"] is None
    assert seen_by_b["other_hint"]["message"] == (
        "Et ikke-offentligt projekt hos en kommune i Region Midtjylland"
    )
    assert seen_by_b["reasons"] == [] and seen_by_b["highlights"] == []
    said = client.get("/api/v1/matches", headers=token_for(B)).get_data(as_text=True)
    for mark in ("SECRET", A, "Aarhus", "tablet"):
        assert mark not in said
    answered = client.post(
        f"/api/v1/matches/{seen_by_b['id']}/answer",
        json={"answer": "interested"},
        headers=token_for(A),
    )
    assert answered.status_code == 201
    said = client.get("/api/v1/matches", headers=token_for(B)).get_data(as_text=True)
    assert A not in said and "SECRET" not in said  # an answer does not name its owner
    [seen_by_a] = matches_of(client, token_for, A)
    assert (
        seen_by_a["own"]["external_id"] == "SECRET" and seen_by_a["other"]["external_id"] == "B-1"
    )


def test_the_inbox_page_shows_the_match_and_takes_an_answer(client, token_for, runner, twins):
    opt(client, token_for, A)
    opt(client, token_for, B)
    refresh(runner)
    assert client.get("/matches").status_code == 303  # sign in first
    sign_in(client, token_for, B)
    page = client.get("/matches")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Telemonitorering af borgere med svær KOL" in text
    assert "Aarhus Kommune" in text and "Sikkert samme indsats" in text
    match_id = re.search(r'id="match-(\d+)"', text)[1]
    token = csrf(client, "/matches")
    bad = client.post(f"/matches/{match_id}/answer", data={"csrf_token": token, "answer": "maybe"})
    assert bad.status_code == 422
    good = client.post(
        f"/matches/{match_id}/answer",
        data={
            "csrf_token": token,
            "answer": "not_relevant",
            "because": "different_place",
            "reason": "Andet publikum",
        },
    )
    assert good.status_code == 303
    [seen_by_a] = matches_of(client, token_for, A)
    assert seen_by_a["other_answer"]["answer"] == "not_relevant"
    assert seen_by_a["other_answer"]["because_label"] == "Et andet sted i landet"
    again = client.get("/matches").get_data(as_text=True)
    assert "Andet publikum" in again and "Hvis ikke relevant: hvorfor?" in again
    assert '<option value="different_place" selected>' in again


def test_the_consent_toggle_on_the_organisations_page(client, token_for, twins, db):
    sign_in(client, token_for, A)
    page = client.get(f"/organisations/{A}").get_data(as_text=True)
    assert 'name="opted_in"' in page
    assert 'name="opted_in"' not in client.get(f"/organisations/{B}").get_data(as_text=True)
    token = csrf(client, f"/organisations/{A}")
    saved = client.post(
        f"/organisations/{A}/matchmaking",
        data={"csrf_token": token, "opted_in": "yes", "excluded_projects": "OTHER"},
    )
    assert saved.status_code == 303
    assert client.get(f"/api/v1/organisations/{A}/matchmaking", headers=token_for(A)).json == {
        "organisation": A,
        "opted_in": True,
        "excluded_projects": ["OTHER"],
    }
    bad = client.post(
        f"/organisations/{A}/matchmaking",
        data={"csrf_token": token, "opted_in": "yes", "excluded_projects": "NOPE"},
    )
    assert bad.status_code == 422
    refused = client.post(
        f"/organisations/{B}/matchmaking", data={"csrf_token": token, "opted_in": "yes"}
    )
    assert refused.status_code == 403
    assert db.scalar(select(func.count()).select_from(MatchSetting)) == 1


def test_the_digest_mails_new_matches_once(client, token_for, runner, app, twins, inbox):
    sink, port = inbox
    opt(client, token_for, A)
    opt(client, token_for, B)
    refresh(runner)
    printed = runner.invoke(main, ["matches", "digest"])
    assert printed.exit_code == 0, printed.output
    assert "Aarhus Kommune (kommune-aarhus)" in printed.output
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="match@rm.example")
    sent = runner.invoke(main, ["matches", "digest", "--send"])
    assert sent.exit_code == 0, sent.output
    assert "Sendt / sent: 1" in sent.output
    assert B in sent.stderr  # no address on its cards: said so
    [message] = sink.messages
    assert sink.envelopes == [["sundhed@aarhus.example"]]
    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert subject.startswith("1 nye match")
    body = message.get_payload(decode=True).decode()
    assert "Telemonitorering af borgere med svær KOL (Aalborg Kommune)" in body
    again = runner.invoke(main, ["matches", "digest", "--send"])
    assert again.exit_code == 0
    assert len(sink.messages) == 1  # the match was named once; only newer ones follow


def test_the_background_job_looks_again_only_after_a_change(app, client, token_for, twins, db):
    """The web process's job refreshes after the embedding queue drains, never on a
    request: publishing and opting in record no match by themselves."""
    opt(client, token_for, A)
    opt(client, token_for, B)
    assert db.scalar(select(func.count()).select_from(MatchRow)) == 0
    seen = jobs._refresh_matches(new_unit_of_work(app), None)
    assert db.scalar(select(func.count()).select_from(MatchRow)) == 1
    db.execute(delete(MatchRow))
    db.commit()
    assert jobs._refresh_matches(new_unit_of_work(app), seen) == seen  # nothing changed
    assert db.scalar(select(func.count()).select_from(MatchRow)) == 0  # so it did not look
    opt(client, token_for, B, excluded=[])  # a consent saved again: it looks again
    jobs._refresh_matches(new_unit_of_work(app), seen)
    assert db.scalar(select(func.count()).select_from(MatchRow)) == 1
