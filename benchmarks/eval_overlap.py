"""Evaluate overlap quality on the labelled Danish demo set, and sanity-check on real projects.

Usage::

    .venv/bin/python benchmarks/eval_overlap.py

The labelled set is the demo answer key (``seeds/data/demo/*/answer_key.json``): overlap
pairs across different organisations written independently in different words, and hard
negatives (same target group with another intervention; same technology for another
target group). For every labelled pair each project is used as the query, and the rank
of its partner among other organisations' projects is recorded. Prints recall@1/5/10
and MRR for text-only TF-IDF and for the full graph-aware score, how many hard negatives
each approach would flag as "the same thing", and how well the relation classes agree.
Then it runs the full engine on the 705 real Danish EU structural-fund projects in
``../shared/corpora`` (when present) for sanity and speed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import seeds
from ecosystem.matching import SAME_THING, OverlapEngine
from ecosystem.model import ProjectRecord
from ecosystem.overlap import Gazetteer, OverlapConfig
from ecosystem.portfolio import ProjectSchema

CORPUS = (
    Path(__file__).resolve().parents[2]
    / "shared/corpora/dk_eu_structural_funds_projects_normalised.csv"
)
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def seed_gazetteer() -> Gazetteer:
    def read(name: str) -> Any:
        return json.loads(seeds.data_file(name).read_text("utf-8"))

    areas, organisations, themes = (
        read("areas.json"),
        read("organisations.json"),
        read("themes.json"),
    )
    return Gazetteer(
        area_parents={a["code"]: a["parents"] for a in areas},
        area_schemes={a["code"]: a["scheme"] for a in areas},
        area_names={a["code"]: a["name_da"] for a in areas},
        theme_parents={t["code"]: [t["parent"]] for t in themes if t["parent"]},
        theme_labels={t["code"]: t["label_da"] for t in themes},
        target_group_labels={g["code"]: g["label_da"] for g in read("target_groups.json")},
        organisation_kinds={o["id"]: o["kind"] for o in organisations},
        organisation_names={o["id"]: o["name"] for o in organisations},
        organisation_areas={o["id"]: o["areas"] for o in organisations},
    )


def demo_records() -> tuple[list[ProjectRecord], dict[str, int]]:
    schema, records, ids = ProjectSchema(), [], {}
    for organisation, items in sorted(seeds.demo_portfolios().items()):
        for item in items:
            project_id = len(records) + 1
            ids[f"{organisation}:{item['external_id']}"] = project_id
            records.append(
                ProjectRecord(
                    project_id,
                    organisation,
                    item["external_id"],
                    schema.load(item),
                    1,
                    False,
                    NOW,
                    NOW,
                )
            )
    return records, ids


Ranker = Callable[[int], list[int]]


def text_only_ranker(engine: OverlapEngine) -> Ranker:
    def rank(project_id: int) -> list[int]:
        own = engine.facts[project_id].organisation_id
        hits = engine.index.query(
            engine.facts[project_id].text,
            k=50,
            allowed=lambda other: (
                other != project_id and engine.facts[other].organisation_id != own
            ),
        )
        return [hit.doc_id for hit in hits]

    return rank


def full_ranker(engine: OverlapEngine) -> Ranker:
    def rank(project_id: int) -> list[int]:
        return [m.project_id for m in engine.check(engine.facts[project_id], limit=50).matches]

    return rank


def ranking_metrics(pairs: list[tuple[int, int]], rank: Ranker) -> dict[str, float]:
    positions = []
    for a, b in pairs:
        for query, partner in ((a, b), (b, a)):
            ranked = rank(query)
            positions.append(ranked.index(partner) + 1 if partner in ranked else None)
    found = [p for p in positions if p is not None]
    total = len(positions)
    return {
        "recall@1": sum(p <= 1 for p in found) / total,
        "recall@5": sum(p <= 5 for p in found) / total,
        "recall@10": sum(p <= 10 for p in found) / total,
        "MRR": sum(1 / p for p in found) / total,
    }


def same_thing_flags(engine: OverlapEngine, pairs: list[tuple[int, int]], text_only: bool) -> int:
    """How many of the pairs each approach would call "the same thing"."""
    flagged = 0
    for a, b in pairs:
        if text_only:
            similarity = engine.index.similarity(a, b)
            flagged += similarity >= engine.config.same_thing_text
        else:
            matches = engine.check(engine.facts[a], limit=50).matches
            flagged += any(m.project_id == b and m.relation in SAME_THING for m in matches)
    return flagged


def relation_agreement(
    engine: OverlapEngine, labelled: list[tuple[int, int, str]]
) -> tuple[int, int]:
    agree = found = 0
    for a, b, relation in labelled:
        match = next(
            (m for m in engine.check(engine.facts[a], limit=50).matches if m.project_id == b), None
        )
        if match is not None:
            found += 1
            agree += match.relation.value == relation
    return agree, found


def evaluate_demo(config: OverlapConfig) -> None:
    records, ids = demo_records()
    engine = OverlapEngine(seed_gazetteer(), config)
    started = time.perf_counter()
    engine.load(records)
    build = time.perf_counter() - started
    key = seeds.answer_key()
    pairs = [(ids[p["projects"][0]], ids[p["projects"][1]]) for p in key["overlaps"]]
    labelled = [
        (ids[p["projects"][0]], ids[p["projects"][1]], p["relation"]) for p in key["overlaps"]
    ]
    negatives = [(ids[n["projects"][0]], ids[n["projects"][1]]) for n in key["hard_negatives"]]
    print(
        f"\nLabelled Danish set: {len(records)} demo projects, {len(pairs)} overlap pairs "
        f"({2 * len(pairs)} queries), {len(negatives)} hard negatives; index built in {build:.2f} s\n"
    )
    print(
        f"{'approach':<28} {'recall@1':>9} {'recall@5':>9} {'recall@10':>10} {'MRR':>6}  hard negatives flagged"
    )
    variants = [
        ("text-only TF-IDF", text_only_ranker(engine), True),
        ("full overlap score", full_ranker(engine), False),
    ]
    for name, ranker, text_only in variants:
        metrics = ranking_metrics(pairs, ranker)
        flagged = same_thing_flags(engine, negatives, text_only)
        print(
            f"{name:<28} {metrics['recall@1']:>9.3f} {metrics['recall@5']:>9.3f} "
            f"{metrics['recall@10']:>10.3f} {metrics['MRR']:>6.3f}  {flagged}/{len(negatives)}"
        )
    agree, found = relation_agreement(engine, labelled)
    print(
        f"\nRelation class agrees with the label for {agree} of {found} found pairs ({agree / max(found, 1):.0%})."
    )
    print("\nWeight sensitivity (full score, MRR):")
    for name, variant in (
        ("default", config),
        (
            "no graph (text weight only)",
            replace(config, themes=0, target_groups=0, geography=0, time=0, partners=0),
        ),
        ("more target-group weight", replace(config, target_groups=config.target_groups * 2)),
        ("more theme weight", replace(config, themes=config.themes * 3)),
    ):
        other = OverlapEngine(seed_gazetteer(), variant, engine.index)
        other.facts = engine.facts
        print(f"  {name:<30} {ranking_metrics(pairs, full_ranker(other))['MRR']:.3f}")


def evaluate_corpus(config: OverlapConfig) -> None:
    if not CORPUS.exists():
        print(f"\n(real corpus not found at {CORPUS}; skipped)")
        return
    with CORPUS.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["description"]]
    gazetteer = Gazetteer(area_parents={}, area_schemes={})
    records = [
        ProjectRecord(
            i + 1,
            row["beneficiary"] or f"org-{i}",
            row["rec_id"],
            {
                "title": row["title"],
                "description": row["description"],
                "stage": "completed",
                "themes": [row["theme"]],
            },
            1,
            False,
            NOW,
            NOW,
        )
        for i, row in enumerate(rows)
    ]
    engine = OverlapEngine(gazetteer, config)
    started = time.perf_counter()
    engine.load(records)
    build = time.perf_counter() - started
    latencies = []
    for record in records[:200]:
        started = time.perf_counter()
        engine.check(engine.facts[record.id], limit=10)
        latencies.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    pairs = engine.pairs()
    all_pairs = time.perf_counter() - started
    print(f"\nReal corpus: {len(records)} Danish EU structural-fund projects")
    print(
        f"  index build {build:.2f} s; check p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {statistics.quantiles(latencies, n=20)[-1]:.1f} ms; all pairs {all_pairs:.2f} s → {len(pairs)} pairs"
    )
    for pair in sorted(pairs, key=lambda p: -p.match.score)[:5]:
        a, b = records[pair.a - 1], records[pair.b - 1]
        terms = ", ".join(t for t, _ in engine.index.explain(pair.a, pair.b)[:4])
        print(
            f"  {pair.match.score:.2f} {pair.match.relation.value:<12} {a.data['title'][:45]!r} ~ {b.data['title'][:45]!r} [{terms}]"
        )


def main() -> None:
    config = OverlapConfig()
    evaluate_demo(config)
    evaluate_corpus(config)


if __name__ == "__main__":
    main()
