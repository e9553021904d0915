"""Writing a ranked candidate out: its reasons, in Danish and English, and its adopters."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from ecosystem.deliberately_not import OptOut, OptOuts, chose, covering
from ecosystem.gaps import Gap
from ecosystem.groups import ProjectInfo, Reference
from ecosystem.labels import STAGES, Label
from ecosystem.overlap import OverlapPair, Relation
from ecosystem.scaling.adopters import Places, Suggestion, reason
from ecosystem.scaling.drafts import Draft
from ecosystem.scaling.model import (
    SEVERITY_POINTS,
    STARTING_POINTS,
    Adopter,
    Candidate,
    Reason,
    ReasonKind,
)


def adopter_of(
    suggestion: Suggestion, reference: Reference, opted_out: tuple[OptOut, ...] = ()
) -> Adopter:
    """A suggested adopter as the candidate shows it: who, where, and one sentence why.

    ``opted_out``: its entries in the "fravalgt" register covering the candidate; their
    words lead, so the group reads the organisation's own choice before the need.
    """
    return Adopter(
        organisation=suggestion.organisation,
        areas=suggestion.places,
        reasons=(*(chose(e) for e in opted_out), reason(suggestion, reference)),
        starting=tuple(sorted(other.id for other, _ in suggestion.starting)),
        need=suggestion.need.value,
        opted_out=tuple(e.id for e in opted_out),
    )


def choices_covering(
    project: ProjectInfo, suggestion: Suggestion, reference: Reference, choices: OptOuts | None
) -> tuple[OptOut, ...]:
    """The adopter's entries in force that hold one of the candidate's themes (for one of
    its target groups, if it names any) where the adopter would take it up."""
    if suggestion.organisation is None:
        return ()
    return choices_of(
        project, reference, choices, concerned=(suggestion.organisation,), areas=suggestion.places
    )


def choices_of(
    project: ProjectInfo,
    reference: Reference,
    choices: OptOuts | None,
    *,
    concerned: Sequence[str],
    areas: Collection[str],
) -> tuple[OptOut, ...]:
    """The entries in force by which the organisations ``concerned`` chose not to take the
    candidate up in ``areas``: one of its themes (for one of its target groups, if it names
    any), chosen by every one of them, as a gap needs to be fravalgt
    (:func:`ecosystem.deliberately_not.covering`). None when one of them has not chosen it.

    Only the organisations' own entries count: the group's are its choice, not the adopter's.
    """
    if choices is None or not concerned:
        return ()
    theirs = replace(choices, group=())
    groups: tuple[str | None, ...] = tuple(sorted(project.target_groups)) or (None,)
    found: dict[int, OptOut] = {}
    for theme in sorted(project.themes):
        for group in groups:
            cell = covering(
                theirs,
                reference,
                theme=theme,
                target_group=group,
                areas=areas,
                concerned=concerned,
            )
            for entry in cell:
                found.setdefault(entry.id, entry)
    return tuple(found.values())


class CandidateBuilder:
    """Writes out one ranked candidate's reasons and adopters."""

    def __init__(
        self,
        draft: Draft,
        reference: Reference,
        places: Places,
        opted_out: OptOuts | None = None,
    ) -> None:
        self.draft = draft
        self.opted_out = opted_out
        self.project = draft.project
        self.reference = reference
        self.places = places
        self.reasons: list[Reason] = []

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

    def absent_in(self, area: str) -> None:
        label = self.reference.area_label(area)
        text = Label(f"Intet lignende projekt i {label.da}.", f"Nothing like it in {label.en}.")
        self.reasons.append(Reason(ReasonKind.ABSENT, text, 1))

    def chosen_by(self, suggestion: Suggestion) -> tuple[OptOut, ...]:
        return choices_covering(self.project, suggestion, self.reference, self.opted_out)

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
            adopter_of(s, self.reference, self.chosen_by(s))
            for s in self.draft.suggested(self.places)
        ]
        # A group recommends, never commands: an organisation that chose not to do this
        # is still named, with its own reason, but after every other adopter.
        adopters.sort(key=lambda a: bool(a.opted_out))
        return Candidate(
            self.project.id,
            rank,
            self.draft.score,
            tuple(self.reasons),
            tuple(adopters),
            # the candidate shows the evidence as the card gives it
            evidence.to_data() if evidence else {},
        )
