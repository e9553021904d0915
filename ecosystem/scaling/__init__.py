"""Scaling candidates: mature projects that others could adopt instead of reinventing them.

"Pick ideas up where they have matured" (DOMAIN.md §1.9). A candidate is a mature
project (implementation or operation, or completed with a positive evaluation; never one
evaluated negatively) for which at least one of these holds:

* **it fills a gap** of the mandate: its theme (and target group, where the gap names
  one) is missing or thin somewhere in the mandate, or the mandate has nothing ready to
  spread in its theme, or it carries a public value the mandate lacks;
* **others are starting the same thing**: the overlap engine pairs it, as parallel or
  sequential, with another organisation's project at idea, analysis or pilot inside the
  mandate.

The candidate adopters are the organisations that answer for the places that lack it
(:meth:`ecosystem.groups.Reference.owners_of`), and the organisations starting the same
thing. When others are starting it, the areas of the mandate where neither the
candidate nor anything like it exists are adopters too.

Candidates are ranked by a transparent score, shown with its reasons: each gap filled
counts by severity (high 3, medium 2, low 1); each organisation starting the same thing
counts 3 in sequence and 2 in parallel; each area with nothing like it counts 1; a
positive evaluation adds 2 and operation adds 1. The score orders the list; the reasons
are what the group discusses.

``model`` holds the points and the nouns, ``drafts`` what makes each project a
candidate, ``ranking`` orders them, and ``reasons`` writes the shown candidates out.
"""

from ecosystem.scaling.model import (
    FILLABLE,
    SAME_THING,
    SEVERITY_POINTS,
    STARTING_POINTS,
    Adopter,
    Candidate,
    Reason,
    ReasonKind,
)
from ecosystem.scaling.ranking import find_candidates, rank_candidates

__all__ = [
    "FILLABLE",
    "SAME_THING",
    "SEVERITY_POINTS",
    "STARTING_POINTS",
    "Adopter",
    "Candidate",
    "Reason",
    "ReasonKind",
    "find_candidates",
    "rank_candidates",
]
