"""Benchmark: a thematic group's endpoints for a group of 5,000 projects, on SQLite and PostgreSQL.

Usage::

    .venv/bin/python benchmarks/bench_groups.py [--group-projects 5000] [--other-projects 5000]
        [--repeats 5] [--postgres URL] [--no-overlaps]

The group ("Kronikere og ældre – Midtjylland": themes T1 and T2, eight target groups,
Region Midtjylland, four national goals) gets ``--group-projects`` projects from 23 of
the region's municipalities, hospitals and institutions; ``--other-projects`` more are
spread over the other regions and themes (a third of them on T1/T2, so they are read as
nearest projects and scaling candidates). Descriptions mix sentences of the real Danish
project descriptions in ``../shared/corpora`` when present. Requests are made in-process
as a signed-in member (public and ecosystem projects visible).

Each endpoint is called once cold (the first call in the process: it reads the whole
catalogue, and for scaling candidates builds the overlap engine) and then ``--repeats``
times. The table shows the cold time, the median warm wall-clock time and the median
CPU time of the process: on a shared machine the wall clock also counts other programs,
while the database's own work is in the wall clock only. ``--no-overlaps`` replaces the
overlap engine by one that finds nothing, to time the group analyses alone. Nothing is
asserted: the target is ≤ 300 ms per endpoint, warm.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api import create_app
from ecosystem.portfolio import ProjectSchema
from ecosystem.services import overlaps
from ecosystem.services.catalogue import Catalogue
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import projects
from ecosystem.store.engine import make_engine
from ecosystem.store.migrate import upgrade
from ecosystem.store.tokens import issue_token
from seeds import load_reference

CORPUS = (
    Path(__file__).resolve().parents[2]
    / "shared/corpora/dk_eu_structural_funds_projects_normalised.csv"
)
GROUP = {
    "id": "kronikere-midt",
    "name": "Kronikere og ældre – Region Midtjylland (benchmark)",
    "mandate": {
        "themes": ["T1", "T2"],
        "target_groups": [
            "kol",
            "type2-diabetes",
            "kronisk-syge",
            "aeldre",
            "genoptraening",
            "faerdigbehandlede",
            "yderomraader",
            "socialt-udsatte",
        ],
        "areas": ["region-midtjylland"],
        "goals": ["NM1", "NM2", "NM5", "NM7"],
        "level": "prioritise",
    },
    "coordinators": ["region-midtjylland"],
    "ambition": {
        "stage_shares": {"idea": 0.1, "analysis": 0.15, "pilot": 0.25},
        "quadrant_shares": {"oysters": 0.3, "pearls": 0.3},
    },
    "demo": True,
}
# Midtjylland's organisations and where they work. Lemvig and Samsø are left without
# projects and nothing is region-wide, so the group has gaps to find.
GROUP_ORGANISATIONS = {
    "region-midtjylland": ["0751", "0730", "0657", "0615"],
    "kommune-horsens": ["0615"],
    "kommune-herning": ["0657"],
    "kommune-holstebro": ["0661"],
    "kommune-struer": ["0671"],
    "kommune-syddjurs": ["0706"],
    "kommune-norddjurs": ["0707"],
    "kommune-favrskov": ["0710"],
    "kommune-odder": ["0727"],
    "kommune-randers": ["0730"],
    "kommune-silkeborg": ["0740"],
    "kommune-skanderborg": ["0746"],
    "kommune-aarhus": ["0751"],
    "kommune-ikast-brande": ["0756"],
    "kommune-ringkoebing-skjern": ["0760"],
    "kommune-hedensted": ["0766"],
    "kommune-skive": ["0779"],
    "kommune-viborg": ["0791"],
    "auh": ["0751", "0746"],
    "goedstrup": ["0657", "0661"],
    "regionshospitalet-randers": ["0730"],
    "au": ["0751", "DK"],
    "via": ["0751", "0657"],
}
OTHER_ORGANISATIONS = {
    "region-nordjylland": ["region-nordjylland"],
    "kommune-aalborg": ["0851"],
    "kommune-hjoerring": ["0860"],
    "aauh": ["0851"],
    "region-syddanmark": ["region-syddanmark"],
    "kommune-odense": ["0461"],
    "kommune-esbjerg": ["0561"],
    "ouh": ["0461"],
    "region-oestdanmark": ["region-oestdanmark"],
    "kommune-koebenhavn": ["0101"],
    "kommune-roskilde": ["0265"],
    "rigshospitalet": ["0101"],
    "danske-regioner": ["DK"],
    "sundhedsstyrelsen": ["DK"],
}
GROUP_THEMES = ["T1", "T1.1", "T1.2", "T1.3", "T2", "T2.1", "T2.2", "T2.3", "T13", "T9", "T10"]
OTHER_THEMES = ["T3", "T4", "T5", "T6", "T7", "T8", "T11", "T12", "T13", "T14", "T16"]
MANDATE_GROUPS: list[str] = GROUP["mandate"]["target_groups"]  # type: ignore[index]
TARGET_GROUPS = [*MANDATE_GROUPS, "borgere", "paaroerende"]
# The region's own projects never name these, so the group has target groups to miss.
GROUP_TARGET_GROUPS = [g for g in MANDATE_GROUPS if g not in ("yderomraader", "socialt-udsatte")]
STAGES = ["idea", "analysis", "pilot", "implementation", "operation", "completed", "stopped"]
STAGE_WEIGHTS = [8, 12, 25, 25, 18, 10, 2]


def sentences() -> list[str]:
    """Every sentence of the real descriptions (or of a small built-in vocabulary)."""
    if CORPUS.exists():
        with CORPUS.open(encoding="utf-8") as handle:
            texts = [row["description"] for row in csv.DictReader(handle) if row["description"]]
    else:
        words = ["borgere", "kommune", "region", "forløb", "telemedicin", "kronisk", "ældre"]
        rng = random.Random(1)
        texts = [" ".join(rng.choices(words, k=20)) for _ in range(3000)]
    found = {s.strip() for text in texts for s in text.split(". ") if len(s.strip()) > 40}
    return sorted(found)


def mixed_description(rng: random.Random, sentences: list[str]) -> str:
    """Six sentences drawn from all the real descriptions: realistic text, rarely alike.

    The corpus has about 1,200 descriptions for 10,000 projects. Reused whole, or mixed
    from a few, they would make every project the near-copy of dozens of others, and
    the overlap engine would rightly report tens of thousands of "same thing" pairs,
    which no real catalogue has.
    """
    return ". ".join(rng.sample(sentences, 6))[:3000]


def card(
    rng: random.Random, number: int, in_group: bool, pool: list[str], areas: list[str]
) -> dict[str, Any]:
    body = mixed_description(rng, pool)
    if in_group or rng.random() < 1 / 3:
        themes = [rng.choice(GROUP_THEMES[:8]), *rng.sample(GROUP_THEMES[8:], rng.randint(0, 1))]
    else:
        themes = rng.sample(OTHER_THEMES, 2)
    stage = rng.choices(STAGES, STAGE_WEIGHTS)[0]
    data: dict[str, Any] = {
        "external_id": f"B-{number:05d}",
        "title": (body[:90].strip() or f"Projekt {number}"),
        "description": body or "…",
        "stage": stage,
        "themes": themes,
        "target_groups": rng.sample(
            GROUP_TARGET_GROUPS if in_group else TARGET_GROUPS, rng.randint(0, 2)
        ),
        "areas": [rng.choice(areas)],
        "goals": rng.sample(["NM1", "NM2", "NM5", "NM6"], rng.randint(0, 1)),
        # The member benchmarked sees every project of the group (private ones are elsewhere).
        "visibility": rng.choices(
            ["public", "ecosystem", "private"], [70, 25, 0 if in_group else 5]
        )[0],
        "care_level": rng.choice(["specialised", "near", "cross_sector", None]),
        "development_type": rng.choice(["development", "operations_near", "operations", None]),
        "funding_sources": [
            {"name": "Finansiering", "kind": kind}
            for kind in rng.sample(
                ["own", "block_grant", "national_pool", "eu", "private_foundation"],
                rng.randint(0, 2),
            )
        ],
        "demo": True,
    }
    if rng.random() < 0.6:
        data["value_score"], data["risk_score"] = rng.randint(1, 5), rng.randint(1, 5)
    if stage in ("implementation", "operation", "completed") and rng.random() < 0.5:
        data["evidence"] = {
            "summary": "Evaluering viser effekt.",
            "outcome": rng.choice(["positive", "positive", "mixed"]),
        }
    return data


def publish_all(session: Session, group_projects: int, other_projects: int) -> None:
    rng, pool, schema = random.Random(5), sentences(), ProjectSchema()
    by_organisation: dict[str, list[dict[str, Any]]] = {}
    for number in range(group_projects + other_projects):
        in_group = number < group_projects
        organisations = GROUP_ORGANISATIONS if in_group else OTHER_ORGANISATIONS
        organisation = rng.choice(sorted(organisations))
        by_organisation.setdefault(organisation, []).append(
            schema.load(card(rng, number, in_group, pool, organisations[organisation]))
        )
    for organisation, cards in by_organisation.items():
        projects.publish(session, organisation, cards, actor="bench", full=True)


def prepare(url: str, group_projects: int, other_projects: int) -> tuple[Any, dict[str, str]]:
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        load_reference(UnitOfWork(lambda: session, Catalogue()))
        publish_all(session, group_projects, other_projects)
        admin, member = issue_token(session, admin=True), issue_token(session, "kommune-aarhus")
        session.commit()
    engine.dispose()
    client = create_app({"DATABASE_URL": url}).test_client()
    created = client.post(
        "/api/v1/groups", json=GROUP, headers={"Authorization": f"Bearer {admin}"}
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    return client, {"Authorization": f"Bearer {member}"}


ENDPOINTS = [
    ("group projects (page)", "/api/v1/groups/kronikere-midt/projects"),
    ("group gaps", "/api/v1/groups/kronikere-midt/gaps"),
    ("group gaps, CSV", "/api/v1/groups/kronikere-midt/gaps?format=csv"),
    ("group scaling candidates", "/api/v1/groups/kronikere-midt/scaling-candidates"),
    ("group balance", "/api/v1/groups/kronikere-midt/balance"),
    ("ad hoc gaps", "/api/v1/gaps?theme=T1,T2&area=region-midtjylland"),
    ("routing (whole catalogue)", "/api/v1/groups/routing"),
]


def run(
    label: str, url: str, args: argparse.Namespace
) -> list[tuple[str, str, float, float, float, str]]:
    client, headers = prepare(url, args.group_projects, args.other_projects)
    rows = []
    for name, path in ENDPOINTS:
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        cold = time.perf_counter() - start
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        wall, cpu = [], []
        for _ in range(args.repeats):
            start, started = time.perf_counter(), time.process_time()
            client.get(path, headers=headers)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - started)
        note = _note(name, response)
        rows.append((label, name, cold, statistics.median(wall), statistics.median(cpu), note))
    return rows


def _note(name: str, response: Any) -> str:
    if response.mimetype != "application/json":
        return f"{len(response.data) / 1e3:.0f} kB"
    body = response.json
    if "total" in body:
        return f"{body['total']} projects in the group"
    if "gaps" in body:
        return (
            f"{body['summary']['gaps']} gaps over {body['summary']['projects_considered']} projects"
        )
    if "candidates" in body:
        return f"{body['summary']['candidates']} candidates"
    if "quadrants" in body:
        return f"{body['summary']['active']} active projects"
    return f"{body['summary']['active_projects']} active projects routed"


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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--group-projects", type=int, default=5_000)
    parser.add_argument("--other-projects", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument(
        "--no-overlaps", action="store_true", help="Time without the overlap engine."
    )
    args = parser.parse_args()
    if args.no_overlaps:
        overlaps.pairs_among = lambda uow, principal, ids: []  # type: ignore[assignment]
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        rows += run("SQLite", f"sqlite:///{directory}/bench.db", args)
    try:
        url, drop = postgres_database(args.postgres)
    except Exception as error:
        print(f"PostgreSQL skipped: {error}", file=sys.stderr)
    else:
        try:
            rows += run("PostgreSQL", url, args)
        finally:
            drop()
    engine_note = "without the overlap engine" if args.no_overlaps else "with the overlap engine"
    print(
        f"\nGroup endpoints: {args.group_projects:,} projects published in the group's region and "
        f"themes, {args.other_projects:,} elsewhere; {engine_note}; target ≤ 300 ms warm\n"
    )
    print(f"{'database':<11} {'endpoint':<27} {'cold ms':>8} {'warm ms':>8} {'cpu ms':>7}  note")
    for database, name, cold, warm, cpu, note in rows:
        print(
            f"{database:<11} {name:<27} {cold * 1000:>8.0f} {warm * 1000:>8.0f} "
            f"{cpu * 1000:>7.0f}  {note}"
        )


if __name__ == "__main__":
    main()
