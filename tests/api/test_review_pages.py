"""The review cycle on the pages: open a review, record decisions, answer them (both databases).

Each form is posted as a browser would (CSRF token from the page, a signed-in session),
and each refusal is checked to write nothing: missing fields, over-long text, another
organisation, a reader who does not lead the group.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecosystem.store.reviews import DecisionResponse, Review, ReviewDecision
from tests.api.test_pages import controls_of, csrf, sign_in, text_of
from tests.api.test_reviews import GROUP, kol
from tests.builders import publish

pytestmark = pytest.mark.usefixtures("reference_data")

COORDINATOR = "kommune-aarhus"  # coordinates the group
MEMBER = "auh"  # a member, not a coordinator; owns H-1
OUTSIDER = "kommune-favrskov"


@pytest.fixture
def group(client, token_for):
    """The group of tests/api/test_reviews.py with one overlap: P-1 (Aarhus) × H-1 (AUH)."""
    publish(client, token_for, COORDINATOR, kol("P-1"))
    publish(client, token_for, MEMBER, kol("H-1"))
    created = client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True))
    assert created.status_code == 201, created.json
    return GROUP["id"]


def count(db: Session, table: Any) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(table)) or 0


def english(client):
    assert client.get("/language/en").status_code == 303


def form(client, **fields: Any) -> dict[str, Any]:
    return {"csrf_token": csrf(client, "/sign-in"), **fields}


# --- 1. the group page and opening a review -------------------------------------------------


def test_the_group_page_links_its_reviews_and_offers_the_meeting_only_to_its_leaders(
    client, token_for, group
):
    page = text_of(client.get(f"/groups/{group}"))
    assert f'href="/groups/{group}/reviews"' in page
    assert "Forbered næste møde" not in page
    sign_in(client, token_for, MEMBER)
    assert "Forbered næste møde" not in text_of(client.get(f"/groups/{group}"))
    sign_in(client, token_for, COORDINATOR)
    page = text_of(client.get(f"/groups/{group}"))
    assert "Forbered næste møde" in page and f'href="/groups/{group}/reviews/new"' in page
    assert "Forbered næste møde" in text_of(client.get(f"/groups/{group}/reviews"))


def test_the_meeting_form_is_for_the_groups_leaders(client, token_for, group):
    anonymous = client.get(f"/groups/{group}/reviews/new")
    assert anonymous.status_code == 303 and "/sign-in" in anonymous.location
    sign_in(client, token_for, MEMBER)
    refused = client.get(f"/groups/{group}/reviews/new")
    assert refused.status_code == 403
    assert "Kun gruppens koordinatorer og administratorer" in text_of(refused)
    sign_in(client, token_for, COORDINATOR)
    form = text_of(client.get(f"/groups/{group}/reviews/new"))
    assert 'name="meeting_date"' in form and 'name="participants"' in form
    assert 'name="role-auh"' in form


def test_a_coordinator_opens_a_review_with_its_participants(client, token_for, group, db):
    sign_in(client, token_for, COORDINATOR)
    data = form(
        client,
        meeting_date="2026-03-15",
        title="Møde i marts",
        participants=[COORDINATOR, MEMBER],
        **{"role-kommune-aarhus": "political", "role-auh": "professional"},
    )
    response = client.post(f"/groups/{group}/reviews", data=data)
    assert response.status_code == 303
    db.expire_all()
    review = db.scalars(select(Review)).one()
    assert response.location.endswith(f"/reviews/{review.id}")
    assert review.title == "Møde i marts" and str(review.meeting_date) == "2026-03-15"
    assert {(p["organisation"], p["role"]) for p in review.participants} == {
        (COORDINATOR, "political"),
        (MEMBER, "professional"),
    }
    pack = text_of(client.get(response.location))
    assert "Møde i marts" in pack and "Gennemgangen er åbnet" in pack


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "meeting_date", "Feltet skal udfyldes."),
        ({"meeting_date": "15/3"}, "meeting_date", "Ikke en gyldig dato."),
        ({"meeting_date": "2026-03-15", "title": "x" * 201}, "title", "Skriv mellem 1 og 200"),
        (
            {"meeting_date": "2026-03-15", "participants": "auh", "role-auh": "boss"},
            "participants",
            "Vælg en af mulighederne.",
        ),
        (
            {"meeting_date": "2026-03-15", "participants": "nobody", "role-nobody": "political"},
            "participants",
            "Ukendt organisation",
        ),
    ],
)
def test_bad_input_to_the_meeting_form_is_shown_and_opens_nothing(
    client, token_for, group, db, fields, field, message
):
    sign_in(client, token_for, COORDINATOR)
    response = client.post(f"/groups/{group}/reviews", data=form(client, **fields))
    assert response.status_code == 422
    page = text_of(response)
    assert message in page and f'id="field-{field}"' in page
    assert count(db, Review) == 0


def test_the_meeting_forms_messages_follow_the_english_switch(client, token_for, group, db):
    sign_in(client, token_for, COORDINATOR)
    english(client)
    missing = client.post(f"/groups/{group}/reviews", data=form(client))
    assert "This field is required." in text_of(missing)
    fields = {"meeting_date": "2026-03-15", "participants": "nobody", "role-nobody": "political"}
    page = text_of(client.post(f"/groups/{group}/reviews", data=form(client, **fields)))
    assert "Unknown organisation" in page and "Ukendt organisation" not in page
    assert count(db, Review) == 0


def test_a_member_who_does_not_coordinate_cannot_open_a_review(client, token_for, group, db):
    sign_in(client, token_for, MEMBER)
    data = form(client, meeting_date="2026-03-15")
    refused = client.post(f"/groups/{group}/reviews", data=data)
    assert refused.status_code == 403
    assert "Kun gruppens koordinatorer" in text_of(refused)
    english(client)
    refused = client.post(f"/groups/{group}/reviews", data=form(client, **data))
    assert refused.status_code == 403 and "Only the group&#39;s coordinators" in text_of(refused)
    assert count(db, Review) == 0


def test_opening_a_review_needs_the_forms_token_and_a_sign_in(client, token_for, group, db):
    assert (
        client.post(f"/groups/{group}/reviews", data={"meeting_date": "2026-03-15"}).status_code
        == 400
    )
    anonymous = client.post(
        f"/groups/{group}/reviews", data=form(client, meeting_date="2026-03-15")
    )
    assert anonymous.status_code == 401
    sign_in(client, token_for, COORDINATOR)
    forged = client.post(
        f"/groups/{group}/reviews", data={"meeting_date": "2026-03-15", "csrf_token": "x"}
    )
    assert forged.status_code == 400
    assert count(db, Review) == 0


# --- 2. decisions on the pack's findings ------------------------------------------------------


@pytest.fixture
def review(client, token_for, group):
    """A review of the group opened through the API, and its one overlap pair."""
    opened = client.post(
        f"/api/v1/groups/{group}/reviews",
        json={"meeting_date": "2026-03-15"},
        headers=token_for(COORDINATOR),
    )
    assert opened.status_code == 201, opened.json
    snapshot = client.get(f"/api/v1/reviews/{opened.json['id']}").json["snapshot"]
    (pair,) = snapshot["overlaps"]
    return {"id": opened.json["id"], "pair": [pair["a"]["id"], pair["b"]["id"]], **snapshot}


def decision_form(client, review, **fields: Any) -> dict[str, Any]:
    """What the overlap's form sends: its hidden finding, and the fields given."""
    return form(
        client,
        finding_key=f"overlap:{review['pair'][0]}-{review['pair'][1]}",
        finding_kind="overlap",
        finding_projects=[str(p) for p in review["pair"]],
        **fields,
    )


def test_only_the_groups_leaders_see_a_decision_form_under_each_finding(client, token_for, review):
    url = f"/reviews/{review['id']}"
    assert 'name="finding_kind"' not in text_of(client.get(url))
    sign_in(client, token_for, MEMBER)
    assert 'name="finding_kind"' not in text_of(client.get(url))
    sign_in(client, token_for, COORDINATOR)
    page = text_of(client.get(url))
    low, high = review["pair"]
    assert f'id="decide-overlap-{low}-{high}"' in page
    assert page.count('name="finding_kind" value="overlap"') == 1
    assert page.count('name="finding_kind" value="gap"') == len(review["gaps"][:30])
    assert "Registrér beslutning" in page


def test_a_long_list_shows_its_first_items_and_links_to_itself_whole(client, review, monkeypatch):
    gaps = len(review["gaps"])
    assert gaps > 2  # the fixture's mandate leaves several cells uncovered
    monkeypatch.setattr("api.pages.reviews.SHOWN", 2)
    url = f"/reviews/{review['id']}"
    page = text_of(client.get(url))
    assert page.count('<li class="gap gap--') == 2
    assert f"Se alle ({gaps})" in page
    assert f'href="{url}?all=gaps#gaps-title">Vis alle {gaps}</a>' in page
    whole = text_of(client.get(f"{url}?all=gaps"))
    assert whole.count('<li class="gap gap--') == gaps
    assert '<details class="see-all" open><summary>Se alle' in whole
    assert f"Vis alle {gaps}" not in whole


def test_a_coordinator_records_a_decision_on_an_overlap(client, token_for, review, db):
    sign_in(client, token_for, COORDINATOR)
    data = decision_form(
        client, review, kind="coordinate", counterparts="auh", rationale="Lær af hinanden."
    )
    response = client.post(f"/reviews/{review['id']}/decisions", data=data)
    assert response.status_code == 303
    db.expire_all()
    decision = db.scalars(select(ReviewDecision)).one()
    low, high = review["pair"]
    assert decision.finding_key == f"overlap:{low}-{high}"
    assert decision.kind == "coordinate" and decision.counterparts == ["auh"]
    assert response.location.endswith(f"/reviews/{review['id']}#decision-{decision.id}")
    page = text_of(client.get(f"/reviews/{review['id']}"))
    assert "Beslutningen er registreret" in page
    assert "Koordinér med</strong> Aarhus Universitetshospital: Lær af hinanden." in page


def test_a_coordinator_records_a_decision_on_a_gap(client, token_for, review, db):
    if not review["gaps"]:
        pytest.skip("the slice has no gap")
    gap = review["gaps"][0]["id"]
    sign_in(client, token_for, COORDINATOR)
    data = form(
        client,
        finding_key=f"gap:{gap}",
        finding_kind="gap",
        finding_gap=gap,
        kind="note",
        rationale="Drøftes igen i juni.",
    )
    assert client.post(f"/reviews/{review['id']}/decisions", data=data).status_code == 303
    db.expire_all()
    assert db.scalars(select(ReviewDecision.finding_key)).one() == f"gap:{gap}"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rationale": "Fordi."}, "Feltet skal udfyldes."),
        ({"kind": "continue"}, "Feltet skal udfyldes."),
        ({"kind": "continue", "rationale": "x" * 5_001}, "Skriv mellem 1 og 5000 tegn."),
        ({"kind": "sell", "rationale": "Fordi."}, "Vælg en af mulighederne."),
        ({"kind": "coordinate", "rationale": "Fordi."}, "Angiv med hvem eller hvortil"),
        ({"kind": "coordinate", "counterparts": "x" * 90, "rationale": "Fordi."}, "mellem"),
    ],
)
def test_bad_decision_input_is_shown_at_its_finding_and_records_nothing(
    client, token_for, review, db, fields, message
):
    sign_in(client, token_for, COORDINATOR)
    response = client.post(
        f"/reviews/{review['id']}/decisions", data=decision_form(client, review, **fields)
    )
    assert response.status_code == 422
    page = text_of(response)
    low, high = review["pair"]
    assert f'id="decide-overlap-{low}-{high}" open' in page
    assert message in page and "Beslutningen blev ikke registreret" in page
    assert count(db, ReviewDecision) == 0


def test_a_finding_that_is_not_in_the_review_is_refused(client, token_for, review, db):
    sign_in(client, token_for, COORDINATOR)
    data = decision_form(client, review, kind="continue", rationale="Fordi.")
    data["finding_projects"] = [str(review["pair"][0]), "999999"]
    page = text_of(client.post(f"/reviews/{review['id']}/decisions", data=data))
    assert "Ukendte projekter i gennemgangen" in page
    english(client)
    data["csrf_token"] = csrf(client, "/sign-in")
    page = text_of(client.post(f"/reviews/{review['id']}/decisions", data=data))
    assert "Projects not in the review" in page and "Ukendte projekter" not in page
    assert count(db, ReviewDecision) == 0


def test_only_a_leader_records_decisions(client, token_for, review, db):
    url = f"/reviews/{review['id']}/decisions"
    fields = {"kind": "continue", "rationale": "Fordi."}
    assert client.post(url, data=decision_form(client, review, **fields)).status_code == 401
    assert client.post(url, data=fields).status_code == 400  # no form token
    sign_in(client, token_for, MEMBER)
    refused = client.post(url, data=decision_form(client, review, **fields))
    assert refused.status_code == 403 and "Kun gruppens koordinatorer" in text_of(refused)
    # Bad input from a non-leader is refused too, not answered with the leaders' form.
    bad = client.post(url, data=decision_form(client, review, kind="continue"))
    assert bad.status_code == 403 and 'name="finding_kind"' not in text_of(bad)
    assert count(db, ReviewDecision) == 0


# --- 3. the owners' answers on their project pages --------------------------------------------


@pytest.fixture
def decided(client, token_for, review):
    """A decision of the review about its overlap, recorded through the API."""
    recorded = client.post(
        f"/api/v1/reviews/{review['id']}/decisions",
        json={
            "finding": {"kind": "overlap", "projects": review["pair"]},
            "kind": "coordinate",
            "counterparts": [MEMBER],
            "rationale": "Lær af hinanden.",
        },
        headers=token_for(COORDINATOR),
    )
    assert recorded.status_code == 201, recorded.json
    hospital = client.get("/api/v1/organisations/auh/projects/H-1", headers=token_for(MEMBER))
    return {"id": recorded.json["id"], "review": review["id"], "project": hospital.json["id"]}


def answer_form(client, decided, **fields: Any) -> dict[str, Any]:
    return form(client, organisation=MEMBER, project=str(decided["project"]), **fields)


def test_the_owner_sees_an_answer_form_and_others_only_the_decision(client, token_for, decided):
    url = f"/projects/{decided['project']}"
    page = text_of(client.get(url))
    assert "Lær af hinanden." in page and 'name="response"' not in page
    sign_in(client, token_for, OUTSIDER)
    assert 'name="response"' not in text_of(client.get(url))
    sign_in(client, token_for, MEMBER)
    page = text_of(client.get(url))
    assert f'id="answer-{decided["id"]}-auh"' in page
    assert "Enig" in page and "Afvist" in page and "I dialog" in page


def test_the_owner_answers_and_the_review_shows_it(client, token_for, decided, db):
    sign_in(client, token_for, MEMBER)
    data = answer_form(client, decided, response="in_dialogue", comment="Vi mødes i april.")
    response = client.post(f"/decisions/{decided['id']}/responses", data=data)
    assert response.status_code == 303
    assert response.location.endswith(f"/projects/{decided['project']}#decision-{decided['id']}")
    db.expire_all()
    saved = db.scalars(select(DecisionResponse)).one()
    assert (saved.organisation_id, saved.response, saved.comment) == (
        MEMBER,
        "in_dialogue",
        "Vi mødes i april.",
    )
    assert "I dialog – Vi mødes i april." in text_of(client.get(response.location))
    pack = text_of(client.get(f"/reviews/{decided['review']}"))
    assert "Aarhus Universitetshospital: I dialog – Vi mødes i april." in pack


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"comment": "Vi ved ikke."}, "Feltet skal udfyldes."),
        ({"response": "maybe"}, "Vælg en af mulighederne."),
        ({"response": "agreed", "comment": "x" * 5_001}, "Skriv højst 5000 tegn."),
    ],
)
def test_bad_answers_are_shown_on_the_project_page_and_save_nothing(
    client, token_for, decided, db, fields, message
):
    sign_in(client, token_for, MEMBER)
    response = client.post(
        f"/decisions/{decided['id']}/responses", data=answer_form(client, decided, **fields)
    )
    assert response.status_code == 422
    page = text_of(response)
    assert message in page and "Svaret blev ikke gemt" in page
    assert count(db, DecisionResponse) == 0


def test_the_answers_messages_follow_the_english_switch(client, token_for, decided, db):
    sign_in(client, token_for, MEMBER)
    english(client)
    response = client.post(
        f"/decisions/{decided['id']}/responses", data=answer_form(client, decided)
    )
    assert response.status_code == 422 and "This field is required." in text_of(response)
    assert count(db, DecisionResponse) == 0


def test_only_an_owner_answers_and_only_for_itself(client, token_for, decided, db):
    url = f"/decisions/{decided['id']}/responses"
    fields = {"response": "agreed"}
    assert client.post(url, data=answer_form(client, decided, **fields)).status_code == 401
    sign_in(client, token_for, OUTSIDER)
    assert client.post(url, data={"response": "agreed", "organisation": MEMBER}).status_code == 400
    for_another = client.post(url, data=answer_form(client, decided, **fields))
    assert for_another.status_code == 403
    assert "Et token kan kun svare for sin egen organisation" in text_of(for_another)
    not_owner = form(client, organisation=OUTSIDER, **fields)
    refused = client.post(url, data=not_owner)
    assert refused.status_code == 403 and "Kun organisationer, der ejer" in text_of(refused)
    # Bad input from a refused organisation is a 403 too, not a form to correct.
    assert client.post(url, data=form(client, organisation=OUTSIDER)).status_code == 403
    assert count(db, DecisionResponse) == 0


def test_a_decision_about_a_private_project_is_shown_only_to_who_may_see_it(
    client, token_for, group, db
):
    publish(client, token_for, MEMBER, kol("H-1", visibility="private"))
    admin = token_for(admin=True)
    opened = client.post(
        f"/api/v1/groups/{group}/reviews", json={"meeting_date": "2026-03-15"}, headers=admin
    )
    (pair,) = client.get(f"/api/v1/reviews/{opened.json['id']}", headers=admin).json["snapshot"][
        "overlaps"
    ]
    decision = client.post(
        f"/api/v1/reviews/{opened.json['id']}/decisions",
        json={
            "finding": {"kind": "overlap", "projects": [pair["a"]["id"], pair["b"]["id"]]},
            "kind": "note",
            "rationale": "Hemmelig note om hospitalets projekt.",
        },
        headers=admin,
    ).json
    hospital = next(p for p in (pair["a"], pair["b"]) if p["organisation"]["id"] == MEMBER)
    municipal = next(p for p in (pair["a"], pair["b"]) if p["organisation"]["id"] == COORDINATOR)
    sign_in(client, token_for, COORDINATOR)
    assert "Hemmelig note" not in text_of(client.get(f"/projects/{municipal['id']}"))
    assert "Hemmelig note" not in text_of(client.get(f"/reviews/{opened.json['id']}"))
    answer = form(client, organisation=COORDINATOR, response="agreed")
    assert client.post(f"/decisions/{decision['id']}/responses", data=answer).status_code == 404
    sign_in(client, token_for, MEMBER)
    page = text_of(client.get(f"/projects/{hospital['id']}"))
    assert "Hemmelig note" in page and f'id="answer-{decision["id"]}-auh"' in page
    assert count(db, DecisionResponse) == 0


def test_every_control_of_the_new_forms_has_a_label(client, token_for, decided):
    sign_in(client, token_for, COORDINATOR)
    for path in (f"/groups/{GROUP['id']}/reviews/new", f"/reviews/{decided['review']}"):
        controls = controls_of(client.get(path))
        assert controls.controls and controls.unlabelled() == [], path
    sign_in(client, token_for, MEMBER)
    controls = controls_of(client.get(f"/projects/{decided['project']}"))
    assert any(name == "response" for _id, name, _named in controls.controls)
    assert controls.unlabelled() == []
