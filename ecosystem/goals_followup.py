"""Goals followed up with judgement: a strategic goal picture, 5–10 goals, trend and distance.

The model follows the goals-and-results plan (DOMAIN.md §1.4–§1.5): a short strategic
goal picture for a multi-year period, a handful of concrete goals on one level (no
sub-goals), each an operational or policy-like task, measured quantitatively or
qualitatively, with optional indicators (baseline, target, actual values per period).

Status is never pass/fail (DOMAIN.md P11, P17): each indicator shows its trend direction
and its distance to target, and each goal carries the owner's narrative assessment. A
partly met goal must be explained and is shown as partly met — there is no "failed".
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
    "Fulfilment",
    "GoalPictureSchema",
    "GoalStatus",
    "IndicatorStatus",
    "MeasureType",
    "TaskType",
    "Trend",
    "follow_up",
    "goal_warnings",
]

GOAL_SOFT_LIMIT = 10  # B:632-690: 5–10 concrete goals; more is accepted with a warning
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


class GoalIndicatorSchema(_Strict):
    name = Text(required=True, validate=validate.Length(min=1, max=300))
    unit = Text(load_default="", validate=validate.Length(max=40))
    direction = Text(load_default="up", validate=validate.OneOf([d.value for d in Direction]))
    baseline = fields.Nested(GoalValueSchema, allow_none=True, load_default=None)
    target = fields.Nested(GoalValueSchema, allow_none=True, load_default=None)
    values = fields.List(fields.Nested(GoalValueSchema), load_default=list)


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
    task_type = Text(required=True, validate=validate.OneOf([t.value for t in TaskType]))
    measure_type = Text(required=True, validate=validate.OneOf([m.value for m in MeasureType]))
    indicators = fields.List(fields.Nested(GoalIndicatorSchema), load_default=list)
    assessments = fields.List(fields.Nested(GoalAssessmentSchema), load_default=list)


class GoalPictureSchema(_Strict):
    """A strategic goal picture and its concrete goals, one level only (no sub-goals)."""

    text = Text(required=True, validate=validate.Length(min=1, max=20_000))
    period = fields.Nested(GoalPeriodSchema, required=True)
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
    """Soft limits: more than ten goals is accepted, with a warning."""
    count = len(picture.get("goals", ()))
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
    return IndicatorStatus(
        name=indicator["name"],
        unit=indicator.get("unit", ""),
        direction="up" if up else "down",
        baseline=base,
        target=goal,
        latest=latest,
        latest_period=str(values[-1]["period"]) if values else None,
        trend=_trend(previous, latest, up),
        distance_to_target=_distance(latest, goal, up),
        progress=_progress(base, latest, goal),
    )


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
