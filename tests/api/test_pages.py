"""The web pages through the Flask test client: Danish first, labelled, visible to the right people.

The browser tests (tests/browser) drive the same pages in Chromium; these check what the
server sends, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from openpyxl import load_workbook

from api import config, create_app
from api.pages import charts
from api.pages.highlight import highlight
from ecosystem.labels import STAGES
from tests.builders import project, publish

TRANSLATIONS = Path(__file__).parents[2] / "api" / "translations"

KOL = dict(
    title="Telemedicinsk hjemmemonitorering af borgere med KOL",
    description="Borgere med svær KOL får tablet og måleudstyr (saturation, puls) og følges af "
    "hjemmesygeplejen i samarbejde med lungemedicinsk afdeling for at undgå indlæggelser.",
    themes=["T2", "T13"],
    target_groups=["kol"],
)
KOL_ELSEWHERE = dict(
    title="Tele-KOL: virtuel opfølgning efter udskrivelse",
    description="Patienter med kronisk obstruktiv lungesygdom monitoreres i hjemmet med målinger af "
    "iltmætning og puls, og sygeplejersker følger op via video for at forebygge genindlæggelse.",
    themes=["T2", "T13"],
    target_groups=["kol"],
)


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture
def client(client, reference_data):
    """The test client over the small real slice of reference data."""
    return client


def project_id(client, token_for, organisation, external_id):
    response = client.get(
        f"/api/v1/organisations/{organisation}/projects/{external_id}",
        headers=token_for(organisation),
    )
    return response.json["id"]


def text_of(response):
    return response.get_data(as_text=True)


def csrf(client, path="/"):
    return re.search(r'name="csrf_token" value="([^"]+)"', text_of(client.get(path)))[1]


def sign_in(client, token_for, organisation):
    token = token_for(organisation)["Authorization"].split()[1]
    response = client.post(
        "/sign-in", data={"token": token, "csrf_token": csrf(client, "/sign-in")}
    )
    assert response.status_code == 303
    return response


class Controls(HTMLParser):
    """Every form control of a page, and the labels that name them."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled, self.open_labels = [], set(), 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.labelled.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            named = (
                bool(attrs.get("aria-label") or attrs.get("aria-labelledby"))
                or self.open_labels > 0
            )
            self.controls.append((attrs.get("id"), attrs.get("name"), named))

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1

    def unlabelled(self):
        return [(i, n) for i, n, named in self.controls if not named and i not in self.labelled]


def controls_of(response):
    parser = Controls()
    parser.feed(text_of(response))
    return parser


# --- the front door --------------------------------------------------------------------------


def test_the_front_door_is_the_overlap_check_in_danish(client):
    response = client.get("/")
    assert response.status_code == 200
    page = text_of(response)
    assert '<html lang="da">' in page
    assert "Før du starter – tjek overlap" in page
    assert "Arbejdstitel" in page and "Find overlap" in page
    assert 'lang="en"' in page and ">English</a>" in page  # the visible switch


def test_a_draft_check_shows_the_other_organisations_project_with_reasons(client, token_for):
    publish(
        client, token_for, "kommune-aalborg", project("AAL-KOL", areas=["0851"], **KOL_ELSEWHERE)
    )
    response = client.post(
        "/",
        data={
            "csrf_token": csrf(client),
            "title": KOL["title"],
            "description": KOL["description"],
            "target_groups": ["kol"],
            "areas": ["0751"],
        },
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Tele-<mark>KOL</mark>: virtuel opfølgning efter udskrivelse" in page
    assert "Aalborg Kommune" in page
    assert "Parallel: det samme et andet sted" in page
    assert "Samme målgruppe" in page  # a reason, in Danish
    assert "Fælles målgrupper" in page and "Borgere med KOL" in page


def test_a_draft_without_a_title_is_shown_again_with_the_error_at_the_field(client):
    response = client.post(
        "/", data={"csrf_token": csrf(client), "title": "", "description": "Noget om KOL"}
    )
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="error-title"' in page and "Feltet skal udfyldes." in page
    assert 'aria-invalid="true"' in page
    assert "Noget om KOL" in page  # what was typed is kept


def test_a_draft_with_an_unknown_code_names_the_field(client):
    response = client.post(
        "/",
        data={"csrf_token": csrf(client), "title": "KOL", "description": "KOL", "themes": ["T99"]},
    )
    assert response.status_code == 422
    assert "Ukendt kode: T99." in text_of(response)


# --- language --------------------------------------------------------------------------------


def test_the_language_switch_turns_the_pages_english_and_back(client):
    response = client.get("/language/en?next=/projects")
    assert response.status_code == 303 and response.headers["Location"].endswith("/projects")
    page = text_of(client.get("/projects"))
    assert '<html lang="en">' in page
    assert "Projects across the ecosystem" in page and ">Dansk</a>" in page
    client.get("/language/da")
    assert "Projekter på tværs af økosystemet" in text_of(client.get("/projects"))


def test_the_language_switch_never_sends_readers_to_another_site(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.get("/language/en", query_string={"next": target})
        assert response.headers["Location"] in ("/", "http://localhost/")


def test_numbers_and_dates_are_written_the_danish_way(client, token_for):
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("A-1", budget_dkk=2400000, start_date="2026-02-01"),
    )
    page = text_of(
        client.get(f"/projects/{project_id(client, token_for, 'kommune-aarhus', 'A-1')}")
    )
    assert "2.400.000 kr." in page
    assert "1. februar 2026" in page


def test_every_danish_text_of_the_pages_has_a_translation_and_the_catalogues_are_compiled():
    method_map = [("api/pages/**.py", "python"), ("api/templates/pages/**.html", "jinja2")]
    root = Path(__file__).parents[2]
    used = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(root),
            method_map,
            keywords={"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)},
        )
    }
    with open(TRANSLATIONS / "da" / "LC_MESSAGES" / "messages.po", "rb") as file:
        danish = read_po(file)
    with open(TRANSLATIONS / "da" / "LC_MESSAGES" / "messages.mo", "rb") as file:
        compiled = read_mo(file)
    for message in used:
        key = message[0] if isinstance(message, tuple) else message
        entry = danish.get(key)
        assert entry is not None and entry.string, f"no Danish for {message!r}"
        assert compiled.get(key) is not None, f"messages.mo lacks {key!r}: run pybabel compile"
        assert _strings(compiled.get(key)) == _strings(entry), (
            f"messages.mo is older than messages.po for {key!r}: run pybabel compile"
        )


def _strings(message):
    return tuple(message.string) if isinstance(message.string, list | tuple) else (message.string,)


# --- accessibility of what is sent --------------------------------------------------------------


def test_every_control_on_the_pages_has_a_label(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("A-1", **KOL))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    anonymous = ["/", "/projects", "/sign-in", f"/projects/{pid}", "/organisations/kommune-aarhus"]
    for path in anonymous:
        controls = controls_of(client.get(path))
        assert controls.unlabelled() == [], path
    sign_in(client, token_for, "kommune-aarhus")
    edit = controls_of(client.get(f"/projects/{pid}/edit"))
    assert len(edit.controls) > 20
    assert edit.unlabelled() == []


def test_pages_have_a_skip_link_landmarks_and_strict_security_headers(client):
    response = client.get("/")
    page = text_of(response)
    assert '<a class="skip-link" href="#main">Spring til indhold</a>' in page
    assert '<main id="main"' in page and "<nav" in page and "<header" in page
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "http" not in page.replace("http://www.w3.org", "")  # nothing from outside


def test_an_unknown_project_is_a_page_in_danish_not_json(client):
    response = client.get("/projects/999999")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Findes ikke" in text_of(response)


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_an_address_no_route_knows_is_a_page_for_a_browser_and_problem_json_for_programs(
    client,
):
    page = client.get("/no-such-page", headers=BROWSER)
    assert (page.status_code, page.mimetype) == (404, "text/html")
    html = page.get_data(as_text=True)
    assert '<html lang="da">' in html
    assert re.search(r"<title>Findes ikke[^<]*</title>", html)
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]  # its CSS loads
    for path, headers in (("/no-such-page", {}), ("/api/v1/no-such-thing", BROWSER)):
        answer = client.get(path, headers=headers)
        assert (answer.status_code, answer.mimetype) == (404, "application/problem+json")
    wrong_method = client.delete("/", headers=BROWSER)
    assert (wrong_method.status_code, wrong_method.mimetype) == (405, "text/html")


# --- finding projects ------------------------------------------------------------------------


def test_a_health_council_finds_the_projects_of_its_municipalities(client, token_for):
    publish(
        client,
        token_for,
        "kommune-favrskov",
        project("F-1", title="Faldforebyggelse i Favrskov", areas=["0710"]),
    )
    publish(
        client,
        token_for,
        "kommune-aalborg",
        project("AAL-1", title="Faldforebyggelse i Aalborg", areas=["0851"]),
    )
    page = text_of(client.get("/projects", query_string={"area": "sundhedsraad-aarhus"}))
    assert "Faldforebyggelse i Favrskov" in page
    assert "Faldforebyggelse i Aalborg" not in page
    assert '<option value="sundhedsraad-aarhus" selected>' in page


def test_the_project_list_comes_in_pages(client, token_for):
    cards = [project(f"P-{n:02}", title=f"Projekt nummer {n:02}") for n in range(30)]
    publish(client, token_for, "kommune-aarhus", *cards)
    first = text_of(client.get("/projects"))
    assert "Viser 1–25 af 30." in first and "Projekt nummer 24" in first
    assert "Projekt nummer 25" not in first
    second = text_of(client.get("/projects?page=2"))
    assert "Projekt nummer 25" in second and 'rel="prev"' in second


def test_a_bad_page_number_is_a_clear_error(client):
    response = client.get("/projects?page=nul")
    assert response.status_code == 400
    assert "Ikke et gyldigt tal." in text_of(response)


def test_a_demo_project_is_labelled_fictional_wherever_it_is_listed(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("D-1", demo=True))
    pid = project_id(client, token_for, "kommune-aarhus", "D-1")
    for path in ("/projects", f"/projects/{pid}", "/organisations/kommune-aarhus"):
        assert "Fiktivt demoprojekt" in text_of(client.get(path)), path


# --- who sees what -----------------------------------------------------------------------------


def test_readers_see_public_projects_organisations_shared_ones_and_owners_their_private_ones(
    client, token_for
):
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("PUB", title="Det offentlige projekt"),
        project("ECO", title="Det delte projekt", visibility="ecosystem"),
        project("PRIV", title="Det private projekt", visibility="private"),
    )
    private_id = project_id(client, token_for, "kommune-aarhus", "PRIV")
    anonymous = text_of(client.get("/projects"))
    assert "Det offentlige projekt" in anonymous
    assert "Det delte projekt" not in anonymous and "Det private projekt" not in anonymous
    assert client.get(f"/projects/{private_id}").status_code == 404

    sign_in(client, token_for, "kommune-aalborg")
    other = text_of(client.get("/projects"))
    assert "Det delte projekt" in other and "Det private projekt" not in other
    assert client.get(f"/projects/{private_id}").status_code == 404

    client.post("/sign-out", data={"csrf_token": csrf(client)})
    sign_in(client, token_for, "kommune-aarhus")
    assert "Det private projekt" in text_of(client.get("/projects"))
    assert client.get(f"/projects/{private_id}").status_code == 200


# --- signing in -------------------------------------------------------------------------------------


def test_signing_in_shows_who_and_signing_out_forgets_it(client, token_for):
    response = sign_in(client, token_for, "kommune-aarhus")
    assert response.headers["Location"].endswith("/organisations/kommune-aarhus")
    assert "Logget ind som" in text_of(client.get("/")) and "Aarhus Kommune" in text_of(
        client.get("/")
    )
    client.post("/sign-out", data={"csrf_token": csrf(client)})
    assert "Log ind (udgivere)" in text_of(client.get("/"))


def test_a_wrong_token_does_not_sign_in(client):
    response = client.post(
        "/sign-in", data={"token": "eco_nope", "csrf_token": csrf(client, "/sign-in")}
    )
    assert response.status_code == 401
    assert "ukendt eller tilbagekaldt" in text_of(response)
    assert "Logget ind som" not in text_of(client.get("/"))


def test_the_session_cookie_is_http_only_and_never_holds_the_token(client, token_for):
    token = token_for("kommune-aarhus")["Authorization"].split()[1]
    response = client.post(
        "/sign-in", data={"token": token, "csrf_token": csrf(client, "/sign-in")}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert token not in cookie


# --- editing a card ------------------------------------------------------------------------------------


def edit_form(client, pid):
    page = text_of(client.get(f"/projects/{pid}/edit"))
    fields = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page)[1],
        "revision": re.search(r'name="revision" value="(\d+)"', page)[1],
    }
    return page, fields


def card_form(fields, **changes):
    base = {
        "title": KOL["title"],
        "description": KOL["description"],
        "stage": "pilot",
        "themes": ["T2"],
        "visibility": "public",
    }
    return {**base, **fields, **changes}


def test_editing_a_card_publishes_a_new_version_with_what_changed(client, token_for, db):
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("A-1", partners=[{"name": "Lungeforeningen"}], **KOL),
    )
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    sign_in(client, token_for, "kommune-aarhus")
    _page, fields = edit_form(client, pid)
    response = client.post(
        f"/projects/{pid}/edit",
        data=card_form(
            fields,
            title="Tele-KOL i Aarhus",
            stage="implementation",
            themes=["T2", "T13"],
            budget_dkk="2.400.000",
            **{"contact.email": "kol@aarhus.example"},
        ),
    )
    assert response.status_code == 303
    card = client.get(f"/api/v1/projects/{pid}").json
    assert card["title"] == "Tele-KOL i Aarhus"
    assert card["budget_dkk"] == 2400000
    assert card["contact"] == {"email": "kol@aarhus.example"}
    assert card["partners"] == [{"name": "Lungeforeningen"}]  # kept, though not on the form
    assert card["revisions"][-1]["actor"] == "org:kommune-aarhus"
    page = text_of(client.get(f"/projects/{pid}"))
    assert "Kortet er gemt." in page
    assert (
        "<del>Telemedicinsk hjemmemonitorering af borgere med KOL</del> → <ins>Tele-KOL i Aarhus</ins>"
        in page
    )
    assert "<del>afprøvning/pilot</del> → <ins>implementering/udbredelse</ins>" in page


def test_the_after_the_pool_fields_are_edited_and_shown_on_the_card(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("A-1", stage="implementation", **KOL))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    sign_in(client, token_for, "kommune-aarhus")
    page, fields = edit_form(client, pid)
    assert 'id="implementation_owner"' in page and 'id="funding_ends"' in page
    assert "Driftsejer efter projektet" in page
    response = client.post(
        f"/projects/{pid}/edit",
        data=card_form(
            fields,
            stage="implementation",
            implementation_owner="Hjemmeplejen, Aarhus Kommune",
            funding_ends="2027-06-30",
            operation_plan="Overgår til hjemmeplejens budget.",
        ),
    )
    assert response.status_code == 303
    card = client.get(f"/api/v1/projects/{pid}").json
    assert card["implementation_owner"] == "Hjemmeplejen, Aarhus Kommune"
    assert card["funding_ends"] == "2027-06-30"
    assert card["operation_plan"] == "Overgår til hjemmeplejens budget."
    page = text_of(client.get(f"/projects/{pid}"))
    assert "<dt>Finansieringen slutter</dt><dd>30. juni 2027</dd>" in page
    assert "<dd>Hjemmeplejen, Aarhus Kommune</dd>" in page
    assert "<dd>Overgår til hjemmeplejens budget.</dd>" in page
    assert "<del>(tom)</del> → <ins>30. juni 2027</ins>" in page  # the history names the change


def test_a_bad_after_the_pool_field_is_an_error_at_its_field_and_nothing_is_written(
    client, token_for
):
    publish(client, token_for, "kommune-aarhus", project("A-1", **KOL))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    sign_in(client, token_for, "kommune-aarhus")
    _page, fields = edit_form(client, pid)
    response = client.post(
        f"/projects/{pid}/edit",
        data=card_form(
            fields,
            start_date="2026-02-01",
            funding_ends="2025-01-01",
            implementation_owner="x" * 301,
            operation_plan="y" * 1001,
        ),
    )
    assert response.status_code == 422
    page = text_of(response)
    for field in ("funding_ends", "implementation_owner", "operation_plan"):
        assert f'id="error-{field}"' in page, field
    assert "Må ikke ligge før startdatoen." in page
    assert client.get(f"/api/v1/projects/{pid}").json["revision"] == 1


@pytest.mark.parametrize("score", ["\u00b2", "\u0663", "\uff13"])  # ², Arabic-Indic 3, full-width 3
def test_a_score_in_other_digits_is_an_error_at_its_field_not_a_crash(client, token_for, score):
    publish(client, token_for, "kommune-aarhus", project("A-1", **KOL))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    sign_in(client, token_for, "kommune-aarhus")
    _page, fields = edit_form(client, pid)
    response = client.post(f"/projects/{pid}/edit", data=card_form(fields, value_score=score))
    assert response.status_code == 422
    assert 'id="error-value_score"' in text_of(response)
    assert len(client.get(f"/api/v1/projects/{pid}").json["revisions"]) == 1


def test_an_invalid_card_is_shown_with_each_error_at_its_field_and_nothing_is_written(
    client, token_for
):
    publish(client, token_for, "kommune-aarhus", project("A-1", **KOL))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    sign_in(client, token_for, "kommune-aarhus")
    _page, fields = edit_form(client, pid)
    response = client.post(
        f"/projects/{pid}/edit",
        data=card_form(
            fields,
            title=" ",
            themes=[],
            end_date="2020-01-01",
            start_date="2021-01-01",
            budget_dkk="mange penge",
            **{"contact.email": "ikke-en-adresse"},
        ),
    )
    assert response.status_code == 422
    page = text_of(response)
    for field in ("title", "themes", "end_date", "budget_dkk", "contact-email"):
        assert f'id="error-{field}"' in page, field
    assert "Vælg mindst én." in page and "Ikke en gyldig e-mailadresse." in page
    assert "mange penge" in page  # the reader's input is kept
    assert client.get(f"/api/v1/projects/{pid}").json["revision"] == 1


def test_a_form_post_without_the_csrf_token_is_refused_and_writes_nothing(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("A-1", **KOL))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    sign_in(client, token_for, "kommune-aarhus")
    _page, fields = edit_form(client, pid)
    forged = card_form({**fields, "csrf_token": "forged"}, title="Kapret")
    response = client.post(f"/projects/{pid}/edit", data=forged)
    assert response.status_code == 400
    assert "intet blev gemt" in text_of(response)
    assert client.get(f"/api/v1/projects/{pid}").json["title"] == KOL["title"]
    assert client.post("/sign-out").status_code == 400  # signing out is a form too


def test_a_card_changed_since_the_form_was_opened_is_not_overwritten(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("A-1", **KOL))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    sign_in(client, token_for, "kommune-aarhus")
    _page, fields = edit_form(client, pid)
    publish(
        client, token_for, "kommune-aarhus", project("A-1", **{**KOL, "title": "Ændret via API"})
    )
    response = client.post(f"/projects/{pid}/edit", data=card_form(fields, title="Min udgave"))
    assert response.status_code == 409
    assert client.get(f"/api/v1/projects/{pid}").json["title"] == "Ændret via API"


def test_only_the_owning_organisation_may_edit_a_card(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("A-1", **KOL))
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    anonymous = client.get(f"/projects/{pid}/edit")
    assert anonymous.status_code == 303 and "/sign-in?next=" in anonymous.headers["Location"]
    sign_in(client, token_for, "kommune-aalborg")
    assert "Redigér kortet" not in text_of(client.get(f"/projects/{pid}"))
    assert client.get(f"/projects/{pid}/edit").status_code == 403
    _page = text_of(client.get("/"))
    response = client.post(
        f"/projects/{pid}/edit", data=card_form({"csrf_token": csrf(client), "revision": "1"})
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/projects/{pid}").json["revision"] == 1


# --- organisations and groups ----------------------------------------------------------------------


def test_the_organisation_page_shows_its_portfolio_balance_and_overlaps(client, token_for):
    publish(client, token_for, "kommune-aarhus", project("A-1", value_score=4, risk_score=2, **KOL))
    publish(
        client, token_for, "kommune-aalborg", project("AAL-KOL", areas=["0851"], **KOL_ELSEWHERE)
    )
    page = text_of(client.get("/organisations/kommune-aarhus"))
    assert KOL["title"] in page
    assert 'id="org-quadrants"' in page and 'id="org-pipeline"' in page
    assert "Overlap med andre organisationer" in page
    assert "Tele-KOL: virtuel opfølgning efter udskrivelse" in page


def test_the_group_page_exports_a_meeting_workbook_of_what_its_reader_may_see(client, token_for):
    group = {
        "id": "kol-aarhus",
        "name": "KOL i Sundhedsråd Aarhus",
        "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
        "coordinators": ["kommune-aarhus"],
    }
    assert client.post("/api/v1/groups", json=group, headers=token_for(admin=True)).status_code
    hidden = project("A-2", areas=["0751"], visibility="ecosystem", **KOL)
    publish(client, token_for, "kommune-aarhus", project("A-1", areas=["0751"], **KOL), hidden)

    def workbook():
        response = client.get("/groups/kol-aarhus/export.xlsx")
        assert response.status_code == 200
        return load_workbook(io.BytesIO(response.data))

    anonymous = workbook()
    assert anonymous.sheetnames == [
        "Huller",
        "Fravalgt",
        "Skaleringskandidater",
        "Balance",
        "Projekter",
    ]
    rows = list(anonymous["Projekter"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1  # the ecosystem-only card is not for the public
    assert rows[0][2] in {label.da for label in STAGES.values()}  # named, not coded
    assert 'href="/groups/kol-aarhus/export.xlsx"' in text_of(client.get("/groups/kol-aarhus"))
    sign_in(client, token_for, "kommune-aalborg")
    signed_in = workbook()
    assert len(list(signed_in["Projekter"].iter_rows(min_row=2, values_only=True))) == 2


def test_the_group_overview_draws_its_charts_and_lists_the_projects_behind_them(client, token_for):
    admin = token_for(admin=True)
    group = {
        "id": "kol-aarhus",
        "name": "KOL i Sundhedsråd Aarhus",
        "mandate": {"themes": ["T2"], "areas": ["sundhedsraad-aarhus"]},
        "coordinators": ["kommune-aarhus"],
    }
    assert client.post("/api/v1/groups", json=group, headers=admin).status_code == 201
    publish(
        client,
        token_for,
        "kommune-aarhus",
        project("A-1", areas=["0751"], value_score=5, risk_score=2, budget_dkk=1_000_000, **KOL),
    )
    publish(
        client,
        token_for,
        "kommune-aalborg",
        project("AAL-KOL", areas=["0851"], stage="operation", **KOL_ELSEWHERE),
    )
    pid = project_id(client, token_for, "kommune-aarhus", "A-1")
    response = client.get("/groups/kol-aarhus")
    assert response.status_code == 200
    page = text_of(response)
    for chart in ('id="value-risk"', 'id="pipeline"', 'id="coverage"'):
        assert chart in page, chart
    assert f'<a href="/projects/{pid}" aria-label="{KOL["title"]}' in page  # a bubble links to it
    assert "Perler" in page and "Cooper, Edgett & Kleinschmidt (2002)" in page
    assert "Huller" in page and "Favrskov" in page  # the council's other municipality has a gap
    assert "Skaleringskandidater" in page
    assert "KOL i Sundhedsråd Aarhus" in text_of(client.get("/groups"))
    assert "KOL i Sundhedsråd Aarhus" in text_of(client.get(f"/projects/{pid}"))


# --- pieces without a database -----------------------------------------------------------------------


def test_shared_words_are_marked_by_stem_and_synonym_and_the_rest_is_escaped():
    marked = str(highlight("Borgere med kronisk KOL <script>", ["borger", "kol"]))
    assert marked == "<mark>Borgere</mark> med kronisk <mark>KOL</mark> &lt;script&gt;"


def test_a_chart_names_itself_and_each_mark_links_to_its_projects():
    svg = str(
        charts.bar_chart(
            [
                charts.Bar("Pilot", 2, "#stage-pilot", "#009E73", "Pilot: 2 projekter"),
                charts.Bar("Drift", 0, "#stage-operation", "#D55E00", "Drift: 0 projekter"),
            ],
            "Faser <i>",
            "To i pilot",
        )
    )
    assert '<title id="pipeline-name">Faser &lt;i&gt;</title>' in svg
    assert '<a href="#stage-pilot" aria-label="Pilot: 2 projekter">' in svg
    assert "#stage-operation" not in svg  # an empty bar has nothing to open


def test_the_session_key_is_made_once_and_shared_by_every_worker(tmp_path):
    first = config.instance_secret_key(str(tmp_path))
    assert config.instance_secret_key(str(tmp_path)) == first
    assert len(first) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary files left


def test_a_session_key_from_the_environment_is_used(monkeypatch, tmp_path):
    monkeypatch.setenv("ECOSYSTEM_SECRET_KEY", "from-the-environment")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.secret_key == "from-the-environment"
    app.extensions["ecosystem.engine"].dispose()
