"""Turn core records into the plain dicts the response schemas dump."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from ecosystem.model import ProjectRecord
from ecosystem.store.reference import organisation_refs

__all__ = ["project_views"]


def project_views(db: Session, records: Sequence[ProjectRecord]) -> list[dict[str, Any]]:
    """The published card plus id, owner, revision and timestamps, for each record."""
    owners = organisation_refs(db, (record.organisation_id for record in records))
    return [
        {
            **record.data,
            "id": record.id,
            "organisation": owners.get(record.organisation_id, {"id": record.organisation_id}),
            "revision": record.revision,
            "withdrawn": record.withdrawn,
            "created_at": record.created_at,
            "updated_at": record.updated_at,
        }
        for record in records
    ]
