"""Writing a ranked candidate out: its reasons, in Danish and English, and its adopters."""

from __future__ import annotations

from typing import Any

from ecosystem.gaps import Gap
from ecosystem.groups import ProjectInfo, Reference, Scope
from ecosystem.labels import STAGES, Label
from ecosystem.overlap import OverlapPair, Relation
from ecosystem.scaling.drafts import Draft, owner_keys
from ecosystem.scaling.model import (
    SEVERITY_POINTS,
    STARTING_POINTS,
    Adopter,
    Candidate,
    Reason,
    ReasonKind,
)


class CandidateBuilder:
    """Writes out one ranked candidate's reasons and adopters."""

    def __init__(self, draft: Draft, reference: Reference, scope: Scope) -> None:
        self.draft = draft
        self.project = draft.project
        self.reference = reference
        self.scope = scope
        self.reasons: list[Reason] = []
        self.adopters: dict[str, dict[str, Any]] = {}

    def _adopter(self, key: str, organisation: str | None) -> dict[str, Any]:
        return self.adopters.setdefault(
            key, {"organisation": organisation, "areas": [], "reasons": [], "starting": []}
        )

    def _add_area(self, area: str, reason: Label, excluded: set[str]) -> None:
        for key in sorted(owner_keys(area, self.scope, self.project, excluded)):
            adopter = self._adopter(key, None if key.startswith("area:") else key)
            if area not in adopter["areas"]:
                adopter["areas"].append(area)
            if reason not in adopter["reasons"]:
                adopter["reasons"].append(reason)

    def fills(self, gap: Gap) -> None:
        self.reasons.append(
            Reason(
                ReasonKind.GAP,
                Label(
                    f"Kan udfylde et hul ({gap.severity.label.da}): {gap.explanation.da}",
                    f"Could fill a gap ({gap.severity.label.en}): {gap.explanation.en}",
                ),
                SEVERITY_POINTS[gap.severity],
                gap_id=gap.id,
            )
        )
        for area in [gap.area] if gap.area else self.scope.areas:
            label = self.reference.area_label(area)
            self._add_area(
                area,
                Label(
                    f"{label.da} mangler {gap.subject.da}.", f"{label.en} lacks {gap.subject.en}."
                ),
                set(),
            )

    def starting(self, other: ProjectInfo, pair: OverlapPair) -> None:
        organisation = self.reference.organisation(other.organisation_id)
        stage = STAGES[other.stage].lower()
        relation = pair.match.relation
        how = (
            Label("i forlængelse af dette (sekventielt)", "after this one (sequential)")
            if relation is Relation.SEQUENTIAL
            else Label("sideløbende (parallelt)", "alongside (parallel)")
        )
        text = Label(
            f"{organisation.name} starter det samme {how.da}: «{other.title}» ({stage.da}).",
            f"{organisation.name} is starting the same thing {how.en}: «{other.title}» "
            f"({stage.en}).",
        )
        self.reasons.append(
            Reason(ReasonKind.STARTING, text, STARTING_POINTS[relation], project_id=other.id)
        )
        adopter = self._adopter(other.organisation_id, other.organisation_id)
        adopter["starting"].append(other.id)
        adopter["reasons"].append(text)
        for area in sorted(other.places):
            if area not in adopter["areas"]:
                adopter["areas"].append(area)

    def absent_in(self, area: str) -> None:
        label = self.reference.area_label(area)
        text = Label(f"Intet lignende projekt i {label.da}.", f"Nothing like it in {label.en}.")
        self.reasons.append(Reason(ReasonKind.ABSENT, text, 1))
        self._add_area(area, text, self.draft.doing_it)

    def build(self, rank: int) -> Candidate:
        for gap in self.draft.gaps:
            self.fills(gap)
        for other, pair in self.draft.starters:
            self.starting(other, pair)
        for area in self.draft.absent:
            self.absent_in(area)
        evidence = self.project.record.card.evidence
        if self.draft.positive:
            summary = (evidence.summary if evidence else None) or ""
            self.reasons.append(
                Reason(
                    ReasonKind.EVIDENCE,
                    Label(
                        f"Positiv evaluering. {summary}".strip(),
                        f"Positive evaluation. {summary}".strip(),
                    ),
                    2,
                )
            )
        adopters = [
            Adopter(
                organisation=a["organisation"],
                areas=tuple(a["areas"]),
                reasons=tuple(a["reasons"]),
                starting=tuple(sorted(a["starting"])),
            )
            for a in self.adopters.values()
        ]
        # Those already starting it first, then by how much they lack.
        adopters.sort(key=lambda a: (not a.starting, -len(a.reasons), a.organisation or ""))
        return Candidate(
            self.project.id,
            rank,
            self.draft.score,
            tuple(self.reasons),
            tuple(adopters),
            # the candidate shows the evidence as the card gives it
            evidence.to_data() if evidence else {},
        )
