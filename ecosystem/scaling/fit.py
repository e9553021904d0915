"""Candidates for one adopter: what an organisation or an area could take up, best fit first.

Only candidates the adopter is a suggested adopter of count (it lacks them and needs
them, :mod:`ecosystem.scaling.adopters`). Each is scored by its fit to that adopter,
factor by factor, and every factor says what it added:

* **gap**: it fills a gap of the adopter: the worst such gap's severity (high 3,
  medium 2, low 1), and 1 more when the gap is the adopter's own rather than the
  council's, region's or mandate's it lies in;
* **starting**: the adopter is starting the same thing itself: 3 (build on it instead);
* **target group**: it is for people the adopter already works with: 2;
* **evidence**: a positive evaluation: 2;
* **maturity**: in operation 2, in implementation 1 (completed: 0, it has stopped);
* **nearby**: it runs in the adopter's health council 2, in its region 1: a neighbour
  shares the hospital and the health agreement, and can be visited.

The **obvious** ones come first whatever their points: proven (a positive
evaluation), for a target group the adopter works with, and lacking there. Then more
points first; ties go to the higher score in the mandate, then to the lower id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ecosystem.deliberately_not import OptOuts
from ecosystem.gaps import GapReport
from ecosystem.groups import Mandate, ProjectInfo, Reference, Scope
from ecosystem.groups.reference import Proximity
from ecosystem.labels import Label
from ecosystem.model import Stage
from ecosystem.overlap import OverlapPair
from ecosystem.scaling.adopters import Need, Places, Suggestion
from ecosystem.scaling.drafts import Draft, collect_drafts
from ecosystem.scaling.model import SEVERITY_POINTS, Adopter, Candidate
from ecosystem.scaling.reasons import CandidateBuilder, adopter_of, choices_of

OWN_GAP_POINTS = 1
STARTING_FIT = 3
TARGET_GROUP_FIT = 2
EVIDENCE_FIT = 2
MATURITY_FIT = {Stage.OPERATION: 2, Stage.IMPLEMENTATION: 1}
NEARBY_FIT = {Proximity.SAME_COUNCIL: 2, Proximity.SAME_REGION: 1}


class FitKind(StrEnum):
    GAP = "gap"
    STARTING = "starting"
    TARGET_GROUP = "target_group"
    EVIDENCE = "evidence"
    MATURITY = "maturity"
    NEARBY = "nearby"


@dataclass(frozen=True)
class Factor:
    """One factor of the fit, what it added, and why, in Danish and English."""

    kind: FitKind
    points: int
    text: Label


@dataclass(frozen=True)
class Fit:
    """A candidate for one adopter: the candidate, the adopter's place in it, the fit."""

    rank: int
    candidate: Candidate
    adopter: Adopter
    points: int
    obvious: bool
    factors: tuple[Factor, ...]


def candidates_for_adopter(
    adopter: str,
    mandate: Mandate,
    projects: Iterable[ProjectInfo],
    gaps: GapReport,
    pairs: Sequence[OverlapPair] | None,
    reference: Reference,
    limit: int | None = None,
    opted_out: OptOuts | None = None,
) -> tuple[list[Fit], int]:
    """The best ``limit`` candidates for ``adopter`` (an organisation id or an area code),
    ranked by fit as the module says, and how many there are in all.

    ``opted_out``: the "fravalgt" register. A candidate the adopter chose not to take up
    (an area: every organisation answering for it, as for a gap) comes after all others,
    its reason first, as the group's ranking lists such an adopter last; never dropped.
    """
    scope = Scope(mandate, reference)
    projects = list(projects)
    places = Places.of(scope, projects, engine=pairs is not None)
    drafts = collect_drafts(gaps, projects, pairs or [], scope)
    home = _home(adopter, reference)
    concerned, areas = _answering(adopter, reference, scope)
    scored = []
    for draft in drafts:
        suggestion = _suggestion_for(adopter, draft.suggested(places))
        if suggestion is not None:
            factors = _factors(draft, suggestion, reference, home)
            chosen = choices_of(
                draft.project,
                reference,
                opted_out,
                concerned=concerned,
                areas=areas or suggestion.places,
            )
            scored.append((draft, suggestion, factors, chosen))
    scored.sort(key=lambda item: (bool(item[3]), *_order(item[0], item[1], item[2])))
    shown = scored if limit is None else scored[:limit]
    fits = [
        Fit(
            rank,
            CandidateBuilder(draft, reference, places, opted_out).build(rank),
            adopter_of(suggestion, reference, chosen),
            sum(f.points for f in factors),
            _obvious(draft, suggestion),
            factors,
        )
        for rank, (draft, suggestion, factors, chosen) in enumerate(shown, start=1)
    ]
    return fits, len(scored)


def _answering(
    adopter: str, reference: Reference, scope: Scope
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Whose choices count for the adopter, and where (none: where it would take it up).

    An organisation answers for itself; an area through the organisations answering for
    it, as the gap rule reads them (:func:`ecosystem.gaps.deliberate.set_apart`).
    """
    if adopter in reference.organisations:
        return (adopter,), ()
    return reference.owners_of(adopter, scope.units), (adopter,)


def _suggestion_for(adopter: str, suggestions: Sequence[Suggestion]) -> Suggestion | None:
    """The adopter's own suggestion: as the organisation, or as the place it names."""
    for suggestion in suggestions:
        if suggestion.key in (adopter, f"area:{adopter}"):
            return suggestion
    for suggestion in suggestions:
        if adopter in suggestion.places and suggestion.need is not Need.STARTING:
            return suggestion
    return None


def _obvious(draft: Draft, suggestion: Suggestion) -> bool:
    return draft.positive and bool(suggestion.shared_target_groups)


def _home(adopter: str, reference: Reference) -> tuple[str, ...]:
    """Where the adopter is: an organisation's areas, or the area itself."""
    if adopter in reference.organisations:
        return reference.organisation(adopter).areas
    return (adopter,)


def _order(
    draft: Draft, suggestion: Suggestion, factors: Sequence[Factor]
) -> tuple[bool, int, int, int]:
    return (
        not _obvious(draft, suggestion),
        -sum(f.points for f in factors),
        -draft.score,
        draft.project.id,
    )


def _factors(
    draft: Draft, suggestion: Suggestion, reference: Reference, home: Sequence[str]
) -> tuple[Factor, ...]:
    factors: list[Factor] = []
    if suggestion.gaps:
        factors.append(_gap_factor(suggestion))
    if suggestion.need is Need.STARTING:
        factors.append(
            Factor(
                FitKind.STARTING,
                STARTING_FIT,
                Label(
                    "Er selv i gang med det samme og kan bygge videre på det.",
                    "Is starting the same thing itself and could build on this.",
                ),
            )
        )
    if suggestion.shared_target_groups:
        labels = [reference.target_group_label(t) for t in sorted(suggestion.shared_target_groups)]
        factors.append(
            Factor(
                FitKind.TARGET_GROUP,
                TARGET_GROUP_FIT,
                Label(
                    "Samme målgruppe, som der allerede arbejdes med: "
                    + ", ".join(x.da.lower() for x in labels)
                    + ".",
                    "The same target group it already works with: "
                    + ", ".join(x.en.lower() for x in labels)
                    + ".",
                ),
            )
        )
    if draft.positive:
        factors.append(
            Factor(
                FitKind.EVIDENCE,
                EVIDENCE_FIT,
                Label("Dokumenteret: positiv evaluering.", "Proven: a positive evaluation."),
            )
        )
    factors.append(_maturity_factor(draft.project.stage))
    nearby = _nearby_factor(draft.project, reference, home)
    if nearby is not None:
        factors.append(nearby)
    return tuple(factors)


def _nearby_factor(
    project: ProjectInfo, reference: Reference, home: Sequence[str]
) -> Factor | None:
    nearest = min(
        (reference.proximity(project.places, area) for area in home),
        key=lambda p: p.rank,
        default=Proximity.NATIONAL,
    )
    points = NEARBY_FIT.get(nearest, 0)
    if not points:
        return None
    text = (
        Label("Kører allerede i samme sundhedsråd.", "Already runs in the same health council.")
        if nearest is Proximity.SAME_COUNCIL
        else Label("Kører allerede i samme region.", "Already runs in the same region.")
    )
    return Factor(FitKind.NEARBY, points, text)


def _gap_factor(suggestion: Suggestion) -> Factor:
    worst = max(suggestion.gaps, key=lambda gap: SEVERITY_POINTS[gap.severity])
    own = suggestion.need is Need.OWN_GAP
    points = SEVERITY_POINTS[worst.severity] + (OWN_GAP_POINTS if own else 0)
    where = Label("eget hul", "its own gap") if own else Label("områdets hul", "its area's gap")
    return Factor(
        FitKind.GAP,
        points,
        Label(
            f"Udfylder et hul ({where.da}, {worst.severity.label.da.lower()}): "
            f"mangler {worst.subject.da}.",
            f"Fills a gap ({where.en}, {worst.severity.label.en.lower()}): "
            f"lacks {worst.subject.en}.",
        ),
    )


def _maturity_factor(stage: Stage) -> Factor:
    points = MATURITY_FIT.get(stage, 0)
    texts = {
        Stage.OPERATION: Label("I drift.", "In operation."),
        Stage.IMPLEMENTATION: Label("Under udbredelse.", "Being implemented."),
    }
    text = texts.get(stage, Label("Afsluttet, ikke i drift.", "Completed, not in operation."))
    return Factor(FitKind.MATURITY, points, text)
