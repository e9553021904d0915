"""Projects as routing and the analyses see them, and the slice an analysis works on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ecosystem.groups.reference import Reference
from ecosystem.model import ACTIVE_STAGES, EvidenceOutcome, ProjectRecord, Stage


@dataclass(frozen=True)
class ProjectInfo:
    """What routing and the analyses need from one published project, computed once."""

    record: ProjectRecord
    id: int
    organisation_id: str
    themes: frozenset[str]
    target_groups: frozenset[str]
    goals: frozenset[str]
    places: frozenset[str]
    organisation_kind: str
    stage: Stage
    evidence_outcome: str | None
    is_active: bool
    is_mature: bool

    @classmethod
    def of(cls, record: ProjectRecord, reference: Reference) -> ProjectInfo:
        card = record.card
        organisation = reference.organisation(record.organisation_id)
        # A project that names no area is placed where its organisation works.
        places = card.areas or organisation.areas
        stage = card.stage
        outcome = card.evidence_outcome.value if card.evidence_outcome else None
        return cls(
            record=record,
            id=record.id,
            organisation_id=record.organisation_id,
            themes=frozenset(card.themes),
            target_groups=frozenset(card.target_groups),
            goals=frozenset(card.goals),
            places=frozenset(places),
            organisation_kind=organisation.kind,
            stage=stage,
            evidence_outcome=outcome,
            is_active=stage in ACTIVE_STAGES,
            is_mature=_is_mature(stage, outcome),
        )

    @property
    def title(self) -> str:
        return self.record.card.title


@dataclass
class Slice:
    """The projects an analysis works on, with the reference data to read them."""

    reference: Reference
    projects: list[ProjectInfo]

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.projects}

    def add(self, more: Iterable[ProjectInfo]) -> None:
        for project in more:
            if project.id not in self.by_id:
                self.projects.append(project)
                self.by_id[project.id] = project


def _is_mature(stage: Stage, outcome: str | None) -> bool:
    """Ready to spread: in implementation or operation, or completed with a positive evaluation.

    A negative evaluation takes a project out, whatever its stage.
    """
    if outcome == EvidenceOutcome.NEGATIVE:
        return False
    if stage in (Stage.IMPLEMENTATION, Stage.OPERATION):
        return True
    return stage is Stage.COMPLETED and outcome == EvidenceOutcome.POSITIVE
