"""Benchmark: a review of a demo group — opening it, re-reading it, the pack, the overview.

Usage::

    .venv/bin/python benchmarks/bench_reviews.py [--copies 4] [--rounds 3] [--repeats 20]
        [--postgres URL]

Seeds the reference data, the fictional demo portfolio and the demo groups into a fresh
SQLite database in a temporary folder (and, with ``--postgres``, into the empty
PostgreSQL database given as well, in the same run), publishes ``--copies`` more copies
of every demo card (more projects and history; 4 copies give about 2,100 projects),
then opens ``--rounds`` reviews of "kronikere-aeldre-aarhus", republishing a tenth of
the cards with a new stage between rounds, so there is history to read and a diff to
compute.

A review copies nothing history can reproduce: every read recomputes the slice from the
project revisions as of the review's moment, and a worker keeps the snapshots it
computed. So per endpoint the table gives the cold time — the first request of a newly
created app, whose caches are empty — and the median and 95th percentile of
``--repeats`` warm requests, wall clock, in-process through the Flask test client.
Nothing is asserted; the target is a warm p95 under 300 ms for the pack page and the
group overview at about 2,000 projects.
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--postgres", help="URL of an empty PostgreSQL database to use as well")
    args = parser.parse_args()
    print("| database | projects | endpoint | cold | warm p50 | warm p95 |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.db", args)
    if args.postgres:
        run("PostgreSQL", args.postgres, args)


def run(label: str, url: str, args: argparse.Namespace) -> None:
    admin = seed(url)
    headers = {"Authorization": f"Bearer {admin}"}
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    client = app.test_client()
    projects = publish_copies(client, headers, args.copies)
    opened = open_reviews(client, headers, args.rounds)
    app.extensions["ecosystem.engine"].dispose()
    print(
        f"| {label} | {projects:,} | opening a review | "
        f"{', '.join(f'{t * 1000:,.0f} ms' for _, t in opened)} | | |",
        flush=True,
    )
    review_id = opened[-1][0]
    for name, path in (
        ("GET /api/v1/reviews/{id}", f"/api/v1/reviews/{review_id}"),
        ("GET /api/v1/reviews/{id}/since-last", f"/api/v1/reviews/{review_id}/since-last"),
        ("GET /api/v1/reviews/{id}/pack", f"/api/v1/reviews/{review_id}/pack"),
        (
            "GET /api/v1/reviews/{id}/pack?format=xlsx",
            f"/api/v1/reviews/{review_id}/pack?format=xlsx",
        ),
        ("page /reviews/{id} (the pack)", f"/reviews/{review_id}"),
        ("page /groups/{id} (the overview)", f"/groups/{GROUP}"),
        ("GET /api/v1/groups/{id}/refresh-list", f"/api/v1/groups/{GROUP}/refresh-list"),
    ):
        fresh = create_app({"DATABASE_URL": url, "TESTING": True})
        cold = timed(fresh.test_client(), path, headers)
        fresh.extensions["ecosystem.engine"].dispose()
        warm = sorted(timed(client, path, headers) for _ in range(args.repeats))
        p95 = warm[max(0, int(len(warm) * 0.95) - 1)]
        print(
            f"| {label} | {projects:,} | {name} | {cold * 1000:,.0f} ms | "
            f"{statistics.median(warm) * 1000:,.0f} ms | {p95 * 1000:,.0f} ms |",
            flush=True,
        )
    app.extensions["ecosystem.engine"].dispose()


def seed(url: str) -> str:
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
    return admin


def publish_copies(client: Any, headers: dict[str, str], copies: int) -> int:
    """Publish every demo card ``copies`` more times; the number of active projects after.

    A portfolio PUT withdraws what it leaves out, so each organisation's document holds
    its own cards and all their copies at once.
    """
    portfolios = seeds.demo_portfolios()
    for organisation, cards in portfolios.items():
        copied = [
            {**card, "external_id": f"{card['external_id']}-K{copy}"}
            for copy in range(1, copies + 1)
            for card in cards
        ]
        publish(client, headers, organisation, [*cards, *copied])
    return sum(len(cards) for cards in portfolios.values()) * (copies + 1)


def open_reviews(client: Any, headers: dict[str, str], rounds: int) -> list[tuple[int, float]]:
    portfolios = seeds.demo_portfolios()
    reviews = []
    for round_number in range(rounds):
        if round_number:
            for organisation, cards in list(portfolios.items())[::10]:
                moved = [
                    {**c, "stage": STAGES[(STAGES.index(c["stage"]) + round_number) % len(STAGES)]}
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
    return reviews


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
