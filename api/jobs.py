"""Background work of a web process: the embedding job, then matchmaking.

Every gunicorn worker (and ``make run``'s server) runs one embedding thread: it drains
the queue the publishes fill, finds new matches between consenting organisations'
projects (only when a publish or a consent changed since it last looked, so an idle
service does no work), then waits a moment and looks again. Every few minutes it also
looks whether the shared engine snapshot has fallen far behind the catalogue, and if so
builds it anew (one worker of the host at a time; ecosystem/services/engine_start.py).
On PostgreSQL the workers share the queue safely (leases claimed with ``FOR UPDATE SKIP LOCKED``); on
SQLite they take turns. The thread runs at a lower CPU priority than the requests, so a
backlog never slows the answers. Set ``EMBEDDING_WORKER`` to false to run the job
elsewhere instead (``ecosystem embeddings build``, or a dedicated process).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time

from flask import Flask

from api.db import catalogue_of, new_unit_of_work
from ecosystem.services import embeddings, matches
from ecosystem.services.unit_of_work import UnitOfWork

__all__ = ["start_embedding_worker"]

IDLE_SECONDS = 2.0  # how soon a publish is taken up when the queue was empty
SNAPSHOT_SECONDS = 300.0  # how often it looks whether the engine snapshot fell behind
RETRY_SECONDS = 30.0  # after a failure (database away, model missing)
NICENESS = 10


def start_embedding_worker(app: Flask) -> threading.Event:
    """Start the thread; setting the returned event stops it after the current batch."""
    stop = threading.Event()
    thread = threading.Thread(target=_run, args=(app, stop), name="embedding-job", daemon=True)
    thread.start()
    return stop


def _run(app: Flask, stop: threading.Event) -> None:
    with contextlib.suppress(OSError, AttributeError):  # lower this thread only (Linux)
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
    owner = f"{socket.gethostname()}:{os.getpid()}"

    def new() -> embeddings.UnitOfWork:
        return new_unit_of_work(app)

    looked_at: object = None  # what the last matchmaking refresh saw
    snapshot_looked = time.monotonic()  # the warm-up has just written or read one
    while not stop.is_set():
        try:
            with new() as uow:
                embeddings.request_missing(uow)  # after a model change, or vectors lost
            embeddings.drain(new, owner, stop=stop)
            looked_at = _refresh_matches(new(), looked_at)
            if time.monotonic() - snapshot_looked > SNAPSHOT_SECONDS:
                snapshot_looked = time.monotonic()
                catalogue_of(app).rewrite_engine_snapshot(app.extensions["ecosystem.sessions"])
        except Exception:  # logged; the job tries again shortly
            app.logger.exception("the embedding job failed; retrying")
            stop.wait(RETRY_SECONDS)
            continue
        stop.wait(IDLE_SECONDS)


def _refresh_matches(uow: UnitOfWork, looked_at: object) -> object:
    """Find new matches after the queue drained (vectors ready), if anything changed."""
    try:
        key = matches.refresh_key(uow)
        if key != looked_at:
            uow.run(matches.refresh)
        return key
    finally:
        uow.close()
