"""Probe: concurrent publishers against gunicorn (2 workers) and PostgreSQL.

Usage::

    .venv/bin/python benchmarks/probe_concurrency.py [--publishers 4] [--requests 20]
        [--postgres URL] [--restart [--cluster 15/main]]

Creates a throwaway database, loads the reference data, serves it with gunicorn and lets
``--publishers`` threads each put ``--requests`` distinct versions of one shared project
of one organisation (the case that used to end in 500s), half of them through the
single-project PUT and half through the whole-portfolio PUT. Then it reads the project's
history back and prints a table: the statuses, how many writes were acknowledged (2xx)
and how many are stored, and whether any acknowledged write is missing.

``--restart`` restarts the PostgreSQL cluster (``pg_ctlcluster``) half-way and prints the
statuses of the requests sent while it was down: 503 is expected, 500 never, and no
acknowledged write may be lost. It restarts the whole cluster, so do not point it at a
server that others are using just then (make a cluster of your own with
``pg_createcluster 15 probe --port 5499 --start`` and pass ``--cluster 15/probe``).
Nothing is asserted; the exit status is 1 if a 500 was seen or a write was lost.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from ecosystem.services.catalogue import Catalogue  # noqa: E402
from ecosystem.services.unit_of_work import UnitOfWork  # noqa: E402
from ecosystem.store import migrate  # noqa: E402
from ecosystem.store.engine import make_engine  # noqa: E402
from ecosystem.store.tables import Project, ProjectRevision  # noqa: E402
from ecosystem.store.tokens import issue_token  # noqa: E402
from seeds import load_reference  # noqa: E402

POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
ORG = "kommune-aarhus"
CARD = {
    "external_id": "P-1",
    "description": "Borgere med svær KOL får måleudstyr og følges af hjemmesygeplejen.",
    "stage": "pilot",
    "themes": ["T2"],
}


@dataclass(frozen=True)
class Answer:
    title: str
    status: str  # the HTTP status, or the kind of error when there was no answer
    sent: float
    problem_json: bool


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publishers", type=int, default=4)
    parser.add_argument("--requests", type=int, default=20, help="per publisher")
    parser.add_argument("--postgres", default=POSTGRES, help="a server's maintenance database")
    parser.add_argument("--restart", action="store_true", help="restart PostgreSQL half-way")
    parser.add_argument("--cluster", default="15/main", help="VERSION/NAME, for --restart")
    args = parser.parse_args()

    url, drop = throwaway_database(args.postgres)
    server = None
    try:
        token = prepare(url)
        port = str(18000 + uuid.uuid4().int % 1000)
        server = serve(url, port)
        base = f"http://127.0.0.1:{port}/api/v1/organisations/{ORG}"
        wait_for(f"http://127.0.0.1:{port}/api/v1/health")
        answers, window = hammer(base, token, args)
        stored = stored_titles(url)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop()
    return report(answers, stored, window)


def throwaway_database(server_url: str) -> tuple[str, Any]:
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"ecosystem_probe_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        for _ in range(20):  # the server may still be coming back after --restart
            try:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                break
            except Exception:
                time.sleep(0.5)
        admin.dispose()

    return server_url.rsplit("/", 1)[0] + f"/{name}", drop


def prepare(url: str) -> str:
    """Migrate, load the reference data; a publishing token for the organisation."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session:
        load_reference(UnitOfWork(lambda: session, Catalogue()))
        token = issue_token(session, ORG)
        session.commit()
    engine.dispose()
    return token


def serve(url: str, port: str) -> subprocess.Popen[bytes]:
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    env["ECOSYSTEM_EMBEDDING_WORKER"] = "false"  # not what is measured
    env["ECOSYSTEM_WARM_INDEX"] = "0"
    return subprocess.Popen(
        [gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{port}", "api.wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        except OSError:  # not listening yet, or still starting the app
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer at {url}")


def put(url: str, token: str, body: dict[str, Any]) -> tuple[str, bool]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return str(response.status), False
    except urllib.error.HTTPError as error:
        problem = error.headers.get("Content-Type", "").startswith("application/problem+json")
        return str(error.code), problem
    except OSError as error:  # no answer at all: refused, reset, timed out
        return type(error).__name__, False


def hammer(
    base: str, token: str, args: argparse.Namespace
) -> tuple[list[Answer], tuple[float, float] | None]:
    """Every publisher's answers; and when PostgreSQL was restarting, if it was."""
    answers: list[Answer] = []
    lock = threading.Lock()
    start = threading.Barrier(args.publishers + 1)
    half = threading.Event()
    total = args.publishers * args.requests

    def publisher(index: int) -> None:
        start.wait()
        for number in range(args.requests):
            title = f"Probe {index}.{number}"
            card = {**CARD, "title": title}
            if index % 2:
                url, body = f"{base}/portfolio", {"organisation": ORG, "projects": [card]}
            else:
                url, body = f"{base}/projects/P-1", card
            sent = time.monotonic()
            status, problem = put(url, token, body)
            with lock:
                answers.append(Answer(title, status, sent, problem))
                if len(answers) >= total // 2:
                    half.set()

    threads = [threading.Thread(target=publisher, args=(i,)) for i in range(args.publishers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    window = None
    if args.restart:
        half.wait()
        version, name = args.cluster.split("/")
        down = time.monotonic()
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
            check=True,
            capture_output=True,
        )
        window = (down, time.monotonic())
        print(f"PostgreSQL {args.cluster} restarted in {window[1] - window[0]:.1f} s")
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    print(f"{total} requests by {args.publishers} publishers in {elapsed:.1f} s")
    return answers, window


def stored_titles(url: str) -> list[str]:
    """The titles in the shared project's history, oldest first (its numbers checked)."""
    engine = make_engine(url)
    with Session(engine) as session:
        project_id = session.scalar(select(Project.id).where(Project.external_id == "P-1"))
        rows = session.execute(
            select(ProjectRevision.number, ProjectRevision.data)
            .where(ProjectRevision.project_id == project_id)
            .order_by(ProjectRevision.number)
        ).all()
    engine.dispose()
    numbers = [row.number for row in rows]
    if numbers != list(range(1, len(numbers) + 1)):
        print(f"REVISION NUMBERS NOT CONTIGUOUS: {numbers}")
    return [row.data["title"] for row in rows]


def report(answers: list[Answer], stored: list[str], window: tuple[float, float] | None) -> int:
    acknowledged = {a.title for a in answers if a.status in ("200", "201")}
    lost = acknowledged - set(stored)
    refused = [a for a in answers if a.status in ("409", "503")]
    print()
    print(f"{'status':<22}{'all':>6}{'during restart':>16}")
    during = _during(answers, window)
    for status, count in sorted(collections.Counter(a.status for a in answers).items()):
        print(f"{status:<22}{count:>6}{during.get(status, 0) if window else '-':>16}")
    print()
    print(f"{'acknowledged (2xx)':<36}{len(acknowledged):>6}")
    print(f"{'stored revisions':<36}{len(stored):>6}")
    print(f"{'acknowledged but not stored (lost)':<36}{len(lost):>6}")
    print(f"{'stored, not acknowledged':<36}{len(set(stored) - acknowledged):>6}")
    print(f"{'409/503 not problem+json':<36}{sum(not a.problem_json for a in refused):>6}")
    errors = sum(a.status.startswith("5") and a.status != "503" for a in answers)
    return 1 if errors or lost else 0


def _during(answers: list[Answer], window: tuple[float, float] | None) -> dict[str, int]:
    """Statuses of the requests sent while the cluster restarted (and a second after)."""
    if window is None:
        return {}
    down, up = window
    return dict(collections.Counter(a.status for a in answers if down <= a.sent <= up + 1))


if __name__ == "__main__":
    sys.exit(main())
