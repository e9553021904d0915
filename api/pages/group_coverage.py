"""A group overview's coverage section: themes × areas, and where the mandate's projects are.

The heat map says on which themes each area has active work; the map under it says in
which municipalities the projects the mandate covers are, each municipality leading to
exactly those projects in the project list (``/projects?group=…&area=…``).
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from api.db import unit_of_work
from api.pages import charts, common
from api.pages import maps as maps_page
from api.pages.i18n import gettext as _
from api.pages.i18n import ngettext
from ecosystem.gaps import Cell, GapReport
from ecosystem.groups import Group, Slice
from ecosystem.services import analyses, maps

__all__ = ["section"]


def section(found: analyses.Overview, shown: Slice) -> dict[str, Any]:
    """What the coverage section's template reads."""
    return {
        "coverage": _coverage(found.gaps, shown),
        "coverage_map": _coverage_map(found),
        "map_url": _map_url(found.group),
    }


def _coverage_map(found: analyses.Overview) -> charts.MapDrawing:
    """The mandate's projects per municipality, drawn for the mandate's part of the country."""
    uow = unit_of_work()
    group_id = found.group.id
    counts = maps.tagged_counts(uow, (project.record for project in found.own))
    return maps_page.draw(
        counts.counts,
        lambda code: url_for("pages.projects.search", group=group_id, area=code),
        _("the projects of the mandate"),
        only=maps.mandate_outline(uow, found.group.mandate),
        chart_id="coverage-map",
    )


def _map_url(group: Group) -> str:
    """The municipality map with the mandate outlined (on its theme, when it has one)."""
    themes = group.mandate.themes
    theme = themes[0] if len(themes) == 1 else None
    return url_for("pages.maps.coverage_map", group=group.id, theme=theme)


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
        "projects": [common.project_ref(found.by_id[i]) for i in cell.projects if i in found.by_id],
        "national": [common.project_ref(found.by_id[i]) for i in cell.national if i in found.by_id],
    }
    return heat, item
