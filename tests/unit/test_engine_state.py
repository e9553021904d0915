"""The overlap engine's built state taken apart and put back: equal facts, equal answers.

On the demo catalogue (429 real-looking cards with every kind of field). The restored
engine gets read-only arrays, as a worker gets them memory-mapped, and must answer, take
in changes and refresh exactly as the engine it was taken from.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

import seeds
from ecosystem.engine_state import (
    EngineState,
    engine_state,
    facts_of_row,
    restored_engine,
    row_of_facts,
)
from ecosystem.matching import OverlapEngine
from ecosystem.model import Principal, ProjectRecord
from ecosystem.overlap import Gazetteer, OverlapConfig, facts_from_draft
from ecosystem.portfolio import ProjectSchema
from ecosystem.similarity.state import IndexState, index_state, restored_index

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
READERS = [Principal(), Principal(organisation_id="region-midtjylland"), Principal(is_admin=True)]
DRAFTS = [
    {"title": "Telemedicin til borgere med KOL", "description": "Hjemmemonitorering af KOL."},
    {"title": "Faldforebyggelse", "description": "Ældre borgere træner balance i eget hjem."},
    {"title": "Mental sundhed for unge", "description": "Unge med angst får hurtig hjælp."},
]


def demo_records() -> list[ProjectRecord]:
    schema = ProjectSchema()
    records = []
    for organisation, items in sorted(seeds.demo_portfolios().items()):
        for item in items:
            card = schema.load(item)
            records.append(
                ProjectRecord(0, organisation, item["external_id"], card, 1, False, NOW, NOW)
            )
    return [replace(r, id=n) for n, r in enumerate(records, start=1)]


def built_engine(records: list[ProjectRecord]) -> OverlapEngine:
    areas = json.loads(seeds.data_file("areas.json").read_text("utf-8"))
    gazetteer = Gazetteer(
        {a["code"]: a.get("parents", []) for a in areas}, {a["code"]: a["scheme"] for a in areas}
    )
    engine = OverlapEngine(gazetteer, OverlapConfig())
    engine.load(records)
    return engine


@pytest.fixture(scope="module")
def records() -> list[ProjectRecord]:
    return demo_records()


def read_only(state: EngineState) -> EngineState:
    """The state as files give it back: arrays that cannot be written, facts through JSON."""
    arrays = {name: np.array(array) for name, array in state.index.arrays.items()}
    for array in arrays.values():
        array.flags.writeable = False
    values = json.loads(json.dumps(state.index.values))
    return EngineState(IndexState(arrays, values), json.loads(json.dumps(state.facts)))


def answers(engine: OverlapEngine) -> list[Any]:
    """Checks of drafts and of published projects for several readers, and the pair report."""
    found: list[Any] = []
    for reader in READERS:
        for draft in DRAFTS:
            facts = facts_from_draft(draft, "kommune-aarhus", engine.gazetteer)
            found.append(engine.check(facts, reader=reader, limit=20))
        for project_id in sorted(engine.facts)[::25]:
            found.append(engine.check(engine.facts[project_id], reader=reader))
    found.append(engine.index.search("kol"))
    found.append(engine.pairs())
    return found


def test_facts_read_back_equal_to_those_made_from_the_cards(records):
    engine = built_engine(records)
    rows = json.loads(json.dumps([row_of_facts(f) for f in engine.facts.values()]))
    assert {f.id: f for f in map(facts_of_row, rows)} == engine.facts
    assert any(f.visibility != "public" for f in engine.facts.values())  # the mix is covered


def test_a_restored_engine_answers_takes_in_changes_and_refreshes_as_the_built_one(records):
    built = built_engine(records[:-20])
    restored = restored_engine(read_only(engine_state(built)), built.gazetteer, built.config)
    assert restored.facts == built.facts
    assert restored.index.stats() == built.index.stats()
    assert answers(restored) == answers(built)

    later = [*records[-20:], replace(records[0], withdrawn=True)]
    for engine in (built, restored):  # new, changed and withdrawn projects
        engine.apply(later)
    assert answers(restored) == answers(built)

    for engine in (built, restored):  # a refresh builds new arrays from the shared ones
        engine.index.refresh()
        engine.apply([])
    assert restored.index.stats() == built.index.stats()
    assert answers(restored) == answers(built)


def test_only_a_freshly_built_index_is_taken_apart(records):
    engine = built_engine(records[:50])
    engine.apply(records[50:51])
    with pytest.raises(ValueError, match="freshly built"):
        index_state(engine.index)


def test_a_state_that_does_not_hold_together_is_refused(records):
    engine = built_engine(records[:50])
    state = engine_state(engine)
    other_format = IndexState(state.index.arrays, {**state.index.values, "format": -1})
    with pytest.raises(ValueError, match="format"):
        restored_index(other_format)
    short = dict(state.index.arrays)
    short["ids"] = short["ids"][:-1]
    with pytest.raises(ValueError):
        restored_index(IndexState(short, state.index.values))
    with pytest.raises(ValueError, match="facts"):
        restored_engine(EngineState(state.index, state.facts[:-1]), engine.gazetteer)
    with pytest.raises(ValueError, match="shape"):
        facts_of_row(state.facts[0][:-1])
