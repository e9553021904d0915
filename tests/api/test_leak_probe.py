"""The leak probe: no read of the service shows a project to someone it is hidden from.

Organisation A (AUH) publishes a ``private`` and an ``ecosystem`` project with words found
nowhere else, a project that was private before it was made public, and a group's review
decides about the hidden ones. Then every GET operation of the OpenAPI document (each path
parameter filled with real ids, the hidden ones included; each format; the query
parameters that select by owner, moment or text) and every page is read anonymously and as
organisation B (a token, and a signed-in page session). Exports are read as their readers
read them: a workbook is unzipped and its strings read. The private words never appear
for either; the ecosystem words never for the anonymous reader. The owner, reading the same
way, does see them: the probe can find what it looks for.

Both organisations take part in matchmaking, and matches are recorded between B's project
and each hidden one, with reasons that quote the hidden texts (the most a refresh could
store): B's inbox, on the API and on the page, must show the ecosystem one and never the
private one (its owner allowed no hint).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from ecosystem.store.matches import add_matches
from ecosystem.store.tables import Project
from tests.api.test_pages import csrf, sign_in
from tests.builders import embed_queued, project

pytestmark = pytest.mark.usefixtures("reference_data")

A, B = "auh", "kommune-aalborg"
FIRST_HIDDEN_ID = 987_001  # ids found nowhere else in a response, so a leaked id shows

PRIVATE_WORD, PRIVATE_TITLE, PRIVATE_EXTERNAL = (
    "zyxprivat",
    "Qwvorfase lukket forlob for kronikere",
    "XQPRIV-1",
)
ECOSYSTEM_WORD, ECOSYSTEM_TITLE, ECOSYSTEM_EXTERNAL = (
    "zyxdelt",
    "Plomvirke delt forlob for kronikere",
    "XQECO-1",
)
EARLIER_TITLE = "Trabbelsk tidligere lukket forlob"  # the private past of a public project

GROUP = {
    "id": "kronikere",
    "name": "Kronikere",
    "mandate": {"themes": ["T2"]},
    "coordinators": [A],
}


@dataclass(frozen=True)
class World:
    private_id: int
    ecosystem_id: int
    public_id: int
    once_private_id: int
    private_moment: str  # when the once-private project was still private
    review_id: int
    decision_ids: tuple[int, ...]


def card(external_id: str, title: str, word: str, visibility: str) -> dict[str, Any]:
    return project(
        external_id,
        title=title,
        description=f"Borgere med KOL følges hjemme ({word}); målinger sendes til sygeplejen.",
        visibility=visibility,
        target_groups=["kol"],
        areas=["0751"],
        value_score=3,
        risk_score=2,
        contact={"name": "Kontakt", "email": f"{word}@example.dk"},
        # A partner and a funder, so that the ecosystem graph has an edge to leak.
        partners=[{"organisation": "au"}],
        funding_sources=[{"name": "Aarhus Kommune", "kind": "co_financing"}],
    )


PRIVATE = card(PRIVATE_EXTERNAL, PRIVATE_TITLE, PRIVATE_WORD, "private")
ECOSYSTEM = card(ECOSYSTEM_EXTERNAL, ECOSYSTEM_TITLE, ECOSYSTEM_WORD, "ecosystem")
PUBLIC = card("P-1", "Telemedicin for borgere med KOL", "offentlig", "public")
ONCE_PRIVATE_BEFORE = card("L-1", EARLIER_TITLE, PRIVATE_WORD, "private")
ONCE_PRIVATE_AFTER = card("L-1", "Hjemmemonitorering for alle", "offentlig", "public")


def hidden_ids_from(db: Session, first: int) -> None:
    """Make the next project ids start at ``first`` (a number no response has otherwise)."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(
            text("SELECT setval(pg_get_serial_sequence('projects', 'id'), :n)"), {"n": first - 1}
        )
    else:
        # SQLite gives a new row the highest id + 1: a withdrawn row, never in any
        # catalogue version, holds the place until the hidden projects are published.
        model = db.scalars(select(Project)).first()
        assert model is not None
        columns = {c.key: getattr(model, c.key) for c in Project.__table__.columns}
        db.add(
            Project(
                **{
                    **columns,
                    "id": first - 1,
                    "organisation_id": "au",
                    "external_id": "PLACEHOLDER",
                    "withdrawn": True,
                    "catalog_version": 0,
                }
            )
        )
    db.commit()


def project_id(db: Session, organisation: str, external_id: str) -> int:
    db.expire_all()
    found = db.scalar(
        select(Project.id).where(
            Project.organisation_id == organisation, Project.external_id == external_id
        )
    )
    assert found is not None
    return found


def put_portfolio(client: FlaskClient, token_for: Any, organisation: str, *cards: Any) -> None:
    """Publish without embedding each time: the queue is embedded once, when all is there."""
    response = client.put(
        f"/api/v1/organisations/{organisation}/portfolio",
        json={"organisation": organisation, "projects": list(cards)},
        headers=token_for(organisation),
    )
    assert response.status_code == 200, response.json


@pytest.fixture
def world(client: FlaskClient, token_for: Any, db: Session) -> World:
    put_portfolio(client, token_for, B, card("B-1", "Aalborgs KOL-forløb", "aalborg", "public"))
    put_portfolio(client, token_for, A, PUBLIC)
    hidden_ids_from(db, FIRST_HIDDEN_ID)
    put_portfolio(client, token_for, A, PUBLIC, PRIVATE, ECOSYSTEM, ONCE_PRIVATE_BEFORE)
    db.execute(delete(Project).where(Project.external_id == "PLACEHOLDER"))
    db.commit()
    put_portfolio(client, token_for, A, PUBLIC, PRIVATE, ECOSYSTEM, ONCE_PRIVATE_AFTER)
    embed_queued(client.application)
    ids = {ext: project_id(db, A, ext) for ext in (PRIVATE_EXTERNAL, ECOSYSTEM_EXTERNAL, "L-1")}
    assert min(ids.values()) >= FIRST_HIDDEN_ID
    owners = client.get(f"/api/v1/projects/{ids['L-1']}", headers=token_for(A)).json
    admin = token_for(admin=True)
    assert client.post("/api/v1/groups", json=GROUP, headers=admin).status_code == 201
    review = client.post(
        "/api/v1/groups/kronikere/reviews", json={"meeting_date": "2026-03-15"}, headers=admin
    )
    assert review.status_code == 201, review.json
    decisions = []
    for hidden, word in ((PRIVATE_EXTERNAL, PRIVATE_WORD), (ECOSYSTEM_EXTERNAL, ECOSYSTEM_WORD)):
        decided = client.post(
            f"/api/v1/reviews/{review.json['id']}/decisions",
            json={
                "finding": {"kind": "project", "projects": [ids[hidden]]},
                "kind": "note",
                "rationale": f"Gruppen noterer {word}.",
            },
            headers=admin,
        )
        assert decided.status_code == 201, decided.json
        decisions.append(decided.json["id"])
    for organisation in (A, B):
        opted = client.put(
            f"/api/v1/organisations/{organisation}/matchmaking",
            json={"opted_in": True},
            headers=token_for(organisation),
        )
        assert opted.status_code == 200, opted.json
    theirs = project_id(db, B, "B-1")
    add_matches(
        db,
        [
            quoting_match(theirs, ids[hidden], word)
            for hidden, word in (
                (PRIVATE_EXTERNAL, PRIVATE_WORD),
                (ECOSYSTEM_EXTERNAL, ECOSYSTEM_WORD),
            )
        ],
    )
    db.commit()
    return World(
        private_id=ids[PRIVATE_EXTERNAL],
        ecosystem_id=ids[ECOSYSTEM_EXTERNAL],
        public_id=project_id(db, A, "P-1"),
        once_private_id=ids["L-1"],
        private_moment=owners["revisions"][0]["created_at"],
        review_id=review.json["id"],
        decision_ids=tuple(decisions),
    )


def quoting_match(theirs: int, hidden: int, word: str) -> dict[str, Any]:
    """A match of B's project with a hidden one whose reasons quote the hidden text."""
    said = {
        "confidence": "same",
        "relation": "parallel",
        "reasons": [f"Fælles nøgleord: {word}"],
        "reasons_en": [f"Shared key terms: {word}"],
        "shared_terms": [word],
        "highlights": [f"Borgere med KOL følges hjemme ({word})."],
    }
    assert theirs < hidden
    return {
        "project_a": theirs,
        "project_b": hidden,
        "organisation_a": B,
        "organisation_b": A,
        "reasons": {"a": said, "b": said},
    }


# --- what a reader may not see ------------------------------------------------------------


def private_marks(world: World) -> list[str]:
    return [PRIVATE_WORD, PRIVATE_TITLE, PRIVATE_EXTERNAL, EARLIER_TITLE, str(world.private_id)]


def ecosystem_marks(world: World) -> list[str]:
    return [ECOSYSTEM_WORD, ECOSYSTEM_TITLE, ECOSYSTEM_EXTERNAL, str(world.ecosystem_id)]


def shown(mark: str, text: str) -> bool:
    """Whether the mark is in the text (a number only as a whole number)."""
    if mark.isdigit():
        return re.search(rf"(?<![\d.]){mark}(?![\d.])", text) is not None
    return mark.lower() in text.lower()


def readable(body: bytes) -> str:
    """What a reader of the response reads: a workbook's strings, anything else as text."""
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as workbook:
            return "\n".join(
                workbook.read(name).decode("utf-8")
                for name in workbook.namelist()
                if name.endswith(".xml")
            )
    return body.decode("utf-8", errors="replace")


def without_request(text_: str, url: str) -> str:
    """What the response says beyond the request: a response may name its own address (a
    404's ``instance``, a page's own links) and echo the query (a search field)."""
    path, _, query = url.partition("?")
    echoed = [value for _, value in parse_qsl(query)]
    for form in (url, quote(url, safe=""), path, quote(path, safe=""), *echoed):
        text_ = text_.replace(form, "")
    return text_


# --- every GET operation and every page -----------------------------------------------------


def path_values(world: World) -> dict[str, list[str]]:
    projects = [world.private_id, world.ecosystem_id, world.public_id, world.once_private_id]
    return {
        "project_id": [str(p) for p in projects],
        "decision_id": [str(d) for d in world.decision_ids],
        "review_id": [str(world.review_id)],
        "group_id": [GROUP["id"]],
        "org": [A, B],
        "organisation_id": [A, B],
        "owner_id": [A, GROUP["id"]],
        "owners": ["organisations", "groups"],
        "external_id": [PRIVATE_EXTERNAL, ECOSYSTEM_EXTERNAL, "L-1"],
        "preview_id": ["nope"],
        "entry_id": ["1"],  # a fravalg entry names codes and a reason, never a project
    }


REFERENCE_KEYS = {
    "areas": "0751",
    "organisations": A,
    "themes": "T2",
    "target-groups": "kol",
    "goal-sets": "nationale-maal",
    "goals": "NM2",
}


def query_variants(parameters: list[dict[str, Any]], world: World) -> list[dict[str, str]]:
    """No query, then each query parameter that selects what a hidden project could be in."""
    chosen = {
        "organisation": A,
        "as_of": world.private_moment,
        "q": PRIVATE_WORD,
        "include_withdrawn": "true",
        "include_own": "true",
        "group": GROUP["id"],
    }
    variants: list[dict[str, str]] = [{}]
    for parameter in parameters:
        if parameter["in"] != "query":
            continue
        name = parameter["name"]
        for value in parameter.get("schema", {}).get("enum", []):
            variants.append({name: str(value)})
        if name in chosen:
            variants.append({name: chosen[name]})
    if any(p["name"] == "q" for p in parameters):
        variants.append({"q": ECOSYSTEM_WORD})
    return variants


def api_urls(app: Flask, world: World) -> Iterator[str]:
    document = app.test_client().get("/api/v1/openapi.json").json
    assert document is not None
    values = path_values(world)
    for template, operations in document["paths"].items():
        if "get" not in operations:
            continue
        parameters = operations["get"].get("parameters", []) + operations.get("parameters", [])
        in_path = [p for p in parameters if p["in"] == "path"]
        choices = []
        for parameter in in_path:
            name = parameter["name"]
            if name == "key":
                choices.append([REFERENCE_KEYS[template.split("/")[3]]])
            else:
                choices.append(parameter.get("schema", {}).get("enum") or values[name])
        for filled in product(*choices):
            url = template
            for parameter, value in zip(in_path, filled, strict=True):
                url = url.replace("{" + parameter["name"] + "}", quote(str(value), safe=""))
            for query in query_variants(parameters, world):
                yield f"{url}?{urlencode(query)}" if query else url


def page_urls(app: Flask, world: World) -> Iterator[str]:
    values = path_values(world)
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("pages.") or "GET" not in (rule.methods or ()):
            continue
        if rule.endpoint == "pages.language.switch":  # a redirect that changes the language
            continue
        names = sorted(rule.arguments)
        for filled in product(*(values[name] for name in names)):
            url = rule.rule
            for name, value in zip(names, filled, strict=True):
                url = re.sub(rf"<(?:[^:>]+:)?{name}>", quote(value, safe=""), url)
            yield url
            if url == "/projects":
                yield f"/projects?q={PRIVATE_WORD}"
                yield f"/projects?q={ECOSYSTEM_WORD}"


def leaks(
    client: FlaskClient, urls: Iterator[str], marks: list[str], headers: dict[str, str]
) -> tuple[int, list[tuple[str, int, str]]]:
    """How many reads were made, and each (url, status, mark) where a mark was shown."""
    found, count = [], 0
    for url in urls:
        response = client.get(url, headers=headers)
        count += 1
        assert response.status_code < 500, url
        said = f"{response.headers}\n{readable(response.get_data())}"  # a file name, too
        body = without_request(said, url)
        found += [(url, response.status_code, mark) for mark in marks if shown(mark, body)]
    return count, found


DRAFT = {
    "title": "Hjemmemonitorering af borgere med KOL",
    "description": "Borgere med KOL følges hjemme; målinger sendes til sygeplejen dagligt.",
    "themes": ["T2"],
    "target_groups": ["kol"],
    "areas": ["0751"],
}


def checked_draft(client: FlaskClient, headers: dict[str, str]) -> str:
    """The overlap check of a draft like the hidden projects: not a GET, but a read of
    every project there is."""
    response = client.post("/api/v1/overlaps/check", json=DRAFT, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["matches"], "the public look-alikes are found"
    return response.get_data(as_text=True)


def checked_draft_page(client: FlaskClient) -> str:
    page = client.post("/", data={**DRAFT, "csrf_token": csrf(client)})
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_no_read_shows_a_project_to_whom_it_is_hidden(app, client, token_for, world):
    """One test, so that the world is built once per database (the probe must stay quick)."""
    private, ecosystem = private_marks(world), ecosystem_marks(world)
    the_probe_finds_what_an_allowed_reader_sees(client, token_for, world)

    reads, anonymous = leaks(client, api_urls(app, world), private + ecosystem, {})
    pages, anonymous_pages = leaks(client, page_urls(app, world), private + ecosystem, {})
    assert anonymous == [] and anonymous_pages == []
    assert reads > 150 and pages > 20  # every operation and page, not a handful
    checked = checked_draft(client, {})
    assert [m for m in private + ecosystem if shown(m, checked)] == []

    other = token_for(B)
    _, other_organisation = leaks(client, api_urls(app, world), private, other)
    assert other_organisation == []
    checked = checked_draft(client, other)
    assert [m for m in private if shown(m, checked)] == []
    sign_in(client, token_for, B)
    _, signed_in = leaks(client, page_urls(app, world), private, {})
    assert signed_in == []
    checked = checked_draft_page(client)
    assert [m for m in private if shown(m, checked)] == []


def the_probe_finds_what_an_allowed_reader_sees(
    client: FlaskClient, token_for: Any, world: World
) -> None:
    """The owner (or an admin) sees the private marks and B the ecosystem ones, read the
    same ways as the probe reads: JSON, CSV, a workbook, IATI XML, a page, a draft check."""
    owner = token_for(A)
    for url in (
        f"/api/v1/projects/{world.private_id}",
        f"/api/v1/organisations/{A}/portfolio.csv",
        f"/api/v1/organisations/{A}/portfolio.xlsx",
        f"/api/v1/organisations/{A}/portfolio.iati.xml",
        f"/api/v1/projects.xlsx?organisation={A}",
    ):
        body = readable(client.get(url, headers=owner).get_data())
        assert shown(PRIVATE_WORD, body) and shown(PRIVATE_TITLE, body), url
    history = client.get(f"/api/v1/projects/{world.once_private_id}", headers=owner)
    assert shown(EARLIER_TITLE, history.get_data(as_text=True))
    assert shown(PRIVATE_TITLE, checked_draft(client, token_for(admin=True)))
    listed = readable(client.get("/api/v1/projects.xlsx", headers=token_for(B)).get_data())
    assert shown(ECOSYSTEM_TITLE, listed) and not shown(PRIVATE_TITLE, listed)
    decision = client.get(f"/api/v1/decisions/{world.decision_ids[1]}", headers=token_for(B))
    assert decision.status_code == 200 and ECOSYSTEM_WORD in decision.get_data(as_text=True)
    inbox = client.get("/api/v1/matches", headers=token_for(B)).get_data(as_text=True)
    assert shown(ECOSYSTEM_TITLE, inbox) and shown(ECOSYSTEM_WORD, inbox)
    owners_inbox = client.get("/api/v1/matches", headers=owner).get_data(as_text=True)
    # A private project whose owner allowed no hint takes no part: not for its owner either.
    assert shown(ECOSYSTEM_TITLE, owners_inbox) and not shown(PRIVATE_TITLE, owners_inbox)
    sign_in(client, token_for, A)
    page = readable(client.get(f"/projects/{world.private_id}").get_data())
    assert shown(PRIVATE_TITLE, page) and shown(str(world.private_id), page)
    client.post("/sign-out", data={"csrf_token": csrf(client)})
