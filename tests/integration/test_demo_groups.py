"""The demo groups on the demo portfolio: the answer key's planted gaps and scaling candidates,
the two past reviews the demo tells of one group, and that group's nærsundhedsplan.

The demo is seeded once per database (``ecosystem seed --demo``, which also loads the
demo groups); the analyses then read it through the store, as the API does.

Some planted candidates are only recognisable through their overlaps ("Nordjylland is
starting the same thing"). Overlap detection is the overlap engine's job and is tested
with it; here the candidates are given the answer key's planted overlaps, which is what
a correct engine reports, so these tests check the scaling rules, not the engine.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import seeds
import seeds.reviews
from api import create_app
from api.cli import main
from ecosystem.gaps import GapKind, GapReport, analyse_gaps
from ecosystem.goals_followup import Trend
from ecosystem.groups import Mandate, ProjectInfo, Reference
from ecosystem.labels import RESPONSES
from ecosystem.model import Principal
from ecosystem.overlap import Geography, OverlapMatch, OverlapPair, Relation
from ecosystem.scaling import Candidate, find_candidates
from ecosystem.scaling.fit import candidates_for_adopter
from ecosystem.services import goals, reviews
from ecosystem.store import catalogue
from ecosystem.store import groups as store
from ecosystem.store.engine import make_engine
from ecosystem.store.tables import Project
from seeds.groups import load_demo_groups
from tests.builders import unit_of
from tests.conftest import _empty

KEY = seeds.answer_key()
GROUPS = {g["id"]: g for g in KEY["groups"]}
# A member of the groups: signed in, so it sees public and ecosystem projects.
MEMBER = Principal(organisation_id="region-nordjylland")


@pytest.fixture(scope="module")
def demo_app(database_url: str) -> Iterator[Any]:
    """An app on a database holding the reference data, the demo portfolio and groups."""
    engine = make_engine(database_url)
    _empty(engine)
    engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": database_url})
    result = app.test_cli_runner().invoke(main, ["seed", "--demo"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Demo groups added: 3" in result.stderr
    assert "Demo reviews added: 2" in result.stderr
    assert "Demo goal pictures added: 1" in result.stderr
    yield app
    app.extensions["ecosystem.engine"].dispose()


@pytest.fixture(scope="module")
def db(demo_app: Any) -> Iterator[Session]:
    with sessionmaker(demo_app.extensions["ecosystem.engine"])() as session:
        yield session


@pytest.fixture(scope="module")
def world(db: Session) -> tuple[Reference, list[ProjectInfo], dict[str, int]]:
    """The reference data, every project the member may see, and ids by 'org:external_id'."""
    reference = catalogue.reference_for_analysis(db)
    projects = [ProjectInfo.of(r, reference) for r in catalogue.live_projects(db, MEMBER)]
    ids = {
        f"{organisation}:{external_id}": project_id
        for project_id, organisation, external_id in db.query(
            Project.id, Project.organisation_id, Project.external_id
        )
    }
    return reference, projects, ids


def mandate_of(db: Session, group_id: str | None) -> Mandate:
    return store.get_group(db, group_id).mandate if group_id else Mandate()


def gaps(world: Any, mandate: Mandate) -> GapReport:
    reference, projects, _ = world
    return analyse_gaps(mandate, projects, reference)


def planted_pairs(ids: dict[str, int]) -> list[OverlapPair]:
    pairs = []
    for overlap in KEY["overlaps"]:
        a, b = sorted(ids[key] for key in overlap["projects"])
        match = OverlapMatch(
            project_id=b,
            score=0.8,
            relation=Relation(overlap["relation"]),
            text_score=0.5,
            shared_terms=(),
            shared_themes=(),
            shared_target_groups=(),
            geography=Geography.ELSEWHERE,
            partner_link=None,
            reasons=(overlap["note"],),
        )
        pairs.append(OverlapPair(a, b, match))
    return pairs


def candidates(world: Any, mandate: Mandate, pairs: list[OverlapPair]) -> list[Candidate]:
    reference, projects, _ = world
    return find_candidates(mandate, projects, gaps(world, mandate), pairs, reference)


def test_the_demo_groups_are_marked_demo_and_loaded_only_once(db):
    assert {g.id for g in store.list_groups(db, demo=True)} == set(GROUPS)
    assert load_demo_groups(unit_of(db)) == 0
    group = store.get_group(db, "kronikere-aeldre-aarhus")
    assert group.coordinators == ("sundhedsraad-aarhus",)
    assert group.mandate.level.value == "advise"
    assert store.group_revisions(db, group.id)[0].actor == "seed"


@pytest.mark.parametrize("planted", KEY["gaps"], ids=[g["id"] for g in KEY["gaps"]])
def test_every_planted_gap_is_found_with_an_explanation(db, world, planted):
    mandate = mandate_of(db, planted["group"])
    report = gaps(world, mandate)

    def matches(gap: Any) -> bool:
        theme = planted["theme"]
        same_theme = (
            theme is None or gap.theme == theme or (gap.theme is None and theme in mandate.themes)
        )
        return (
            gap.kind is GapKind(planted["kind"])
            and same_theme
            and all(
                planted[field] is None or getattr(gap, field) == planted[field]
                for field in ("area", "target_group", "goal")
            )
        )

    # A line stands for the cells it groups (its areas, target groups): the planted
    # gap is one of them, on exactly one line.
    found = [gap for gap in report.gaps if any(matches(cell) for cell in gap.cells)]
    assert len(found) == 1, planted["note"]
    gap = found[0]
    assert gap.explanation.da and gap.explanation.en
    assert gap.explanation.da != gap.explanation.en


def line_of(report: GapReport, cell_id: str) -> Any:
    """The one line standing for a cell (itself, or a grouped line listing it)."""
    (line,) = [g for g in report.gaps if cell_id in {cell.id for cell in g.cells}]
    return line


def test_the_outlying_island_samsoe_lacks_t2_although_a_national_rollout_reaches_it(db, world):
    report = gaps(world, mandate_of(db, "kronikere-aeldre-aarhus"))
    samsoe = line_of(report, "theme_area:T2:0741:-")
    ids = world[2]
    assert samsoe.national == (ids["danske-regioner:PL-0001"],)
    assert "Samsø" in samsoe.explanation.da
    assert ids["kommune-aarhus:PL-0050"] in [n.project_id for n in samsoe.nearest]


def test_nordjylland_without_socially_vulnerable_work_is_pointed_to_copenhagen(db, world):
    report = gaps(world, mandate_of(db, "forebyggelse-ulighed-nord"))
    gap = line_of(report, "public_value:-:region-nordjylland:inequality")
    assert world[2]["kommune-koebenhavn:PL-0105"] in [n.project_id for n in gap.nearest]


@pytest.mark.parametrize(
    "planted",
    KEY["scaling_candidates"],
    ids=[f"{c['project']}@{c['group']}" for c in KEY["scaling_candidates"]],
)
def test_every_planted_scaling_candidate_is_found_with_its_adopters(db, world, planted):
    ids = world[2]
    found = candidates(world, mandate_of(db, planted["group"]), planted_pairs(ids))
    candidate = next(c for c in found if c.project_id == ids[planted["project"]])
    adopters = {a.organisation for a in candidate.adopters}
    assert set(planted["adopters"]) <= adopters, planted["why"]
    assert candidate.reasons
    assert candidate.evidence.get("outcome") == "positive"


# The psychiatry candidates differ from what Midtjylland already runs only in the
# intervention itself (internet psychiatry, restraint reduction), which no theme or
# target-group code tells apart: they are found through their overlaps alone.
GAP_BASED = [
    c
    for c in KEY["scaling_candidates"]
    if c["group"] and not c["project"].startswith("psykiatrien-region-syddanmark:")
]


@pytest.mark.parametrize(
    "planted", GAP_BASED, ids=[f"{c['project']}@{c['group']}" for c in GAP_BASED]
)
def test_gap_based_candidates_are_found_without_any_overlaps(db, world, planted):
    ids = world[2]
    found = candidates(world, mandate_of(db, planted["group"]), [])
    candidate = next(c for c in found if c.project_id == ids[planted["project"]])
    assert set(planted["adopters"]) <= {a.organisation for a in candidate.adopters}
    assert all(reason.kind.value in ("gap", "evidence") for reason in candidate.reasons)


def test_the_island_clinic_on_aeroe_ranks_first_for_the_aarhus_group(db, world):
    ids = world[2]
    found = candidates(world, mandate_of(db, "kronikere-aeldre-aarhus"), [])
    assert found[0].project_id == ids["kommune-aeroe:PL-0107"]


def test_the_cli_prints_a_groups_gaps_as_csv_and_as_text(demo_app):
    runner = demo_app.test_cli_runner()
    csv_out = runner.invoke(main, ["groups", "gaps", "kronikere-aeldre-aarhus", "--format", "csv"])
    assert csv_out.exit_code == 0
    text = csv_out.stdout_bytes.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Forklaring (Explanation (Danish));")
    assert "Samsø" in text
    readable = runner.invoke(
        main, ["groups", "gaps", "forebyggelse-ulighed-nord", "--severity", "high"]
    )
    # One line for the theme, its municipalities listed (not one line per municipality).
    (t9,) = [
        line
        for line in readable.stdout.splitlines()
        if line.startswith(
            "[high] Ingen igangværende projekter om Forebyggelse og folkesundhed (T9)"
        )
    ]
    assert "Læsø" in t9 and "Morsø" in t9
    assert "[low]" not in readable.stdout
    unknown = runner.invoke(main, ["groups", "gaps", "nobody"])
    assert unknown.exit_code == 1
    assert "nobody" in unknown.output


def test_the_cli_lists_groups_and_their_scaling_candidates(demo_app):
    runner = demo_app.test_cli_runner()
    listed = runner.invoke(main, ["groups", "list"])
    assert "psykiatri-national [demo]" in listed.stdout
    scaling = runner.invoke(
        main, ["groups", "scaling", "forebyggelse-ulighed-nord", "--limit", "3"]
    )
    assert scaling.exit_code == 0
    assert "Sundhedsbussen" in scaling.stdout
    assert "Læsø Kommune" in scaling.stdout


# --- candidates for one adopter --------------------------------------------------------------

AARHUS_TO_SAMSOE = next(
    c
    for c in KEY["scaling_candidates"]
    if c["project"].startswith("kommune-aarhus:") and c["adopters"] == ["kommune-samsoe"]
)


def test_the_planted_aarhus_candidate_is_in_samsoes_top_five_with_the_planted_overlaps(db, world):
    reference, projects, ids = world
    mandate = mandate_of(db, AARHUS_TO_SAMSOE["group"])
    fits, total = candidates_for_adopter(
        "kommune-samsoe",
        mandate,
        projects,
        gaps(world, mandate),
        planted_pairs(ids),
        reference,
        limit=5,
    )
    assert total > 5
    top = [f.candidate.project_id for f in fits]
    assert ids[AARHUS_TO_SAMSOE["project"]] in top, AARHUS_TO_SAMSOE["why"]
    fit = fits[top.index(ids[AARHUS_TO_SAMSOE["project"]])]
    assert {f.kind.value for f in fit.factors} >= {"gap", "evidence", "maturity", "nearby"}
    assert fit.adopter.reason.da.startswith("Samsø mangler")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/groups/kronikere-aeldre-aarhus/scaling-candidates?adopter=kommune-samsoe&limit=5",
        "/api/v1/scaling-candidates?adopter=kommune-samsoe&limit=5",
    ],
    ids=["in-the-group", "everything-in-samsoe"],
)
def test_samsoes_top_five_holds_the_aarhus_candidate_through_the_api(demo_app, url):
    body = demo_app.test_client().get(url).json
    assert body["adopter"]["id"] == "kommune-samsoe"
    top = [
        f"{c['project']['organisation']['id']}:{c['project']['external_id']}"
        for c in body["candidates"]
    ]
    assert AARHUS_TO_SAMSOE["project"] in top, top
    for candidate in body["candidates"]:
        fit = candidate["fit"]
        assert fit["points"] == sum(f["points"] for f in fit["factors"])
        assert all(f["text"] and f["text_en"] and f["text"] != f["text_en"] for f in fit["factors"])
        assert candidate["adopter"]["organisation"]["id"] == "kommune-samsoe"
    # The obvious ones (proven, for people Samsø works with) come first.
    obvious = [c["fit"]["obvious"] for c in body["candidates"]]
    assert obvious == sorted(obvious, reverse=True)


def test_adopters_differ_between_the_aarhus_groups_candidates(demo_app):
    url = "/api/v1/groups/kronikere-aeldre-aarhus/scaling-candidates?limit=10"
    body = demo_app.test_client().get(url).json
    listed = [
        tuple(a["organisation"]["id"] for a in c["adopters"] if a["organisation"])
        for c in body["candidates"]
    ]
    assert len(set(listed)) > 1, listed
    for candidate in body["candidates"]:
        reasons = [a["reason"] for a in candidate["adopters"]]
        assert all(reasons) and len(set(reasons)) == len(reasons)  # one sentence each


def test_an_unknown_adopter_is_a_problem_naming_the_field(demo_app):
    response = demo_app.test_client().get("/api/v1/scaling-candidates?adopter=nobody")
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "adopter"


# --- the demo's two past reviews of the Aarhus group (seeds/data/demo/reviews.json) ---------


def review_pages(demo_app: Any) -> list[str]:
    """The group's review pages, oldest first, as the group's review list links them."""
    client = demo_app.test_client()
    listing = client.get("/groups/kronikere-aeldre-aarhus/reviews").get_data(as_text=True)
    newest_first = re.findall(r'href="/reviews/(\d+)"', listing)
    return [client.get(f"/reviews/{i}").get_data(as_text=True) for i in reversed(newest_first)]


def test_the_demo_holds_two_past_reviews_with_decisions_and_the_owners_answers(demo_app):
    spring, autumn = review_pages(demo_app)
    for page in (spring, autumn):
        assert "Fiktive demodata" in page and "Demo: " in page  # labelled as the demo is
    assert "Forårsmøde 2026" in spring and "14. april 2026" in spring
    assert "Gruppen anbefaler én fælles visitation" in spring  # a decision on an overlap
    assert "Akutteamet er i drift med dokumenteret effekt" in spring  # on a scaling candidate
    assert "Vi deler drejebog og uddannelsesmateriale" in spring  # the owner's answer
    assert f"{RESPONSES['agreed'].da} – Demo: Enig." in spring
    assert f"{RESPONSES['in_dialogue'].da} – Demo: Vi er i dialog" in spring
    assert f"{RESPONSES['declined'].da} – Demo: Vi fastholder to indsatser" in autumn
    # Counterparts are named, not coded.
    assert "Aarhus Kommune, Samsø Kommune: Demo: Begge indsatser" in autumn
    assert "kommune-samsoe: Demo" not in autumn
    # The republish between the meetings is named in the autumn's "since last review".
    since = autumn[autumn.index('id="since-title"') : autumn.index('id="balance-title"')]
    assert "Forløbskoordinator ved udskrivning fra AUH til Samsø" in since
    assert "Digital udskrivningskonference mellem AUH og Aarhus Kommune" in since


def test_the_demo_reviews_read_the_portfolio_as_of_their_past_moments(db):
    found = reviews.list_reviews(unit_of(db), "kronikere-aeldre-aarhus")
    assert [r.meeting_date.isoformat() for r in found] == ["2026-04-14", "2026-10-06"]
    published = seeds.reviews.published_at()
    assert all(published < r.as_of < dt.datetime(2026, 12, 3, tzinfo=dt.UTC) for r in found)
    assert db.scalar(select(func.max(Project.created_at))) <= published


def test_seeding_the_demo_again_adds_no_reviews_and_no_goal_picture(demo_app, db):
    result = demo_app.test_cli_runner().invoke(main, ["seed", "--demo"], catch_exceptions=False)
    assert "Demo reviews added: 0" in result.stderr
    assert "Demo goal pictures added: 0" in result.stderr
    assert len(reviews.list_reviews(unit_of(db), "kronikere-aeldre-aarhus")) == 2
    history = goals.get_goal_picture(unit_of(db), "group", "kronikere-aeldre-aarhus").history
    assert len(history) == 2


# --- the demo group's nærsundhedsplan (seeds/data/demo/goal_pictures.json) -------------------


def test_the_demo_group_follows_up_its_naersundhedsplan_with_trends_and_a_gap(db, world):
    ids = world[2]
    found = goals.follow_up_goals(unit_of(db), MEMBER, "group", "kronikere-aeldre-aarhus")
    assert found.picture.document["kind"] == "naersundhedsplan"
    assert found.picture.actor == "seed" and not found.warnings
    assert 5 <= len(found.goals) <= 7
    assert all(
        g.title.startswith("Demo:") and g.description.startswith("Demo:") for g in found.goals
    )
    by_code = {g.code: g for g in found.goals}
    # The numbers move: a trend and a distance to the best comparable health council.
    (readmissions, _) = by_code["NSP-2"].indicators
    assert readmissions.trend is Trend.IMPROVING and readmissions.latest_period == "2026H2"
    assert readmissions.best_area == "sundhedsraad-midt" and readmissions.variation is not None
    assert sum(1 for g in found.goals for i in g.indicators if i.best_area) >= 2
    assert sum(1 for g in found.goals if g.narrative.startswith("Demo:")) >= len(found.goals) - 1
    # Demo cards link to the goals; one goal has nothing behind it, so the gap shows.
    assert ids["kommune-aarhus:PL-0050"] in by_code["NSP-1"].projects
    assert ids["auh:PL-0056"] in by_code["NSP-1"].projects
    assert [g.code for g in found.goals if g.without_projects] == ["NSP-5"]


def test_the_demo_plan_was_adopted_before_the_portfolio_and_followed_up_later(db):
    history = goals.get_goal_picture(unit_of(db), "group", "kronikere-aeldre-aarhus").history
    adopted, followed_up = history
    assert adopted.created_at < seeds.reviews.published_at() < followed_up.created_at
    first = adopted.document["goals"][0]
    assert first["indicators"][0]["values"] == [] and first["assessments"] == []


def test_the_groups_goal_page_shows_the_demo_naersundhedsplan(demo_app):
    page = demo_app.test_client().get("/groups/kronikere-aeldre-aarhus/goals")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Nærsundhedsplan – Kronikere og ældre – Sundhedsråd Aarhus" in text
    assert "Demo: Fiktivt udkast til nærsundhedsplan" in text
    assert "Demo: Færre forebyggelige indlæggelser blandt ældre" in text
    assert "Sundhedsråd Midt" in text  # the best comparable area, by name
    # Labelled as the review pages are: the same notice, saying what is invented.
    assert (
        '<p class="notice notice--demo">Fiktive demodata: gruppen, dens mål, indikatorer og tal '
        "er opfundet til demonstration, men med rigtige organisationer og steder.</p>"
    ) in text
    assert "Akutteam og tidlig opsporing" in text  # a project behind a goal
