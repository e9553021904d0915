"""How a goal's follow-up reads on the page: the owner's judgement, and each indicator's
arrow, trend, distance to target and to the best comparable area, and the change in
variation between areas, in words (never "failed"; DOMAIN.md P11, P17).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from api.pages import common, i18n
from api.pages.i18n import gettext as _
from ecosystem import labels
from ecosystem.goals_followup import GoalStatus, IndicatorStatus, Movement, movement

__all__ = ["goal_view"]

ARROWS = {Movement.UP: "↑", Movement.DOWN: "↓", Movement.FLAT: "→"}


def goal_view(
    status: GoalStatus, card_codes: Mapping[str, str], linked: Mapping[int, dict[str, Any]]
) -> dict[str, Any]:
    return {
        "code": status.code,
        "card_code": card_codes.get(status.code, status.code),
        "anchor": "goal-" + re.sub(r"[^A-Za-z0-9_-]", "-", status.code),
        "title": status.title,
        "description": status.description,
        "task_type": i18n.label(labels.GOAL_TASK_TYPES[status.task_type]),
        "measure_type": i18n.label(labels.GOAL_MEASURE_TYPES[status.measure_type]),
        "fulfilment": status.fulfilment.value,
        "fulfilment_label": i18n.label(labels.FULFILMENT[status.fulfilment]),
        "period": status.period,
        "narrative": status.narrative,
        "real_change": status.real_change,
        "indicators": [_indicator_view(i) for i in status.indicators],
        "projects": [linked[i] for i in status.projects if i in linked],
        "without_projects": status.without_projects,
    }


def _indicator_view(status: IndicatorStatus) -> dict[str, Any]:
    moved = movement(status)
    unit = f" {status.unit}" if status.unit else ""
    return {
        "name": status.name,
        "direction": i18n.label(labels.name_of(labels.GOAL_DIRECTIONS, status.direction)),
        "arrow": ARROWS.get(moved) if moved else None,
        "moved": _movement_words(moved),
        "trend": status.trend.value,
        "trend_label": i18n.label(labels.TRENDS[status.trend]),
        "baseline": _figure(status.baseline, unit),
        "target": _figure(status.target, unit),
        "latest": _figure(status.latest, unit),
        "latest_period": status.latest_period,
        "distance_to_target": _distance_words(status.distance_to_target, unit),
        "progress": i18n.percent(status.progress) if status.progress is not None else "",
        "best": _best_words(status, unit),
        "variation": _variation_words(status, unit),
    }


def _figure(value: float | None, unit: str) -> str:
    return "" if value is None else f"{i18n.number(value, 2)}{unit}"


def _movement_words(moved: Movement | None) -> str:
    words = {Movement.UP: _("rising"), Movement.DOWN: _("falling"), Movement.FLAT: _("level")}
    return words[moved] if moved else ""


def _distance_words(distance: float | None, unit: str) -> str:
    if distance is None:
        return ""
    if distance == 0:
        return _("The target is reached")
    return _("%(distance)s left to the target", distance=_figure(distance, unit))


def _best_words(status: IndicatorStatus, unit: str) -> str:
    """Distance to the best comparable area, now and one period before (catching up?)."""
    if status.best_area is None or status.best_value is None:
        return ""
    best = _(
        "Best comparable area: %(area)s (%(value)s)",
        area=common.area_name(status.best_area),
        value=_figure(status.best_value, unit),
    )
    if status.distance_to_best is None:
        return best
    if status.distance_to_best == 0:
        now = _("level with the best or better")
    else:
        now = _("%(distance)s behind", distance=_figure(status.distance_to_best, unit))
    text = f"{best}; {now}"
    if status.distance_to_best_before is not None:
        before = _figure(status.distance_to_best_before, unit)
        text += "; " + _("the period before: %(distance)s behind", distance=before)
    return text


def _variation_words(status: IndicatorStatus, unit: str) -> str:
    variation = status.variation
    if variation is None:
        return ""
    return _(
        "%(change)s: from %(then)s (%(first)s) to %(now)s (%(latest)s) between the best and "
        "the worst area",
        change=i18n.label(labels.VARIATIONS[variation.change]),
        then=_figure(variation.first_spread, unit),
        first=variation.first_period,
        now=_figure(variation.latest_spread, unit),
        latest=variation.latest_period,
    )
