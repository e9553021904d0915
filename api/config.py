"""Configuration defaults; the environment and the factory's mapping override them."""

from __future__ import annotations

import os
from typing import Any

__all__ = ["DEFAULTS", "from_environment"]

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
}


def from_environment() -> dict[str, Any]:
    """Settings taken from plain environment variables (``DATABASE_URL``)."""
    settings: dict[str, Any] = {}
    if os.environ.get("DATABASE_URL"):
        settings["DATABASE_URL"] = os.environ["DATABASE_URL"]
    return settings
