"""Fuzz: many generated requests against the whole API; a table of answers by status class.

Usage::

    .venv/bin/python benchmarks/fuzz_api.py [--requests 20000] [--seconds 3600]
        [--seed 20260504] [--postgres URL] [--anonymous-share 0.5]

A fresh database (SQLite in a temporary folder, or the PostgreSQL database given, which
is migrated and must be empty) gets the full reference data; schemathesis then sends
requests generated from ``/api/v1/openapi.json``, valid and invalid ones, half with an
organisation's token and half without, until ``--requests`` are made or ``--seconds``
pass. The app runs in testing mode, so a request that would be a 500 raises and is
counted as 5xx with its cause. The table shows requests per operation and status class;
the run fails (exit 1) on any 5xx, listing the first of them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.orm import Session

from api import create_app
from ecosystem.services.catalogue import Catalogue
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import migrate
from ecosystem.store.engine import make_engine
from ecosystem.store.tokens import issue_token
from seeds import load_reference
from tests.fuzzing import FuzzRun, fuzz

ORGANISATION = "kommune-aarhus"
CLASSES = ("2xx", "3xx", "4xx", "5xx")


def prepare(url: str) -> str:
    """Migrate, load the reference data, and return an organisation's token."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session:
        load_reference(UnitOfWork(lambda: session, Catalogue()))
        token = issue_token(session, ORGANISATION)
        session.commit()
    engine.dispose()
    return token


def table(runs: dict[str, FuzzRun]) -> str:
    """Requests by operation and status class, one block per run, with totals."""
    lines = [f"{'run':<12} {'operation':<62} " + " ".join(f"{c:>6}" for c in CLASSES)]
    lines.append("-" * len(lines[0]))
    grand: Counter[str] = Counter()
    for name, run in runs.items():
        operations = sorted({operation for operation, _ in run.counts})
        for operation in operations:
            cells = [run.counts[(operation, c)] for c in CLASSES]
            lines.append(f"{name:<12} {operation[:62]:<62} " + " ".join(f"{n:>6}" for n in cells))
        totals = run.by_class()
        grand.update(totals)
        lines.append(
            f"{name:<12} {'all (' + str(run.requests) + ' requests)':<62} "
            + " ".join(f"{totals[c]:>6}" for c in CLASSES)
        )
        lines.append("")
    lines.append(
        f"{'total':<12} {str(sum(grand.values())) + ' requests':<62} "
        + " ".join(f"{grand[c]:>6}" for c in CLASSES)
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=3600.0)
    parser.add_argument("--seed", type=int, default=20260504)
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL")
    parser.add_argument("--anonymous-share", type=float, default=0.5)
    parser.add_argument("--per-operation", type=int, default=25)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = args.postgres or f"sqlite:///{folder}/fuzz.db"
        token = prepare(url)
        app = create_app({"TESTING": True, "DATABASE_URL": url})
        anonymous = int(args.requests * args.anonymous_share)
        plan = {
            "organisation": (
                {"Authorization": f"Bearer {token}"},
                {"org": ORGANISATION},
                args.requests - anonymous,
            ),
            "anonymous": (None, None, anonymous),
        }
        runs: dict[str, FuzzRun] = {}
        started = time.monotonic()
        for name, (headers, pinned, count) in plan.items():
            share = count / max(args.requests, 1)
            runs[name] = fuzz(
                app,
                headers=headers,
                seed=args.seed,
                seconds=args.seconds * share,
                max_requests=count,
                per_operation=args.per_operation,
                path_parameters=pinned,
            )
        elapsed = time.monotonic() - started
        app.extensions["ecosystem.engine"].dispose()

    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Fuzz of the API on {backend}, seed {args.seed}, {elapsed:.0f} s\n")
    print(table(runs))
    failures = [f for run in runs.values() for f in run.failures]
    skipped = sorted({s for run in runs.values() for s in run.skipped})
    if skipped:
        print(f"\n{len(skipped)} operation/mode pairs had nothing to generate.")
    if failures:
        print(f"\n{len(failures)} server error(s); the first:")
        for failure in failures[:10]:
            print(f"  {failure.operation} -> {failure.status}: {failure.detail}")
            print(f"      {failure.request}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
