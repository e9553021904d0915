"""Thematic groups: the list, and one group's overview for its quarterly meeting.

The overview leads with projects and reasons (DOMAIN.md §2: a lighthouse, not a control
tower): every chart links to the projects behind each mark, and every list names them.
The analyses are the group API's (:mod:`ecosystem.services.analyses`, shown with the same
presenters); the slice is loaded once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue

from api.db import unit_of_work
from api.pages import common, group_charts, group_coverage, i18n, register, site, stranding
from api.pages.goals import group_summary
from api.pages.i18n import gettext as _
from api.pages.i18n import ngettext
from api.presenters.analyses import candidate_view, gap_view, opted_out_view
from api.presenters.discuss import to_discuss_view
from ecosystem.groups import Group, Slice
from ecosystem.reviews import gaps_by_importance
from ecosystem.services import analyses, groups
from ecosystem.services.reviews import ReviewRecord

__all__ = ["VIEWS", "bp", "render_overview"]

bp = Blueprint("groups", __name__)

CANDIDATES_SHOWN = 10
CLUSTERS_LISTED = 20


@bp.get("/groups")
def index() -> ResponseReturnValue:
    return render_template("pages/groups.html", groups=groups.list_groups(unit_of_work()))


@bp.get("/groups/<group_id>")
def overview(group_id: str) -> ResponseReturnValue:
    """The overview, or one reader's view of it (``?view=politisk|administrativ|faglig``)."""
    view = request.args.get("view") or OVERVIEW
    if view not in VIEWS:
        # A 400, not the overview: a reader following a mistyped link would otherwise take
        # the whole overview for "their" view without knowing the choice was ignored.
        return site.error_page(
            400,
            _(
                "There is no view called %(view)s. Choose the overview, or the political, "
                "the administrative or the professional view.",
                view=view[:40],
            ),
            way_on=(url_for("pages.groups.overview", group_id=group_id), _("To the overview")),
        )
    return render_overview(group_id, view=view)


# --- the readers' views ---------------------------------------------------------------------------

OVERVIEW = "alle"


@dataclass(frozen=True)
class View:
    """Which sections one reader sees, in order: ``lead`` before the table of contents."""

    lead: tuple[str, ...]
    sections: tuple[str, ...]


# The leadership chain (DOMAIN.md §1.10, P20) shares the same data but reads it for different
# work. This mapping is the one place that decides who sees what; each view is a selection
# and an order, never other numbers.
VIEWS: dict[str, View] = {
    # Everything, as the quarterly meeting has it: what to discuss first, then the analyses.
    OVERVIEW: View(
        lead=("goal_picture", "partial", "to_discuss"),
        sections=(
            "value_risk",
            "pipeline",
            "coverage",
            "gaps",
            "opted_out",
            "fravalg",
            "stranding",
            "candidates",
            "clusters",
        ),
    ),
    # Politics sets direction and priorities: the goal picture (nærsundhedsplan) and the goals
    # no project serves, what the meeting should discuss, the serious gaps and the balance in
    # a few sentences, not charts to read.
    "politisk": View(
        lead=("goal_picture", "partial", "to_discuss"),
        sections=("high_gaps", "balance_summary"),
    ),
    # Administrative management balances the portfolio (operations vs development, risk vs
    # value) and sees that what is built gets run: the balances, coverage, what may strand,
    # the gaps and what is deliberately not done.
    "administrativ": View(
        lead=("partial",),
        sections=(
            "value_risk",
            "pipeline",
            "coverage",
            "stranding",
            "gaps",
            "opted_out",
            "fravalg",
        ),
    ),
    # Professional and clinical managers turn it into practice: who does the same thing
    # (clusters), what has matured elsewhere and who could adopt it, and the gaps with the
    # nearest existing projects to learn from.
    "faglig": View(
        lead=("partial",),
        sections=("clusters", "candidates", "gaps"),
    ),
}

# Each section's template; "partial" is the "selected, not exhaustive" line (P2), no section.
TEMPLATES = {
    "goal_picture": "pages/goal_summary.html",
    "to_discuss": "pages/to_discuss.html",
    "fravalg": "pages/deliberately_not.html",
} | {
    key: f"pages/group/{key}.html"
    for key in (
        "partial",
        "value_risk",
        "pipeline",
        "coverage",
        "gaps",
        "high_gaps",
        "balance_summary",
        "opted_out",
        "stranding",
        "candidates",
        "clusters",
    )
}


def _view_names() -> dict[str, tuple[str, str]]:
    """Each view's tab name and the reader it is for."""
    return {
        OVERVIEW: (_("Overview"), ""),
        "politisk": (
            _("Political: direction and goals"),
            _("For the political level: the goals, what to discuss and the gaps of high severity."),
        ),
        "administrativ": (
            _("Administrative: balances"),
            _("For the administrative management: balances, coverage and what may strand."),
        ),
        "faglig": (
            _("Professional: practice and scaling"),
            _("For professional and clinical managers: overlaps, scaling and gaps to learn from."),
        ),
    }


def _tabs(group_id: str, chosen: str) -> list[dict[str, Any]]:
    names = _view_names()
    return [
        {
            "name": names[key][0],
            "current": key == chosen,
            "url": url_for(
                "pages.groups.overview",
                group_id=group_id,
                view=None if key == OVERVIEW else key,
            ),
        }
        for key in VIEWS
    ]


def _toc(view: View, context: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The table of contents: the view's sections after the lead, those with something to show."""
    entries = {
        "value_risk": ("value-risk-title", _("Value and risk"), True),
        "pipeline": ("pipeline-title", _("Stage pipeline"), True),
        "coverage": ("coverage-title", _("Coverage"), True),
        "gaps": ("gaps-title", _("Gaps"), True),
        "high_gaps": ("high-gaps-title", _("Gaps of high severity"), True),
        "balance_summary": ("balance-summary-title", _("The balance in brief"), True),
        "opted_out": ("opted-out-title", _("Opted out"), bool(context.get("opted_out"))),
        "fravalg": ("fravalg-title", _("Deliberately not doing"), True),
        "stranding": (
            "stranding-title",
            context.get("stranding_heading", ""),
            bool(context.get("stranding")),
        ),
        "candidates": ("candidates-title", _("Scaling candidates"), True),
        "clusters": ("clusters-title", _("Overlap clusters"), True),
    }
    return [(f"#{entries[s][0]}", entries[s][1]) for s in view.sections if entries[s][2]]


def render_overview(
    group_id: str, *, view: str = OVERVIEW, fravalg: Mapping[str, Any] | None = None
) -> str:
    """The page in one reader's view; ``fravalg``: a refused "fravalgt" form, shown again."""
    found = analyses.group_overview(
        unit_of_work(),
        common.principal(),
        group_id,
        candidates_shown=CANDIDATES_SHOWN,
        clusters_listed=CLUSTERS_LISTED,
    )
    chosen = VIEWS[view]
    parts = _Parts(found, fravalg)
    context: dict[str, Any] = {}
    for section in chosen.lead + chosen.sections:
        context |= parts.context(section)
    group, shown = found.group, found.candidates.found
    return render_template(
        "pages/group.html",
        group=group,
        mandate=_mandate(group),
        has_demo=group.demo or any(p.record.card.demo for p in shown.projects),
        leads_reviews=common.leads_reviews(group),
        view_tabs=_tabs(group.id, view),
        view_reader=_view_names()[view][1],
        lead=[TEMPLATES[s] for s in chosen.lead],
        sections=[TEMPLATES[s] for s in chosen.sections],
        toc=_toc(chosen, context),
        **context,
    )


class _Parts:
    """The page's pieces from one overview, each built when a chosen section first needs it.

    The service computes everything (what to discuss needs the gaps, candidates, balance and
    overlaps alike; the clusters are cached until the next publish); only the presenting,
    the charts above all, and the goal-picture and register reads are left to the sections.
    """

    def __init__(self, found: analyses.Overview, fravalg: Mapping[str, Any] | None) -> None:
        self.found, self.shown, self.fravalg = found, found.candidates.found, fravalg

    def context(self, section: str) -> dict[str, Any]:
        """What the template of ``section`` reads."""
        found, shown = self.found, self.shown
        match section:
            case "goal_picture":
                return {"goal_picture": group_summary(found.group.id)}
            case "partial":
                return {
                    "partial": common.partial_portfolio_note(p.organisation_id for p in found.own)
                }
            case "to_discuss":
                return {
                    "to_discuss": to_discuss_view(found.to_discuss.items),
                    "discuss_since": _discuss_since(found.to_discuss.since),
                }
            case "value_risk":
                return {"value_risk": group_charts.value_risk(found.balance, shown)}
            case "pipeline":
                return {"pipeline": group_charts.pipeline(found.balance, shown)}
            case "coverage":
                return group_coverage.section(found, shown)
            case "gaps":
                return {"gaps": self.gaps}
            case "high_gaps":
                return {"high_gaps": [g for g in self.gaps if g["severity"] == "high"]}
            case "balance_summary":
                return {"balance_summary": self.balance_summary()}
            case "opted_out":
                return {
                    "opted_out": [
                        _with_demo(opted_out_view(o, shown), shown)
                        for o in found.gaps.deliberately_not
                    ]
                }
            case "fravalg":
                return {"register": register.section("group", found.group.id, self.fravalg)}
            case "stranding":
                return {"stranding": self.at_risk, "stranding_heading": stranding.heading()}
            case "candidates":
                return {
                    "candidates": [
                        _with_demo(candidate_view(c, shown), shown)
                        for c in found.candidates.candidates
                    ],
                    "candidates_total": found.candidates.total,
                }
            case "clusters":
                return {"clusters": group_charts.clusters(found.clusters, shown)}
        raise KeyError(section)

    @cached_property
    def gaps(self) -> list[dict[str, Any]]:
        return [
            _with_demo(gap_view(gap, self.shown), self.shown)
            for gap in gaps_by_importance(self.found.gaps.gaps)
        ]

    @cached_property
    def at_risk(self) -> list[dict[str, Any]]:
        return stranding.listed(p.record for p in self.found.own)

    def balance_summary(self) -> dict[str, Any]:
        """The balances in sentences, for a reader who sets direction rather than reads charts."""
        balance = self.found.balance
        quadrants = group_charts.quadrant_names()
        assessed = ", ".join(
            f"{quadrants[s.key].lower()} {len(s.projects)}" for s in balance.quadrants
        )
        stages = ", ".join(
            f"{i18n.label(s.label).lower()} {len(s.projects)}"
            for s in balance.pipeline
            if s.projects
        )
        high = sum(1 for g in self.gaps if g["severity"] == "high")
        sentences = [
            ngettext(
                "%(num)d active project in the group's mandate.",
                "%(num)d active projects in the group's mandate.",
                len(balance.active),
            ),
            _(
                "By their owners' judgement of value and risk: %(counts)s; not assessed: "
                "%(missing)d.",
                counts=assessed,
                missing=len(balance.not_assessed),
            )
            if len(balance.not_assessed) < len(balance.active)
            else _("None of them has a judgement of value and risk yet."),
        ]
        if stages:
            sentences.append(_("By stage: %(counts)s.", counts=stages))
        sentences += [i18n.label(note) for note in balance.pipeline_notes]
        if self.at_risk:
            sentences.append(
                ngettext(
                    "%(num)d project in implementation or operation may strand.",
                    "%(num)d projects in implementation or operation may strand.",
                    len(self.at_risk),
                )
            )
        sentences.append(
            ngettext(
                "%(num)d gap, %(high)d of them of high severity.",
                "%(num)d gaps, %(high)d of them of high severity.",
                len(self.gaps),
                high=high,
            )
        )
        details = url_for(
            "pages.groups.overview", group_id=self.found.group.id, view="administrativ"
        )
        return {"sentences": sentences, "details": details}


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
