"""Overlap between projects of different organisations: scored with the graph, explained, classified."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Geography", "OverlapMatch", "OverlapPair", "Relation"]


class Relation(StrEnum):
    """How two overlapping projects relate, and what that suggests."""

    DUPLICATE = "duplicate"  # the same thing in the same place
    PARALLEL = "parallel"  # the same thing elsewhere: coordinate and learn
    SEQUENTIAL = "sequential"  # one is mature, the other starting: adopt, don't reinvent
    COMPLEMENTARY = "complementary"  # same target group, different approach


class Geography(StrEnum):
    """The closest place two projects share, from nearest to farthest."""

    SAME_MUNICIPALITY = "same_municipality"
    SAME_COUNCIL = "same_council"
    SAME_REGION = "same_region"
    NATIONAL = "national"
    ELSEWHERE = "elsewhere"


@dataclass(frozen=True)
class OverlapMatch:
    """One project found to overlap another (or a draft), with the reasons."""

    project_id: int
    score: float
    relation: Relation
    text_score: float
    shared_terms: tuple[tuple[str, float], ...]
    shared_themes: tuple[str, ...]
    shared_target_groups: tuple[str, ...]
    geography: Geography
    partner_link: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class OverlapPair:
    """Two published projects of different organisations that overlap (``a < b``)."""

    a: int
    b: int
    match: OverlapMatch
