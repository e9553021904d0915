"""The group and its vocabulary: mandate, members, ambition, and the group as a document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Value/risk quadrant keys (Cooper, Edgett & Kleinschmidt 2002); see ecosystem.balance.
QUADRANT_KEYS = ("pearls", "oysters", "bread_and_butter", "white_elephants")
# Path segments under /groups that are endpoints, so they cannot be group ids.
RESERVED_GROUP_IDS = frozenset({"routing"})


class MandateLevel(StrEnum):
    """How far a group's word goes (DOMAIN.md §1.9): it never edits others' projects."""

    ADVISE = "advise"  # rådgive
    PRIORITISE = "prioritise"  # prioritere
    ALLOCATE = "allocate"  # tildele midler


class MemberRole(StrEnum):
    """The leadership chain (DOMAIN.md §1.10)."""

    POLITICAL = "political"
    ADMINISTRATIVE = "administrative"
    PROFESSIONAL = "professional"


class ReviewCadence(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"  # the default: quarterly portfolio conversations (DOMAIN.md P4)
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


@dataclass(frozen=True)
class Mandate:
    """The slice of the ecosystem a group looks after; empty lists mean 'all'."""

    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    goal_sets: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    level: MandateLevel = MandateLevel.ADVISE


@dataclass(frozen=True)
class Member:
    organisation: str
    role: MemberRole


@dataclass(frozen=True)
class Ambition:
    """Target shares of the group's active projects (each between 0 and 1)."""

    stage_shares: Mapping[str, float] = field(default_factory=dict)
    quadrant_shares: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    mandate: Mandate
    coordinators: tuple[str, ...]
    description: str = ""
    members: tuple[Member, ...] = ()
    review_cadence: ReviewCadence = ReviewCadence.QUARTERLY
    ambition: Ambition | None = None
    demo: bool = False
    revision: int = 1
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


def group_from_document(
    document: Mapping[str, Any],
    *,
    revision: int = 1,
    created_at: dt.datetime | None = None,
    updated_at: dt.datetime | None = None,
) -> Group:
    """A group from its validated document (see :class:`GroupSchema`)."""
    mandate = document["mandate"]
    ambition = document.get("ambition")
    return Group(
        id=document["id"],
        name=document["name"],
        description=document.get("description") or "",
        mandate=Mandate(
            themes=tuple(mandate.get("themes", ())),
            target_groups=tuple(mandate.get("target_groups", ())),
            areas=tuple(mandate.get("areas", ())),
            goal_sets=tuple(mandate.get("goal_sets", ())),
            goals=tuple(mandate.get("goals", ())),
            level=MandateLevel(mandate.get("level", MandateLevel.ADVISE)),
        ),
        members=tuple(
            Member(m["organisation"], MemberRole(m["role"])) for m in document.get("members", ())
        ),
        coordinators=tuple(document["coordinators"]),
        review_cadence=ReviewCadence(document.get("review_cadence", ReviewCadence.QUARTERLY)),
        ambition=Ambition(
            stage_shares=dict(ambition.get("stage_shares") or {}),
            quadrant_shares=dict(ambition.get("quadrant_shares") or {}),
        )
        if ambition
        else None,
        demo=bool(document.get("demo")),
        revision=revision,
        created_at=created_at,
        updated_at=updated_at,
    )


def group_to_document(group: Group) -> dict[str, Any]:
    """The group as the plain document it was created from (JSON-ready)."""
    ambition = group.ambition
    return {
        "id": group.id,
        "name": group.name,
        "description": group.description,
        "mandate": {
            "themes": list(group.mandate.themes),
            "target_groups": list(group.mandate.target_groups),
            "areas": list(group.mandate.areas),
            "goal_sets": list(group.mandate.goal_sets),
            "goals": list(group.mandate.goals),
            "level": group.mandate.level.value,
        },
        "members": [{"organisation": m.organisation, "role": m.role.value} for m in group.members],
        "coordinators": list(group.coordinators),
        "review_cadence": group.review_cadence.value,
        "ambition": {
            "stage_shares": dict(ambition.stage_shares),
            "quadrant_shares": dict(ambition.quadrant_shares),
        }
        if ambition
        else None,
        "demo": group.demo,
    }
