"""Benchmark: import a 10,000-row XLSX through the HTTP API (preview, then publish).

Usage::

    .venv/bin/python benchmarks/bench_import.py [--rows 10000] [--postgres URL]

The sheet is the import template filled with generated projects whose descriptions come
from the real Danish project texts in
``../shared/corpora/dk_eu_structural_funds_projects_normalised.csv`` when it is there
(otherwise from a small built-in vocabulary); themes, stages and areas are written as the
Danish labels people use, so the label matching is part of what is measured. Prints one
table row per database and step; nothing is asserted. The target is under 15 s for
preview + publish of the new file.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_publish import ORGANISATION, descriptions, postgres_database, prepare

from ecosystem.spreadsheet import portfolio_table
from ecosystem.tabular import to_xlsx_bytes

THEMES = ["Kronisk sygdom og ældre", "Kræft", "T4", "Forebyggelse og folkesundhed", "T13.1"]
STAGES = ["Idé", "Analyse", "Afprøvning (pilot)", "Implementering", "Drift", "Afsluttet"]
AREAS = ["Aarhus", "Favrskov", "0727", "Skanderborg Kommune", "Region Midtjylland"]


def make_cards(count: int, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    texts = descriptions()
    cards = []
    for i in range(count):
        body = rng.choice(texts)
        cards.append(
            {
                "external_id": f"RM-{i:05d}",
                "title": body[:80].strip() or f"Projekt {i}",
                "description": body,
                "stage": rng.choice(STAGES),
                "themes": rng.sample(THEMES, 2),
                "target_groups": rng.sample(["Borgere med KOL", "aeldre", "borgere"], 1),
                "areas": [rng.choice(AREAS)],
                "start_date": "2025-01-01",
                "end_date": "2027-12-31",
                "budget_dkk": rng.randint(100_000, 20_000_000),
                "value_score": rng.randint(1, 5),
                "risk_score": rng.randint(1, 5),
                "partners": [{"name": "Aarhus Universitet"}, {"name": "Lungeforeningen"}],
                "contact": {"email": "projekter@rm.example"},
                "demo": True,
            }
        )
    return cards


def xlsx(cards: list[dict[str, Any]]) -> bytes:
    return to_xlsx_bytes(portfolio_table(cards))


def timed(label: str, call: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - start
    assert response.status_code in (200, 201), (label, response.get_data(as_text=True)[:800])
    return elapsed, response.json


def import_once(client: Any, headers: dict[str, str], content: bytes) -> tuple[float, float, Any]:
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(content), filename="projekter.xlsx"), "full": "true"}
    )
    url = f"/api/v1/organisations/{ORGANISATION}/imports"
    preview_s, preview = timed(
        "preview",
        lambda: client.post(
            url,
            data=body,
            headers={"Authorization": headers["Authorization"]},
            content_type=f"multipart/form-data; boundary={boundary}",
            query_string={"per_page": 1},
        ),
    )
    assert preview["publishable"], preview["problems"][:5]
    publish_s, result = timed(
        "publish",
        lambda: client.post(
            f"{url}/{preview['id']}/publish", headers={"Authorization": headers["Authorization"]}
        ),
    )
    return preview_s, publish_s, (preview["summary"], result)


def run(label: str, url: str, rows: int) -> list[tuple[str, str, float, float, str]]:
    client, headers = prepare(url)
    cards = make_cards(rows)
    new = xlsx(cards)
    results = []
    preview_s, publish_s, (summary, _) = import_once(client, headers, new)
    results.append((label, "new file", preview_s, publish_s, f"{summary['created']} created"))
    preview_s, publish_s, (summary, _) = import_once(client, headers, new)
    results.append(
        (label, "same file again", preview_s, publish_s, f"{summary['unchanged']} unchanged")
    )
    for card in cards[::10]:
        card["stage"] = "Drift" if card["stage"] != "Drift" else "Afsluttet"
    preview_s, publish_s, (summary, _) = import_once(client, headers, xlsx(cards))
    results.append(
        (label, "10 % rows edited", preview_s, publish_s, f"{summary['updated']} updated")
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    size_mb = len(xlsx(make_cards(args.rows))) / 1e6
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        rows += run("SQLite", f"sqlite:///{directory}/bench.db", args.rows)
    try:
        url, drop = postgres_database(args.postgres)
    except Exception as error:
        print(f"PostgreSQL skipped: {error}", file=sys.stderr)
    else:
        try:
            rows += run("PostgreSQL", url, args.rows)
        finally:
            drop()
    print(f"\nImport a {args.rows:,}-row XLSX ({size_mb:.1f} MB) through the API\n")
    print(f"{'database':<11} {'step':<17} {'preview s':>9} {'publish s':>9} {'total s':>8}  note")
    for database, step, preview_s, publish_s, note in rows:
        total = preview_s + publish_s
        print(
            f"{database:<11} {step:<17} {preview_s:>9.2f} {publish_s:>9.2f} {total:>8.2f}  {note}"
        )


if __name__ == "__main__":
    main()
