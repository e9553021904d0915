"""What to discuss: each rule of ecosystem.reviews.discuss, one test that fails when it breaks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from ecosystem.gaps import Gap, GapKind, Severity
from ecosystem.labels import Label
from ecosystem.overlap import OverlapPair, Relation
from ecosystem.reviews import (
    Decision,
    DecisionKind,
    DiscussKind,
    Response,
    ResponseKind,
    Snapshot,
    ToDiscuss,
    candidates_by_rank,
    gaps_by_importance,
    overlaps_by_importance,
    to_discuss,
)
from ecosystem.scaling import Candidate, Reason, ReasonKind
from tests.unit.group_builders import pair
from tests.unit.test_reviews import EARLY, LATE, decision, record, snapshot

ORGANISATIONS = {
    1: "kommune-aarhus",
    2: "auh",
    3: "kommune-samsoe",
    4: "region-midtjylland",
    5: "kommune-aarhus",
    6: "auh",
    7: "kommune-samsoe",
    8: "region-midtjylland",
}
BASE = snapshot([record(i, org) for i, org in ORGANISATIONS.items()], [], LATE)
EMPTY = dataclasses.replace(BASE, gaps=dataclasses.replace(BASE.gaps, gaps=()), candidates=())


def overlap(a: int, b: int, score: float) -> OverlapPair:
    found = pair(a, b, Relation.PARALLEL)
    return dataclasses.replace(found, match=dataclasses.replace(found.match, score=score))


def gap(
    gap_id: str,
    severity: Severity,
    *,
    areas: tuple[str, ...] = ("0751",),
    goal: str | None = None,
    kind: GapKind = GapKind.THEME_AREA,
) -> Gap:
    gap = Gap(
        id=gap_id,
        kind=GapKind.GOAL_UNCOVERED if goal else kind,
        severity=severity,
        explanation=Label("Forklaring.", "Explanation."),
        subject=Label("projekter om Kronisk sygdom", "projects on chronic disease"),
        theme="T2",
        area=areas[0] if areas else None,
        goal=goal,
    )
    # A grouped gap line names every area (ecosystem.gaps); a plain cell only ``area``.
    if hasattr(gap, "areas"):
        gap = dataclasses.replace(gap, areas=areas)  # type: ignore[call-arg,unused-ignore]
    else:
        object.__setattr__(gap, "areas", areas)
    return gap


def candidate(project_id: int, rank: int, *kinds: ReasonKind) -> Candidate:
    reasons = tuple(Reason(k, Label("Grund.", "Reason."), 1) for k in kinds)
    return Candidate(project_id, rank, 10 - rank, reasons, ())


def slice_with(
    *,
    pairs: tuple[OverlapPair, ...] = (),
    gaps: tuple[Gap, ...] = (),
    candidates: tuple[Candidate, ...] = (),
) -> Snapshot:
    return dataclasses.replace(
        EMPTY,
        pairs=pairs,
        gaps=dataclasses.replace(EMPTY.gaps, gaps=gaps),
        candidates=candidates,
    )


def pending(decision_id: int, key: str, at: dt.datetime, **fields: Any) -> Decision:
    return decision(decision_id, key, DecisionKind.COORDINATE, at, **fields)


def keys(items: list[ToDiscuss], kind: DiscussKind | None = None) -> list[str]:
    return [i.key for i in items if kind is None or i.kind is kind]


# --- overlaps ------------------------------------------------------------------------------


def test_only_overlaps_new_since_last_review_are_raised_strongest_first():
    old = slice_with(pairs=(overlap(1, 2, 0.95),))
    new = slice_with(
        pairs=(overlap(1, 2, 0.95), overlap(3, 4, 0.6), overlap(2, 3, 0.9), overlap(1, 4, 0.7)),
        gaps=(gap("g1", Severity.HIGH),),
    )
    found = to_discuss(new, old, [])
    # 1-2 is stronger but was there last time; of the new ones the two strongest.
    assert keys(found, DiscussKind.OVERLAP) == ["overlap:2-3", "overlap:1-4"]


def test_overlaps_within_one_organisation_are_not_raised():
    new = slice_with(pairs=(overlap(1, 5, 0.99), overlap(2, 3, 0.5)))
    assert keys(to_discuss(new, None, []), DiscussKind.OVERLAP) == ["overlap:2-3"]


def test_at_the_first_review_every_overlap_is_new_and_the_reason_says_first_review():
    new = slice_with(pairs=(overlap(2, 3, 0.81),))
    (item,) = to_discuss(new, None, [])
    assert "første gennemgang" in item.reason.da and "first review" in item.reason.en
    assert "Aarhus Universitetshospital og Samsø Kommune" in item.reason.da
    assert "0,81" in item.reason.da and "0.81" in item.reason.en
    assert "«Projekt 2» (Aarhus Universitetshospital)" in item.title.da


def test_overlaps_seen_before_fill_up_to_three_only_when_too_few():
    old = slice_with(pairs=(overlap(1, 2, 0.9), overlap(3, 4, 0.8)))
    new = slice_with(pairs=(overlap(1, 2, 0.9), overlap(3, 4, 0.8), overlap(2, 3, 0.5)))
    found = to_discuss(new, old, [])
    assert keys(found) == ["overlap:2-3", "overlap:1-2", "overlap:3-4"]
    assert "stadig" in found[1].reason.da and "still" in found[1].reason.en
    # With enough other findings, the old overlaps stay behind "see all".
    busy = dataclasses.replace(
        new,
        gaps=dataclasses.replace(new.gaps, gaps=(gap("g1", Severity.HIGH),)),
        candidates=(candidate(6, 1),),
    )
    assert keys(to_discuss(busy, old, []), DiscussKind.OVERLAP) == ["overlap:2-3"]


def test_settled_findings_and_those_awaiting_an_answer_are_not_raised_as_findings():
    new = slice_with(pairs=(overlap(2, 3, 0.9), overlap(3, 4, 0.8), overlap(1, 4, 0.7)))
    # Owners without a say here: the accepted duplication awaits no answer, it only settles.
    accepted = decision(1, "overlap:2-3", DecisionKind.ACCEPT_DUPLICATION, EARLY, owners=())
    waiting = pending(2, "overlap:3-4", EARLY)
    found = to_discuss(new, None, [accepted, waiting])
    assert keys(found) == ["overlap:1-4", "decision:2"]


# --- gaps ----------------------------------------------------------------------------------


def test_only_high_gaps_are_raised_when_there_is_enough_else():
    new = slice_with(
        gaps=(gap("medium", Severity.MEDIUM), gap("high", Severity.HIGH)),
        pairs=(overlap(2, 3, 0.9), overlap(1, 4, 0.8)),
    )
    assert keys(to_discuss(new, None, []), DiscussKind.GAP) == ["gap:high"]


def test_gaps_against_the_groups_own_goals_come_before_broader_gaps():
    new = slice_with(
        gaps=(
            gap("broad", Severity.HIGH, areas=("0751", "0741")),
            gap("goal", Severity.HIGH, goal="NM2", areas=("sundhedsraad-aarhus",)),
        )
    )
    found = to_discuss(new, None, [])
    assert keys(found, DiscussKind.GAP) == ["gap:goal", "gap:broad"]
    assert "gruppens eget mål" in found[0].reason.da
    assert "the group's own goal" in found[0].reason.en


def test_gaps_new_or_worse_since_last_review_come_before_unchanged_ones():
    old = slice_with(gaps=(gap("same", Severity.HIGH), gap("worse", Severity.MEDIUM)))
    new = slice_with(
        gaps=(
            gap("same", Severity.HIGH, areas=("0751", "0741")),
            gap("worse", Severity.HIGH),
            gap("opened", Severity.HIGH),
        ),
        pairs=(overlap(2, 3, 0.9),),
    )
    found = to_discuss(new, old, [])
    assert keys(found, DiscussKind.GAP) == ["gap:opened", "gap:worse"]
    worse = next(i for i in found if i.key == "gap:worse")
    assert "skærpet fra middel" in worse.reason.da and "up from medium" in worse.reason.en
    opened = next(i for i in found if i.key == "gap:opened")
    assert "nyt siden sidste møde" in opened.reason.da


def test_gaps_of_equal_standing_go_broadest_first_and_the_reason_names_the_areas():
    new = slice_with(
        gaps=(gap("narrow", Severity.HIGH), gap("broad", Severity.HIGH, areas=("0751", "0741")))
    )
    found = to_discuss(new, None, [])
    assert keys(found, DiscussKind.GAP) == ["gap:broad", "gap:narrow"]
    assert found[0].reason.da == (
        "Høj alvor: der mangler projekter om Kronisk sygdom i Aarhus og Samsø."
    )
    assert found[0].reason.en == (
        "High severity: projects on chronic disease are lacking in Aarhus and Samsø."
    )


# --- scaling candidates and decisions ------------------------------------------------------


def test_candidates_go_by_their_rank_not_their_id():
    new = slice_with(
        candidates=(candidate(2, 3), candidate(7, 1, ReasonKind.GAP), candidate(6, 2)),
        pairs=(overlap(2, 3, 0.9),),
    )
    found = to_discuss(new, None, [])
    assert keys(found, DiscussKind.SCALING) == ["scaling:7", "scaling:6"]
    first = next(i for i in found if i.key == "scaling:7")
    assert first.reason.da.startswith("Nr. 1 blandt kandidaterne til skalering (9 point)")
    assert "kan udfylde 1 hul" in first.reason.da and "could fill 1 gap" in first.reason.en


def test_decisions_awaiting_an_answer_longest_waiting_first_agreed_and_notes_left_out():
    agreed = pending(
        1,
        "gap:x",
        EARLY,
        responses=tuple(
            Response(o, ResponseKind.AGREED, "", "x", LATE) for o in ("auh", "kommune-aarhus")
        ),
    )
    note = decision(2, "gap:y", DecisionKind.NOTE, EARLY)
    recent = pending(3, "gap:z", LATE)
    talking = pending(
        4,
        "gap:w",
        EARLY,
        responses=(Response("auh", ResponseKind.IN_DIALOGUE, "", "x", LATE),),
    )
    found = to_discuss(EMPTY, None, [agreed, note, recent, talking])
    assert keys(found) == ["decision:4", "decision:3"]
    assert found[0].reason.da == (
        "Besluttet 1.3.2026, afventer svar fra Aarhus Kommune og i dialog med "
        "Aarhus Universitetshospital."
    )
    assert found[0].title.da.startswith("Koordinér med: «Projekt 1» (Aarhus Kommune)")


# --- how many, and in what order -----------------------------------------------------------


def everything() -> tuple[Snapshot, list[Decision]]:
    new = slice_with(
        pairs=(overlap(2, 3, 0.9), overlap(1, 4, 0.8), overlap(3, 4, 0.7)),
        gaps=tuple(gap(f"g{i}", Severity.HIGH) for i in range(3)),
        candidates=tuple(candidate(p, r) for r, p in enumerate((6, 7, 8), start=1)),
    )
    decisions = [pending(i, f"gap:d{i}", EARLY + dt.timedelta(days=i)) for i in range(1, 4)]
    return new, decisions


def test_at_most_seven_and_two_of_each_kind_the_second_decision_waits():
    new, decisions = everything()
    found = to_discuss(new, None, decisions)
    assert len(found) == 7
    counts = {kind: len(keys(found, kind)) for kind in DiscussKind}
    assert counts == {
        DiscussKind.OVERLAP: 2,
        DiscussKind.GAP: 2,
        DiscussKind.SCALING: 2,
        DiscussKind.DECISION: 1,
    }


def test_items_are_shown_in_kind_order_each_kind_in_its_own_order():
    new, decisions = everything()
    found = to_discuss(new, None, decisions)
    kinds = [i.kind for i in found]
    assert kinds == sorted(kinds, key=list(DiscussKind).index)
    assert keys(found, DiscussKind.DECISION) == ["decision:1"]


def test_fewer_than_three_are_filled_from_the_rest_beyond_two_per_kind():
    new = slice_with(candidates=tuple(candidate(p, r) for r, p in enumerate((6, 7, 8, 2), 1)))
    assert keys(to_discuss(new, None, [])) == ["scaling:6", "scaling:7", "scaling:8"]


def test_medium_gaps_fill_up_when_too_few_and_a_tiny_slice_gets_what_there_is():
    new = slice_with(gaps=(gap("m1", Severity.MEDIUM), gap("low", Severity.LOW)))
    assert keys(to_discuss(new, None, [])) == ["gap:m1"]
    assert to_discuss(EMPTY, None, []) == []


def test_every_reason_is_one_sentence_in_danish_and_english():
    new, decisions = everything()
    for item in to_discuss(new, None, decisions):
        for text in (item.reason.da, item.reason.en):
            assert text.endswith(".") and text[0].isupper()
            assert not re.search(r"[.!?] [A-ZÆØÅ]", text[:-1]), text
        assert item.reason.da != item.reason.en


# --- the "see all" orders ------------------------------------------------------------------


def test_the_see_all_orders_are_by_importance_never_by_id():
    pairs = [overlap(1, 2, 0.5), overlap(3, 4, 0.9), overlap(2, 3, 0.7)]
    assert [p.a for p in overlaps_by_importance(pairs)] == [3, 2, 1]
    gaps = [
        gap("a", Severity.LOW, areas=("0751", "0741", "0851")),
        gap("b", Severity.HIGH),
        gap("c", Severity.HIGH, areas=("0751", "0741")),
    ]
    assert [g.id for g in gaps_by_importance(gaps)] == ["c", "b", "a"]
    ranked = [candidate(1, 3), candidate(9, 1), candidate(5, 2)]
    assert [c.project_id for c in candidates_by_rank(ranked)] == [9, 5, 1]
