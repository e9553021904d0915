"""Goal pictures on the pages: the follow-up, the editor and the assessment form (both databases).

Forms are posted as a browser would (the page's CSRF token, a signed-in session); every
save is read back through the API, and every refusal is checked to write nothing.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecosystem.store.goals import GoalPicture
from tests.api.test_pages import controls_of, csrf, sign_in, text_of
from tests.api.test_reviews import GROUP, kol
from tests.builders import publish

pytestmark = pytest.mark.usefixtures("reference_data")

COORDINATOR = "kommune-aarhus"
MEMBER = "auh"  # a member of the group, not a coordinator
PAGE = f"/groups/{GROUP['id']}/goals"
API = f"/api/v1/goal-pictures/group/{GROUP['id']}"

READMISSIONS = {
    "code": "KA-1",
    "title": "Færre akutte indlæggelser af borgere med KOL",
    "description": "Borgere med KOL skal behandles hjemme, når det kan lade sig gøre.",
    "task_type": "operational",
    "measure_type": "quantitative",
    "indicators": [
        {
            "name": "Akutte indlæggelser pr. 1.000 borgere med KOL",
            "direction": "down",
            "baseline": {"period": "2025", "value": 12},
            "target": {"period": "2028", "value": 8},
            "values": [{"period": "2026", "value": 11}, {"period": "2027", "value": 10}],
            "areas": [
                {"area": "0710", "period": "2026", "value": 9},
                {"area": "0710", "period": "2027", "value": 9.5},
            ],
        }
    ],
    "assessments": [
        {
            "period": "2027",
            "fulfilment": "partly_met",
            "narrative": "Udrulningen blev forsinket af mangel på sygeplejersker.",
        }
    ],
}
DIALOGUE = {
    "code": "KA-2",
    "title": "Et fælles sprog om sammenhængende forløb",
    "task_type": "policy",
    "measure_type": "qualitative",
}
PLAN = {
    "kind": "naersundhedsplan",
    "text": "Sundhedsrådet vil give kronikere og ældre sammenhængende forløb tæt på hjemmet.",
    "period": {"from": 2027, "to": 2030},
    "goals": [READMISSIONS, DIALOGUE],
}


@pytest.fixture
def plan(client, token_for):
    """The group with its nærsundhedsplan (revision 1), no project linked to it yet."""
    created = client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True))
    assert created.status_code == 201, created.json
    saved = client.put(API, json=PLAN, headers=token_for(COORDINATOR))
    assert saved.status_code == 200, saved.json
    return saved.json


@pytest.fixture
def linked(client, token_for, plan):
    """… and AUH's project serving its first goal (publishing is the slow part)."""
    publish(client, token_for, MEMBER, kol("H-1", goals=[f"{GROUP['id']}:KA-1"]))
    return plan


def count(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(GoalPicture)) or 0


def test_the_plan_shows_its_follow_up_in_danish_and_english_and_its_gaps_on_the_group_page(
    client, linked
):
    page = text_of(client.get(PAGE))
    assert "<h1>Nærsundhedsplan – Kronikere og ældre" in page
    assert '<span class="trend__arrow" aria-hidden="true">↓</span>' in page
    assert '<span class="visually-hidden">faldende: </span>' in page
    assert "Bevæger sig i den ønskede retning" in page
    assert "2 tilbage til målet" in page and "50 % af vejen" in page
    assert "Bedste sammenlignelige område: Favrskov (9,5)" in page
    assert "Delvist opfyldt" in page and "mangel på sygeplejersker" in page
    assert "Telemedicinsk hjemmemonitorering" in page  # the project behind the first goal
    assert "Mål uden projekter" in page and 'href="#goal-KA-2"' in page
    assert "fejl" not in page.lower()
    assert "Redigér målene" not in page  # offered to the coordinators only
    assert "Fiktive demodata" not in page  # a real group's plan, not the demo's

    group_page = text_of(client.get(f"/groups/{GROUP['id']}"))
    assert "Nærsundhedsplan 2027–2030" in group_page and f'href="{PAGE}"' in group_page
    assert "Et fælles sprog om sammenhængende forløb" in group_page  # its gap, up front

    assert client.get("/language/en").status_code == 303
    english = text_of(client.get(PAGE))
    assert "Local health plan (nærsundhedsplan)" in english
    assert "Moving the desired way" in english and "Partly met" in english
    assert "Best comparable area: Favrskov (9.5)" in english
    assert "fail" not in english.lower()


def test_the_editor_is_for_the_coordinators(client, token_for, plan, db):
    anonymous = client.get(PAGE + "/edit")
    assert anonymous.status_code == 303 and "/sign-in" in anonymous.location
    sign_in(client, token_for, MEMBER)
    refused = client.get(PAGE + "/edit")
    assert refused.status_code == 403
    assert "Kun gruppens koordinatorer og administratorer kan ændre" in text_of(refused)
    posted = client.post(
        PAGE + "/edit", data={"csrf_token": csrf(client, "/sign-in"), "revision": "1"}
    )
    assert posted.status_code == 403 and count(db) == 1


class FormValues(HTMLParser):
    """What a browser would send for the page's first form with a ``revision`` field."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        name = found.get("name", "")
        if tag == "input" and (found.get("type") != "checkbox" or "checked" in found):
            self.values[name] = found.get("value", "")
        elif tag == "select":
            self.select = name
        elif (
            tag == "option"
            and self.select
            and ("selected" in found or self.select not in self.values)
        ):
            self.values[self.select] = found.get("value", "")
        elif tag == "textarea":
            self.textarea, self.values[name] = name, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] += data


def editor_form(client) -> dict[str, str]:
    """The editor's fields as a browser would send them unchanged."""
    parser = FormValues()
    parser.feed(text_of(client.get(PAGE + "/edit")))
    assert parser.values["revision"] == "1"
    return parser.values


def test_a_coordinator_edits_adds_and_removes_goals_and_the_api_reads_it_back(
    client, token_for, plan
):
    sign_in(client, token_for, COORDINATOR)
    for page in (PAGE, PAGE + "/edit"):  # every control of the forms is labelled
        assert controls_of(client.get(page)).unlabelled() == []
    sent = editor_form(client)
    assert sent["goals.0.indicators.0.baseline.value"] == "12"
    sent.update(
        {
            "goals.0.title": "Færre akutte indlæggelser",
            "goals.0.indicators.0.target.value": "7,5",  # a Danish decimal comma
            "goals.1.remove": "on",
            "goals.2.code": "KA-3",
            "goals.2.title": "Flere genoptræningsforløb i eget hjem",
            "goals.2.description": "Genoptræning, hvor borgeren bor.",
            "goals.2.indicators.0.name": "Andel genoptræningsforløb i hjemmet",
            "goals.2.indicators.0.unit": "%",
        }
    )
    saved = client.post(PAGE + "/edit", data=sent)
    assert saved.status_code == 303, text_of(saved)
    assert "Målbilledet er gemt" in text_of(client.get(saved.location))

    picture = client.get(API).json
    assert picture["revision"] == 2 and picture["kind"] == "naersundhedsplan"
    first, added = picture["goals"]
    assert first["title"] == "Færre akutte indlæggelser"
    assert first["indicators"][0]["target"] == {"period": "2028", "value": 7.5}
    # What the form does not show is kept: values, comparable areas, judgements.
    assert first["indicators"][0]["values"] == READMISSIONS["indicators"][0]["values"]
    assert len(first["indicators"][0]["areas"]) == 2 and len(first["assessments"]) == 1
    assert added["code"] == "KA-3" and added["description"] == "Genoptræning, hvor borgeren bor."
    assert added["indicators"][0]["unit"] == "%" and added["indicators"][0]["baseline"] is None


BAD_INPUT = [
    ({"goals.0.title": ""}, "goals-0-title", "Feltet skal udfyldes."),
    ({"goals.1.code": "KA-1"}, "goals-1-code", "Koden bruges to gange"),
    (
        {"goals.0.indicators.0.baseline.value": "tolv"},
        "goals-0-indicators-0-baseline-value",
        "Ikke et gyldigt tal.",
    ),
    ({"period.to": "2027"}, "period-to", "Målbilledet gælder flere år"),
    ({"goals.2.title": "Et nyt mål uden kode"}, "goals-2-code", "Feltet skal udfyldes."),
    ({"goals.0.title": "x" * 301}, "goals-0-title", "Skriv mellem 1 og 300 tegn."),
    ({"kind": "strategi"}, "kind", "Vælg en af mulighederne."),
]


def test_bad_input_is_named_in_danish_beside_its_field_and_nothing_is_written(
    client, token_for, plan, db
):
    sign_in(client, token_for, COORDINATOR)
    unchanged = editor_form(client)
    for changes, field, message in BAD_INPUT:
        refused = client.post(PAGE + "/edit", data={**unchanged, **changes})
        assert refused.status_code == 422, changes
        page = text_of(refused)
        assert f'<ul class="field-error" id="error-{field}">' in page, changes
        assert message in page.split(f'id="error-{field}">')[1].split("</ul>")[0]
        assert f'href="#field-{field}"' in page  # the summary leads to the field
    assert count(db) == 1 and client.get(API).json["revision"] == 1


def test_a_stale_revision_and_a_missing_csrf_token_write_nothing(client, token_for, plan, db):
    sign_in(client, token_for, COORDINATOR)
    sent = editor_form(client)
    again = client.put(
        API, json={**PLAN, "text": "Ændret andetsteds."}, headers=token_for(COORDINATOR)
    )
    assert again.json["revision"] == 2
    stale = client.post(PAGE + "/edit", data={**sent, "goals.0.title": "Mit mål"})
    assert stale.status_code == 409
    assert "Nogen har gemt målbilledet, efter du åbnede det" in text_of(stale)
    assert 'name="revision" value="2"' in text_of(stale)  # the form now shows the new one
    without = {k: v for k, v in sent.items() if k != "csrf_token"}
    assert client.post(PAGE + "/edit", data={**without, "revision": "2"}).status_code == 400
    assert count(db) == 2 and client.get(API).json["goals"][0]["title"] == READMISSIONS["title"]


def test_a_coordinator_records_a_follow_up_and_a_bad_one_writes_nothing(
    client, token_for, plan, db
):
    sign_in(client, token_for, COORDINATOR)
    form = {"csrf_token": csrf(client, PAGE), "revision": "1", "goal": "KA-1"}
    unexplained = {**form, "period": "2028", "fulfilment": "partly_met", "indicator.0.value": "9"}
    refused = client.post(PAGE + "/assessments", data=unexplained)
    assert refused.status_code == 422
    assert "Forklar et delvist opfyldt mål" in text_of(refused)
    bad_number = {**form, "period": "2028", "fulfilment": "met", "indicator.0.value": "ni"}
    assert "Ikke et gyldigt tal." in text_of(client.post(PAGE + "/assessments", data=bad_number))
    failed = {**form, "period": "2028", "fulfilment": "failed"}
    answer = text_of(client.post(PAGE + "/assessments", data=failed))
    assert "Vælg en af mulighederne." in answer and "fejlet" not in answer
    assert count(db) == 1

    recorded = {
        **form,
        "period": "2028",
        "fulfilment": "met",
        "narrative": "Hjemmebehandling er udbredt i alle kommuner.",
        "indicator.0.value": "7,8",
    }
    saved = client.post(PAGE + "/assessments", data=recorded)
    assert saved.status_code == 303 and saved.location.endswith("#goal-KA-1")
    goal = client.get(API + "/follow-up").json["goals"][0]
    assert goal["fulfilment"] == "met" and goal["period"] == "2028"
    assert (
        goal["indicators"][0]["latest"] == 7.8 and goal["indicators"][0]["latest_period"] == "2028"
    )
    assert "Opfyldt" in text_of(client.get(PAGE))


def test_an_organisation_writes_its_first_goal_picture_and_no_other_may(client, token_for, db):
    page = "/organisations/kommune-aarhus/goals"
    sign_in(client, token_for, MEMBER)
    refused = client.get(page + "/edit")
    assert refused.status_code == 403 and "Kun organisationen selv" in text_of(refused)
    sign_in(client, token_for, COORDINATOR)
    assert "Skriv målbilledet eller nærsundhedsplanen" in text_of(client.get(page))
    parser = FormValues()
    parser.feed(text_of(client.get(page + "/edit")))
    assert parser.values["revision"] == "0" and parser.values["kind"] == "maalbillede"
    first = {
        **parser.values,
        "text": "Aarhus Kommune vil give ældre sammenhængende forløb.",
        "period.from": "2026",
        "period.to": "2029",
        "goals.0.code": "AAR-1",
        "goals.0.title": "Færre genindlæggelser",
    }
    saved = client.post(page + "/edit", data=first)
    assert saved.status_code == 303, text_of(saved)
    picture = client.get("/api/v1/goal-pictures/organisation/kommune-aarhus").json
    assert picture["revision"] == 1 and "kind" not in picture  # an ordinary goal picture
    assert [g["code"] for g in picture["goals"]] == ["AAR-1"]
    assert "1 mål er få" in text_of(client.get(page))  # a warning, not a refusal
