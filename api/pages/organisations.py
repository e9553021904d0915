"""Organisations: who publishes, one organisation's portfolio, balance and overlaps, and the
data quality of its portfolio."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from api.db import unit_of_work
from api.pages import charts, common, i18n, register, stranding, vocabulary
from api.pages import matches as match_pages
from api.pages.i18n import gettext as _
from api.pages.i18n import ngettext
from api.presenters.overlaps import report_view
from ecosystem.balance import Balance, Quadrant
from ecosystem.model import Stage
from ecosystem.services.organisations import organisation_overview
from ecosystem.services.overlaps import OverlapReport
from ecosystem.services.quality import organisation_quality

__all__ = ["bp", "render_detail"]

bp = Blueprint("organisations", __name__)

OVERLAPS_SHOWN = 25


@bp.get("/organisations")
def index() -> ResponseReturnValue:
    return render_template("pages/organisations.html", groups=common.organisation_choices())


@bp.get("/organisations/<organisation_id>")
def detail(organisation_id: str) -> ResponseReturnValue:
    """Its portfolio (what the reader may see), its balance in small, its overlaps."""
    return render_detail(organisation_id)


def render_detail(organisation_id: str, *, fravalg: Mapping[str, Any] | None = None) -> str:
    """The page; ``fravalg``: a refused "fravalgt" form, shown again with its errors."""
    who = common.principal()
    found = organisation_overview(
        unit_of_work(), who, organisation_id, overlaps_shown=OVERLAPS_SHOWN
    )
    return render_template(
        "pages/organisation.html",
        organisation=found.organisation,
        records=found.projects,
        balance=_balance(found.balance, organisation_id),
        overlaps=_overlaps(found.overlaps, organisation_id),
        own=who.can_write_for(organisation_id),
        stranding=stranding.listed(found.projects),
        partial=common.partial_portfolio_note([organisation_id]),
        stranding_heading=stranding.heading(),
        register=register.section("organisation", organisation_id, fravalg),
        matchmaking=match_pages.consent_section(organisation_id, found.projects),
    )


@bp.get("/organisations/<organisation_id>/quality")
def quality(organisation_id: str) -> ResponseReturnValue:
    """What would make the portfolio more useful: help for the organisation, not a ranking."""
    found = organisation_quality(unit_of_work(), common.principal(), organisation_id)
    return render_template("pages/organisation_quality.html", found=found, report=found.report)


def _balance(balance: Balance, organisation_id: str) -> dict[str, Any]:
    counts = {share.key: len(share.projects) for share in balance.quadrants}
    names = {q.value: i18n.label(q.label) for q in Quadrant}
    grid = charts.quadrant_grid(
        counts,
        names,
        _("Value and risk of the active projects"),
        ", ".join(f"{names[key]}: {count}" for key, count in counts.items()),
        chart_id="org-quadrants",
    )
    return {
        "quadrants": grid,
        "not_assessed": len(balance.not_assessed),
        "pipeline": _pipeline(balance.pipeline, organisation_id),
        "notes": [i18n.label(note) for note in balance.pipeline_notes],
        "active": len(balance.active),
    }


def _pipeline(shares: Sequence[Any], organisation_id: str) -> Markup:
    bars = []
    for share in shares:
        count = len(share.projects)
        name = i18n.label(share.label)
        bars.append(
            charts.Bar(
                label=name,
                count=count,
                url=url_for("pages.projects.search", organisation=organisation_id, stage=share.key),
                colour=vocabulary.STAGE_COLOURS.get(Stage(share.key), "#999999"),
                name=ngettext(
                    "%(stage)s: %(num)d project", "%(stage)s: %(num)d projects", count, stage=name
                ),
            )
        )
    description = "; ".join(bar.name for bar in bars)
    return charts.bar_chart(bars, _("Projects by stage"), description, chart_id="org-pipeline")


def _overlaps(strongest: OverlapReport, organisation_id: str) -> list[dict[str, Any]]:
    """The strongest overlaps between its projects and other organisations', own side first."""
    shown = []
    for pair in report_view(strongest)["pairs"]:
        own_first = pair["a"]["organisation"]["id"] == organisation_id
        own, other = (pair["a"], pair["b"]) if own_first else (pair["b"], pair["a"])
        shown.append({"own": own, "other": other, "match": pair["match"]})
    return shown
