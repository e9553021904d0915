"""Benchmark: how fast the web pages answer on the demo data (target: under 300 ms).

Usage::

    .venv/bin/python benchmarks/bench_pages.py [--runs 20] [--postgres URL]

Seeds a fresh database with the reference data, the fictional demo portfolio (429
projects) and the demo groups, then requests each main page in-process through the
Flask test client: once to warm up (the first request of a process builds the overlap
index), then ``--runs`` times. Prints the median and the 95th percentile per page and
database, and the page's size (the map and graph pages are drawn server-side as SVG:
the target is under 300 KB and 300 ms warm); nothing is asserted.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import seeds
from api import create_app
from ecosystem.services.catalogue import Catalogue
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import migrate
from ecosystem.store.engine import make_engine
from ecosystem.store.tokens import issue_token
from seeds.groups import load_demo_groups

DRAFT = {
    "title": "Telemedicinsk hjemmemonitorering af borgere med KOL",
    "description": "Borgere med svær KOL får tablet og måleudstyr og følges af hjemmesygeplejen "
    "i samarbejde med lungemedicinsk afdeling for at undgå akutte indlæggelser.",
    "target_groups": ["kol"],
    "areas": ["0751"],
}
PUBLISHER = "kommune-aarhus"


def seed(url: str) -> str:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with sessionmaker(engine)() as db:
        uow = UnitOfWork(lambda: db, Catalogue())  # writes in db, committed below
        seeds.load_reference(uow)
        seeds.load_demo(uow)
        load_demo_groups(uow)
        token = issue_token(db, PUBLISHER)
        db.commit()
    engine.dispose()
    return token


def timed(request: Callable[[], Any], runs: int) -> tuple[float, float, int]:
    """Median and p95 ms of ``runs`` warm requests, and the page's size in bytes."""
    request()  # warm-up: per-process caches, the overlap index
    samples, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        response = request()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code < 400, response.status_code
        size = len(response.get_data())
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], size


def pages(client: Any, token: str) -> list[tuple[str, Callable[[], Any]]]:
    listing = client.get(
        "/api/v1/projects", query_string={"organisation": PUBLISHER, "per_page": 1}
    )
    project_id = listing.json["items"][0]["id"]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True))[
        1
    ]
    signed_in = client.application.test_client()
    signed_in.post(
        "/sign-in",
        data={
            "token": token,
            "csrf_token": re.search(
                r'name="csrf_token" value="([^"]+)"',
                signed_in.get("/sign-in").get_data(as_text=True),
            )[1],
        },
    )
    return [
        ("GET / (the overlap form)", lambda: client.get("/")),
        (
            "POST / (check a COPD draft)",
            lambda: client.post("/", data={**DRAFT, "csrf_token": csrf}),
        ),
        ("GET /projects", lambda: client.get("/projects")),
        (
            "GET /projects?area=sundhedsraad-aarhus",
            lambda: client.get("/projects?area=sundhedsraad-aarhus"),
        ),
        ("GET /projects/<id>", lambda: client.get(f"/projects/{project_id}")),
        (
            "GET /projects/<id>/edit (signed in)",
            lambda: signed_in.get(f"/projects/{project_id}/edit"),
        ),
        ("GET /organisations/kommune-aarhus", lambda: client.get("/organisations/kommune-aarhus")),
        (
            "GET /organisations/danske-regioner",
            lambda: client.get("/organisations/danske-regioner"),
        ),
        ("GET /groups", lambda: client.get("/groups")),
        ("GET /kort (the map)", lambda: client.get("/kort")),
        (
            "GET /kort?theme=T2&group=… (filtered, outlined)",
            lambda: client.get("/kort?theme=T2&group=kronikere-aeldre-aarhus"),
        ),
        (
            "GET /organisations/danske-regioner/graph",
            lambda: client.get("/organisations/danske-regioner/graph"),
        ),
        (
            "GET /groups/kronikere-aeldre-aarhus/graph",
            lambda: client.get("/groups/kronikere-aeldre-aarhus/graph"),
        ),
        (
            "GET /organisations/kommune-aarhus/quality",
            lambda: client.get("/organisations/kommune-aarhus/quality"),
        ),
        *(
            (f"GET /groups/{group}", (lambda g=group: client.get(f"/groups/{g}")))
            for group in (
                "kronikere-aeldre-aarhus",
                "psykiatri-national",
                "forebyggelse-ulighed-nord",
            )
        ),
    ]


def run(label: str, url: str, runs: int) -> None:
    token = seed(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    client = app.test_client()
    for name, request in pages(client, token):
        median, p95, size = timed(request, runs)
        print(
            f"| {label} | {name} | {median:.0f} ms | {p95:.0f} ms | {size / 1024:.0f} KB |",
            flush=True,
        )
    app.extensions["ecosystem.engine"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres", help="URL of an empty PostgreSQL database to use as well")
    args = parser.parse_args()
    print("| database | page | median | p95 | size |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.db", args.runs)
    if args.postgres:
        run("PostgreSQL", args.postgres, args.runs)


if __name__ == "__main__":
    main()
