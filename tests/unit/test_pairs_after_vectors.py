"""The pair report catches up with vectors that arrive after it was made, once per backlog."""

from __future__ import annotations

import numpy as np

from ecosystem.matching import OverlapEngine
from ecosystem.semantic import text_hash
from seeds import vectors as demo_vectors
from tests.unit.test_neighbours import demo_engine


def _rows(engine: OverlapEngine, ids: list[int]) -> list[tuple[int, str, np.ndarray]]:
    model = engine.model_id or ""
    known = demo_vectors.load(model)
    return [
        (i, h, known[h]) for i in ids if (h := text_hash(model, engine.facts[i].embedding_text))
    ]


def test_pairs_are_found_again_once_the_last_vectors_arrive():
    complete = demo_engine(vectors=True)
    engine = demo_engine(vectors=True)
    ids = sorted(engine.facts)
    late = ids[: len(ids) // 3]
    stored = [(i, h, v) for i, h, v in _rows(engine, ids) if i not in late]
    engine.use_vectors(
        engine.model_id or "",
        384,
        ([r[0] for r in stored], [r[1] for r in stored], np.stack([r[2] for r in stored])),
    )
    before = engine.pairs()
    half = len(late) // 2

    engine.add_vectors(_rows(engine, late[:half]))
    assert engine.pairs() is before  # a backlog still draining: the last report is served

    engine.add_vectors(_rows(engine, late[half:]))
    after = engine.pairs()
    assert after is not before
    assert [(p.a, p.b) for p in after] == [(p.a, p.b) for p in complete.pairs()]
    assert [(p.a, p.b) for p in before] != [(p.a, p.b) for p in after]
    assert engine.pairs() is after  # nothing new: not found again


def test_an_empty_batch_changes_nothing():
    engine = demo_engine(vectors=True)
    before = engine.pairs()
    engine.add_vectors([])
    assert engine.pairs() is before
