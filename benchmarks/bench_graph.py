"""Benchmark: the ecosystem graph pages and API on the demo data (target: under 300 ms warm
and under 300 KB per page).

Usage::

    .venv/bin/python benchmarks/bench_graph.py [--runs 20] [--postgres URL]

Seeds a fresh database like :mod:`benchmarks.bench_pages` (reference data, the demo
portfolio, the demo groups), then requests each graph page anonymously through the Flask
test client: the first request (it builds the graph; the process keeps it until the next
publish), then ``--runs`` warm ones. Prints the first time, the warm median and 95th
percentile, the size of the answer and how many organisations and ties it shows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api import create_app
from benchmarks.bench_pages import seed

PAGES = (
    "/api/v1/graph",
    "/organisations/danske-regioner/graph",
    "/organisations/auh/graph",
    "/groups/kronikere-aeldre-aarhus/graph",
    "/groups/psykiatri-national/graph",
)


def measured(client: Any, url: str, runs: int) -> str:
    start = time.perf_counter()
    first = client.get(url)
    first_ms = (time.perf_counter() - start) * 1000
    assert first.status_code == 200, (url, first.status_code)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    median, p95 = samples[len(samples) // 2], samples[max(0, int(len(samples) * 0.95) - 1)]
    body = first.get_data(as_text=True)
    shown = (
        f"{len(first.json['nodes'])} / {len(first.json['links'])}"
        if url.startswith("/api")
        else f"{body.count('<circle')} / {body.count('<line')}"
    )
    return (
        f"| {url} | {first_ms:.0f} ms | {median:.0f} ms | {p95:.0f} ms "
        f"| {len(first.data) / 1024:.0f} KB | {shown} |"
    )


def run(label: str, url: str, runs: int) -> None:
    seed(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    client = app.test_client()
    client.get("/")  # the process's first request loads the catalogue; not the graph's cost
    print(f"\n{label}\n\n| page | first | warm median | warm p95 | size | organisations / ties |")
    print("|---|---|---|---|---|---|")
    for page in PAGES:
        print(measured(client, page, runs), flush=True)
    app.extensions["ecosystem.engine"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres", help="URL of an empty PostgreSQL database to use as well")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.db", args.runs)
    if args.postgres:
        run("PostgreSQL", args.postgres, args.runs)


if __name__ == "__main__":
    main()
