"""Liveness: is the service up, is the database reachable, which schema does it have."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy.exc import SQLAlchemyError

from api.db import session
from api.schemas import HealthSchema
from ecosystem.store import migrate, projects

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Drift / Operations")


@blp.route("/health")
@blp.response(200, HealthSchema)
def health() -> Any:
    """Liveness, database reachability and schema revision"""
    engine = current_app.extensions["ecosystem.engine"]
    try:
        revision = migrate.current_revision(engine)
        version = projects.catalog_version(session())
    except SQLAlchemyError:
        body = {"status": "unavailable", "database": "unreachable", "catalog_version": 0}
        return body, 503
    head = migrate.head_revision()
    return {
        "status": "ok" if revision == head else "schema-outdated",
        "database": "ok",
        "schema_revision": revision,
        "schema_head": head,
        "catalog_version": version,
    }
