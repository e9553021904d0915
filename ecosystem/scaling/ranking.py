"""Ranking: the mandate's candidates ordered by their transparent score, best first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ecosystem.deliberately_not import OptOuts
from ecosystem.gaps import GapReport
from ecosystem.groups import Mandate, ProjectInfo, Reference, Scope
from ecosystem.overlap import OverlapPair
from ecosystem.scaling.adopters import Places
from ecosystem.scaling.drafts import collect_drafts
from ecosystem.scaling.model import Candidate
from ecosystem.scaling.reasons import CandidateBuilder


def find_candidates(
    mandate: Mandate,
    projects: Iterable[ProjectInfo],
    gaps: GapReport,
    pairs: Sequence[OverlapPair] | None,
    reference: Reference,
) -> list[Candidate]:
    """The mandate's scaling candidates, best first.

    ``projects`` are the projects the caller may see (mature ones anywhere, and the
    mandate's own); ``gaps`` is the mandate's gap report; ``pairs`` are the overlaps
    the engine found among them, or None without the engine (then themes and target
    groups say what is alike, :mod:`ecosystem.scaling.adopters`).
    """
    return rank_candidates(mandate, projects, gaps, pairs, reference)[0]


def rank_candidates(
    mandate: Mandate,
    projects: Iterable[ProjectInfo],
    gaps: GapReport,
    pairs: Sequence[OverlapPair] | None,
    reference: Reference,
    limit: int | None = None,
    opted_out: OptOuts | None = None,
) -> tuple[list[Candidate], int]:
    """The best ``limit`` candidates with their reasons, and how many there are in all.

    Every mature project on a theme may fill a municipality's gap in that theme, so the
    candidates are first ranked on their scores alone, and only those shown get their
    reasons and adopters written out. ``opted_out``: the "fravalgt" register; an adopter
    whose entries cover the candidate is listed last, its reason first (never dropped).
    """
    scope = Scope(mandate, reference)
    projects = list(projects)
    places = Places.of(scope, projects, engine=pairs is not None)
    drafts = collect_drafts(gaps, projects, pairs or [], scope)
    ranked = sorted(
        (d for d in drafts if d.suggested(places)),
        key=lambda d: d.rank_key(places),
    )
    shown = ranked if limit is None else ranked[:limit]
    candidates = [
        CandidateBuilder(d, reference, places, opted_out).build(rank)
        for rank, d in enumerate(shown, start=1)
    ]
    return candidates, len(ranked)
