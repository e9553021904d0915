"""Benchmark: publish a 10,000-project portfolio through the HTTP API, on SQLite and PostgreSQL.

Usage::

    .venv/bin/python benchmarks/bench_publish.py [--projects 10000] [--postgres URL]

Texts are drawn from the real Danish project descriptions in
``../shared/corpora/dk_eu_structural_funds_projects_normalised.csv`` when it is there
(it is not part of the repository), otherwise from a small built-in vocabulary.
Prints one table row per database and step; nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api import create_app
from ecosystem.services.catalogue import Catalogue
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import migrate
from ecosystem.store.engine import make_engine
from ecosystem.store.tokens import issue_token
from seeds import load_reference

CORPUS = (
    Path(__file__).resolve().parents[2]
    / "shared/corpora/dk_eu_structural_funds_projects_normalised.csv"
)
ORGANISATION = "region-midtjylland"


def descriptions() -> list[str]:
    if CORPUS.exists():
        with CORPUS.open(encoding="utf-8") as handle:
            return [row["description"] for row in csv.DictReader(handle) if row["description"]]
    words = [
        "borgere",
        "kommune",
        "region",
        "sygehus",
        "forløb",
        "telemedicin",
        "kronisk",
        "ældre",
        "pilot",
        "udbredelse",
        "data",
    ]
    rng = random.Random(1)
    return [" ".join(rng.choices(words, k=200)) for _ in range(300)]


def make_document(count: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    texts = descriptions()
    themes = ["T1", "T2", "T3", "T4", "T9", "T12", "T13"]
    stages = ["idea", "analysis", "pilot", "implementation", "operation", "completed"]
    projects = []
    for i in range(count):
        body = rng.choice(texts)
        projects.append(
            {
                "external_id": f"RM-{i:05d}",
                "title": body[:80].strip() or f"Projekt {i}",
                "description": body,
                "stage": rng.choice(stages),
                "themes": rng.sample(themes, 2),
                "target_groups": rng.sample(["kol", "aeldre", "kronisk-syge", "borgere"], 1),
                "areas": [rng.choice(["0751", "0710", "0727", "0746", "region-midtjylland"])],
                "start_date": "2025-01-01",
                "end_date": "2027-12-31",
                "budget_dkk": rng.randint(100_000, 20_000_000),
                "value_score": rng.randint(1, 5),
                "risk_score": rng.randint(1, 5),
                "demo": True,
            }
        )
    return {"organisation": ORGANISATION, "projects": projects}


def prepare(url: str) -> tuple[Any, dict[str, str]]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        load_reference(UnitOfWork(lambda: session, Catalogue()))
        token = issue_token(session, admin=True)
        session.commit()
    engine.dispose()
    app = create_app({"DATABASE_URL": url})
    return app.test_client(), {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
    }


def timed_put(client: Any, headers: dict[str, str], body: bytes) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    response = client.put(
        f"/api/v1/organisations/{ORGANISATION}/portfolio", data=body, headers=headers
    )
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return elapsed, response.json


def run(
    label: str, url: str, document: dict[str, Any], repeats: int
) -> list[tuple[str, str, float, str]]:
    client, headers = prepare(url)
    rows = []
    body = json.dumps(document).encode()
    first, result = timed_put(client, headers, body)
    rows.append((label, "create all", first, f"{len(result['created'])} created"))
    unchanged = [timed_put(client, headers, body)[0] for _ in range(repeats)]
    rows.append((label, "republish unchanged", statistics.median(unchanged), "median"))
    changed = json.loads(body)
    for card in changed["projects"][::10]:
        card["stage"] = "operation" if card["stage"] != "operation" else "completed"
    elapsed, result = timed_put(client, headers, json.dumps(changed).encode())
    rows.append((label, "republish, 10% changed", elapsed, f"{len(result['updated'])} updated"))
    return rows


def postgres_database(server: str) -> tuple[str, Any]:
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    name = f"ecosystem_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return server.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    document = make_document(args.projects)
    size_mb = len(json.dumps(document)) / 1e6
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        rows += run("SQLite", f"sqlite:///{directory}/bench.db", document, args.repeats)
    try:
        url, drop = postgres_database(args.postgres)
    except Exception as error:
        print(f"PostgreSQL skipped: {error}", file=sys.stderr)
    else:
        try:
            rows += run("PostgreSQL", url, document, args.repeats)
        finally:
            drop()
    print(f"\nPublish {args.projects:,} projects through PUT /portfolio ({size_mb:.1f} MB JSON)\n")
    print(f"{'database':<11} {'step':<24} {'seconds':>8}  note")
    for database, step, seconds, note in rows:
        print(f"{database:<11} {step:<24} {seconds:>8.2f}  {note}")


if __name__ == "__main__":
    main()
