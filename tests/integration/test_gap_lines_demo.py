"""The gap lines on the demo, through the service as the pages read them (texts read too).

The demo is seeded once per database (``ecosystem seed --demo``, with the demo groups);
every test only reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import seeds
from api import create_app
from api.cli import main
from api.db import new_unit_of_work
from ecosystem.gaps import Finding, GapKind, GapReport, PublicValue
from ecosystem.model import Principal
from ecosystem.services import analyses
from ecosystem.store.engine import make_engine
from tests.conftest import _empty

KEY = seeds.answer_key()
MEMBER = Principal(organisation_id="region-nordjylland")
AARHUS_LINES_BEFORE = 19  # one line per cell, before lines were grouped


@pytest.fixture(scope="module")
def demo_app(database_url: str) -> Iterator[Any]:
    engine = make_engine(database_url)
    _empty(engine)
    engine.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": database_url})
    result = app.test_cli_runner().invoke(main, ["seed", "--demo"], catch_exceptions=False)
    assert result.exit_code == 0
    yield app
    app.extensions["ecosystem.engine"].dispose()


@pytest.fixture(scope="module")
def reports(demo_app: Any) -> dict[str, GapReport]:
    """Each demo group's gap report, as the group page gets it."""
    uow = new_unit_of_work(demo_app)
    with uow:
        found = {
            group["id"]: analyses.group_gaps(uow, MEMBER, group["id"]).report
            for group in KEY["groups"]
        }
    uow.close()
    return found


@pytest.fixture(scope="module")
def ids(demo_app: Any) -> dict[str, int]:
    from sqlalchemy import select

    from ecosystem.store.tables import Project

    with demo_app.extensions["ecosystem.engine"].connect() as connection:
        rows = connection.execute(select(Project.id, Project.organisation_id, Project.external_id))
        return {f"{org}:{external}": project_id for project_id, org, external in rows}


@pytest.mark.parametrize("planted", KEY["gaps"], ids=[g["id"] for g in KEY["gaps"]])
def test_every_planted_gap_is_still_found_on_exactly_one_line(reports, planted):
    report = reports[planted["group"]]
    themes = report.mandate.themes

    def matches(gap: Any) -> bool:
        theme = planted["theme"]
        return (
            gap.kind is GapKind(planted["kind"])
            and (theme is None or gap.theme == theme or (gap.theme is None and theme in themes))
            and all(
                planted[field] is None or getattr(gap, field) == planted[field]
                for field in ("area", "target_group", "goal")
            )
        )

    lines = [line for line in report.gaps if any(matches(cell) for cell in line.cells)]
    assert len(lines) == 1, planted["note"]
    assert lines[0].severity_reason.da and lines[0].severity_reason.en


def test_the_aarhus_group_reads_far_fewer_lines_than_one_per_cell(reports):
    report = reports["kronikere-aeldre-aarhus"]
    assert len(report.gaps) <= 12 < AARHUS_LINES_BEFORE
    assert len(report.findings()) >= AARHUS_LINES_BEFORE  # the same cells, grouped
    # No two lines say the same thing about the same theme and target group.
    keys = [(g.kind, g.theme, g.target_group, g.goal, g.dimension) for g in report.gaps]
    assert len(keys) == len(set(keys))


def test_nordjylland_lists_its_municipalities_on_one_line_per_theme(reports):
    report = reports["forebyggelse-ulighed-nord"]
    t9 = [g for g in report.gaps if g.kind is GapKind.THEME_AREA and g.theme == "T9"]
    assert len(t9) == 1
    assert {"0825", "0773"} <= set(t9[0].areas)
    assert len(report.gaps) <= 12  # was 30, one line per cell


def test_the_outreach_psychiatry_team_is_not_beside_a_claim_of_no_outreach(reports, ids):
    report = reports["psykiatri-national"]
    team = ids["psykiatrien-region-hovedstaden:PL-0045"]
    outreach = next(r for r in report.public_value if r.dimension is PublicValue.OUTREACH)
    assert team in outreach.projects
    assert not [
        g
        for g in report.findings()
        if g.kind is GapKind.PUBLIC_VALUE and g.dimension is PublicValue.OUTREACH
    ]


def test_a_gap_says_whether_nothing_is_tagged_or_nothing_is_found(reports):
    north = reports["forebyggelse-ulighed-nord"]
    outreach = next(g for g in north.gaps if g.dimension is PublicValue.OUTREACH)
    assert outreach.finding is Finding.NOT_FOUND
    assert "Intet projekt fundet, heller ikke i projekternes tekst." in outreach.explanation.da
    t9 = next(g for g in north.gaps if g.kind is GapKind.THEME_AREA and g.theme == "T9")
    assert t9.finding is None  # thin tagged work in Jammerbugt and Hjørring
    samsoe = next(
        g
        for g in reports["kronikere-aeldre-aarhus"].gaps
        if g.kind is GapKind.THEME_AREA and g.theme == "T2"
    )
    assert samsoe.finding is Finding.NOT_TAGGED  # a whole theme is not read from texts
    assert "Intet projekt er mærket med temaet" in samsoe.explanation.da


def test_sub_themes_read_from_texts_are_never_ones_the_card_tags(demo_app):
    uow = new_unit_of_work(demo_app)
    with uow:
        read = analyses.text_subthemes(uow)
        projects = uow.catalogue.projects
        assert read, "the demo texts name sub-themes"
        for project_id, codes in read.items():
            assert codes and not codes & projects[project_id].themes
            assert all("." in code for code in codes)  # sub-themes only
    uow.close()


def test_the_group_page_explains_each_severity(demo_app):
    page = demo_app.test_client().get("/groups/kronikere-aeldre-aarhus")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'class="gap__why"' in html and "Høj, fordi" in html


def test_the_demo_uses_sub_themes_where_a_publisher_would(demo_app):
    cards = [c for items in seeds.demo_portfolios().values() for c in items]
    copd = [c for c in cards if "kol" in c.get("target_groups", []) and "T2" in c["themes"]]
    assert copd and all("T2.1" in c["themes"] for c in copd)
    assert all(c["demo"] is True for c in cards)
    team = next(c for c in cards if c["title"].startswith("Opsøgende psykiatrisk team"))
    assert "T10.3" in team["themes"]  # Opsøgende behandling
    # The sub-theme filter KOL finds the COPD projects.
    page = demo_app.test_client().get("/projects?theme=T2.1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tele-KOL i hjemmesygeplejen" in html and "Hjemmemonitorering af borgere med KOL" in html
