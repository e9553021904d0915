"""The nouns of scaling: the points a reason earns, reasons, adopters and candidates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ecosystem.gaps import GapKind, Severity
from ecosystem.labels import Label
from ecosystem.overlap import Relation

# The gaps a mature project elsewhere can fill by being adopted.
FILLABLE = frozenset(
    {
        GapKind.THEME_AREA,
        GapKind.THEME_TARGET_GROUP,
        GapKind.PUBLIC_VALUE,
        GapKind.PIPELINE_NO_LATE,
    }
)
SEVERITY_POINTS = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}
STARTING_POINTS = {Relation.SEQUENTIAL: 3, Relation.PARALLEL: 2}
SAME_THING = frozenset({Relation.DUPLICATE, Relation.PARALLEL, Relation.SEQUENTIAL})


class ReasonKind(StrEnum):
    GAP = "gap"  # fills a gap of the mandate
    STARTING = "starting"  # another organisation is starting the same thing
    ABSENT = "absent"  # nothing like it in an area of the mandate
    EVIDENCE = "evidence"  # a positive evaluation


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    text: Label
    points: int
    gap_id: str | None = None
    project_id: int | None = None


@dataclass(frozen=True)
class Adopter:
    """An organisation (or an area without one) that could take the project up.

    ``reasons`` leads with the one sentence saying why; ``need`` names the rule that
    made it an adopter (:class:`ecosystem.scaling.adopters.Need`).
    """

    organisation: str | None
    areas: tuple[str, ...]
    reasons: tuple[Label, ...]
    starting: tuple[int, ...] = ()  # its own projects that start the same thing
    need: str | None = None
    # Its "fravalgt" entries covering the candidate: it is listed last, their reason first.
    opted_out: tuple[int, ...] = ()

    @property
    def reason(self) -> Label:
        return self.reasons[0]


@dataclass(frozen=True)
class Candidate:
    project_id: int
    rank: int
    score: int
    reasons: tuple[Reason, ...]
    adopters: tuple[Adopter, ...]
    evidence: Mapping[str, Any] = field(default_factory=dict)
