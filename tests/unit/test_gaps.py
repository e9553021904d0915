"""Gap analysis on small hand-built graphs, one kind of gap at a time (no database)."""

from __future__ import annotations

from ecosystem.gaps import CellStatus, GapKind, PublicValue, Severity, analyse_gaps
from ecosystem.groups import Proximity
from tests.unit.group_builders import mandate, project, reference

REF = reference()
AARHUS = mandate(themes=["T2"], areas=["sundhedsraad-aarhus"])


# The rules below are about single cells; a grouped line lists them as its parts
# (tests/unit/test_gap_lines.py tests the lines).
def gaps_of(report, kind):
    return {g.id: g for g in report.findings() if g.kind is kind}


def the_gap(report, kind, **fields):
    found = [
        g
        for g in report.findings()
        if g.kind is kind and all(getattr(g, k) == v for k, v in fields.items())
    ]
    assert len(found) == 1, [g.id for g in report.gaps]
    return found[0]


# --- theme × area ------------------------------------------------------------------------


def test_a_municipality_without_the_theme_is_a_high_gap_with_the_nearest_project_named():
    aarhus = project(1, "kommune-aarhus")
    aalborg = project(2, "kommune-aalborg")
    report = analyse_gaps(AARHUS, [aarhus, aalborg], REF)

    gap = the_gap(report, GapKind.THEME_AREA, theme="T2", area="0741")
    assert gap.severity is Severity.HIGH
    assert gap.explanation.da.startswith("Ingen igangværende projekter om Kronisk sygdom")
    assert "Samsø" in gap.explanation.da and "Samsø" in gap.explanation.en
    # Aarhus, in the same council, is nearer than Aalborg, in another region.
    assert [(n.project_id, n.proximity) for n in gap.nearest] == [
        (1, Proximity.SAME_COUNCIL),
        (2, Proximity.ELSEWHERE),
    ]
    assert report.theme_area.cell("T2", "0751").status is CellStatus.COVERED


def test_a_nationwide_project_does_not_fill_a_municipality_but_softens_the_gap():
    national = project(1, "danske-regioner", stage="implementation", areas=("DK",))
    report = analyse_gaps(AARHUS, [project(2, "kommune-aarhus"), national], REF)

    gap = the_gap(report, GapKind.THEME_AREA, area="0741")
    assert gap.severity is Severity.MEDIUM
    assert gap.national == (1,) and gap.projects == ()
    assert "Kun landsdækkende projekter når dertil: «Projekt 1»" in gap.explanation.da


def test_a_regional_project_counts_in_every_municipality_of_its_region():
    regional = project(1, "region-midtjylland", stage="implementation")
    report = analyse_gaps(AARHUS, [regional], REF)
    assert not gaps_of(report, GapKind.THEME_AREA)
    assert report.theme_area.cell("T2", "0741").projects == (1,)


def test_early_work_alone_is_thin_coverage_weighted_by_stage():
    idea = project(1, "kommune-samsoe", stage="idea")
    analysis = project(2, "kommune-samsoe", stage="analysis")
    report = analyse_gaps(
        AARHUS, [idea, analysis, project(3, "kommune-aarhus", stage="pilot")], REF
    )

    samsoe = report.theme_area.cell("T2", "0741")
    assert (samsoe.weight, samsoe.status) == (0.75, CellStatus.THIN)
    gap = the_gap(report, GapKind.THEME_AREA, area="0741")
    assert gap.severity is Severity.LOW
    assert gap.projects == (1, 2)
    assert "kun 2 projekter, i tidlige faser (idé, analyse)" in gap.explanation.da
    # A pilot weighs 0.75: also thin; an implementation or an operation would be covered.
    assert report.theme_area.cell("T2", "0751").status is CellStatus.THIN


def test_withdrawn_stopped_and_completed_projects_do_not_cover_anything():
    report = analyse_gaps(
        AARHUS,
        [
            project(1, "kommune-samsoe", withdrawn=True),
            project(2, "kommune-samsoe", stage="stopped"),
            project(3, "kommune-samsoe", stage="completed", outcome="positive"),
        ],
        REF,
    )
    assert the_gap(report, GapKind.THEME_AREA, area="0741").projects == ()


def test_a_national_mandate_compares_regions_not_municipalities():
    report = analyse_gaps(mandate(themes=["T4"]), [project(1, "aauh", themes=("T4",))], REF)
    assert report.units == ("region-midtjylland", "region-nordjylland")
    assert the_gap(report, GapKind.THEME_AREA, area="region-midtjylland").severity is Severity.HIGH


# --- theme × target group ----------------------------------------------------------------


def test_a_target_group_missing_from_the_whole_mandate_is_high_and_one_served_elsewhere_lower():
    with_themes = mandate(
        themes=["T2", "T9"], target_groups=["kol", "aeldre"], areas=["sundhedsraad-aarhus"]
    )
    report = analyse_gaps(
        with_themes,
        [
            project(1, "kommune-aarhus", themes=("T2",), target_groups=("aeldre",)),
            project(2, "kommune-aarhus", themes=("T9",), target_groups=("kol",)),
        ],
        REF,
    )
    unserved = the_gap(report, GapKind.THEME_TARGET_GROUP, theme="T2", target_group="kol")
    assert unserved.area == "sundhedsraad-aarhus"
    assert unserved.severity is Severity.MEDIUM  # KOL is served under T9
    assert "for borgere med KOL i Sundhedsråd Aarhus" in unserved.explanation.da
    assert "under andre af mandatets temaer" in unserved.explanation.da
    nobody = analyse_gaps(
        with_themes, [project(1, "kommune-aarhus", target_groups=("aeldre",))], REF
    )
    gap = the_gap(nobody, GapKind.THEME_TARGET_GROUP, theme="T2", target_group="kol")
    assert gap.severity is Severity.HIGH
    assert "Målgruppen har ingen projekter i mandatet" in gap.explanation.da


def test_a_national_mandate_finds_the_region_lacking_a_target_group():
    psychiatry = mandate(themes=["T4"], target_groups=["voksne-psykisk"], areas=["DK"])
    report = analyse_gaps(
        psychiatry,
        [
            project(1, "region-midtjylland", themes=("T4",), target_groups=("voksne-psykisk",)),
            project(2, "region-nordjylland", themes=("T4",), target_groups=("aeldre",)),
        ],
        REF,
    )
    gap = the_gap(report, GapKind.THEME_TARGET_GROUP, target_group="voksne-psykisk")
    assert gap.area == "region-nordjylland"
    assert gap.nearest[0].project_id == 1


def test_without_target_groups_in_the_mandate_only_combinations_seen_somewhere_are_expected():
    report = analyse_gaps(
        mandate(themes=["T2"], areas=["DK"]),
        [
            project(1, "kommune-aarhus", target_groups=("kol",)),
            project(2, "kommune-aalborg", target_groups=("aeldre",)),
        ],
        REF,
    )
    lacking = {
        (g.area, g.target_group) for g in gaps_of(report, GapKind.THEME_TARGET_GROUP).values()
    }
    assert lacking == {("region-nordjylland", "kol"), ("region-midtjylland", "aeldre")}


# --- goals ----------------------------------------------------------------------------------


def test_a_goal_nobody_contributes_to_is_uncovered_and_one_only_hospitals_serve_is_single_kind():
    with_goals = mandate(themes=["T2"], areas=["sundhedsraad-aarhus"], goals=["NM5", "NM7"])
    report = analyse_gaps(
        with_goals,
        [
            project(1, "auh", goals=("NM5",)),
            project(2, "auh", goals=("NM5",), stage="pilot"),
            project(3, "kommune-aalborg", goals=("NM5",)),
        ],
        REF,
    )
    uncovered = the_gap(report, GapKind.GOAL_UNCOVERED, goal="NM7")
    assert uncovered.severity is Severity.HIGH
    assert "Heller ikke andre steder" in uncovered.explanation.da
    single = the_gap(report, GapKind.GOAL_SINGLE_KIND, goal="NM5")
    assert single.projects == (1, 2)
    assert single.explanation.da.startswith("Kun hospitaler bidrager til målet NM5")
    assert [n.project_id for n in single.nearest] == [3]  # a municipality elsewhere does


def test_a_goal_served_by_two_kinds_of_organisation_is_no_gap():
    report = analyse_gaps(
        mandate(themes=["T2"], areas=["sundhedsraad-aarhus"], goals=["NM5"]),
        [project(1, "auh", goals=("NM5",)), project(2, "kommune-samsoe", goals=("NM5",))],
        REF,
    )
    assert not gaps_of(report, GapKind.GOAL_SINGLE_KIND)
    assert not gaps_of(report, GapKind.GOAL_UNCOVERED)


def test_a_mandate_naming_only_a_goal_set_follows_every_goal_in_it():
    report = analyse_gaps(
        mandate(themes=["T2"], areas=["0751"], goal_sets=["nationale-maal"]),
        [project(1, "kommune-aarhus", goals=("NM2",))],
        REF,
    )
    assert {g.goal for g in gaps_of(report, GapKind.GOAL_UNCOVERED).values()} == {"NM5", "NM7"}


# --- pipeline -------------------------------------------------------------------------------


def test_a_theme_with_nothing_at_idea_or_analysis_has_no_renewal():
    report = analyse_gaps(
        AARHUS,
        [project(1, "kommune-aarhus", stage="pilot"), project(2, "kommune-samsoe")],
        REF,
    )
    gap = the_gap(report, GapKind.PIPELINE_NO_EARLY, theme="T2")
    assert gap.projects == (1, 2)
    assert "fornyelse" in gap.explanation.da and "renewal" in gap.explanation.en
    renewed = analyse_gaps(
        AARHUS, [project(1, "kommune-aarhus", stage="analysis"), project(2, "kommune-samsoe")], REF
    )
    assert not gaps_of(renewed, GapKind.PIPELINE_NO_EARLY)


def test_a_theme_with_only_early_work_has_nothing_ready_to_spread():
    early = [
        project(1, "kommune-aarhus", stage="idea"),
        project(2, "kommune-samsoe", stage="pilot"),
    ]
    gap = the_gap(analyse_gaps(AARHUS, early, REF), GapKind.PIPELINE_NO_LATE, theme="T2")
    assert "klar til at blive udbredt" in gap.explanation.da
    # A completed project with a positive evaluation is ready to spread.
    evaluated = project(3, "kommune-aarhus", stage="completed", outcome="positive")
    assert not gaps_of(analyse_gaps(AARHUS, [*early, evaluated], REF), GapKind.PIPELINE_NO_LATE)


def test_a_theme_without_any_project_gets_no_pipeline_gap_only_coverage_gaps():
    report = analyse_gaps(AARHUS, [], REF)
    assert not gaps_of(report, GapKind.PIPELINE_NO_EARLY)
    assert not gaps_of(report, GapKind.PIPELINE_NO_LATE)
    assert len(gaps_of(report, GapKind.THEME_AREA)) == 2


# --- public value ---------------------------------------------------------------------------


def test_public_value_gaps_look_for_inequality_outlying_areas_outreach_and_prevention():
    report = analyse_gaps(
        mandate(themes=["T2", "T10"], areas=["sundhedsraad-aarhus"]),
        [
            project(1, "kommune-samsoe", themes=("T2",), target_groups=("yderomraader",)),
            project(2, "kommune-aarhus", themes=("T10.3",), stage="idea"),
            project(3, "kommune-aalborg", themes=("T10",), target_groups=("socialt-udsatte",)),
        ],
        REF,
    )
    found = {g.dimension: g for g in gaps_of(report, GapKind.PUBLIC_VALUE).values()}
    assert set(found) == {PublicValue.INEQUALITY, PublicValue.OUTREACH, PublicValue.PREVENTION}
    assert found[PublicValue.INEQUALITY].severity is Severity.HIGH
    assert found[PublicValue.INEQUALITY].target_group == "socialt-udsatte"
    assert [n.project_id for n in found[PublicValue.INEQUALITY].nearest] == [3]
    assert found[PublicValue.OUTREACH].severity is Severity.LOW  # one idea: thin
    assert "ulighed i sundhed" in found[PublicValue.INEQUALITY].explanation.da


def test_public_value_is_sought_under_the_mandates_themes_only():
    psychiatry = mandate(themes=["T4"], areas=["DK"])
    report = analyse_gaps(
        psychiatry,
        [project(1, "kommune-morsoe", themes=("T2",), target_groups=("yderomraader",))],
        REF,
    )
    outlying = the_gap(report, GapKind.PUBLIC_VALUE, dimension=PublicValue.OUTLYING_AREAS)
    assert outlying.theme == "T4" and outlying.area == "DK"
    assert outlying.nearest == ()  # a T2 project is not psychiatry for outlying areas


def test_gaps_are_listed_most_severe_first():
    report = analyse_gaps(
        AARHUS,
        [project(1, "kommune-samsoe", stage="idea"), project(2, "danske-regioner", areas=("DK",))],
        REF,
    )
    ranks = [g.severity.rank for g in report.gaps]
    assert ranks == sorted(ranks)
    assert {Severity.HIGH, Severity.MEDIUM, Severity.LOW} <= {g.severity for g in report.findings()}
