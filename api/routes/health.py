"""Liveness: is the service up, is the database reachable, which schema does it have."""

from __future__ import annotations

from typing import Any

from api.db import unit_of_work
from api.parsing import Blueprint
from api.schemas.operations import HealthSchema
from ecosystem.services import embeddings, operations

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Drift / Operations")


@blp.route("/health")
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database is not reachable")
def health() -> Any:
    """Liveness, database reachability and schema revision"""
    found = operations.health(unit_of_work())
    if not found.database_reachable:
        return {"status": found.status, "database": "unreachable", "catalog_version": 0}, 503
    semantic = embeddings.status(unit_of_work())
    return {
        "status": found.status,
        "database": "ok",
        "schema_revision": found.schema_revision,
        "schema_head": found.schema_head,
        "catalog_version": found.catalog_version,
        "semantic": {
            "available": semantic.available,
            "model": semantic.model_id,
            "problem": semantic.problem,
            "embedded": semantic.embedded,
            "queued": semantic.queued,
            "in_progress": semantic.in_progress,
        },
    }
