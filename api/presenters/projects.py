"""Projects as the API shows them: the published card plus id, owner, revision and times."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ecosystem.groups import OrganisationInfo
from ecosystem.model import ProjectRecord, Revision
from ecosystem.services.projects import ProjectDetail, ProjectList

__all__ = [
    "organisation_ref",
    "project_detail",
    "project_list",
    "project_view",
    "project_views",
    "revision_views",
]


def organisation_ref(organisation: OrganisationInfo) -> dict[str, str]:
    return {"id": organisation.id, "name": organisation.name, "kind": organisation.kind}


def project_view(record: ProjectRecord, owner: OrganisationInfo | None) -> dict[str, Any]:
    return {
        **record.data,
        "id": record.id,
        "organisation": organisation_ref(owner) if owner else {"id": record.organisation_id},
        "revision": record.revision,
        "withdrawn": record.withdrawn,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def project_views(
    records: Iterable[ProjectRecord], organisations: Mapping[str, OrganisationInfo]
) -> list[dict[str, Any]]:
    return [project_view(r, organisations.get(r.organisation_id)) for r in records]


def project_list(found: ProjectList) -> dict[str, Any]:
    return {
        "items": project_views(found.items, found.organisations),
        "page": found.page,
        "per_page": found.per_page,
        "total": found.total,
    }


def project_detail(found: ProjectDetail) -> dict[str, Any]:
    return {
        **project_view(found.project, found.organisation),
        "revisions": revision_views(found.revisions),
    }


def revision_views(revisions: Iterable[Revision]) -> list[dict[str, Any]]:
    """A history as ``RevisionSchema`` dumps it (projects and groups alike)."""
    return [dict(vars(revision)) for revision in revisions]
