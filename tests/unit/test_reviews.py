"""The pure review logic: snapshots from records, the since-last diff, settled findings, agenda."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ecosystem.groups import Group
from ecosystem.model import Principal, ProjectRecord
from ecosystem.overlap import Relation
from ecosystem.reviews import (
    Decision,
    DecisionKind,
    Response,
    ResponseKind,
    agenda,
    build_snapshot,
    pair_from_json,
    pair_key,
    pair_to_json,
    settled_keys,
    since_last,
)
from tests.unit.group_builders import mandate, pair, project, reference

EARLY = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
GROUP = Group(
    id="kronikere-aarhus",
    name="Kronikere",
    mandate=mandate(themes=["T2"], areas=["sundhedsraad-aarhus"]),
    coordinators=("kommune-aarhus",),
)
EVERYONE = Principal(is_admin=True)


def record(project_id: int, organisation: str, **fields: Any) -> ProjectRecord:
    return project(project_id, organisation, **fields).record


def decision(
    decision_id: int, key: str, kind: DecisionKind, at: dt.datetime, **fields: Any
) -> Decision:
    values: dict[str, Any] = {
        "id": decision_id,
        "review_id": 1,
        "group_id": GROUP.id,
        "finding_key": key,
        "finding": {},
        "project_ids": (1, 2),
        "kind": kind,
        "counterparts": (),
        "rationale": "fordi",
        "actor": "org:kommune-aarhus",
        "created_at": at,
        "owners": ("auh", "kommune-aarhus"),
    }
    values.update(fields)
    return Decision(**values)


def snapshot(records: list[ProjectRecord], pairs: list[Any], at: dt.datetime) -> Any:
    return build_snapshot(GROUP, reference(), records, pairs, as_of=at, principal=EVERYONE)


def test_a_snapshot_keeps_only_what_the_reader_may_see():
    secret = record(2, "auh", stage="pilot", visibility="private")
    records = [record(1, "kommune-aarhus", stage="pilot"), secret]
    pairs = [pair(1, 2, Relation.DUPLICATE)]
    as_admin = snapshot(records, pairs, EARLY)
    assert set(as_admin.projects) == {1, 2} and len(as_admin.pairs) == 1
    anonymous = build_snapshot(
        GROUP, reference(), records, pairs, as_of=EARLY, principal=Principal()
    )
    assert set(anonymous.projects) == {1}
    assert anonymous.pairs == ()  # an overlap with a private project does not leak


def test_a_snapshot_leaves_out_projects_outside_the_mandate_and_withdrawn_ones():
    records = [
        record(1, "kommune-aarhus"),
        record(2, "kommune-aalborg"),  # another council
        record(3, "auh", withdrawn=True),
    ]
    found = snapshot(records, [], EARLY)
    assert set(found.projects) == {1}
    assert found.withdrawn == {3}


def test_since_last_lists_every_kind_of_change():
    old = snapshot(
        [
            record(1, "kommune-aarhus", stage="pilot", value_score=3),
            record(2, "auh", stage="pilot"),
            record(3, "auh", stage="pilot", areas=("0741",)),
        ],
        [pair(1, 2, Relation.DUPLICATE)],
        EARLY,
    )
    new = snapshot(
        [
            record(1, "kommune-aarhus", stage="implementation", value_score=4),
            record(2, "auh", stage="pilot", withdrawn=True),
            record(3, "auh", stage="pilot", areas=("0851",)),  # moved out of the council
            record(4, "kommune-aarhus", stage="idea"),
        ],
        [],
        LATE,
    )
    made = decision(7, pair_key(1, 2), DecisionKind.NOTE, EARLY + dt.timedelta(days=1))
    before = decision(6, pair_key(1, 2), DecisionKind.NOTE, EARLY - dt.timedelta(days=1))
    diff = since_last(old, new, [before, made])
    assert diff.new_projects == (4,)
    assert diff.withdrawn == (2,)
    assert diff.left_mandate == (3,)
    assert [(c.project_id, c.before, c.after) for c in diff.stage_changes] == [
        (1, "pilot", "implementation")
    ]
    assert [(c.field, c.before, c.after) for c in diff.score_changes] == [("value_score", 3, 4)]
    assert diff.overlaps_disappeared == (pair_key(1, 2),)
    assert diff.overlaps_appeared == ()
    assert any(g.startswith("pipeline_no_early") for g in diff.gaps_closed)
    assert diff.decisions == (7,)
    assert not diff.is_empty


def test_two_snapshots_of_the_same_moment_differ_in_nothing():
    records = [record(1, "kommune-aarhus", stage="pilot"), record(2, "auh")]
    first = snapshot(records, [pair(1, 2, Relation.PARALLEL)], EARLY)
    again = snapshot(records, [pair(1, 2, Relation.PARALLEL)], EARLY)
    assert since_last(first, again).is_empty


def test_a_stored_pair_reads_back_exactly():
    original = pair(3, 9, Relation.SEQUENTIAL)
    assert pair_from_json(pair_to_json(original)) == original


def test_the_latest_decision_on_a_finding_decides_whether_it_is_settled():
    key = pair_key(1, 2)
    accepted = decision(1, key, DecisionKind.ACCEPT_DUPLICATION, EARLY)
    assert settled_keys([accepted]) == {key}
    reopened = decision(2, key, DecisionKind.COORDINATE, LATE)
    assert settled_keys([accepted, reopened]) == set()


def test_the_agenda_leaves_settled_overlaps_out_and_lists_decisions_awaiting_an_answer():
    records = [record(1, "kommune-aarhus", stage="pilot"), record(2, "auh", stage="pilot")]
    found = snapshot(records, [pair(1, 2, Relation.DUPLICATE)], EARLY)
    accepted = decision(1, pair_key(1, 2), DecisionKind.ACCEPT_DUPLICATION, EARLY)
    items = {item.key: item for item in agenda(found, None, [accepted])}
    assert items["overlaps"].findings == ()
    assert items["decisions"].findings == ("decision:1",)
    assert "Første gennemgang" in items["since_last"].prompt.da

    agreed_by_one = dataclasses.replace(
        accepted, responses=(Response("auh", ResponseKind.AGREED, "", "org:auh", LATE),)
    )
    assert {i.key: i for i in agenda(found, None, [agreed_by_one])}["decisions"].findings == (
        "decision:1",
    )
    agreed_by_both = dataclasses.replace(
        agreed_by_one,
        responses=(
            *agreed_by_one.responses,
            Response("kommune-aarhus", ResponseKind.AGREED, "", "org:kommune-aarhus", LATE),
        ),
    )
    assert {i.key: i for i in agenda(found, None, [agreed_by_both])}["decisions"].findings == ()
    assert {i.key: i for i in agenda(found, None, [])}["overlaps"].findings == (pair_key(1, 2),)
