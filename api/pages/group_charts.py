"""A group overview's charts: value × risk, the stage pipeline and the overlap clusters.

Each section is drawn on the server as SVG (:mod:`api.pages.charts`) beside a table or a
list that says the same in words, so that nothing is only in a picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import url_for

from api.pages import charts, common, i18n, vocabulary
from api.pages.i18n import gettext as _
from api.pages.i18n import ngettext
from ecosystem.balance import Balance, Quadrant, quadrant_of
from ecosystem.clusters import Cluster
from ecosystem.groups import Slice
from ecosystem.model import Stage

__all__ = ["clusters", "pipeline", "quadrant_names", "value_risk"]

CLUSTERS_DRAWN = 6


def _project_url(project_id: int) -> str:
    return url_for("pages.projects.detail", project_id=project_id)


# --- value × risk ----------------------------------------------------------------------------


def quadrant_names() -> dict[str, str]:
    return {q.value: i18n.label(q.label) for q in Quadrant}


def value_risk(balance: Balance, found: Slice) -> dict[str, Any]:
    names = quadrant_names()
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
        "not_assessed": [common.project_ref(found.by_id[i]) for i in balance.not_assessed],
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
                **common.project_ref(project),
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


def pipeline(balance: Balance, found: Slice) -> dict[str, Any]:
    stages = []
    bars = []
    for share in balance.pipeline:
        name = i18n.label(share.label)
        count = len(share.projects)
        stages.append(
            {
                "key": share.key,
                "name": name,
                "projects": [common.project_ref(found.by_id[i]) for i in share.projects],
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


# --- overlap clusters -----------------------------------------------------------------------------


def clusters(found_clusters: Sequence[Cluster], found: Slice) -> dict[str, Any]:
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
    return [
        {**common.project_ref(found.by_id[i]), "number": n}
        for n, i in enumerate(cluster.project_ids, 1)
    ]


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
