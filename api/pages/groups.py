"""Thematic groups: the list, and one group's overview for its quarterly meeting.

The overview leads with projects and reasons (DOMAIN.md §2: a lighthouse, not a control
tower): every chart links to the projects behind each mark, and every list names them.
The analyses are the group API's (:mod:`ecosystem.services.analyses`, shown with the same
presenters); the slice is loaded once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue

from api.db import unit_of_work
from api.pages import charts, common, i18n, register, stranding, vocabulary
from api.pages.goals import group_summary
from api.pages.i18n import gettext as _
from api.pages.i18n import ngettext
from api.presenters.analyses import candidate_view, gap_view, opted_out_view
from api.presenters.discuss import to_discuss_view
from ecosystem.balance import Balance, Quadrant, quadrant_of
from ecosystem.clusters import Cluster
from ecosystem.gaps import Cell, GapReport
from ecosystem.groups import Group, ProjectInfo, Slice
from ecosystem.model import Stage
from ecosystem.reviews import gaps_by_importance
from ecosystem.services import analyses, groups
from ecosystem.services.reviews import ReviewRecord

__all__ = ["bp", "render_overview"]

bp = Blueprint("groups", __name__)

CANDIDATES_SHOWN = 10
CLUSTERS_DRAWN = 6
CLUSTERS_LISTED = 20


@bp.get("/groups")
def index() -> ResponseReturnValue:
    return render_template("pages/groups.html", groups=groups.list_groups(unit_of_work()))


@bp.get("/groups/<group_id>")
def overview(group_id: str) -> ResponseReturnValue:
    """Value × risk, pipeline, coverage, gaps, scaling candidates and overlap clusters."""
    return render_overview(group_id)


def render_overview(group_id: str, *, fravalg: Mapping[str, Any] | None = None) -> str:
    """The page; ``fravalg``: a refused "fravalgt" form, shown again with its errors."""
    found = analyses.group_overview(
        unit_of_work(),
        common.principal(),
        group_id,
        candidates_shown=CANDIDATES_SHOWN,
        clusters_listed=CLUSTERS_LISTED,
    )
    group, shown = found.group, found.candidates.found
    return render_template(
        "pages/group.html",
        group=group,
        mandate=_mandate(group),
        value_risk=_value_risk(found.balance, shown),
        pipeline=_pipeline(found.balance, shown),
        coverage=_coverage(found.gaps, shown),
        gaps=[
            _with_demo(gap_view(gap, shown), shown) for gap in gaps_by_importance(found.gaps.gaps)
        ],
        candidates=[
            _with_demo(candidate_view(c, shown), shown) for c in found.candidates.candidates
        ],
        candidates_total=found.candidates.total,
        clusters=_clusters(found.clusters, shown),
        has_demo=group.demo or any(p.record.card.demo for p in shown.projects),
        leads_reviews=common.leads_reviews(group),
        stranding=stranding.listed(p.record for p in found.own),
        partial=common.partial_portfolio_note(p.organisation_id for p in found.own),
        stranding_heading=stranding.heading(),
        to_discuss=to_discuss_view(found.to_discuss.items),
        discuss_since=_discuss_since(found.to_discuss.since),
        map_url=_map_url(group),
        opted_out=[
            _with_demo(opted_out_view(o, shown), shown) for o in found.gaps.deliberately_not
        ],
        register=register.section("group", group.id, fravalg),
        goal_picture=group_summary(group.id),
    )


def _map_url(group: Group) -> str:
    """The municipality map with the mandate outlined (on its theme, when it has one)."""
    themes = group.mandate.themes
    theme = themes[0] if len(themes) == 1 else None
    return url_for("pages.maps.coverage_map", group=group.id, theme=theme)


def _discuss_since(review: ReviewRecord | None) -> str:
    """What "new" is measured against: the group's last review, or nothing before the first."""
    if review is None:
        return _("The group has no review yet, so every overlap counts as new.")
    return _("New means since the review %(title)s.", title=review.title)


def _mandate(group: Group) -> dict[str, Any]:
    mandate = group.mandate
    levels = {
        "advise": _("advises"),
        "prioritise": _("prioritises"),
        "allocate": _("allocates funds"),
    }
    return {
        "themes": [common.theme_name(t) for t in mandate.themes] or [_("every theme")],
        "target_groups": [common.target_group_name(t) for t in mandate.target_groups],
        "areas": [common.area_name(a) for a in mandate.areas] or [common.area_name("DK")],
        "level": levels.get(mandate.level.value, mandate.level.value),
        "coordinators": [common.organisation_name(o) for o in group.coordinators],
        "members": [common.organisation_name(m.organisation) for m in group.members],
    }


def _ref(project: ProjectInfo) -> dict[str, Any]:
    return {
        "id": project.id,
        "title": project.title,
        "organisation": {
            "id": project.organisation_id,
            "name": common.organisation_name(project.organisation_id),
        },
        "stage": project.stage.value,
        "demo": project.record.card.demo,
    }


def _with_demo(view: Any, found: Slice) -> Any:
    """The analyses' project references, each marked when it is a fictional demo project."""
    if isinstance(view, list):
        return [_with_demo(item, found) for item in view]
    if not isinstance(view, dict):
        return view
    marked = {key: _with_demo(value, found) for key, value in view.items()}
    if "title" in view and "stage" in view and view.get("id") in found.by_id:
        marked["demo"] = found.by_id[view["id"]].record.card.demo
    return marked


def _project_url(project_id: int) -> str:
    return url_for("pages.projects.detail", project_id=project_id)


# --- value × risk ----------------------------------------------------------------------------


def _quadrant_names() -> dict[str, str]:
    return {q.value: i18n.label(q.label) for q in Quadrant}


def _value_risk(balance: Balance, found: Slice) -> dict[str, Any]:
    names = _quadrant_names()
    rows = _assessed_rows(balance, found, names)
    bubbles = [_bubble(row) for row in rows]
    rows.sort(key=lambda r: (-r["value"], r["risk"], r["title"]))
    words = charts.BubbleWords(
        title=_("Value × risk of the group's active projects"),
        description=_describe_quadrants(balance, names),
        value_axis=_("Value"),
        risk_axis=_("Risk"),
        low=_("low"),
        high=_("high"),
        quadrants=names,
    )
    return {
        "chart": charts.bubble_chart(bubbles, words) if bubbles else None,
        "rows": rows,
        "not_assessed": [_ref(found.by_id[i]) for i in balance.not_assessed],
        "quadrants": [
            {
                "name": names[share.key],
                "description": i18n.label(Quadrant(share.key).description),
                "count": len(share.projects),
            }
            for share in balance.quadrants
        ],
        "stages": sorted({row["stage"] for row in rows}, key=lambda s: Stage(s).rank),
    }


def _assessed_rows(balance: Balance, found: Slice, names: dict[str, str]) -> list[dict[str, Any]]:
    """The active projects whose owners judged value and risk, in the balance's order."""
    rows = []
    for project_id in balance.active:
        project = found.by_id[project_id]
        card = project.record.card
        quadrant = quadrant_of(card.value_score, card.risk_score)
        if quadrant is None:
            continue
        rows.append(
            {
                **_ref(project),
                "value": card.value_score,
                "risk": card.risk_score,
                "budget": card.budget_dkk,
                "quadrant": names[quadrant.value],
            }
        )
    return rows


def _bubble(row: dict[str, Any]) -> charts.Bubble:
    budget = i18n.money(row["budget"]) if row["budget"] is not None else _("budget not given")
    name = _(
        "%(title)s (%(organisation)s): %(stage)s; value %(value)s, risk %(risk)s; %(budget)s",
        title=row["title"],
        organisation=row["organisation"]["name"],
        stage=common.stage_name(row["stage"]),
        value=row["value"],
        risk=row["risk"],
        budget=budget,
    )
    if row["demo"]:
        name = f"{name} – {_('Fictional demo project')}"
    return charts.Bubble(
        name=name,
        url=_project_url(row["id"]),
        value=row["value"],
        risk=row["risk"],
        budget=row["budget"],
        colour=vocabulary.STAGE_COLOURS.get(row["stage"], "#999999"),
    )


def _describe_quadrants(balance: Balance, names: dict[str, str]) -> str:
    counts = ", ".join(f"{names[s.key]}: {len(s.projects)}" for s in balance.quadrants)
    return _(
        "Projects placed by their owners' judgement of value and risk. %(counts)s. "
        "Not assessed: %(missing)s.",
        counts=counts,
        missing=len(balance.not_assessed),
    )


# --- the stage pipeline ------------------------------------------------------------------------


def _pipeline(balance: Balance, found: Slice) -> dict[str, Any]:
    stages = []
    bars = []
    for share in balance.pipeline:
        name = i18n.label(share.label)
        count = len(share.projects)
        stages.append(
            {
                "key": share.key,
                "name": name,
                "projects": [_ref(found.by_id[i]) for i in share.projects],
            }
        )
        bars.append(
            charts.Bar(
                label=name,
                count=count,
                url=f"#stage-{share.key}",
                colour=vocabulary.STAGE_COLOURS.get(Stage(share.key), "#999999"),
                name=ngettext(
                    "%(stage)s: %(num)d project", "%(stage)s: %(num)d projects", count, stage=name
                ),
            )
        )
    description = "; ".join(bar.name for bar in bars)
    return {
        "chart": charts.bar_chart(bars, _("The group's projects by stage"), description),
        "stages": stages,
        "notes": [i18n.label(note) for note in balance.pipeline_notes],
    }


# --- coverage: themes × areas -----------------------------------------------------------------


def _coverage(report: GapReport, found: Slice) -> dict[str, Any]:
    matrix = report.theme_area
    rows = [(code, common.theme_name(code)) for code in matrix.rows]
    columns = [(code, common.area_name(code)) for code in matrix.columns]
    cells: dict[tuple[str, str], charts.HeatCell] = {}
    listed = []
    for cell in matrix.cells:
        heat, item = _coverage_cell(cell, found)
        cells[(cell.theme, cell.column)] = heat
        listed.append(item)
    description = _(
        "Active projects on each of the mandate's themes in each area, weighted by stage "
        "(an idea counts a quarter, implementation and operation count one). The table below "
        "lists the same numbers and the projects."
    )
    return {
        "chart": charts.heat_map(rows, columns, cells, _("Coverage: themes × areas"), description),
        "rows": rows,
        "columns": columns,
        "cells": {(item["theme"], item["column"]): item for item in listed},
        "listed": [item for item in listed if item["projects"] or item["national"]],
    }


def _coverage_cell(cell: Cell, found: Slice) -> tuple[charts.HeatCell, dict[str, Any]]:
    """One theme × area cell: its mark on the heat map, and its entry in the table below."""
    statuses = {"none": _("none"), "thin": _("thin"), "covered": _("covered")}
    anchor = f"cell-{cell.theme}-{cell.column}".replace(".", "-")
    where = _(
        "%(theme)s in %(area)s",
        theme=common.theme_name(cell.theme),
        area=common.area_name(cell.column),
    )
    count = len(cell.projects)
    heat = charts.HeatCell(
        count=count,
        weight=cell.weight,
        status=cell.status.value,
        url=f"#{anchor}",
        name=ngettext(
            "%(where)s: %(num)d project", "%(where)s: %(num)d projects", count, where=where
        )
        + f" ({statuses[cell.status.value]})",
    )
    item = {
        "anchor": anchor,
        "where": where,
        "status": statuses[cell.status.value],
        "theme": cell.theme,
        "column": cell.column,
        "projects": [_ref(found.by_id[i]) for i in cell.projects if i in found.by_id],
        "national": [_ref(found.by_id[i]) for i in cell.national if i in found.by_id],
    }
    return heat, item


# --- overlap clusters -----------------------------------------------------------------------------


def _clusters(found_clusters: Sequence[Cluster], found: Slice) -> dict[str, Any]:
    """Groups of projects doing the same thing that involve the group's projects."""
    drawn = [_drawing(cluster, found) for cluster in found_clusters[:CLUSTERS_DRAWN]]
    description = _(
        "Each box is a group of projects that do the same thing; a line is an overlap "
        "between two of them. The numbers refer to the list next to the drawing."
    )
    return {
        "chart": charts.network(drawn, _("Overlap clusters"), description) if drawn else None,
        "clusters": [
            {"label": cluster.label, "projects": _numbered(cluster, found)}
            for cluster in found_clusters
        ],
        "relations": [
            (key, i18n.label(vocabulary.relation_label(key))) for key in charts.EDGE_STYLES
        ],
    }


def _numbered(cluster: Cluster, found: Slice) -> list[dict[str, Any]]:
    return [{**_ref(found.by_id[i]), "number": n} for n, i in enumerate(cluster.project_ids, 1)]


def _drawing(cluster: Cluster, found: Slice) -> charts.Cluster:
    nodes = [
        charts.Node(
            project_id=item["id"],
            number=item["number"],
            name=f"{item['number']}. {item['title']} ({item['organisation']['name']}, {common.stage_name(item['stage'])})",
            url=_project_url(item["id"]),
            colour=vocabulary.STAGE_COLOURS.get(item["stage"], "#999999"),
        )
        for item in _numbered(cluster, found)
    ]
    edges = [charts.Edge(p.a, p.b, p.match.relation.value) for p in cluster.pairs]
    return charts.Cluster(cluster.label, nodes, edges)
