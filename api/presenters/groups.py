"""Groups as the API shows them: the group, a project reference, routing, a group's projects.

Every list leads with the projects and the reasons; counts only come alongside, in
``summary``. The gap and candidate views are in :mod:`api.presenters.analyses`, the balance in
:mod:`api.presenters.balance`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.presenters.projects import project_views, revision_views
from ecosystem.groups import Coverage, Group, Mandate, ProjectInfo, Reference, group_to_document
from ecosystem.labels import REACH, STAGES, in_danish
from ecosystem.services.analyses import GroupProjects, Routing
from ecosystem.services.groups import GroupDetail
from ecosystem.tabular import Column, Table

__all__ = [
    "group_detail",
    "group_out",
    "group_projects_table",
    "group_projects_view",
    "mandate_document",
    "organisation_ref",
    "project_ref",
    "routing_table",
    "routing_view",
]


def group_out(group: Group) -> dict[str, Any]:
    return {
        **group_to_document(group),
        "revision": group.revision,
        "created_at": group.created_at,
        "updated_at": group.updated_at,
    }


def group_detail(found: GroupDetail) -> dict[str, Any]:
    return {**group_out(found.group), "revisions": revision_views(found.revisions)}


def mandate_document(mandate: Mandate) -> dict[str, Any]:
    return {
        "themes": list(mandate.themes),
        "target_groups": list(mandate.target_groups),
        "areas": list(mandate.areas),
        "goal_sets": list(mandate.goal_sets),
        "goals": list(mandate.goals),
        "level": mandate.level.value,
    }


def organisation_ref(organisation_id: str | None, reference: Reference) -> dict[str, str] | None:
    if organisation_id is None:
        return None
    organisation = reference.organisation(organisation_id)
    return {"id": organisation.id, "name": organisation.name, "kind": organisation.kind}


def project_ref(project: ProjectInfo, reference: Reference) -> dict[str, Any]:
    """A project as the analyses name it: enough to recognise it and find its card."""
    card = project.record.card
    return {
        "id": project.id,
        "external_id": project.record.external_id,
        "title": project.title,
        "stage": project.stage.value,
        "organisation": organisation_ref(project.organisation_id, reference),
        "themes": list(card.themes),
        "target_groups": list(card.target_groups),
        "areas": list(card.areas),
    }


def coverage_view(coverage: Coverage, reference: Reference) -> dict[str, Any]:
    reasons = coverage.reasons(reference)
    return {
        "reach": coverage.reach.value,
        "reasons": [r.da for r in reasons],
        "reasons_en": [r.en for r in reasons],
    }


# --- routing -------------------------------------------------------------------------------


def routing_view(found: Routing, limit: int) -> dict[str, Any]:
    """The projects no group covers and those several do (each list cut at ``limit``)."""
    report, reference = found.report, found.found.reference
    names = {g.id: g.name for g in found.groups}
    uncovered = [
        {
            "project": project_ref(found.found.by_id[i], reference),
            "reason": "Intet gruppemandat dækker projektets temaer, målgrupper og område.",
            "reason_en": "No group's mandate covers the project's themes, target groups and area.",
        }
        for i in report.uncovered[:limit]
    ]
    several = [
        {
            "project": project_ref(found.found.by_id[i], reference),
            "groups": [
                {"id": group_id, "name": names[group_id], **coverage_view(coverage, reference)}
                for group_id, coverage in covering
            ],
        }
        for i, covering in list(report.several.items())[:limit]
    ]
    return {
        "uncovered": uncovered,
        "several": several,
        "groups": [
            {"id": g.id, "name": g.name, "projects": len(report.by_group[g.id])}
            for g in found.groups
        ],
        "summary": {
            "active_projects": len(found.found.projects),
            "uncovered": len(report.uncovered),
            "several": len(report.several),
            "listed": limit,
        },
    }


def routing_table(view: dict[str, Any], which: str) -> Table:
    """One of the routing view's lists, ``uncovered`` or ``several``, as a table."""
    rows = [
        {
            "title": item["project"]["title"],
            "organisation": item["project"]["organisation"]["name"],
            "stage": item["project"]["stage"],
            "groups": [g["name"] for g in item.get("groups", [])],
            "reach": [f"{g['id']}: {g['reach']}" for g in item.get("groups", [])],
            "id": item["project"]["id"],
        }
        for item in view[which]
    ]
    columns = [
        Column("title", "Projekt", "Project"),
        Column("organisation", "Organisation", "Organisation"),
        Column("stage", "Fase", "Stage", names=in_danish(STAGES)),
        Column("groups", "Grupper", "Groups"),
        Column("reach", "Rækkevidde", "Reach"),
        Column("id", "Projekt-id", "Project id"),
    ]
    title = "Uden gruppe" if which == "uncovered" else "Flere grupper"
    return Table(title, columns, rows)


# --- a group's projects --------------------------------------------------------------------


def group_projects_view(found: GroupProjects, page: int, per_page: int) -> dict[str, Any]:
    """One page of the covered projects' whole cards, each with its coverage."""
    start = (page - 1) * per_page
    shown = found.covered[start : start + per_page]
    views = project_views(found.cards, found.organisations)
    for view, (_, coverage) in zip(views, shown, strict=True):
        view["coverage"] = coverage_view(coverage, found.reference)
    return {"items": views, "page": page, "per_page": per_page, "total": len(found.covered)}


def group_projects_table(found: GroupProjects) -> Table:
    return _projects_table(found.covered, found.reference)


def _projects_table(covered: Sequence[tuple[ProjectInfo, Coverage]], reference: Reference) -> Table:
    rows = [
        {
            **project_ref(p, reference),
            "organisation": reference.organisation(p.organisation_id).name,
            "reach": c.reach.value,
            "reasons": [r.da for r in c.reasons(reference)],
        }
        for p, c in covered
    ]
    columns = [
        Column("title", "Projekt", "Project"),
        Column("organisation", "Organisation", "Organisation"),
        Column("stage", "Fase", "Stage", names=in_danish(STAGES)),
        Column("reasons", "Hvorfor i mandatet", "Why in the mandate"),
        Column("reach", "Rækkevidde", "Reach", names=in_danish(REACH)),
        Column("themes", "Temaer", "Themes", names=lambda c: reference.theme_label(c).da),
        Column(
            "target_groups",
            "Målgrupper",
            "Target groups",
            names=lambda c: reference.target_group_label(c).da,
        ),
        Column("areas", "Områder", "Areas", names=lambda c: reference.area_label(c).da),
        Column("id", "Projekt-id", "Project id"),
    ]
    return Table("Projekter", columns, rows)
