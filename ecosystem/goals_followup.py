"""Goals followed up with judgement: trend, distance to target and to the best area.

Status is never pass/fail (DOMAIN.md P11, P17): each indicator shows its trend direction
and its distance to target, and each goal carries the owner's narrative assessment. A
partly met goal must be explained and is shown as partly met — there is no "failed".
The goal picture itself, the document followed up, is :mod:`ecosystem.goal_pictures`.

An indicator may also carry the values of comparable areas (Danske Regioner's
"improvement and variation" view, DOMAIN.md §1.5): the follow-up then gives the distance
to the best of them, now and one period before, and whether the top-to-bottom gap between
the areas narrowed or widened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ecosystem.goal_pictures import Direction, Fulfilment, MeasureType, TaskType
from ecosystem.labels import FULFILMENT, TRENDS, Label

__all__ = [
    "GoalStatus",
    "IndicatorStatus",
    "Movement",
    "Trend",
    "Variation",
    "VariationStatus",
    "follow_up",
    "movement",
]


class Trend(StrEnum):
    IMPROVING = "improving"
    STABLE = "stable"
    WORSENING = "worsening"
    UNKNOWN = "unknown"


class Movement(StrEnum):
    """Which way the latest value moved (the arrow), whatever direction is the desired one."""

    UP = "up"
    DOWN = "down"
    FLAT = "flat"


class Variation(StrEnum):
    """How the top-to-bottom gap between comparable areas changed (P17)."""

    NARROWING = "narrowing"
    UNCHANGED = "unchanged"
    WIDENING = "widening"


# --- follow-up -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VariationStatus:
    """The top-to-bottom gap between the areas (own value included) in two periods."""

    first_period: str
    first_spread: float
    latest_period: str
    latest_spread: float
    change: Variation


@dataclass(frozen=True)
class IndicatorStatus:
    name: str
    unit: str
    direction: str
    baseline: float | None
    target: float | None
    latest: float | None
    latest_period: str | None
    trend: Trend
    distance_to_target: float | None  # how far is left, in the desired direction (0: reached)
    progress: float | None  # share of the way from baseline to target (may exceed 1)
    # Comparable areas, when the indicator has them (None otherwise).
    best_area: str | None = None  # the best area in the latest period
    best_value: float | None = None
    distance_to_best: float | None = None  # how far behind the best (0: the best or level)
    distance_to_best_before: float | None = None  # the same one period before
    variation: VariationStatus | None = None


@dataclass(frozen=True)
class GoalStatus:
    code: str
    title: str
    task_type: TaskType
    measure_type: MeasureType
    indicators: tuple[IndicatorStatus, ...]
    fulfilment: Fulfilment
    period: str | None
    narrative: str
    real_change: str
    summary: Label
    projects: tuple[int, ...]
    description: str = ""

    @property
    def without_projects(self) -> bool:
        return not self.projects


def follow_up(
    picture: Mapping[str, Any], projects_by_goal: Mapping[str, Sequence[int]]
) -> list[GoalStatus]:
    """Each goal's status: indicator trends and distances, and the latest judgement."""
    return [_goal_status(goal, projects_by_goal.get(goal["code"], ())) for goal in picture["goals"]]


def _goal_status(goal: Mapping[str, Any], projects: Sequence[int]) -> GoalStatus:
    indicators = tuple(_indicator_status(i) for i in goal.get("indicators", ()))
    assessment = _latest(goal.get("assessments", ()))
    fulfilment = Fulfilment(assessment["fulfilment"]) if assessment else Fulfilment.NOT_YET_ASSESSED
    return GoalStatus(
        code=goal["code"],
        title=goal["title"],
        task_type=TaskType(goal["task_type"]),
        measure_type=MeasureType(goal["measure_type"]),
        indicators=indicators,
        fulfilment=fulfilment,
        period=assessment["period"] if assessment else None,
        narrative=assessment.get("narrative", "") if assessment else "",
        real_change=assessment.get("real_change", "") if assessment else "",
        summary=_summary(fulfilment, indicators, assessment),
        projects=tuple(sorted(projects)),
        description=goal.get("description", ""),
    )


def _latest(assessments: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The assessment of the latest period (periods are compared as text: '2026', '2026-Q2')."""
    return max(assessments, key=lambda a: str(a["period"])) if assessments else None


def _indicator_status(indicator: Mapping[str, Any]) -> IndicatorStatus:
    up = indicator.get("direction", Direction.UP) == Direction.UP
    values = sorted(indicator.get("values", ()), key=lambda v: str(v["period"]))
    baseline = indicator.get("baseline")
    target = indicator.get("target")
    base = float(baseline["value"]) if baseline else None
    goal = float(target["value"]) if target else None
    latest = float(values[-1]["value"]) if values else None
    previous = float(values[-2]["value"]) if len(values) >= 2 else base
    own = {str(v["period"]): float(v["value"]) for v in values}
    areas = _areas_by_period(indicator.get("areas", ()), own)
    latest_period = str(values[-1]["period"]) if values else None
    before_period = str(values[-2]["period"]) if len(values) >= 2 else None
    best = _best(areas.get(latest_period or "", {}), up)
    return IndicatorStatus(
        name=indicator["name"],
        unit=indicator.get("unit", ""),
        direction="up" if up else "down",
        baseline=base,
        target=goal,
        latest=latest,
        latest_period=latest_period,
        trend=_trend(previous, latest, up),
        distance_to_target=_distance(latest, goal, up),
        progress=_progress(base, latest, goal),
        best_area=best[0] if best else None,
        best_value=best[1] if best else None,
        distance_to_best=_distance(latest, best[1], up) if best else None,
        distance_to_best_before=_behind_best(areas, before_period, own, up),
        variation=_variation(areas),
    )


def movement(status: IndicatorStatus) -> Movement | None:
    """Which way the latest value moved: the arrow beside the trend's words (None: unknown)."""
    if status.trend is Trend.UNKNOWN:
        return None
    if status.trend is Trend.STABLE:
        return Movement.FLAT
    rising = (status.trend is Trend.IMPROVING) == (status.direction == Direction.UP)
    return Movement.UP if rising else Movement.DOWN


# The owner's own value among the areas, under a name no area code has.
OWN = ""


def _areas_by_period(
    areas: Sequence[Mapping[str, Any]], own: Mapping[str, float]
) -> dict[str, dict[str, float]]:
    """Each period's values by area, the owner's own (under :data:`OWN`) among them."""
    by_period: dict[str, dict[str, float]] = {}
    for item in areas:
        by_period.setdefault(str(item["period"]), {})[str(item["area"])] = float(item["value"])
    for period, found in by_period.items():
        if period in own:
            found[OWN] = own[period]
    return by_period


def _best(values: Mapping[str, float], up: bool) -> tuple[str, float] | None:
    """The best comparable area (not the owner itself) and its value; ties by name."""
    others = sorted((area, value) for area, value in values.items() if area != OWN)
    if not others:
        return None
    chosen = max(others, key=lambda item: item[1]) if up else min(others, key=lambda i: i[1])
    return chosen


def _behind_best(
    areas: Mapping[str, Mapping[str, float]], period: str | None, own: Mapping[str, float], up: bool
) -> float | None:
    if period is None or period not in own:
        return None
    best = _best(areas.get(period, {}), up)
    return _distance(own[period], best[1], up) if best else None


def _variation(areas: Mapping[str, Mapping[str, float]]) -> VariationStatus | None:
    """The top-to-bottom gap in the first and the latest period with two or more values."""
    spreads = [
        (period, max(values.values()) - min(values.values()))
        for period, values in sorted(areas.items())
        if len(values) >= 2
    ]
    if len(spreads) < 2:
        return None
    (first, then), (latest, now) = spreads[0], spreads[-1]
    then, now = round(then, 6), round(now, 6)
    change = (
        Variation.UNCHANGED
        if now == then
        else Variation.NARROWING
        if now < then
        else Variation.WIDENING
    )
    return VariationStatus(first, then, latest, now, change)


def _trend(previous: float | None, latest: float | None, up: bool) -> Trend:
    if previous is None or latest is None:
        return Trend.UNKNOWN
    if latest == previous:
        return Trend.STABLE
    return Trend.IMPROVING if (latest > previous) == up else Trend.WORSENING


def _distance(latest: float | None, target: float | None, up: bool) -> float | None:
    if latest is None or target is None:
        return None
    left = target - latest if up else latest - target
    return round(max(left, 0.0), 6)


def _progress(base: float | None, latest: float | None, target: float | None) -> float | None:
    if base is None or latest is None or target is None or target == base:
        return None
    return round((latest - base) / (target - base), 4)


def _summary(
    fulfilment: Fulfilment,
    indicators: Sequence[IndicatorStatus],
    assessment: Mapping[str, Any] | None,
) -> Label:
    """One line for the overview: the judgement first, then what the numbers say."""
    label = FULFILMENT[fulfilment]
    parts_da, parts_en = [label.da], [label.en]
    for status in indicators:
        trend = TRENDS[status.trend]
        parts_da.append(f"{status.name}: {trend.da.lower()}")
        parts_en.append(f"{status.name}: {trend.en.lower()}")
        if status.progress is not None:
            share = round(status.progress * 100)
            parts_da.append(f"{share} % af vejen fra udgangspunkt til mål")
            parts_en.append(f"{share}% of the way from baseline to target")
    if fulfilment is Fulfilment.PARTLY_MET and assessment:
        parts_da.append(f"forklaring: {assessment['narrative']}")
        parts_en.append(f"explanation: {assessment['narrative']}")
    return Label("; ".join(parts_da), "; ".join(parts_en))
