"""Scaling candidates on small hand-built graphs, with overlaps built by hand (no database)."""

from __future__ import annotations

from ecosystem.gaps import analyse_gaps
from ecosystem.overlap import Relation
from ecosystem.scaling import ReasonKind, find_candidates, rank_candidates
from tests.unit.group_builders import mandate, pair, project, reference

REF = reference()
AARHUS = mandate(themes=["T2"], areas=["sundhedsraad-aarhus"])
NORTH = mandate(themes=["T2"], areas=["region-nordjylland"])


def candidates(the_mandate, projects, pairs=()):
    report = analyse_gaps(the_mandate, projects, REF)
    return find_candidates(the_mandate, projects, report, list(pairs), REF)


def by_project(found):
    return {c.project_id: c for c in found}


def adopters(candidate):
    return {a.organisation for a in candidate.adopters}


def test_a_mature_project_elsewhere_is_proposed_to_the_municipality_that_lacks_its_theme():
    found = candidates(
        AARHUS,
        [project(1, "kommune-aarhus"), project(2, "kommune-aalborg", outcome="positive")],
    )
    candidate = by_project(found)[2]
    assert adopters(candidate) == {"kommune-samsoe"}
    adopter = candidate.adopters[0]
    assert adopter.areas == ("0741",)
    assert adopter.reason.da == (
        "Samsø mangler projekter om Kronisk sygdom og ældre (T2), og intet lignende findes der."
    )
    assert adopter.reason.en == (
        "Samsø lacks projects on Chronic disease and the elderly (T2), "
        "and nothing like it exists there."
    )
    assert [r.kind for r in candidate.reasons] == [ReasonKind.GAP, ReasonKind.EVIDENCE]
    assert candidate.evidence == {"summary": "Evaluering af 2", "outcome": "positive"}
    # Aarhus's own project also fills Samsø's gap: it is in the same council, not in Samsø.
    assert adopters(by_project(found)[1]) == {"kommune-samsoe"}


def test_only_mature_projects_are_candidates():
    found = by_project(
        candidates(
            AARHUS,
            [
                project(1, "kommune-aalborg", stage="pilot"),
                project(2, "kommune-aalborg", stage="completed"),
                project(3, "kommune-aalborg", stage="completed", outcome="positive"),
                project(4, "kommune-aalborg", stage="implementation"),
                project(5, "kommune-aalborg", stage="operation", outcome="negative"),
            ],
        )
    )
    assert set(found) == {3, 4}


def test_a_candidate_is_not_proposed_where_it_already_works():
    regional = project(1, "region-midtjylland", stage="implementation")
    found = candidates(AARHUS, [regional])
    assert found == []  # it covers both municipalities of the council already


def test_a_target_group_gap_is_filled_only_by_a_project_for_that_target_group():
    with_groups = mandate(
        themes=["T2"], target_groups=["kol", "aeldre"], areas=["sundhedsraad-aarhus"]
    )
    found = by_project(
        candidates(
            with_groups,
            [
                project(1, "kommune-aarhus", target_groups=("aeldre",)),
                project(2, "kommune-samsoe", target_groups=("aeldre",)),
                project(3, "kommune-aalborg", target_groups=("kol",), outcome="positive"),
                project(4, "kommune-morsoe", target_groups=("aeldre",)),
            ],
        )
    )
    assert set(found) == {3}
    gap_ids = [r.gap_id for r in found[3].reasons if r.kind is ReasonKind.GAP]
    assert gap_ids == ["theme_target_group:T2:sundhedsraad-aarhus:kol"]
    assert adopters(found[3]) == {"kommune-aarhus", "kommune-samsoe"}


def test_organisations_starting_the_same_thing_become_adopters_and_areas_without_it_too():
    mature = project(1, "kommune-aarhus", outcome="positive")
    starting = project(2, "kommune-aalborg", stage="pilot")
    regional = project(3, "region-nordjylland")  # covers both northern municipalities
    found = by_project(
        candidates(NORTH, [mature, starting, regional], [pair(1, 2, Relation.SEQUENTIAL)])
    )
    candidate = found[1]
    starters = [r for r in candidate.reasons if r.kind is ReasonKind.STARTING]
    assert [r.project_id for r in starters] == [2]
    assert "Aalborg Kommune starter det samme" in starters[0].text.da
    first = candidate.adopters[0]
    assert (first.organisation, first.starting) == ("kommune-aalborg", (2,))
    # Morsø has no project like it (the regional project is not the same thing).
    absent = [r.text.da for r in candidate.reasons if r.kind is ReasonKind.ABSENT]
    assert absent == ["Intet lignende projekt i Morsø."]
    assert adopters(candidate) == {"kommune-aalborg", "kommune-morsoe"}


def test_complementary_overlaps_and_mature_counterparts_are_not_starting_anything():
    mature = project(1, "kommune-aarhus", outcome="positive")
    complement = project(2, "kommune-aalborg", stage="pilot", themes=("T4",))
    running = project(3, "kommune-morsoe", stage="implementation", themes=("T4",))
    psychiatry = mandate(themes=["T4"], areas=["region-nordjylland"])
    found = candidates(
        psychiatry,
        [mature, complement, running],
        [pair(1, 2, Relation.COMPLEMENTARY), pair(1, 3, Relation.PARALLEL)],
    )
    assert 1 not in by_project(found)


def test_a_starter_outside_the_mandate_does_not_make_a_candidate_for_it():
    mature = project(1, "kommune-aarhus", outcome="positive")
    starting = project(2, "kommune-aalborg", stage="idea")
    found = candidates(
        mandate(themes=["T2"], areas=["sundhedsraad-aarhus"]),
        [mature, starting, project(3, "kommune-samsoe")],
        [pair(1, 2, Relation.PARALLEL)],
    )
    assert found == []


def test_candidates_are_ranked_by_their_reasons_and_evidence():
    evaluated = project(1, "kommune-aalborg", outcome="positive")
    in_operation = project(3, "kommune-aarhus")
    in_implementation = project(2, "kommune-morsoe", stage="implementation")
    found = candidates(AARHUS, [in_operation, evaluated, in_implementation])
    # All three fill Samsø's gap; a positive evaluation weighs most, then operation.
    assert [c.project_id for c in found] == [1, 3, 2]
    assert [c.rank for c in found] == [1, 2, 3]
    assert found[0].score > found[1].score > found[2].score


def test_more_organisations_starting_the_same_thing_rank_a_candidate_higher():
    one = project(1, "kommune-aarhus", stage="implementation")
    two = project(2, "auh", stage="implementation")
    starters = [
        project(3, "kommune-aalborg", stage="pilot"),
        project(4, "kommune-morsoe", stage="idea"),
        project(5, "aauh", stage="analysis"),
    ]
    pairs = [
        pair(1, 3, Relation.SEQUENTIAL),
        pair(2, 4, Relation.SEQUENTIAL),
        pair(2, 5, Relation.PARALLEL),
    ]
    found = candidates(NORTH, [one, two, *starters], pairs)
    assert [c.project_id for c in found] == [2, 1]


def test_a_regional_gap_concerns_the_municipalities_in_a_regional_mandate_but_the_region_nationally():
    socially = project(1, "kommune-aarhus", target_groups=("socialt-udsatte",), outcome="positive")
    local = project(2, "kommune-aalborg", target_groups=("aeldre",))
    regional = mandate(
        themes=["T2"], target_groups=["socialt-udsatte"], areas=["region-nordjylland"]
    )
    in_region = by_project(candidates(regional, [socially, local]))[1]
    assert adopters(in_region) == {"region-nordjylland", "kommune-aalborg", "kommune-morsoe"}

    national = mandate(themes=["T2"], target_groups=["socialt-udsatte"], areas=["DK"])
    nationally = by_project(candidates(national, [socially, local]))[1]
    assert adopters(nationally) == {"region-nordjylland"}


def test_only_the_candidates_shown_are_written_out_but_all_are_counted():
    projects = [project(1, "kommune-aarhus")] + [
        project(i, "kommune-aalborg", outcome="positive" if i == 5 else None) for i in range(2, 8)
    ]
    report = analyse_gaps(AARHUS, projects, REF)
    shown, total = rank_candidates(AARHUS, projects, report, [], REF, limit=2)
    everything = find_candidates(AARHUS, projects, report, [], REF)
    assert total == len(everything) == 7
    assert [c.project_id for c in shown] == [c.project_id for c in everything[:2]]
    assert shown[0].project_id == 5  # the one with a positive evaluation
    assert shown[0].reasons == everything[0].reasons
