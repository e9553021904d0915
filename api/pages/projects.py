"""Finding projects (filters, paging) and one project's page: card, history, overlaps, groups."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import EXCLUDE, ValidationError

from api.db import unit_of_work
from api.pages import common, forms, history, i18n, stranding
from api.presenters.overlaps import check_view
from api.presenters.reviews import decision_view
from api.schemas.projects import ProjectQueryArgs, project_query
from ecosystem.labels import RESPONSES
from ecosystem.model import ProjectRecord
from ecosystem.reviews import ResponseKind
from ecosystem.services import decisions, overlaps, projects

__all__ = ["bp", "render_detail"]

bp = Blueprint("projects", __name__)

PER_PAGE = 25
FILTERS = ("q", "theme", "target_group", "area", "stage", "organisation")
OVERLAPS_SHOWN = 10


@bp.get("/projects")
def search() -> ResponseReturnValue:
    """Projects the reader may see, filtered on one value per dimension."""
    chosen = {name: request.args.get(name, "").strip() for name in FILTERS}
    wanted = {name: value for name, value in chosen.items() if value}
    try:
        args = ProjectQueryArgs(unknown=EXCLUDE).load(
            {**wanted, "page": request.args.get("page", "1"), "per_page": PER_PAGE}
        )
    except ValidationError as error:
        return _search_page(chosen, errors=forms.errors_of(error)), 400
    found = projects.list_projects(
        unit_of_work(),
        common.principal(),
        project_query(args),
        page=args["page"],
        per_page=PER_PAGE,
    )
    paging = common.Paging(found.page, PER_PAGE, found.total)
    # The count spans the chosen organisation, or any organisation at all.
    counted = args.get("organisation") or list(common.reference().organisations)
    return _search_page(
        chosen,
        records=found.items,
        paging=paging,
        wanted=wanted,
        partial=common.partial_portfolio_note(counted),
    )


def _search_page(
    chosen: dict[str, str],
    *,
    records: list[ProjectRecord] | None = None,
    paging: common.Paging | None = None,
    wanted: dict[str, str] | None = None,
    errors: forms.FormErrors | None = None,
    partial: str | None = None,
) -> str:
    filters: dict[str, Any] = dict(wanted or {})
    return render_template(
        "pages/projects.html",
        chosen=chosen,
        records=records or [],
        paging=paging,
        errors=errors or {},
        partial=partial,
        filtered=bool(filters),
        page_url=lambda page: url_for("pages.projects.search", **{**filters, "page": page}),
        export_query=filters,
        themes=common.theme_choices(),
        target_groups=common.target_group_choices(),
        areas=common.area_choices(),
        organisations=common.organisation_choices(),
        stages=common.stage_choices(),
    )


@bp.get("/projects/<int:project_id>")
def detail(project_id: int) -> ResponseReturnValue:
    """The card, what changed when, who else does something like it, and its groups."""
    return render_detail(project_id)


def render_detail(project_id: int, *, failed: dict[str, Any] | None = None) -> str:
    """The project's page; ``failed`` is an answer form sent back with its errors."""
    uow, who = unit_of_work(), common.principal()
    found = projects.get_project(uow, who, project_id)
    record = found.project
    return render_template(
        "pages/project.html",
        record=record,
        data=record.data,
        history=history.entries(found.revisions),
        overlaps=None if record.withdrawn else _overlaps(project_id),
        groups=projects.groups_covering(uow, record),
        links=_links(record),
        stranding=stranding.warning(record),
        stranding_heading=stranding.heading(),
        decisions=_decisions(project_id),
        may_edit=who.can_write_for(record.organisation_id),
        failed=failed or {"decision": None, "organisation": None, "sent": {}, "errors": {}},
        response_kinds=[(r.value, i18n.label(RESPONSES[r.value])) for r in ResponseKind],
    )


def _overlaps(project_id: int) -> dict[str, Any] | None:
    found = overlaps.published_overlaps(
        unit_of_work(), common.principal(), project_id, limit=OVERLAPS_SHOWN
    )
    return None if found is None else check_view(found)


def _links(record: ProjectRecord) -> list[dict[str, Any]]:
    """The card's typed links, with the linked project's page where it exists."""
    targets = projects.linked_project_ids(unit_of_work(), record)
    return [
        {**link.to_data(), "project_id": target}
        for link, target in zip(record.card.links, targets, strict=True)
    ]


def _decisions(project_id: int) -> list[dict[str, Any]]:
    """The groups' decisions the reader may see, each with the owners the reader answers for."""
    who = common.principal()
    found = decisions.project_decisions(unit_of_work(), who, project_id)
    return [
        {
            **decision_view(decision),
            "answer_as": [org for org in decision.owners if who.can_write_for(org)],
        }
        for decision in found
    ]
