"""The WSGI entry point: ``gunicorn --config python:api.gunicorn_conf api.wsgi:app``.

Every web process runs two things in the background (:func:`start_process_jobs`): the
warm-up, which builds or catches up the overlap engine and the catalogue so that no
request waits for them (``ECOSYSTEM_WARM_INDEX=0`` turns it off), and the embedding job
(``ECOSYSTEM_EMBEDDING_WORKER=false`` turns it off).

With the project's gunicorn settings the arbiter preloads (``GUNICORN_PRELOAD``, on by
default): it imports this module, loads the catalogue and the overlap engine once
(:func:`prepare_to_fork`) and then forks the workers. They start with both in memory and
share those pages with the arbiter and each other until they change them, instead of each
holding a copy of every project (at 100,000 projects, gigabytes per worker). The jobs
start in each worker after the fork (the settings' ``post_worker_init`` hook): no thread
and no database connection may cross a fork.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import time

from flask import Flask

from api import create_app
from api.db import engine_of, new_unit_of_work, warm_in_background
from api.jobs import start_embedding_worker
from ecosystem.services import overlaps

__all__ = ["app", "prepare_to_fork", "start_process_jobs"]

_started_in: int | None = None  # the process whose jobs have started (a fork starts anew)
_starting = threading.Lock()


def start_process_jobs(flask_app: Flask) -> None:
    """Start this process's warm-up and embedding job, once per process."""
    global _started_in
    with _starting:
        if _started_in == os.getpid():
            return
        _started_in = os.getpid()
    if _warm_index():
        warm_in_background(flask_app)
    if flask_app.config.get("EMBEDDING_WORKER", True):
        start_embedding_worker(flask_app)


def prepare_to_fork(flask_app: Flask) -> None:
    """In the arbiter, before the workers fork: load what they will share, let go of what
    they must not inherit.

    The warm-up runs here in the foreground (a failure is logged: each worker then builds
    for itself, as without preloading). The database connections it opened are closed, so
    that no worker inherits a connection another process also uses. The loaded objects are
    frozen out of the garbage collector's sight: a collection in a worker would otherwise
    write to every one of them and so copy every shared page.
    """
    if _warm_index():
        # gunicorn's own log: the arbiter says what it does before it starts listening.
        log, started = logging.getLogger("gunicorn.error"), time.monotonic()
        log.info("Loading the projects and the overlap engine for the workers to share …")
        uow = new_unit_of_work(flask_app)
        try:
            overlaps.warm(uow)
            log.info("Loaded in %.1f s", time.monotonic() - started)
        except Exception:  # logged; each worker builds its own on first use
            flask_app.logger.exception("loading the overlap engine before the fork failed")
        finally:
            uow.close()
    engine_of(flask_app).dispose()
    gc.freeze()


def _warm_index() -> bool:
    return os.environ.get("ECOSYSTEM_WARM_INDEX", "1") != "0"


def _preloading() -> bool:
    """Whether gunicorn's arbiter is importing this module, to fork the workers from."""
    settings = sys.modules.get("api.gunicorn_conf")
    return bool(getattr(settings, "preload_app", False))


app = create_app()
if _preloading():
    prepare_to_fork(app)
else:  # imported in the process that serves: a worker, or a server without our settings
    start_process_jobs(app)
