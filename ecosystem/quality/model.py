"""What a data quality report holds: plain, frozen results naming projects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ecosystem.groups import Group
from ecosystem.labels import Label
from ecosystem.model import ProjectRecord

__all__ = [
    "CodeProblem",
    "FieldCompleteness",
    "GroupReview",
    "Named",
    "Placeholder",
    "QualityReport",
    "ScorePart",
    "StaleProject",
    "Suggestion",
    "named",
]


@dataclass(frozen=True)
class Named:
    """A project as a suggestion names it."""

    id: int
    external_id: str
    title: str


@dataclass(frozen=True)
class GroupReview:
    """A group and the meeting date of the last review it has held."""

    group: Group
    meeting_date: dt.date


@dataclass(frozen=True)
class FieldCompleteness:
    """One field the analyses read: how many projects it applies to, and who leaves it out."""

    key: str
    label: Label
    why: Label  # what an analysis does with it
    applies: int
    missing: tuple[Named, ...]

    @property
    def complete(self) -> int:
        return self.applies - len(self.missing)

    @property
    def share(self) -> float:
        return self.complete / self.applies if self.applies else 1.0


@dataclass(frozen=True)
class Placeholder:
    project: Named
    words: int
    same_as_title: bool


@dataclass(frozen=True)
class StaleProject:
    """A card not confirmed since the last review of a group covering it (the latest one)."""

    project: Named
    confirmed: dt.date  # the later of last_reviewed and the last change
    group_id: str
    group_name: str
    review_date: dt.date


@dataclass(frozen=True)
class CodeProblem:
    project: Named
    field: str  # themes, target_groups, areas or goals
    code: str
    reason: Label


@dataclass(frozen=True)
class ScorePart:
    key: str
    label: Label
    weight: int
    share: float  # 0..1 of the part met
    explanation: Label

    @property
    def points(self) -> float:
        return self.weight * self.share


@dataclass(frozen=True)
class Suggestion:
    """One concrete thing that would make the portfolio more useful, with the projects."""

    key: str
    text: Label
    projects: tuple[Named, ...]
    gain: float  # points the score would rise by if every named project were fixed


@dataclass(frozen=True)
class QualityReport:
    projects: int
    fields: tuple[FieldCompleteness, ...]
    placeholders: tuple[Placeholder, ...]
    stale: tuple[StaleProject, ...]
    codes: tuple[CodeProblem, ...]
    parts: tuple[ScorePart, ...]
    score: int | None  # None for a portfolio with no projects to judge
    suggestions: tuple[Suggestion, ...]
    reviews: tuple[GroupReview, ...]  # the groups' last reviews staleness was judged by


def named(record: ProjectRecord) -> Named:
    return Named(record.id, record.external_id, record.card.title)
