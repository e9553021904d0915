"""Routing: which groups' mandates cover a project, and why (no database)."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from ecosystem.groups import (
    Group,
    GroupSchema,
    Reach,
    Scope,
    group_from_document,
    group_to_document,
    route,
)
from tests.unit.group_builders import mandate, project, reference

REF = reference()


def group(group_id: str, **fields: list[str]) -> Group:
    return Group(id=group_id, name=group_id, mandate=mandate(**fields), coordinators=("x",))


def cover(info, **fields):
    return Scope(mandate(**fields), REF).cover(info)


def test_a_project_in_a_municipality_of_the_council_is_covered_from_inside():
    coverage = cover(project(1, "kommune-samsoe"), themes=["T2"], areas=["sundhedsraad-aarhus"])
    assert coverage is not None
    assert coverage.reach is Reach.INSIDE
    assert coverage.areas == ("0741",)
    assert coverage.themes == ("T2",)


def test_a_regional_project_reaches_every_council_of_its_region_and_no_other():
    regional = project(1, "region-midtjylland")
    assert cover(regional, areas=["sundhedsraad-aarhus"]).reach is Reach.ENCLOSING
    assert cover(regional, areas=["0741"]).reach is Reach.ENCLOSING
    assert cover(regional, areas=["sundhedsraad-limfjorden"]) is None


def test_a_nationwide_project_reaches_every_mandate_but_only_as_national():
    national = project(1, "danske-regioner", areas=("DK",))
    assert cover(national, areas=["sundhedsraad-limfjorden"]).reach is Reach.NATIONAL
    assert cover(national, areas=["DK"]).reach is Reach.INSIDE


def test_a_theme_covers_its_sub_themes_but_not_other_themes():
    assert cover(project(1, "kommune-aarhus", themes=("T2.1",)), themes=["T2"]) is not None
    assert cover(project(2, "kommune-aarhus", themes=("T4",)), themes=["T2"]) is None


def test_target_groups_exclude_only_projects_that_name_other_target_groups():
    fields = {"themes": ["T2"], "target_groups": ["kol"]}
    assert cover(project(1, "kommune-aarhus", target_groups=("kol", "aeldre")), **fields)
    assert cover(project(2, "kommune-aarhus", target_groups=()), **fields) is not None
    assert cover(project(3, "kommune-aarhus", target_groups=("aeldre",)), **fields) is None


def test_a_project_without_areas_is_placed_where_its_organisation_works():
    coverage = cover(project(1, "kommune-aalborg"), areas=["sundhedsraad-limfjorden"])
    assert coverage is not None and coverage.areas == ("0851",)
    assert cover(project(2, "au"), areas=["DK"]) is None  # no areas, organisation has none


def test_routing_reports_projects_under_no_group_one_group_and_several():
    groups = [
        group("kronikere-aarhus", themes=["T2"], areas=["sundhedsraad-aarhus"]),
        group("kronikere-midt", themes=["T2"], areas=["region-midtjylland"]),
        group("psykiatri", themes=["T4"], areas=["DK"]),
    ]
    in_aarhus = project(1, "kommune-aarhus")
    in_aalborg = project(2, "kommune-aalborg")
    psychiatry = project(3, "aauh", themes=("T4",))
    report = route([in_aarhus, in_aalborg, psychiatry], groups, REF)

    assert report.uncovered == (2,)
    assert [g for g, _ in report.several[1]] == ["kronikere-aarhus", "kronikere-midt"]
    assert [c.project_id for c in report.by_group["psykiatri"]] == [3]
    assert 3 not in report.several


def test_coverage_explains_itself_in_danish_and_english():
    regional = project(1, "region-midtjylland", target_groups=("kol",))
    reasons = cover(regional, target_groups=["kol"], areas=["0741"]).reasons(REF)
    assert [r.da for r in reasons] == [
        "Tema: T2",
        "Målgruppe: kol",
        "Regionalt projekt, der dækker mandatets område (Region Midtjylland)",
    ]
    assert reasons[2].en == "Regional project covering the mandate's area (Central Denmark Region)"


GROUP = {
    "id": "kronikere-aarhus",
    "name": "Kronikere og ældre",
    "mandate": {"themes": ["T2", "T2"], "areas": ["sundhedsraad-aarhus"]},
    "coordinators": ["kommune-aarhus", "kommune-aarhus"],
}


def test_a_group_document_gets_defaults_and_loses_duplicates():
    loaded = GroupSchema().load(GROUP)
    assert loaded["mandate"]["themes"] == ["T2"]
    assert loaded["mandate"]["level"] == "advise"
    assert loaded["coordinators"] == ["kommune-aarhus"]
    assert loaded["review_cadence"] == "quarterly"
    assert group_to_document(group_from_document(loaded)) == {**loaded, "members": []}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "routing"}, "id"),
        ({"id": "Kronikere Aarhus"}, "id"),
        ({"coordinators": []}, "coordinators"),
        ({"mandate": {"level": "decide"}}, "mandate"),
        ({"members": [{"organisation": "auh", "role": "king"}]}, "members"),
        ({"ambition": {"quadrant_shares": {"oysters": 0.8, "pearls": 0.4}}}, "ambition"),
        ({"ambition": {"stage_shares": {"completed": 0.2}}}, "ambition"),
        ({"owner": "me"}, "owner"),
    ],
)
def test_a_bad_group_document_is_refused_naming_the_field(change, field):
    with pytest.raises(ValidationError) as error:
        GroupSchema().load({**GROUP, **change})
    assert field in error.value.messages
