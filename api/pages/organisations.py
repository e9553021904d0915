"""Organisations: who publishes, and one organisation's portfolio, balance and overlaps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from sqlalchemy.orm import Session

from api.db import session
from api.overlap_engine import engine, pairs_among
from api.overlap_views import report_view
from api.pages import charts, common, i18n, vocabulary
from api.pages.i18n import gettext as _
from api.pages.i18n import ngettext
from ecosystem.balance import Quadrant, analyse_balance
from ecosystem.groups import ProjectInfo
from ecosystem.model import Principal, ProjectRecord, Stage
from ecosystem.store import projects, reference

__all__ = ["bp"]

bp = Blueprint("organisations", __name__)

OVERLAPS_SHOWN = 25


@bp.get("/organisations")
def index() -> ResponseReturnValue:
    return render_template("pages/organisations.html", groups=common.organisation_choices())


@bp.get("/organisations/<organisation_id>")
def detail(organisation_id: str) -> ResponseReturnValue:
    """Its portfolio (what the reader may see), its balance in small, its overlaps."""
    db, who = session(), common.principal()
    organisation = reference.get(db, "organisation", organisation_id)
    records = projects.portfolio(db, organisation_id, who)
    return render_template(
        "pages/organisation.html",
        organisation=organisation,
        records=records,
        balance=_balance(records, organisation_id),
        overlaps=_overlaps(db, who, records, organisation_id),
        own=who.can_write_for(organisation_id),
    )


def _balance(records: Sequence[ProjectRecord], organisation_id: str) -> dict[str, Any]:
    reference_data = common.reference()
    balance = analyse_balance(ProjectInfo.of(r, reference_data) for r in records)
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


def _overlaps(
    db: Session, who: Principal, records: Sequence[ProjectRecord], organisation_id: str
) -> list[dict[str, Any]]:
    """The strongest overlaps between its projects and other organisations', own side first."""
    pairs = pairs_among(db, who, [r.id for r in records])
    strongest = sorted(pairs, key=lambda p: (-p.match.score, p.a, p.b))[:OVERLAPS_SHOWN]
    view = report_view(db, engine(db), strongest)
    shown = []
    for pair in view["pairs"]:
        own_first = pair["a"]["organisation"]["id"] == organisation_id
        own, other = (pair["a"], pair["b"]) if own_first else (pair["b"], pair["a"])
        shown.append({"own": own, "other": other, "match": pair["match"]})
    return shown
