"""Goal pictures and their follow-up as the API shows them."""

from __future__ import annotations

from typing import Any

from ecosystem.goal_pictures import PictureKind
from ecosystem.goals_followup import GoalStatus, IndicatorStatus, movement
from ecosystem.labels import FULFILMENT, PICTURE_KINDS
from ecosystem.services.goals import FollowUp, GoalPicture, GoalPictureRecord

__all__ = ["follow_up_view", "goal_picture_view", "picture_view"]


def picture_view(picture: GoalPictureRecord, warnings: list[dict[str, str]]) -> dict[str, Any]:
    """One revision: the document as saved, who saved it, when, and its warnings."""
    return {
        "owner_kind": picture.owner_kind,
        "owner_id": picture.owner_id,
        "revision": picture.revision,
        "actor": picture.actor,
        **picture.document,
        "created_at": picture.created_at.isoformat(),
        "warnings": warnings,
    }


def goal_picture_view(found: GoalPicture) -> dict[str, Any]:
    """The current picture, and every revision's number, author and moment."""
    return {
        **picture_view(found.picture, found.warnings),
        "history": [
            {"revision": h.revision, "actor": h.actor, "created_at": h.created_at.isoformat()}
            for h in found.history
        ],
    }


def follow_up_view(found: FollowUp) -> dict[str, Any]:
    picture = found.picture
    kind = picture.document.get("kind", PictureKind.GOAL_PICTURE.value)
    return {
        "owner_kind": picture.owner_kind,
        "owner_id": picture.owner_id,
        "revision": picture.revision,
        "kind": kind,
        "kind_label": PICTURE_KINDS[kind].da,
        "kind_label_en": PICTURE_KINDS[kind].en,
        "text": picture.document["text"],
        "period": picture.document["period"],
        "warnings": found.warnings,
        "goals": [_goal_status_view(status) for status in found.goals],
    }


def _goal_status_view(status: GoalStatus) -> dict[str, Any]:
    label = FULFILMENT[status.fulfilment]
    return {
        "code": status.code,
        "title": status.title,
        "description": status.description,
        "task_type": status.task_type.value,
        "measure_type": status.measure_type.value,
        "fulfilment": status.fulfilment.value,
        "fulfilment_label": label.da,
        "fulfilment_label_en": label.en,
        "period": status.period,
        "narrative": status.narrative,
        "real_change": status.real_change,
        "summary": status.summary.da,
        "summary_en": status.summary.en,
        "indicators": [_indicator_view(i) for i in status.indicators],
        "projects": list(status.projects),
        "without_projects": status.without_projects,
    }


def _indicator_view(indicator: IndicatorStatus) -> dict[str, Any]:
    moved, variation = movement(indicator), indicator.variation
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "baseline": indicator.baseline,
        "target": indicator.target,
        "latest": indicator.latest,
        "latest_period": indicator.latest_period,
        "trend": indicator.trend.value,
        "distance_to_target": indicator.distance_to_target,
        "progress": indicator.progress,
        "movement": moved.value if moved else None,
        "best_area": indicator.best_area,
        "best_value": indicator.best_value,
        "distance_to_best": indicator.distance_to_best,
        "distance_to_best_before": indicator.distance_to_best_before,
        "variation": None
        if variation is None
        else {
            "first_period": variation.first_period,
            "first_spread": variation.first_spread,
            "latest_period": variation.latest_period,
            "latest_spread": variation.latest_spread,
            "change": variation.change.value,
        },
    }
