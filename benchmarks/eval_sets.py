"""The labelled sets the overlap evaluation runs on, as plain records.

* ``demo``: the demo answer key (planted pairs and hard negatives) — the set the weights
  were chosen on, so it is reported but is not evidence.
* ``iati``: real IATI COVID-19 activities of 214 publishers and the 77 pairs where one
  publisher's activity cites another's (``../shared/corpora/iati_covid``; nobody on the
  team wrote a word of it). Publishers become organisations, participating
  organisations partners.
* ``crosslingual`` and ``paraphrase``: Danish↔English and Danish-paraphrase pairs the
  team wrote for this (``benchmarks/data``; the two sides share no 5-word run), set
  among the demo's 429 projects as distractors.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import seeds
from ecosystem.model import ProjectRecord
from ecosystem.overlap import Gazetteer
from ecosystem.portfolio import ProjectSchema

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
IATI = SHARED / "corpora" / "iati_covid"
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class EvalSet:
    name: str
    records: list[ProjectRecord]
    gazetteer: Gazetteer
    pairs: list[tuple[int, int, str | None]]  # a, b and the labelled relation, if any
    negatives: list[tuple[int, int]]
    note: str


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


def _record(project_id: int, organisation: str, card: dict[str, Any]) -> ProjectRecord:
    return ProjectRecord(project_id, organisation, card["external_id"], card, 1, False, NOW, NOW)


def _demo_records() -> tuple[list[ProjectRecord], dict[str, int]]:
    schema, records, ids = ProjectSchema(), [], {}
    for organisation, items in sorted(seeds.demo_portfolios().items()):
        for item in items:
            ids[f"{organisation}:{item['external_id']}"] = len(records) + 1
            records.append(_record(len(records) + 1, organisation, schema.load(item)))
    return records, ids


def demo() -> EvalSet:
    records, ids = _demo_records()
    key = seeds.answer_key()
    pairs = [(ids[p["projects"][0]], ids[p["projects"][1]], p["relation"]) for p in key["overlaps"]]
    negatives = [(ids[n["projects"][0]], ids[n["projects"][1]]) for n in key["hard_negatives"]]
    note = "planted by the team; the weights were chosen on it"
    return EvalSet("demo", records, seed_gazetteer(), pairs, negatives, note)


def written(name: str) -> EvalSet:
    """A team-written set (``benchmarks/data/overlap_<name>.json``) among the demo projects."""
    records, ids = _demo_records()
    document = json.loads((HERE / "data" / f"overlap_{name}.json").read_text("utf-8"))
    schema = ProjectSchema()
    for project in document["projects"]:
        card = {k: v for k, v in project.items() if k not in ("key", "organisation", "language")}
        ids[project["key"]] = len(records) + 1
        records.append(_record(len(records) + 1, project["organisation"], schema.load(card)))
    pairs = [
        (ids[p["projects"][0]], ids[p["projects"][1]], p["relation"]) for p in document["pairs"]
    ]
    negatives = [(ids[n["projects"][0]], ids[n["projects"][1]]) for n in document["hard_negatives"]]
    note = "written by the team, held out, among the 429 demo projects"
    return EvalSet(name, records, seed_gazetteer(), pairs, negatives, note)


def iati() -> EvalSet | None:
    if not (IATI / "activities.csv").exists():
        return None
    csv.field_size_limit(1 << 30)
    with (IATI / "activities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ids = {row["id"]: i + 1 for i, row in enumerate(rows)}
    records = [_record(i + 1, row["reporting_org"], _iati_card(row)) for i, row in enumerate(rows)]
    with (IATI / "pairs.csv").open(encoding="utf-8") as handle:
        cited = [(r["activity_a"], r["activity_b"]) for r in csv.DictReader(handle)]
    pairs = [(ids[a], ids[b], None) for a, b in cited if a in ids and b in ids]
    gazetteer = Gazetteer(area_parents={}, area_schemes={})
    return EvalSet("iati", records, gazetteer, pairs, [], "real, independent, mostly English")


def _iati_card(row: dict[str, str]) -> dict[str, Any]:
    partners = []
    for part in (row["participating_orgs"] or "").split(" | "):
        bits = part.split(":", 2)
        if len(bits) >= 2 and bits[1].strip() and bits[1].strip() != row["reporting_org"]:
            partners.append({"organisation": bits[1].strip()})
    return {
        "external_id": row["id"],
        "title": row["title"] or row["id"],
        "description": row["description"] or row["title"] or row["id"],
        "stage": "implementation",
        "themes": ["T1"],
        "partners": list({p["organisation"]: p for p in partners}.values()),
        "visibility": "public",
    }
