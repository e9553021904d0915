"""Goals followed up with judgement: a strategic goal picture, 5–10 goals, trend and distance.

The model follows the goals-and-results plan (DOMAIN.md §1.4–§1.5): a short strategic
goal picture for a multi-year period, a handful of concrete goals on one level (no
sub-goals), each an operational or policy-like task, measured quantitatively or
qualitatively, with optional indicators (baseline, target, actual values per period).

Status is never pass/fail (DOMAIN.md P11, P17): each indicator shows its trend direction
and its distance to target, and each goal carries the owner's narrative assessment. A
partly met goal must be explained and is shown as partly met — there is no "failed".

An indicator may also carry the values of comparable areas (Danske Regioner's
"improvement and variation" view, DOMAIN.md §1.5): the follow-up then gives the distance
to the best of them, now and one period before, and whether the top-to-bottom gap between
the areas narrowed or widened. A picture may be a health council's nærsundhedsplan
(``kind``); without a kind it is an ordinary goal picture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ecosystem.labels import FULFILMENT, TRENDS, Label
from ecosystem.safe_text import Text

__all__ = [
    "GOAL_SOFT_LIMIT",
    "GOAL_SOFT_MINIMUM",
    "Direction",
    "Fulfilment",
    "GoalPictureSchema",
    "GoalStatus",
    "IndicatorStatus",
    "MeasureType",
    "Movement",
    "PictureKind",
    "TaskType",
    "Trend",
    "Variation",
    "VariationStatus",
    "follow_up",
    "goal_warnings",
    "movement",
]

GOAL_SOFT_LIMIT = 10  # B:632-690: 5–10 concrete goals; more is accepted with a warning
GOAL_SOFT_MINIMUM = 5  # … and fewer too: a picture is drafted a goal at a time
GOAL_HARD_LIMIT = 50  # a sanity bound on input, not a rule from the sources


class TaskType(StrEnum):
    OPERATIONAL = "operational"  # stable, measurable core tasks
    POLICY = "policy"  # policy-like tasks: changeable, judged more than measured


class MeasureType(StrEnum):
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"


class Direction(StrEnum):
    UP = "up"  # higher is better
    DOWN = "down"  # lower is better


class Fulfilment(StrEnum):
    """The owner's judgement of a goal in a period. Deliberately without 'failed'."""

    MET = "met"
    PARTLY_MET = "partly_met"
    IN_PROGRESS = "in_progress"
    NOT_YET_ASSESSED = "not_yet_assessed"


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


class PictureKind(StrEnum):
    """What the picture is: an ordinary goal picture, or a health council's nærsundhedsplan."""

    GOAL_PICTURE = "maalbillede"
    LOCAL_HEALTH_PLAN = "naersundhedsplan"  # the 2025 health-law package's term, from 2027


# --- the document --------------------------------------------------------------------------


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class GoalPeriodSchema(_Strict):
    start = fields.Integer(required=True, data_key="from", validate=validate.Range(2000, 2100))
    end = fields.Integer(required=True, data_key="to", validate=validate.Range(2000, 2100))

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data["end"] < data["start"]:
            raise ValidationError("'to' kommer før 'from' / 'to' is before 'from'.", "to")
        if data["end"] == data["start"]:
            raise ValidationError(
                "Målbilledet gælder flere år / A goal picture covers several years.", "to"
            )


class GoalValueSchema(_Strict):
    period = Text(required=True, validate=validate.Length(min=1, max=20))
    value = fields.Float(required=True, allow_nan=False)


class AreaValueSchema(GoalValueSchema):
    """A comparable area's value in a period; ``area`` is an area code or a name."""

    area = Text(required=True, validate=validate.Length(min=1, max=100))


class GoalIndicatorSchema(_Strict):
    name = Text(required=True, validate=validate.Length(min=1, max=300))
    unit = Text(load_default="", validate=validate.Length(max=40))
    direction = Text(load_default="up", validate=validate.OneOf([d.value for d in Direction]))
    baseline = fields.Nested(GoalValueSchema, allow_none=True, load_default=None)
    target = fields.Nested(GoalValueSchema, allow_none=True, load_default=None)
    values = fields.List(fields.Nested(GoalValueSchema), load_default=list)
    # Optional, and without a default, so a picture saved before it is stored unchanged.
    areas = fields.List(
        fields.Nested(AreaValueSchema),
        validate=validate.Length(max=2_000),
        metadata={"description": "Comparable areas' values by period (distance to the best)"},
    )


class GoalAssessmentSchema(_Strict):
    period = Text(required=True, validate=validate.Length(min=1, max=20))
    fulfilment = Text(
        required=True,
        validate=validate.OneOf(
            [f.value for f in Fulfilment],
            error="Brug met, partly_met, in_progress eller not_yet_assessed – et mål "
            "markeres ikke som fejlet / Use met, partly_met, in_progress or not_yet_assessed – "
            "a goal is not marked as failed.",
        ),
    )
    narrative = Text(load_default="", validate=validate.Length(max=5_000))
    real_change = Text(load_default="", validate=validate.Length(max=5_000))

    @validates_schema
    def _explained(self, data: dict[str, Any], **_: Any) -> None:
        if data["fulfilment"] == Fulfilment.PARTLY_MET and not data["narrative"].strip():
            raise ValidationError(
                "Forklar et delvist opfyldt mål (ydre forhold, ændrede prioriteter, høj "
                "barre) / Explain a partly met goal (external factors, changed priorities, a "
                "high bar).",
                "narrative",
            )


class FollowedGoalSchema(_Strict):
    code = Text(
        required=True,
        validate=validate.Regexp(
            r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
            error="Brug bogstaver, cifre, '.', '_' og '-' / Use letters, digits, '.', '_', '-'.",
        ),
    )
    title = Text(required=True, validate=validate.Length(min=1, max=300))
    title_en = Text(load_default=None, allow_none=True, validate=validate.Length(max=300))
    description = Text(validate=validate.Length(max=5_000))  # optional; absent stays absent
    task_type = Text(required=True, validate=validate.OneOf([t.value for t in TaskType]))
    measure_type = Text(required=True, validate=validate.OneOf([m.value for m in MeasureType]))
    indicators = fields.List(fields.Nested(GoalIndicatorSchema), load_default=list)
    assessments = fields.List(fields.Nested(GoalAssessmentSchema), load_default=list)


class GoalPictureSchema(_Strict):
    """A strategic goal picture and its concrete goals, one level only (no sub-goals)."""

    text = Text(required=True, validate=validate.Length(min=1, max=20_000))
    period = fields.Nested(GoalPeriodSchema, required=True)
    # The revision the change was based on (0: none yet); never stored with the picture.
    revision = fields.Integer(
        load_only=True,
        strict=True,
        validate=validate.Range(min=0),
        metadata={"description": "The revision you read (optimistic locking); a later one: 409"},
    )
    # Optional, and without a default: absent is an ordinary goal picture.
    kind = Text(
        validate=validate.OneOf([k.value for k in PictureKind]),
        metadata={"description": "maalbillede (default) or naersundhedsplan"},
    )
    goals = fields.List(
        fields.Nested(FollowedGoalSchema),
        load_default=list,
        validate=validate.Length(max=GOAL_HARD_LIMIT),
    )

    @validates_schema
    def _unique_codes(self, data: dict[str, Any], **_: Any) -> None:
        seen: set[str] = set()
        for index, goal in enumerate(data.get("goals", ())):
            if goal["code"] in seen:
                raise ValidationError(
                    "Koden bruges to gange / The code is used twice.", f"goals.{index}.code"
                )
            seen.add(goal["code"])


def goal_warnings(picture: Mapping[str, Any]) -> list[dict[str, str]]:
    """Soft limits: fewer than five or more than ten goals is accepted, with a warning."""
    count = len(picture.get("goals", ()))
    if count < GOAL_SOFT_MINIMUM:
        return [
            {
                "field": "goals",
                "message": f"{count} mål er få: et målbillede har 5–10 konkrete mål, så det "
                "viser retningen for hele indsatsen",
                "message_en": f"{count} goals are few: a goal picture has 5–10 concrete goals, "
                "so it shows the direction of the whole effort",
            }
        ]
    if count <= GOAL_SOFT_LIMIT:
        return []
    return [
        {
            "field": "goals",
            "message": f"{count} mål er mange: vælg 5–10, så målene kan styre (et valg til er "
            "også et valg fra)",
            "message_en": f"{count} goals are many: choose 5–10 so the goals can steer (choosing "
            "in is also choosing out)",
        }
    ]


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
