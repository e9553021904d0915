"""Reference data: the record schemas live in the core (the seed loader uses them too)."""

from __future__ import annotations

from ecosystem.reference_schemas import (
    AreaSchema,
    GoalSchema,
    GoalSetSchema,
    OrganisationSchema,
    TargetGroupSchema,
    ThemeSchema,
)

__all__ = [
    "AreaSchema",
    "GoalSchema",
    "GoalSetSchema",
    "OrganisationSchema",
    "TargetGroupSchema",
    "ThemeSchema",
]
