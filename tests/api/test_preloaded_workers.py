"""Workers forked from a preloading gunicorn arbiter: they share what it loaded, and still
see every publish, embed in the background and answer by meaning.

One gunicorn per database for the module (starting it takes seconds): two workers, the
warm-up and the embedding job on, as ``make run`` serves. The tests run in order: the
later ones build on the publish of the first.
"""

from __future__ import annotations

import http.client
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ecosystem.store.engine import make_engine
from ecosystem.store.tokens import issue_token
from tests.api.test_gunicorn import GUNICORN, ROOT, _free_port, serving
from tests.api.test_overlaps import KOL, KOL_OTHER_WORDS
from tests.builders import load_small_reference, project, publish_in
from tests.conftest import _empty

WORKERS = 2


@dataclass
class Served:
    port: int
    arbiter: int
    token: str  # kommune-aalborg's


@pytest.fixture(scope="module")
def served(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if GUNICORN is None:
        pytest.skip("gunicorn is not installed")
    engine = make_engine(database_url)
    _empty(engine)
    with Session(engine) as db:
        load_small_reference(db)
        publish_in(db, "kommune-aarhus", project("AAR-KOL", **KOL))
        token = issue_token(db, "kommune-aalborg")
        db.commit()
    folders = tmp_path_factory.mktemp("preloaded")
    port = _free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PORT": str(port),
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_PRELOAD": "true",
        "DATABASE_URL": database_url,
        "ECOSYSTEM_VECTOR_SNAPSHOTS": json.dumps(str(folders / "vectors")),
        "ECOSYSTEM_ENGINE_SNAPSHOTS": json.dumps(str(folders / "engine")),
    }
    for name in ("ECOSYSTEM_WARM_INDEX", "ECOSYSTEM_EMBEDDING_WORKER", "ECOSYSTEM_EMBEDDER"):
        environment.pop(name, None)  # as served: warm-up, embedding job and model all on
    try:
        with serving(port, environment, folders / "gunicorn.log") as arbiter:
            yield Served(port, arbiter, token)
    finally:
        _empty(engine)
        engine.dispose()


def _call(served: Served, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """One request on a connection of its own, so that either worker may take it."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {served.token}"}
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


def _check(served: Served) -> dict[str, Any]:
    status, result = _call(
        served, "POST", "/api/v1/overlaps/check", {**KOL, "organisation": "kommune-favrskov"}
    )
    assert status == 200, result
    return result  # type: ignore[no-any-return]


def _workers(arbiter: int) -> list[int]:
    children = Path(f"/proc/{arbiter}/task/{arbiter}/children").read_text().split()
    return [int(pid) for pid in children]


def _memory_kb(pid: int) -> dict[str, int]:
    """The process's memory by kind, from /proc/PID/smaps_rollup (Linux)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, amount = line.split(":", 1)
        values[name] = int(amount.split()[0])
    return values


def test_a_publish_after_the_fork_is_seen_by_every_worker(served):
    assert [m["project"]["external_id"] for m in _check(served)["matches"]] == ["AAR-KOL"]
    status, result = _call(
        served,
        "PUT",
        "/api/v1/organisations/kommune-aalborg/portfolio",
        {"organisation": "kommune-aalborg", "projects": [project("AAL-KOL", **KOL_OTHER_WORDS)]},
    )
    assert status == 200, result
    for _ in range(4 * WORKERS):  # on new connections: both workers answer some
        found = {m["project"]["external_id"] for m in _check(served)["matches"]}
        assert found == {"AAR-KOL", "AAL-KOL"}


def test_the_workers_embed_the_new_project_and_compare_by_meaning(served):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, health = _call(served, "GET", "/api/v1/health")
        assert status == 200, health
        if health["semantic"]["embedded"] == 2 and health["semantic"]["queued"] == 0:
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"the forked workers did not embed the new project: {health['semantic']}")
    for _ in range(2 * WORKERS):
        comparison = _check(served)["comparison"]
        assert comparison["semantic"] is True and comparison["lexical_only"] == 0


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="Linux only")
def test_the_workers_share_the_memory_the_arbiter_loaded(served):
    """Forked from the loaded arbiter, more of a worker's heap is the arbiter's pages (one
    copy for all) than its own, even after it has published, embedded and answered; a
    worker loading for itself holds about twice as much of its own as it shares."""
    workers = _workers(served.arbiter)
    assert len(workers) == WORKERS
    for worker in workers:
        memory = _memory_kb(worker)
        assert memory["Shared_Dirty"] > memory["Private_Dirty"], memory
