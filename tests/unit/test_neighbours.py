"""The pair report scores each pair exactly as a check of one of its projects scores it.

On the demo catalogue (429 projects, their shipped vectors), every project made public so
that a check and the report standardise against the same population.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest

import seeds
from ecosystem.candidates import Ranked
from ecosystem.matching import OverlapEngine
from ecosystem.model import Principal, ProjectRecord
from ecosystem.neighbours import neighbour_pairs
from ecosystem.overlap import STRUCTURAL_LINKS, Gazetteer, OverlapConfig
from ecosystem.portfolio import ProjectSchema
from ecosystem.semantic import text_hash
from seeds import vectors as demo_vectors

READER = Principal()
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def demo_records() -> Iterator[ProjectRecord]:
    schema = ProjectSchema()
    for organisation, items in sorted(seeds.demo_portfolios().items()):
        for item in items:
            card = schema.load({**item, "visibility": "public"})
            yield ProjectRecord(0, organisation, item["external_id"], card, 1, False, NOW, NOW)


def demo_engine(*, vectors: bool) -> OverlapEngine:
    groups = json.loads(seeds.data_file("target_groups.json").read_text("utf-8"))
    gazetteer = Gazetteer({}, {}, target_group_labels={g["code"]: g["label_da"] for g in groups})
    engine = OverlapEngine(gazetteer, OverlapConfig())
    engine.load(replace(r, id=n) for n, r in enumerate(demo_records(), start=1))
    if vectors:
        with np.load(demo_vectors.DEMO_VECTORS) as stored:
            model = str(stored["model_id"])
        known = demo_vectors.load(model)
        ids = sorted(engine.facts)
        hashes = [text_hash(model, engine.facts[i].embedding_text) for i in ids]
        assert all(h in known for h in hashes), "the shipped demo vectors are out of date"
        engine.use_vectors(model, 384, (ids, hashes, np.stack([known[h] for h in hashes])))
    return engine


@pytest.fixture(scope="module", params=[True, False], ids=["vectors", "words only"])
def engine(request: pytest.FixtureRequest) -> OverlapEngine:
    return demo_engine(vectors=request.param)


@pytest.fixture(scope="module")
def checked(engine: OverlapEngine) -> dict[tuple[int, int], float]:
    return checked_pairs(engine, engine.config)


def unit(score: float, config: OverlapConfig) -> float:
    return round(1.0 / (1.0 + math.exp(-(score - config.possible_from))), 4)


def checked_pairs(engine: OverlapEngine, config: OverlapConfig) -> dict[tuple[int, int], float]:
    """What the checks say: each project's best ``neighbours`` reaching the floor, each pair
    with its better direction's score (as shown, in [0, 1]).

    Pairs joined by a typed link or the same title are left out: a check lifts those by the
    link, the report lists them by the link.
    """
    floor = unit(config.pair_floor, config)
    found: dict[tuple[int, int], float] = {}
    for a, facts in engine.facts.items():
        result = engine.check(facts, reader=READER, limit=len(engine.facts))
        kept = [m for m in result.matches if m.score >= floor][: config.neighbours]
        for match in kept:
            if match.link not in (None, "named_partner"):
                continue
            key = (min(a, match.project_id), max(a, match.project_id))
            found[key] = max(found.get(key, 0.0), match.score)
    return found


def reported(engine: OverlapEngine, config: OverlapConfig) -> dict[tuple[int, int], Ranked]:
    return {(a, b): item for a, b, item in neighbour_pairs(engine, config)}


def test_with_every_project_a_candidate_the_report_is_what_the_checks_say(engine, checked):
    config = replace(engine.config, semantic_candidates=len(engine.facts))
    expected = checked
    found = reported(engine, config)
    typed = {k for k, item in found.items() if item.link in STRUCTURAL_LINKS}
    ours = {k: unit(item.score, config) for k, item in found.items() if k not in typed}
    assert len(ours) > 500
    # Beyond the pairs the checks list, only pairs a check lifts by a link or title.
    assert expected.keys() <= ours.keys()
    for key in ours.keys() - expected.keys():
        a, b = key
        result = engine.check(engine.facts[a], reader=READER, limit=len(engine.facts))
        assert any(
            m.project_id == b and m.link not in (None, "named_partner") for m in result.matches
        )
    # Shown rounded to 4 decimals; the report's cosines are exact, a check's float32.
    assert max(abs(ours[k] - expected[k]) for k in expected) <= 2e-4


def test_each_reported_pair_scores_as_its_check_with_the_default_candidates(engine, checked):
    config = engine.config
    expected = checked
    found = reported(engine, config)
    assert len(found) > 500
    shared = [k for k in found if k in expected]
    assert len(shared) > 0.9 * len(found)
    assert max(abs(unit(found[k].score, config) - expected[k]) for k in shared) <= 2e-4


def test_no_project_is_paired_with_itself_or_its_own_organisation(engine):
    owners = {i: f.organisation_id for i, f in engine.facts.items()}
    config = replace(engine.config, semantic_candidates=len(engine.facts))
    for a, b in reported(engine, config):
        assert a < b and owners[a] != owners[b]
