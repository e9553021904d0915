"""The goal picture: a strategic text for a multi-year period and its 5–10 concrete goals.

The model follows the goals-and-results plan (DOMAIN.md §1.4–§1.5): a short strategic
goal picture for a multi-year period, a handful of concrete goals on one level (no
sub-goals), each an operational or policy-like task, measured quantitatively or
qualitatively, with optional indicators (baseline, target, actual values per period, and
comparable areas' values). A picture may be a health council's nærsundhedsplan
(``kind``); without a kind it is an ordinary goal picture. How the goals are followed up
is :mod:`ecosystem.goals_followup`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ecosystem.safe_text import Text

__all__ = [
    "GOAL_SOFT_LIMIT",
    "GOAL_SOFT_MINIMUM",
    "Direction",
    "Fulfilment",
    "GoalPictureSchema",
    "MeasureType",
    "PictureKind",
    "TaskType",
    "goal_warnings",
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
