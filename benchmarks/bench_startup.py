"""Where a worker's start-up goes, and gunicorn's start to first answer with PSS per worker.

Usage::

    .venv/bin/python benchmarks/bench_startup.py [--sizes 10000 30000] [--parts] [--http]
        [--reference REV] [--candidate REV] [--workers 2] [--keep] [--corpus PATH]

Each size is a throwaway PostgreSQL database filled as ``bench_overlap.py`` fills it
(synthetic Danish projects from the real corpus, four organisations, vectors near real
embeddings). ``--keep`` leaves it (named by its size) for the next run to reuse.

``--parts``: one fresh process builds the overlap engine the way a worker does and
answers one check; the time of each part of that (reading the cards for the catalogue
and for the engine, the facts, the lexical build, the vectors, the embedder, the first
check) and the RSS growth beside it. Once without an engine snapshot, once with one.

``--http``: gunicorn (``--workers``, default 2) serving the code at ``--reference REV``
(before, without engine snapshots; exported from git) and today's code (the working
tree, or ``--candidate REV`` exported, so the tree may change while this runs): with an
empty snapshot folder (the first start writes it), then from it with each worker loading
for itself (``GUNICORN_PRELOAD=false``) and preloaded by the arbiter. Measured: the
seconds from spawning the arbiter to the first answered check, and, once every worker has
answered, the arbiter's PSS, each worker's RSS, PSS and USS (the pages only it holds),
and the PSS of all the processes together: what the service takes of the machine. The
vector snapshot folder is primed first so all variants share vectors.

Prints tables and the machine's load average; nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bench_overlap  # noqa: E402

POSTGRES = bench_overlap.POSTGRES
VENV = Path(sys.executable).parent


# ------------------------------------------------------------------ database
def database_url(name: str) -> str:
    return POSTGRES.rsplit("/", 1)[0] + f"/{name}"


def database(size: int, keep: bool) -> tuple[str, Callable[[], None]]:
    """The URL of a filled database of ``size`` projects, and how to drop it."""
    from sqlalchemy import text

    from ecosystem.store.engine import make_engine

    admin = make_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    name = f"ecosystem_startup_{size}" if keep else f"ecosystem_startup_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).scalar()
    url = database_url(name)
    if not exists or not _filled(url, size):
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        fill(url, size)

    def drop() -> None:
        if not keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def _filled(url: str, size: int) -> bool:
    from sqlalchemy import text

    from ecosystem.store.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            projects = connection.execute(text("SELECT count(*) FROM projects")).scalar()
            vectors = connection.execute(text("SELECT count(*) FROM project_vectors")).scalar()
        return projects == size and vectors == size
    except Exception:
        return False
    finally:
        engine.dispose()


def fill(url: str, size: int) -> None:
    """Migrate, seed the reference data, publish ``size`` cards for four organisations and
    store a vector for each (as ``bench_overlap.run_http_and_fts`` does)."""
    from sqlalchemy.orm import Session

    from ecosystem.portfolio import ProjectSchema
    from ecosystem.services.catalogue import Catalogue
    from ecosystem.services.unit_of_work import UnitOfWork
    from ecosystem.store import migrate
    from ecosystem.store.engine import make_engine
    from ecosystem.store.projects import publish
    from seeds import load_reference

    engine = make_engine(url)
    migrate.upgrade(engine)
    cards = [ProjectSchema().load(c) for c in bench_overlap.make_cards(size, seed=size)]
    organisations = ["region-midtjylland", "region-syddanmark", "kommune-aarhus", "kommune-odense"]
    with Session(engine) as session:
        load_reference(UnitOfWork(lambda: session, Catalogue()))
        for index, organisation in enumerate(organisations):
            part = cards[index :: len(organisations)]
            publish(session, organisation, part, actor="bench", full=True)
        session.commit()
    bench_overlap._store_synthetic_vectors(engine)
    engine.dispose()


# ------------------------------------------------------------------ parts
def current_rss_mb() -> float:
    """This process's resident memory now (not the peak)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Parts:
    """Seconds and RSS growth per named part, by wrapping the functions that do them."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.rss_mb: dict[str, float] = {}
        self._depth = 0

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        original = getattr(owner, attribute)
        parts = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            with parts.part(name):
                return original(*args, **kwargs)

        static = isinstance(inspect.getattr_static(owner, attribute), staticmethod)
        setattr(owner, attribute, staticmethod(timed) if static else timed)

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        before, started = current_rss_mb(), time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            grown = current_rss_mb() - before
            self.rss_mb[name] = self.rss_mb.get(name, 0.0) + grown


def parts_child(url: str, vectors: str, snapshots: str) -> dict[str, Any]:
    """One worker's start-up, part by part (run in a fresh process)."""
    parts = Parts()
    started = time.perf_counter()
    with parts.part("import and create the app"):
        from api import create_app

        app = create_app(
            {
                "DATABASE_URL": url,
                "VECTOR_SNAPSHOTS": vectors,
                "ENGINE_SNAPSHOTS": snapshots,
                "EMBEDDING_WORKER": False,
            }
        )
    _wrap_parts(parts)
    from api.db import new_unit_of_work
    from ecosystem.services import overlaps

    draft = bench_overlap.make_cards(1, seed=1)[0]
    with app.app_context():
        uow = new_unit_of_work(app)
        with parts.part("total: warm the engine"):
            overlaps.warm(uow)
        uow.close()
        uow = new_unit_of_work(app)
        from ecosystem.model import Principal

        with parts.part("total: first check"):
            card = {"title": draft["title"], "description": draft["description"]}
            overlaps.check_draft(uow, Principal(), card)
        uow.close()
    total = time.perf_counter() - started
    return {"seconds": parts.seconds, "rss_mb": parts.rss_mb, "total_s": total}


def _wrap_parts(parts: Parts) -> None:
    from ecosystem import matching
    from ecosystem.services import catalogue, overlaps
    from ecosystem.similarity import SimilarityIndex

    store = importlib.import_module("ecosystem.store.catalogue")
    projects = importlib.import_module("ecosystem.store.projects")
    parts.wrap(store, "changed_projects", "catalogue: read cards")
    parts.wrap(catalogue.Catalogue, "_loaded", "catalogue: cards + ProjectInfo")
    if hasattr(store, "cards_with_stamps"):  # today's code reads them so; the reference not
        parts.wrap(store, "cards_with_stamps", "engine: read cards")
        parts.wrap(store, "stamps", "snapshot: check stamps")
    parts.wrap(projects, "changed_since", "engine: read cards (or changes)")
    parts.wrap(matching, "facts_from_record", "engine: facts")
    parts.wrap(SimilarityIndex, "build", "engine: lexical build")
    parts.wrap(catalogue.Catalogue, "_load_vectors", "engine: vectors")
    parts.wrap(catalogue, "load_embedder", "embedder: load model")
    parts.wrap(catalogue.Catalogue, "_freeze", "gc.freeze")
    parts.wrap(matching.OverlapEngine, "columns", "check: columns")
    parts.wrap(matching.OverlapEngine, "fresh_rows", "check: fresh rows")
    embedding = "query_vector" if hasattr(overlaps, "query_vector") else "_embedded"  # older name
    parts.wrap(overlaps, embedding, "check: embed the draft")
    try:  # today's code; the reference has no snapshots
        start = importlib.import_module("ecosystem.services.engine_start")
        files = importlib.import_module("ecosystem.services.engine_snapshot")
    except ImportError:
        return
    parts.wrap(start, "_from_snapshot", "snapshot: look, check stamps, map")
    parts.wrap(files.EngineSnapshots, "load", "snapshot: map arrays, read facts")
    parts.wrap(files.EngineSnapshots, "write", "snapshot: write")


def run_parts(url: str, tree: Path, vectors: str, snapshots: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--parts-child", url, vectors, snapshots]
    command += ["--corpus", str(bench_overlap.CORPUS), "--tree", str(tree)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    output = subprocess.run(
        command, cwd=tree, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


# ------------------------------------------------------------------ HTTP
def run_http(
    url: str, tree: Path, vectors: str, snapshots: str, workers: int, preload: bool
) -> dict[str, Any]:
    """gunicorn over ``tree``: start to first answer, and the memory of each process."""
    port = str(18000 + uuid.uuid4().int % 1000)
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "DATABASE_URL": url,
        "PORT": port,
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_TIMEOUT": "900",
        "GUNICORN_PRELOAD": str(preload).lower(),
        "ECOSYSTEM_EMBEDDING_WORKER": "false",
        "ECOSYSTEM_VECTOR_SNAPSHOTS": vectors,
        "ECOSYSTEM_ENGINE_SNAPSHOTS": snapshots,
    }
    drafts = bench_overlap.make_cards(4 * workers, seed=3)
    spawned = time.perf_counter()
    server = subprocess.Popen(
        [str(VENV / "gunicorn"), "--config", "python:api.gunicorn_conf", "api.wsgi:app"],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        bench_overlap.wait_for(base + "/api/v1/health")
        bench_overlap.post(base, drafts[0])
        first = time.perf_counter() - spawned
        for draft in drafts[1:]:  # every worker answers some before memory is read
            bench_overlap.post(base, draft)
        all_warm = time.perf_counter() - spawned
        memory = bench_overlap.gunicorn_memory_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {"first_answer_s": first, "all_warm_s": all_warm, **memory}


def exported(revision: str) -> Path:
    """The tree at ``revision``, exported from git into a temporary folder."""
    target = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    archive = subprocess.run(
        ["git", "archive", revision], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


# ------------------------------------------------------------------ main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000])
    parser.add_argument("--parts", action="store_true")
    parser.add_argument("--http", action="store_true")
    parser.add_argument("--reference", help="git revision measured as 'before'")
    parser.add_argument(
        "--candidate", help="git revision measured as 'today' (default: the working tree)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--corpus", type=Path, default=bench_overlap.CORPUS)
    parser.add_argument("--parts-child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    bench_overlap.CORPUS = args.corpus
    if args.parts_child:
        sys.path.insert(0, str(args.tree))  # the code measured, before this script's own
        print(json.dumps(parts_child(*args.parts_child)))
        return
    reference = exported(args.reference) if args.reference else None
    today = exported(args.candidate) if args.candidate else ROOT
    for size in args.sizes:
        url, drop = database(size, args.keep)
        try:
            measure(size, url, reference, today, args)
        finally:
            drop()


def measure(
    size: int, url: str, reference: Path | None, today: Path, args: argparse.Namespace
) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    vectors = str(scratch / "vectors")
    print(f"\n## {size:,} projects (load average {os.getloadavg()})", flush=True)
    trees = [("before", reference)] if reference else []
    if args.parts:
        candidate: list[tuple[str, Path | None]] = [("today", today)]
        for label, tree in [*trees, *candidate]:
            assert tree is not None
            for run in ("no snapshot", "from snapshot") if label == "today" else ("build",):
                found = run_parts(url, tree, vectors, str(scratch / f"engine-{label}"))
                print_parts(f"{label}, {run}", found)
    if args.http:
        run_parts(url, today, vectors, "none")  # primes the shared vector snapshot
        engine_snapshots = str(scratch / "engine-http")
        variants = [
            ("before", reference, "none", False),
            ("today, first start (writes the snapshot)", today, engine_snapshots, True),
            ("today, from the snapshot, each worker loads", today, engine_snapshots, False),
            ("today, from the snapshot, preloaded", today, engine_snapshots, True),
        ]
        print(
            "| projects | served | start to first answer s | all workers answered s "
            "| arbiter PSS MB | per worker RSS / PSS / USS MB | all processes PSS MB | load |"
            "\n|---|---|---|---|---|---|---|---|"
        )
        for label, tree, snapshots, preload in variants:
            if tree is None:
                continue
            found = run_http(url, tree, vectors, snapshots, args.workers, preload)
            workers = found["workers"]
            each = ", ".join(f"{m['rss']:.0f} / {m['pss']:.0f} / {m['uss']:.0f}" for m in workers)
            total = found["arbiter"]["pss"] + sum(m["pss"] for m in workers)
            print(
                f"| {size:,} | {label} | {found['first_answer_s']:.1f} "
                f"| {found['all_warm_s']:.1f} | {found['arbiter']['pss']:.0f} | {each} "
                f"| {total:,.0f} | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )


def print_parts(label: str, found: dict[str, Any]) -> None:
    print(f"\n{label}: {found['total_s']:.1f} s from the process's start to the first answer")
    print("| part | s | RSS growth MB |\n|---|---|---|")
    for name, seconds in found["seconds"].items():
        print(f"| {name} | {seconds:.2f} | {found['rss_mb'][name]:.0f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
