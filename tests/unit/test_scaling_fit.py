"""Adopters specific to each candidate, and candidates ranked for one adopter (no database).

The hand-built slice: the Aarhus council is Aarhus (0751) and Samsø (0741); Nordjylland
is Aalborg (0851) and Morsø (0773).
"""

from __future__ import annotations

from ecosystem.gaps import analyse_gaps
from ecosystem.overlap import Relation
from ecosystem.scaling import find_candidates
from ecosystem.scaling.fit import FitKind, candidates_for_adopter
from tests.unit.group_builders import mandate, pair, project, reference

REF = reference()
AARHUS = mandate(themes=["T2"], areas=["sundhedsraad-aarhus"])
NORTH = mandate(themes=["T2"], areas=["region-nordjylland"])


def found(the_mandate, projects, pairs=()):
    report = analyse_gaps(the_mandate, projects, REF)
    return {
        c.project_id: c for c in find_candidates(the_mandate, projects, report, list(pairs), REF)
    }


def fits(adopter, the_mandate, projects, pairs=(), engine=True):
    report = analyse_gaps(the_mandate, projects, REF)
    ranked, _ = candidates_for_adopter(
        adopter, the_mandate, projects, report, list(pairs) if engine else None, REF
    )
    return ranked


def factors(fit):
    return {f.kind: f.points for f in fit.factors}


def organisations(candidate):
    return [a.organisation for a in candidate.adopters]


# --- adopters ----------------------------------------------------------------------------


def test_a_place_that_already_runs_the_same_thing_is_no_adopter():
    mature = project(1, "kommune-aalborg", outcome="positive")
    same_in_samsoe = project(2, "kommune-samsoe", stage="operation", themes=("T9",))
    # Samsø runs the same thing under another theme; the engine says it is the same.
    with_pair = found(AARHUS, [mature, same_in_samsoe], [pair(1, 2, Relation.PARALLEL)])
    # Both lack T2, but Samsø already has the intervention.
    assert organisations(with_pair[1]) == ["kommune-aarhus"]
    without = found(AARHUS, [mature, same_in_samsoe])
    assert organisations(without[1]) == ["kommune-samsoe", "kommune-aarhus"]


def test_a_pilot_of_the_same_thing_does_not_count_as_having_it():
    mature = project(1, "kommune-aalborg", outcome="positive")
    pilot = project(2, "kommune-samsoe", stage="pilot")
    candidate = found(AARHUS, [mature, pilot], [pair(1, 2, Relation.SEQUENTIAL)])[1]
    samsoe = next(a for a in candidate.adopters if a.organisation == "kommune-samsoe")
    assert samsoe.need == "starting"
    assert samsoe.reason.da.startswith("Starter selv det samme i forlængelse af dette")


def test_without_the_engine_a_mature_project_on_the_theme_for_the_people_counts_as_having_it():
    mature = project(1, "kommune-aalborg", target_groups=("kol",), outcome="positive")
    aarhus_kol = project(2, "kommune-aarhus", target_groups=("kol", "aeldre"))
    samsoe_other = project(3, "kommune-samsoe", target_groups=("aeldre",), themes=("T9",))
    with_kol = mandate(themes=["T2"], target_groups=["kol"], areas=["sundhedsraad-aarhus"])
    projects = [mature, aarhus_kol, samsoe_other]
    report = analyse_gaps(with_kol, projects, REF)
    candidate = {c.project_id: c for c in find_candidates(with_kol, projects, report, None, REF)}[1]
    assert organisations(candidate) == ["kommune-samsoe"]  # Aarhus has a KOL project on T2


def test_a_wider_gap_lists_first_those_that_work_with_the_people_and_says_so():
    socially = project(1, "kommune-aarhus", target_groups=("socialt-udsatte",), outcome="positive")
    aalborg = project(2, "kommune-aalborg", target_groups=("socialt-udsatte",), themes=("T9",))
    aalborg_t2 = project(4, "kommune-aalborg", target_groups=("aeldre",))
    morsoe = project(3, "kommune-morsoe", target_groups=("aeldre",))
    regional = mandate(
        themes=["T2"], target_groups=["socialt-udsatte"], areas=["region-nordjylland"]
    )
    candidate = found(regional, [socially, aalborg, aalborg_t2, morsoe])[1]
    by_organisation = {a.organisation: a for a in candidate.adopters}
    # The region-wide gap is the region's own; Aalborg works with socially vulnerable
    # people under another theme; Morsø only lies in the region.
    assert organisations(candidate) == ["region-nordjylland", "kommune-aalborg", "kommune-morsoe"]
    assert [a.need for a in candidate.adopters] == ["own_gap", "wider_gap", "wider_gap"]
    assert (
        "Aalborg arbejder med socialt udsatte borgere"
        in by_organisation["kommune-aalborg"].reason.da
    )
    assert "works with socially vulnerable people" in by_organisation["kommune-aalborg"].reason.en
    assert "arbejder med" not in by_organisation["kommune-morsoe"].reason.da


def test_nothing_like_it_needs_people_the_place_works_with_when_others_start_it():
    mature = project(1, "kommune-aarhus", target_groups=("kol",), outcome="positive")
    starting = project(2, "kommune-aalborg", stage="pilot", target_groups=("kol",))
    regional = project(3, "region-nordjylland", target_groups=("kol",))  # covers the gaps
    morsoe = project(4, "kommune-morsoe", stage="idea", themes=("T9",), target_groups=("kol",))
    pairs = [pair(1, 2, Relation.SEQUENTIAL)]
    candidate = found(NORTH, [mature, starting, regional, morsoe], pairs)[1]
    assert organisations(candidate) == ["kommune-aalborg", "kommune-morsoe"]
    assert candidate.adopters[1].reason.da == (
        "Intet lignende i Morsø, der arbejder med borgere med kol."
    )
    without_kol_in_morsoe = found(NORTH, [mature, starting, regional], pairs)[1]
    assert organisations(without_kol_in_morsoe) == ["kommune-aalborg"]


def test_adopters_differ_between_candidates():
    elderly = project(1, "kommune-aalborg", target_groups=("aeldre",), outcome="positive")
    copd = project(2, "kommune-morsoe", target_groups=("kol",), outcome="positive")
    aarhus_elderly = project(3, "kommune-aarhus", target_groups=("aeldre",))
    aarhus_copd_elsewhere = project(4, "kommune-aarhus", themes=("T9",), target_groups=("kol",))
    with_groups = mandate(
        themes=["T2"], target_groups=["aeldre", "kol"], areas=["sundhedsraad-aarhus"]
    )
    candidates = found(
        with_groups,
        [elderly, copd, aarhus_elderly, aarhus_copd_elsewhere],
        [pair(1, 3, Relation.PARALLEL)],  # Aarhus already runs the elderly project
    )
    assert organisations(candidates[1]) == ["kommune-samsoe"]
    assert organisations(candidates[2]) == ["kommune-samsoe", "kommune-aarhus"]


# --- ranked for an adopter ---------------------------------------------------------------


def test_a_gap_of_the_adopters_own_counts_more_than_its_councils():
    own = fits("kommune-samsoe", AARHUS, [project(1, "kommune-aarhus"), project(2, "auh")])
    assert {f.candidate.project_id for f in own} == {1, 2}
    gap = next(f for f in own[0].factors if f.kind is FitKind.GAP)
    assert gap.text.da.startswith("Udfylder et hul (eget hul")
    with_groups = mandate(themes=["T2"], target_groups=["kol"], areas=["sundhedsraad-aarhus"])
    council = fits(
        "kommune-samsoe",
        with_groups,
        [project(1, "kommune-aalborg", target_groups=("kol",)), project(2, "kommune-samsoe")],
    )
    assert factors(council[0])[FitKind.GAP] < factors(own[0])[FitKind.GAP]


def test_the_same_target_group_counts_and_makes_a_proven_one_obvious():
    for_elderly = project(1, "kommune-aalborg", target_groups=("aeldre",), outcome="positive")
    for_copd = project(2, "kommune-morsoe", target_groups=("kol",), outcome="positive")
    in_operation = project(3, "kommune-morsoe", target_groups=("kol",))  # not evaluated
    samsoe_elderly = project(4, "kommune-samsoe", themes=("T9",), target_groups=("aeldre",))
    ranked = fits("kommune-samsoe", AARHUS, [for_copd, in_operation, for_elderly, samsoe_elderly])
    assert [f.candidate.project_id for f in ranked] == [1, 2, 3]
    assert ranked[0].obvious and not ranked[1].obvious
    assert factors(ranked[0])[FitKind.TARGET_GROUP] == 2
    assert FitKind.TARGET_GROUP not in factors(ranked[1])


def test_evidence_and_maturity_each_add_their_points():
    proven = project(1, "kommune-aalborg", outcome="positive", stage="implementation")
    running = project(2, "kommune-aalborg")
    spreading = project(3, "kommune-aalborg", stage="implementation")
    completed = project(4, "kommune-aalborg", stage="completed", outcome="positive")
    ranked = fits("kommune-samsoe", AARHUS, [spreading, completed, running, proven])
    points = {f.candidate.project_id: factors(f) for f in ranked}
    assert points[1][FitKind.EVIDENCE] == 2 and points[1][FitKind.MATURITY] == 1
    assert FitKind.EVIDENCE not in points[2] and points[2][FitKind.MATURITY] == 2
    assert points[3][FitKind.MATURITY] == 1
    assert points[4][FitKind.MATURITY] == 0
    # 6, 5, 5, 4 points; the tie goes to the higher score in the mandate (the evaluation).
    assert [f.candidate.project_id for f in ranked] == [1, 4, 2, 3]
    assert all(f.points == sum(x.points for x in f.factors) for f in ranked)


def test_a_neighbour_in_the_same_council_is_nearer_than_one_elsewhere():
    elsewhere = project(1, "kommune-aalborg", outcome="positive")
    neighbour = project(2, "kommune-aarhus", outcome="positive")
    ranked = fits("kommune-samsoe", AARHUS, [elsewhere, neighbour])
    assert [f.candidate.project_id for f in ranked] == [2, 1]
    assert factors(ranked[0])[FitKind.NEARBY] == 2
    assert ranked[0].factors[-1].text.da == "Kører allerede i samme sundhedsråd."


def test_an_adopter_starting_the_same_thing_gets_the_starting_points():
    mature = project(1, "kommune-aarhus", outcome="positive")
    starting = project(2, "kommune-aalborg", stage="pilot")
    ranked = fits("kommune-aalborg", NORTH, [mature, starting], [pair(1, 2, Relation.SEQUENTIAL)])
    assert [f.candidate.project_id for f in ranked] == [1]
    assert factors(ranked[0])[FitKind.STARTING] == 3
    assert ranked[0].adopter.starting == (2,)


def test_an_area_as_adopter_and_only_what_it_lacks():
    here = project(1, "kommune-samsoe", outcome="positive")
    there = project(2, "kommune-aalborg", outcome="positive")
    ranked = fits("0751", AARHUS, [here, there])
    assert [f.candidate.project_id for f in ranked] == [1, 2]  # Aarhus lacks both
    assert fits("0741", AARHUS, [here, there]) == []  # Samsø runs one: no T2 gap
