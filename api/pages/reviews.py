"""The review pack as a printable page: one document a chair can send before the meeting.

The content is the review API's pack (:func:`api.presenters.reviews.pack_view`): it opens
with the three to seven items to discuss, each with its reason; then the agenda, what
changed since last review, the balance charts, overlaps, gaps and scaling candidates
(each full list behind "Se alle", by importance), the public-value questions and the
decisions awaiting an answer. A print stylesheet turns it into a handout; the same lists
are in the XLSX download.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue

from api.db import unit_of_work
from api.pages import charts, common, i18n, vocabulary
from api.pages.i18n import gettext as _
from api.pages.i18n import ngettext
from api.presenters.reviews import decision_view, pack_view
from ecosystem.balance import Quadrant
from ecosystem.errors import PermissionDenied
from ecosystem.groups import ProjectInfo
from ecosystem.labels import DECISIONS
from ecosystem.model import Stage
from ecosystem.reviews import DecisionKind, Snapshot
from ecosystem.services import groups, reviews

__all__ = ["bp", "render_pack"]

bp = Blueprint("reviews", __name__)

SHOWN = 50  # items per full list in the page; the rest a click away, so a big pack stays light
LISTS = ("overlaps", "gaps", "candidates")  # the lists behind "Se alle", as ?all= names them

LEADERS_ONLY = (
    "Kun gruppens koordinatorer og administratorer kan træffe beslutninger / Only the "
    "group's coordinators and admins may record decisions."
)


@bp.get("/groups/<group_id>/reviews")
def index(group_id: str) -> ResponseReturnValue:
    found = reviews.group_reviews(unit_of_work(), group_id)
    newest_first = list(reversed(found.reviews))
    return render_template(
        "pages/reviews.html",
        group=found.group,
        reviews=newest_first,
        leads_reviews=common.leads_reviews(found.group),
    )


@bp.get("/reviews/<int:review_id>")
def pack(review_id: int) -> ResponseReturnValue:
    return render_pack(review_id, whole=request.args.get("all"))


def render_pack(
    review_id: int, *, failed: dict[str, Any] | None = None, whole: str | None = None
) -> str:
    """The pack; for the group's leaders a decision form under each finding.

    Each full list shows its first :data:`SHOWN` items, by importance, and links to
    itself whole (``whole`` names the list shown whole). ``failed`` is a decision form
    sent back with errors (its finding key, values and messages): it is shown open,
    where it was, to the leaders only — every list whole, so the finding is there.
    """
    uow, who = unit_of_work(), common.principal()
    found = reviews.review_pack(uow, who, review_id)
    content, snapshot = pack_view(found), found.snapshot
    leads = common.leads_reviews(groups.get_group(uow, found.review.group_id))
    if failed is not None and not leads:
        raise PermissionDenied(LEADERS_ONLY)
    lists = {
        "overlaps": content["overlaps_to_discuss"],
        "gaps": content["gaps"],
        "candidates": content["scaling_candidates"],
    }
    shown = {
        name: items if failed is not None or whole == name else items[:SHOWN]
        for name, items in lists.items()
    }
    return render_template(
        "pages/review_pack.html",
        review=content["review"],
        group=content["group"],
        previous=content["previous"],
        agenda=content["agenda"],
        changes=content["since_last"],
        overlaps=shown["overlaps"],
        settled=content["settled"],
        to_discuss=content["to_discuss"],
        gaps=shown["gaps"],
        opted_out=content["deliberately_not"],
        candidates=shown["candidates"],
        totals={name: len(items) for name, items in lists.items()},
        whole=whole if whole in LISTS else None,
        questions=content["public_value_questions"],
        pending=content["pending_decisions"],
        participants=[
            {"name": common.organisation_name(p["organisation"]), "role": _role(p["role"])}
            for p in content["review"]["participants"]
        ],
        value_risk=_value_risk_chart(snapshot),
        pipeline=_pipeline_chart(snapshot),
        as_of_text=i18n.when(dt.datetime.fromisoformat(content["review"]["as_of"])),
        response_names={
            "agreed": _("agreed"),
            "declined": _("declined"),
            "in_dialogue": _("in dialogue"),
            "none": _("no response yet"),
        },
        xlsx_url=url_for("reviews.review_pack", review_id=review_id, format="xlsx"),
        decided_here=[decision_view(d) for d in found.decisions if d.review_id == review_id],
        leads_reviews=leads,
        partial=common.partial_portfolio_note(
            p.organisation_id for p in snapshot.projects.values()
        ),
        failed=failed or {"finding": None, "sent": {}, "errors": {}},
        decision_kinds=[(k.value, i18n.label(DECISIONS[k.value])) for k in DecisionKind],
    )


def _role(role: str) -> str:
    names = {
        "political": _("political"),
        "administrative": _("administrative"),
        "professional": _("professional"),
    }
    return names.get(role, role)


def _value_risk_chart(snapshot: Snapshot) -> Any:
    names = {q.value: i18n.label(q.label) for q in Quadrant}
    bubbles = []
    for project_id in snapshot.balance.active:
        project = snapshot.projects[project_id]
        card = project.record.card
        value, risk = card.value_score, card.risk_score
        if value is None or risk is None:
            continue  # not assessed: no place on the chart (quadrant_of says the same)
        bubbles.append(
            charts.Bubble(
                name=_bubble_name(project),
                url=url_for("pages.projects.detail", project_id=project.id),
                value=value,
                risk=risk,
                budget=card.budget_dkk,
                colour=vocabulary.STAGE_COLOURS.get(project.stage.value, "#999999"),
            )
        )
    if not bubbles:
        return None
    words = charts.BubbleWords(
        title=_("Value × risk of the group's active projects"),
        description=", ".join(
            f"{names[s.key]}: {len(s.projects)}" for s in snapshot.balance.quadrants
        ),
        value_axis=_("Value"),
        risk_axis=_("Risk"),
        low=_("low"),
        high=_("high"),
        quadrants=names,
    )
    return charts.bubble_chart(bubbles, words, chart_id="review-value-risk")


def _bubble_name(project: ProjectInfo) -> str:
    card = project.record.card
    return _(
        "%(title)s (%(organisation)s): %(stage)s; value %(value)s, risk %(risk)s",
        title=project.title,
        organisation=common.organisation_name(project.organisation_id),
        stage=common.stage_name(project.stage.value),
        value=card.value_score,
        risk=card.risk_score,
    )


def _pipeline_chart(snapshot: Snapshot) -> Any:
    bars = []
    for share in snapshot.balance.pipeline:
        name = i18n.label(share.label)
        count = len(share.projects)
        bars.append(
            charts.Bar(
                label=name,
                count=count,
                url="#review-projects",
                colour=vocabulary.STAGE_COLOURS.get(Stage(share.key), "#999999"),
                name=ngettext(
                    "%(stage)s: %(num)d project", "%(stage)s: %(num)d projects", count, stage=name
                ),
            )
        )
    description = "; ".join(bar.name for bar in bars)
    return charts.bar_chart(
        bars, _("The group's projects by stage"), description, chart_id="review-pipeline"
    )
