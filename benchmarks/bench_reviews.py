"""Benchmark: a review of a demo group — opening it, re-reading it from history, the pack.

Usage::

    .venv/bin/python benchmarks/bench_reviews.py [--copies 0] [--rounds 3] [--repeats 5]
        [--postgres URL]

Seeds the reference data, the fictional demo portfolio and the demo groups into a fresh
database (SQLite in a temporary folder, or the PostgreSQL database given), optionally
publishes ``--copies`` more copies of every demo card (more projects and history), then
opens ``--rounds`` reviews of "kronikere-aeldre-aarhus", republishing a tenth of the cards
with a new stage between rounds, so there is history to read and a diff to compute.

A review copies nothing history can reproduce: every read recomputes the slice from the
project revisions as of the review's moment. The table gives, per endpoint, the cold
time (first call) and the median of ``--repeats`` warm calls, wall clock. Nothing is
asserted; the target is under a second per endpoint on the demo data.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import seeds
from api import create_app
from ecosystem.services.catalogue import Catalogue
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store.engine import make_engine
from ecosystem.store.migrate import upgrade
from ecosystem.store.tokens import issue_token
from seeds.groups import load_demo_groups

GROUP = "kronikere-aeldre-aarhus"
STAGES = ("idea", "analysis", "pilot", "implementation", "operation")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    url = args.postgres or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    with sessionmaker(engine)() as db:
        uow = UnitOfWork(lambda: db, Catalogue())  # writes in db, committed below
        seeds.load_reference(uow)
        seeds.load_demo(uow)
        load_demo_groups(uow)
        admin = issue_token(db, None, admin=True)
        db.commit()
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {admin}"}
    portfolios = seeds.demo_portfolios()
    for copy in range(1, args.copies + 1):
        for organisation, cards in portfolios.items():
            extra = [{**c, "external_id": f"{c['external_id']}-K{copy}"} for c in cards]
            publish(client, headers, organisation, extra)
    reviews = []
    for round_number in range(args.rounds):
        if round_number:
            for organisation, cards in list(portfolios.items())[::10]:
                moved = [
                    {**c, "stage": STAGES[(STAGES.index(c["stage"]) + 1) % len(STAGES)]}
                    if c["stage"] in STAGES
                    else c
                    for c in cards
                ]
                publish(client, headers, organisation, moved, partial=True)
        started = time.perf_counter()
        response = client.post(
            f"/api/v1/groups/{GROUP}/reviews",
            json={"meeting_date": f"2026-0{3 + round_number}-01"},
            headers=headers,
        )
        assert response.status_code == 201, response.json
        reviews.append((response.json["id"], time.perf_counter() - started))
    review_id = reviews[-1][0]
    print(f"database: {url.split(':')[0]}, copies: {args.copies}, rounds: {args.rounds}")
    print(f"opening a review: {', '.join(f'{t * 1000:.0f} ms' for _, t in reviews)}")
    print("| endpoint | cold | warm (median) |")
    print("|---|---|---|")
    for name, path in (
        ("GET /reviews/{id}", f"/api/v1/reviews/{review_id}"),
        ("GET /reviews/{id}/since-last", f"/api/v1/reviews/{review_id}/since-last"),
        ("GET /reviews/{id}/pack", f"/api/v1/reviews/{review_id}/pack"),
        ("GET /reviews/{id}/pack?format=xlsx", f"/api/v1/reviews/{review_id}/pack?format=xlsx"),
        ("page /reviews/{id}", f"/reviews/{review_id}"),
        ("GET /groups/{id}/refresh-list", f"/api/v1/groups/{GROUP}/refresh-list"),
    ):
        cold = timed(client, path, headers)
        warm = statistics.median(timed(client, path, headers) for _ in range(args.repeats))
        print(f"| {name} | {cold * 1000:.0f} ms | {warm * 1000:.0f} ms |")


def publish(
    client: Any, headers: dict[str, str], organisation: str, cards: list[Any], partial: bool = False
) -> None:
    if partial:
        for card in cards:
            response = client.put(
                f"/api/v1/organisations/{organisation}/projects/{card['external_id']}",
                json=card,
                headers=headers,
            )
            assert response.status_code in (200, 201), response.json
        return
    response = client.put(
        f"/api/v1/organisations/{organisation}/portfolio",
        json={"organisation": organisation, "projects": cards},
        headers=headers,
    )
    assert response.status_code == 200, response.json


def timed(client: Any, path: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
