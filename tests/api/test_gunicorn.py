"""The service under real gunicorn with api/gunicorn_conf.py: its limits and answers."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = shutil.which("gunicorn", path=os.path.dirname(sys.executable))
MAX_BODY = 2_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_listening(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not start listening within 60 s")


@pytest.fixture(scope="module")
def served(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """gunicorn with the project's config on a free port (one worker, no background jobs).

    Started once per database for the module: starting takes seconds, and no test here
    writes anything.
    """
    if GUNICORN is None:
        pytest.skip("gunicorn is not installed")
    port = _free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),  # this checkout's code, not an installed copy
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": database_url,
        "ECOSYSTEM_WARM_INDEX": "0",
        "ECOSYSTEM_EMBEDDING_WORKER": "false",
        "ECOSYSTEM_EMBEDDER": '"none"',
        "ECOSYSTEM_MAX_CONTENT_LENGTH": str(MAX_BODY),
    }
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with serving(port, environment, log):
        yield port


@contextmanager
def serving(port: int, environment: dict[str, str], log: Path) -> Iterator[int]:
    """gunicorn with the project's settings, listening on ``port``; its pid. Stopped after."""
    assert GUNICORN is not None
    with log.open("wb") as output:
        server = subprocess.Popen(
            [GUNICORN, "--config", "python:api.gunicorn_conf", "api.wsgi:app"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_listening(port, server, log)
            yield server.pid
        finally:
            server.terminate()
            server.wait(timeout=30)


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_a_too_long_request_line_gets_a_small_problem_and_health_still_works(served):
    answer = _raw(
        served, b"GET /api/v1/projects?q=" + b"a" * 5_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414 URI Too Long")
    assert b"Content-Type: application/problem+json" in head
    assert len(answer) < 400
    problem = json.loads(body)
    assert problem["status"] == 414 and "Request Line is too large" in problem["detail"]

    health = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    health.request("GET", "/api/v1/health")
    response = health.getresponse()
    assert response.status == 200
    assert json.loads(response.read())["status"] == "ok"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    health.close()


def test_too_many_headers_get_431(served):
    headers = b"".join(b"X-H%d: v\r\n" % n for n in range(150))
    answer = _raw(served, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large")
    assert len(answer) < 400


def test_a_chunked_body_over_the_limit_gets_413_through_gunicorn(served):
    connection = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    chunks = iter([b'{"organisation": "kommune-aarhus", "projects": [', b" " * MAX_BODY, b"]}"])
    connection.request(
        "PUT",
        "/api/v1/organisations/kommune-aarhus/portfolio",
        body=chunks,
        headers={"Content-Type": "application/json", "Authorization": "Bearer nope"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    assert response.status == 413
    assert response.getheader("Content-Type") == "application/problem+json"
    assert f"{MAX_BODY:,} bytes" in json.loads(response.read())["detail"]
    connection.close()
