"""gunicorn's settings for the service: ``gunicorn -c python:api.gunicorn_conf api.wsgi:app``.

``ecosystem serve`` (and so ``make run``) uses this module; command-line options given
to gunicorn still win over it. From the environment: ``HOST`` and ``PORT`` (where to
listen, default 127.0.0.1:8000), ``WEB_CONCURRENCY`` (workers, default 2),
``GUNICORN_TIMEOUT`` (seconds a worker may spend on one request before it is killed and
replaced, default 120), ``GUNICORN_GRACEFUL_TIMEOUT`` (seconds to finish requests on
a restart, default 30) and ``GUNICORN_PRELOAD`` (default true: the arbiter loads the app,
the catalogue and the overlap engine once and the workers fork from it, sharing that
memory; see :mod:`api.wsgi`. A preloaded app's code is not reloaded on ``HUP``: restart
the service to run new code).

gunicorn refuses malformed or oversized request heads itself, before the app sees them:
a request line over ``limit_request_line`` bytes gets 414, more than
``limit_request_fields`` headers or one over ``limit_request_field_size`` bytes gets 431,
and a malformed request 400. gunicorn offers no setting for those answers' bodies (a
small HTML page); this module replaces its error writer so they are short
``application/problem+json`` like the app's own errors. That uses
``gunicorn.util.write_error``, which is not a documented interface: if a gunicorn version
no longer has it, its HTML answers stay and nothing else changes. Bodies are limited by
the app (``MAX_CONTENT_LENGTH``, 413), not here: gunicorn has no body limit.
"""

from __future__ import annotations

import json
import os
from typing import Any

import gunicorn.util

__all__ = [
    "accesslog",
    "bind",
    "graceful_timeout",
    "keepalive",
    "limit_request_field_size",
    "limit_request_fields",
    "limit_request_line",
    "post_worker_init",
    "preload_app",
    "timeout",
    "workers",
]


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().casefold()
    return default if not value else value not in {"0", "false", "no", "off"}


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = _number("WEB_CONCURRENCY", 2)
# An import of the largest allowed file (20,000 rows) takes tens of seconds; anything
# far longer is stuck, and the worker is better replaced than held.
timeout = _number("GUNICORN_TIMEOUT", 120)
graceful_timeout = _number("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# gunicorn's own defaults, stated so they are seen and kept: no URL of ours (a project
# listing with every filter) comes near 4 KB, and no client needs 100 headers.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
preload_app = _flag("GUNICORN_PRELOAD", True)


def post_worker_init(worker: Any) -> None:
    """In each worker, once the app is loaded: start its background jobs (after the fork,
    which no thread survives)."""
    from api.wsgi import app, start_process_jobs

    start_process_jobs(app)


_CONTENT_TYPE = "application/problem+json"


def problem_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's refusal of a request, as a short problem+json instead of an HTML page."""
    body = json.dumps(
        {"type": "about:blank", "title": reason, "status": status_int, "detail": mesg},
        ensure_ascii=True,
    ).encode("ascii")
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        f"Content-Type: {_CONTENT_TYPE}\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin-1")
    gunicorn.util.write_nonblock(sock, head + body)


# The config module runs in the arbiter before the workers fork, so they inherit this.
if hasattr(gunicorn.util, "write_error") and hasattr(gunicorn.util, "write_nonblock"):
    gunicorn.util.write_error = problem_error
