"""Finding projects (filters, paging) and one project's page: card, history, overlaps, groups."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import EXCLUDE, ValidationError
from sqlalchemy.orm import Session

from api.db import session
from api.overlap_engine import engine, visible_to
from api.overlap_views import check_view
from api.pages import common, forms, history
from api.presenters.reviews import decision_view
from api.schemas.projects import ProjectQueryArgs, project_query
from ecosystem.errors import NotFound
from ecosystem.groups import ProjectInfo, Scope
from ecosystem.model import Principal, ProjectRecord
from ecosystem.store import groups as group_store
from ecosystem.store import projects
from ecosystem.store.reviews import decisions_for_project

__all__ = ["bp"]

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
        session(), project_query(args), common.principal(), page=args["page"], per_page=PER_PAGE
    )
    paging = common.Paging(found.page, PER_PAGE, found.total)
    return _search_page(chosen, records=found.items, paging=paging, wanted=wanted)


def _search_page(
    chosen: dict[str, str],
    *,
    records: list[ProjectRecord] | None = None,
    paging: common.Paging | None = None,
    wanted: dict[str, str] | None = None,
    errors: forms.FormErrors | None = None,
) -> str:
    filters: dict[str, Any] = dict(wanted or {})
    return render_template(
        "pages/projects.html",
        chosen=chosen,
        records=records or [],
        paging=paging,
        errors=errors or {},
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
    db, who = session(), common.principal()
    record = projects.get_project(db, project_id, who)
    return render_template(
        "pages/project.html",
        record=record,
        data=record.data,
        history=history.entries(projects.revisions(db, project_id)),
        overlaps=None if record.withdrawn else _overlaps(db, who, project_id),
        groups=_groups(db, record),
        links=_links(db, record),
        decisions=[decision_view(d) for d in decisions_for_project(db, project_id, who)],
        may_edit=who.can_write_for(record.organisation_id),
    )


def _overlaps(db: Session, who: Principal, project_id: int) -> dict[str, Any] | None:
    current = engine(db)
    facts = current.facts.get(project_id)
    if facts is None:
        return None
    found = current.check(facts, limit=OVERLAPS_SHOWN, visible=visible_to(who))
    return check_view(db, current, found)


def _groups(db: Session, record: ProjectRecord) -> list[dict[str, Any]]:
    """The thematic groups whose mandate covers the project, each with why."""
    reference = common.reference()
    info = ProjectInfo.of(record, reference)
    covering = []
    for group in group_store.list_groups(db):
        coverage = Scope(group.mandate, reference).cover(info)
        if coverage is not None:
            covering.append({"group": group, "reasons": coverage.reasons(reference)})
    return covering


def _links(db: Session, record: ProjectRecord) -> list[dict[str, Any]]:
    """The card's typed links, with the linked project's page where it exists."""
    found = []
    for link in record.data.get("links", []):
        try:
            target: int | None = projects.project_id_for(
                db, link["organisation"], link["external_id"]
            )
        except NotFound:
            target = None
        found.append({**link, "project_id": target})
    return found
