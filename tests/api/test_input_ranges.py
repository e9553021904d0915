"""Input at the edges of what Python and the databases hold: a 4xx problem, never a 500.

Ids beyond PostgreSQL's integer, JSON nested thousands deep or with 5,000-digit numbers,
NaN, moments that leave the years 1–9999 when converted to UTC, a broken UTF-16 file and
a superscript digit on a form: each is answered with a problem naming the place.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.parsing import ID_MAX, json_depth
from ecosystem.store.tables import ApiToken, Project
from tests.api.test_imports import upload
from tests.api.test_pages import card_form, edit_form, project_id, sign_in
from tests.builders import portfolio, project

pytestmark = pytest.mark.usefixtures("reference_data")

ORG = "kommune-aarhus"
PORTFOLIO = f"/api/v1/organisations/{ORG}/portfolio"


def is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json
    assert body["status"] == status
    return body


def fields_of(response: Any) -> list[str]:
    return [error["field"] for error in is_problem(response, 422)["errors"]]


def put_raw(client: Any, headers: dict[str, str], body: str) -> Any:
    return client.put(PORTFOLIO, data=body, content_type="application/json", headers=headers)


def with_value(raw: str, *, key: str = "budget_dkk") -> str:
    """A portfolio whose one card has ``key`` set to the JSON text ``raw``, as written."""
    body = json.dumps(portfolio(ORG, project(**{key: 12345})))
    return body.replace("12345", raw)


def project_count(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Project)) or 0


# --- ids in paths --------------------------------------------------------------------------


@pytest.mark.parametrize("number", [0, ID_MAX, ID_MAX + 1, 2**63, 10**30])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects/{}",
        "/api/v1/projects/{}/overlaps",
        "/api/v1/projects/{}/decisions",
        "/api/v1/reviews/{}",
        "/api/v1/decisions/{}",
        "/projects/{}",
    ],
)
def test_an_id_out_of_range_is_not_found(client, path, number):
    response = client.get(path.format(number))
    assert response.status_code == 404
    if path.startswith("/api/"):
        is_problem(response, 404)


def test_deleting_a_token_out_of_range_is_not_found(client, token_for):
    admin = token_for(admin=True)
    for number in (ID_MAX + 1, 10**40):
        is_problem(client.delete(f"/api/v1/tokens/{number}", headers=admin), 404)


def test_the_openapi_document_gives_the_id_range(client):
    document = client.get("/api/v1/openapi.json").json
    parameter = document["paths"]["/api/v1/projects/{project_id}"]["parameters"]
    schema = next(p["schema"] for p in parameter if p["name"] == "project_id")
    assert (schema["minimum"], schema["maximum"]) == (1, ID_MAX)


# --- JSON bodies -----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [65, 100_000])
def test_json_nested_too_deeply_is_refused_before_parsing(client, token_for, db, depth):
    body = with_value("[" * depth + "]" * depth, key="title")
    problem = is_problem(put_raw(client, token_for(ORG), body), 400)
    assert f"{depth + 3} levels; at most 64" in problem["detail"]
    assert project_count(db) == 0


def test_json_within_the_depth_limit_reaches_the_schema(client, token_for):
    body = with_value("[" * 61 + "]" * 61, key="title")
    assert json_depth(body) == 64
    assert fields_of(put_raw(client, token_for(ORG), body)) == ["projects[0].title"]


def test_brackets_inside_strings_do_not_count_as_depth():
    assert json_depth(json.dumps({"a": "[[[[{{{{" * 100})) == 1


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("1" * 21, "budget_dkk"),
        ("-" + "9" * 25, "value_score"),
        ("7" * 5000, "budget_dkk"),  # int() refuses more than 4,300 digits
        ("NaN", "budget_dkk"),
        ("Infinity", "budget_dkk"),
        ("-Infinity", "risk_score"),
        ("1e400", "budget_dkk"),  # reads as infinity
    ],
)
def test_numbers_json_cannot_mean_are_refused_naming_the_field(client, token_for, db, raw, key):
    response = put_raw(client, token_for(ORG), with_value(raw, key=key))
    assert fields_of(response) == [f"projects[0].{key}"]
    message = response.json["errors"][0]["message"]
    assert "at most 20 are allowed" in message or "is not a number in JSON" in message
    assert project_count(db) == 0


def test_twenty_digits_still_reach_the_schema_and_its_range(client, token_for):
    response = put_raw(client, token_for(ORG), with_value("9" * 20))
    assert fields_of(response) == ["projects[0].budget_dkk"]
    assert "less than or equal to" in response.json["errors"][0]["message"]


def test_a_body_that_is_not_utf8_is_malformed_json(client, token_for):
    response = client.put(
        PORTFOLIO,
        data=b'{"organisation": "\xff"}',
        content_type="application/json",
        headers=token_for(ORG),
    )
    is_problem(response, 400)


# --- moments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "10000-01-01", "0000-12-31"],
)
@pytest.mark.parametrize("name", ["as_of", "updated_since"])
def test_a_moment_outside_the_years_one_to_9999_in_utc_is_refused(client, moment, name):
    assert fields_of(client.get("/api/v1/projects", query_string={name: moment})) == [name]


def test_a_moment_at_the_edge_in_utc_is_accepted(client):
    for moment in ("9999-12-31T23:59:59+00:00", "9999-12-31", "0001-01-01T05:00:00+05:00"):
        response = client.get("/api/v1/projects", query_string={"as_of": moment})
        assert response.status_code == 200, moment


def test_as_of_on_one_project_is_checked_too(client, token_for):
    client.put(PORTFOLIO, json=portfolio(ORG, project()), headers=token_for(ORG))
    pid = project_id(client, token_for, ORG, "P-1")
    response = client.get(f"/api/v1/projects/{pid}?as_of=9999-12-31T23:59:59-05:00")
    assert fields_of(response) == ["as_of"]


def test_a_token_expiry_beyond_year_9999_in_utc_is_refused(client, token_for, db):
    admin = token_for(admin=True)
    before = db.scalar(select(func.count()).select_from(ApiToken))
    body = {"organisation": ORG, "expires_at": "9999-12-31T23:59:59-05:00"}
    assert fields_of(client.post("/api/v1/tokens", json=body, headers=admin)) == ["expires_at"]
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(ApiToken)) == before


# --- files and forms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "Projekt-id;Titel\r\nP-1;Tele-KOL\r\n".encode("utf-16") + b"\x00",  # odd length
        b"\xff\xfe" + "P-1".encode("utf-16-le") + b"\x00\xd8",  # a lone surrogate
        b"\xef\xbb\xbfProjekt-id;Titel\r\nP-1;Tele\xffKOL\r\n",  # UTF-8 BOM, then not UTF-8
    ],
)
def test_a_broken_unicode_csv_is_refused_as_a_file(client, token_for, db, content):
    problem = is_problem(upload(client, token_for(ORG), content), 422)
    assert "save it again as CSV UTF-8" in problem["detail"]
    assert project_count(db) == 0


@pytest.mark.parametrize("score", ["²", "٣", "1" * 30, "-1"])
def test_a_score_that_is_not_a_plain_number_is_a_form_error(client, token_for, score):
    client.put(PORTFOLIO, json=portfolio(ORG, project("A-1")), headers=token_for(ORG))
    pid = project_id(client, token_for, ORG, "A-1")
    sign_in(client, token_for, ORG)
    _page, fields = edit_form(client, pid)
    response = client.post(f"/projects/{pid}/edit", data=card_form(fields, value_score=score))
    assert response.status_code == 422
    assert 'id="error-value_score"' in response.get_data(as_text=True)
    assert client.get(f"/api/v1/projects/{pid}").json["revision"] == 1
