"""Finding projects (filters, paging) and one project's page: card, history, overlaps, groups."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import EXCLUDE, ValidationError

from api.db import unit_of_work
from api.pages import charts, common, forms, history, i18n, stranding
from api.pages import maps as maps_page
from api.pages.i18n import gettext as _
from api.presenters.overlaps import check_view
from api.presenters.reviews import decision_view
from api.schemas.projects import ProjectQueryArgs, project_query
from ecosystem.errors import NotFound
from ecosystem.labels import RESPONSES
from ecosystem.model import ProjectRecord
from ecosystem.query import ProjectQuery
from ecosystem.reviews import ResponseKind
from ecosystem.services import analyses, decisions, groups, maps, overlaps, projects

__all__ = ["bp", "render_detail"]

bp = Blueprint("projects", __name__)

PER_PAGE = 25
FILTERS = ("q", "theme", "target_group", "area", "stage", "organisation", "group")
OVERLAPS_SHOWN = 10
LIST, MAP = "liste", "kort"  # the two views of one listing (``?vis=``)


@bp.get("/projects")
def search() -> ResponseReturnValue:
    """Projects the reader may see, filtered on one value per dimension, as a list or a map."""
    chosen = {name: request.args.get(name, "").strip() for name in FILTERS}
    view = MAP if request.args.get("vis") == MAP else LIST
    wanted = {name: value for name, value in chosen.items() if value}
    try:
        args = ProjectQueryArgs(unknown=EXCLUDE).load(
            {**wanted, "page": request.args.get("page", "1"), "per_page": PER_PAGE}
        )
        group = _group_filter(chosen["group"])
    except ValidationError as error:
        return _search_page(chosen, view, wanted=wanted, errors=forms.errors_of(error)), 400
    query = project_query(args)
    if group is not None:
        query = replace(query, ids=group.ids)
    if view == MAP:
        drawing, total = _map_of(chosen, wanted, query, group)
        return _search_page(
            chosen, view, wanted=wanted, group=group, drawing=drawing, map_total=total
        )
    found = projects.list_projects(
        unit_of_work(),
        common.principal(),
        query,
        page=args["page"],
        per_page=PER_PAGE,
    )
    paging = common.Paging(found.page, PER_PAGE, found.total)
    # The count spans the chosen organisation, or any organisation at all.
    counted = args.get("organisation") or list(common.reference().organisations)
    return _search_page(
        chosen,
        view,
        records=found.items,
        paging=paging,
        wanted=wanted,
        group=group,
        partial=common.partial_portfolio_note(counted),
    )


@dataclass(frozen=True)
class _GroupFilter:
    """A thematic group whose mandate the listing is narrowed to: its projects, nearest first."""

    name: str
    ids: tuple[int, ...]
    municipalities: frozenset[str]


def _group_filter(group_id: str) -> _GroupFilter | None:
    """The group named by ``?group=``; an unknown one is a field error, as a bad code is."""
    if not group_id:
        return None
    uow = unit_of_work()
    try:
        covered = analyses.group_projects(uow, common.principal(), group_id).covered
        name, inside = maps.group_outline(uow, group_id)
    except NotFound:
        raise ValidationError({"group": [_("There is no thematic group with this id.")]}) from None
    return _GroupFilter(name, tuple(project.id for project, _why in covered), inside)


def _map_of(
    chosen: Mapping[str, str],
    wanted: Mapping[str, str],
    query: ProjectQuery,
    group: _GroupFilter | None,
) -> tuple[charts.MapDrawing, int]:
    """The listing's projects per municipality, each linking to its part of the listing,
    and how many projects the listing holds in all.

    Drawn for the chosen area's (or group's) municipalities alone, enlarged, when the
    listing is narrowed to a part of the country.
    """
    uow = unit_of_work()
    found = maps.municipality_counts(uow, common.principal(), query)
    if chosen["area"]:
        part = maps.outline(uow, chosen["area"])
    else:
        part = group.municipalities if group is not None else frozenset()
    listing: dict[str, Any] = dict(wanted)
    drawing = maps_page.draw(
        found.counts,
        # a municipality leads to its part of the list, which shows the same number
        lambda code: url_for("pages.projects.search", **{**listing, "area": code}),
        _("the projects of this list"),
        only=part,
    )
    return drawing, found.total


def _search_page(
    chosen: dict[str, str],
    view: str,
    *,
    records: list[ProjectRecord] | None = None,
    paging: common.Paging | None = None,
    wanted: Mapping[str, str] | None = None,
    group: _GroupFilter | None = None,
    drawing: charts.MapDrawing | None = None,
    map_total: int = 0,
    errors: forms.FormErrors | None = None,
    partial: str | None = None,
) -> str:
    filters: dict[str, Any] = dict(wanted or {})
    return render_template(
        "pages/projects.html",
        chosen=chosen,
        view=view,
        view_tabs=[
            {
                "name": name,
                "current": key == view,
                "url": url_for(
                    "pages.projects.search", **filters, vis=None if key == LIST else key
                ),
            }
            for key, name in ((LIST, _("List")), (MAP, _("Map")))
        ],
        records=records or [],
        paging=paging,
        group=group,
        drawing=drawing,
        map_total=map_total,
        errors=errors or {},
        partial=partial,
        filtered=bool(filters),
        page_url=lambda page: url_for("pages.projects.search", **{**filters, "page": page}),
        export_query={k: v for k, v in filters.items() if k != "group"},
        themes=common.theme_choices(),
        target_groups=common.target_group_choices(),
        areas=common.area_choices(),
        organisations=common.organisation_choices(),
        stages=common.stage_choices(),
        groups=[common.Choice(g.id, g.name) for g in groups.list_groups(unit_of_work())],
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
