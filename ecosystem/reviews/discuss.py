"""What to discuss: the three to seven findings a review pack and a group overview open with.

A pack that lists every overlap, gap and candidate is read by no one; the meeting needs
the few findings worth its time, each with why. :func:`to_discuss` chooses them from a
snapshot (with the previous review's snapshot and the group's decisions) by these rules.

**Kinds**, in the order they are shown, each with its own pool in its own order:

1. *Overlaps*: pairs of projects of two different organisations that are **new** since
   the previous review (at the first review every pair is new), strongest first (score
   descending, then the pair's key).
2. *Gaps*: gaps of **high** severity. Gaps against one of the group's own goals come
   first, then those that opened or became high since the previous review, then the
   broadest (the most areas named), then by gap kind and id.
3. *Scaling candidates*: the best-fitting first, by the candidate's rank (the scaling
   ranking's own order), then project id.
4. *Decisions awaiting an answer*: decisions (not notes) that some owning organisation
   has not agreed to, the longest waiting first (created, then id).

**Left out** of the overlap, gap and candidate pools: findings a decision has settled
(e.g. an accepted duplication), and findings with a decision awaiting an answer (the
decision is the item: the same finding is not raised twice).

**How many**: at most :data:`MOST` (7) in all and :data:`PER_KIND` (2) of each kind. The
pools are taken in turns, in the kind order above: the first of each, then the second of
each, until seven are chosen (so when all four kinds have two, the second decision
waits). When fewer than :data:`FEWEST` (3) are chosen, the turns go on without the limit
of two per kind, over the rest of each pool followed by its fallback: for overlaps the
cross-organisation pairs seen before (strongest first), for gaps those of medium
severity (same order); candidates and decisions have no fallback. A group with fewer
than three findings in all gets what there is.

Every item carries a one-sentence reason in Danish and English (:mod:`ecosystem.reviews.
discuss_words`). The orders used for "see all" lists (:func:`overlaps_by_importance`,
:func:`gaps_by_importance`, :func:`candidates_by_rank`) are the pools' orders, never ids.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import zip_longest

from ecosystem.gaps import Gap, Severity
from ecosystem.labels import Label
from ecosystem.overlap import OverlapPair
from ecosystem.reviews import discuss_words as words
from ecosystem.reviews.decisions import Decision, DecisionKind, ResponseKind, settled_keys
from ecosystem.reviews.discuss_words import gap_areas
from ecosystem.reviews.findings import pair_key
from ecosystem.reviews.snapshot import Snapshot
from ecosystem.scaling import Candidate

__all__ = [
    "FEWEST",
    "MOST",
    "PER_KIND",
    "DiscussKind",
    "ToDiscuss",
    "candidates_by_rank",
    "gap_areas",
    "gaps_by_importance",
    "is_pending",
    "overlaps_by_importance",
    "to_discuss",
]

FEWEST = 3
MOST = 7
PER_KIND = 2


class DiscussKind(StrEnum):
    OVERLAP = "overlap"
    GAP = "gap"
    SCALING = "scaling_candidate"
    DECISION = "decision"


@dataclass(frozen=True)
class ToDiscuss:
    """One item the meeting should discuss: what it is, and why in one sentence."""

    kind: DiscussKind
    key: str  # the finding's key (overlap:1-2, gap:…, scaling:7, decision:3)
    title: Label
    reason: Label
    projects: tuple[int, ...] = ()


# --- the orders --------------------------------------------------------------------------


def overlaps_by_importance(pairs: Iterable[OverlapPair]) -> list[OverlapPair]:
    """Strongest first; the pair's key breaks ties so the order never depends on input."""
    return sorted(pairs, key=lambda p: (-p.match.score, pair_key(p.a, p.b)))


def gaps_by_importance(gaps: Iterable[Gap]) -> list[Gap]:
    """By severity (high first), then breadth (most areas first), then kind and id."""
    return sorted(gaps, key=lambda g: (g.severity.rank, -len(gap_areas(g)), g.kind.rank, g.id))


def candidates_by_rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The scaling ranking's own order (rank 1 first)."""
    return sorted(candidates, key=lambda c: (c.rank, c.project_id))


def is_pending(decision: Decision) -> bool:
    """A decision (not a note) some owning organisation has not agreed to yet."""
    if decision.kind is DecisionKind.NOTE:
        return False
    latest = decision.latest_responses()
    return any(
        owner not in latest or latest[owner].response is not ResponseKind.AGREED
        for owner in decision.owners
    )


# --- choosing ----------------------------------------------------------------------------

_Pools = tuple[list[ToDiscuss], list[ToDiscuss]]  # (the kind's pool, its fallback)


def to_discuss(
    snapshot: Snapshot, previous: Snapshot | None, decisions: Collection[Decision]
) -> list[ToDiscuss]:
    """The three to seven items to discuss, by the rules of this module, in kind order."""
    pending = sorted((d for d in decisions if is_pending(d)), key=lambda d: (d.created_at, d.id))
    skip = settled_keys(decisions) | {d.finding_key for d in pending}
    pools = [
        _overlap_pools(snapshot, previous, skip),
        _gap_pools(snapshot, previous, skip),
        ([_candidate_item(c, snapshot) for c in _open_candidates(snapshot, skip)], []),
        ([_decision_item(d, snapshot) for d in pending], []),
    ]
    chosen = _choose(pools)
    order = {kind: i for i, kind in enumerate(DiscussKind)}
    return sorted(chosen, key=lambda item: order[item.kind])  # stable: each pool's order kept


def _choose(pools: Sequence[_Pools]) -> list[ToDiscuss]:
    """Turns over the pools, at most two each, to seven; then to three from what is left."""
    chosen = _in_turns([primary[:PER_KIND] for primary, _ in pools], MOST)
    if len(chosen) < FEWEST:
        rest = [primary[PER_KIND:] + fallback for primary, fallback in pools]
        chosen += _in_turns(rest, FEWEST - len(chosen))
    return chosen


def _in_turns(pools: Sequence[Sequence[ToDiscuss]], most: int) -> list[ToDiscuss]:
    """The first of each pool, then the second of each, …, at most ``most``."""
    taken = [item for turn in zip_longest(*pools) for item in turn if item is not None]
    return taken[:most]


def _overlap_pools(snapshot: Snapshot, previous: Snapshot | None, skip: Collection[str]) -> _Pools:
    """(new cross-organisation pairs, those seen at the previous review), strongest first."""
    seen_before = previous.pair_keys.keys() if previous is not None else frozenset[str]()
    new: list[ToDiscuss] = []
    old: list[ToDiscuss] = []
    for pair in overlaps_by_importance(snapshot.pairs):
        key = pair_key(pair.a, pair.b)
        if key in skip or not _across_organisations(pair, snapshot):
            continue
        is_new = key not in seen_before
        title, reason = words.overlap(pair, snapshot, is_new=is_new, first=previous is None)
        item = ToDiscuss(DiscussKind.OVERLAP, key, title, reason, (pair.a, pair.b))
        (new if is_new else old).append(item)
    return new, old


def _across_organisations(pair: OverlapPair, snapshot: Snapshot) -> bool:
    a, b = snapshot.context.get(pair.a), snapshot.context.get(pair.b)
    return a is not None and b is not None and a.organisation_id != b.organisation_id


def _gap_pools(snapshot: Snapshot, previous: Snapshot | None, skip: Collection[str]) -> _Pools:
    """(high-severity gaps, goal and new-or-worse first; medium-severity gaps as fallback)."""
    before = previous.gap_ids if previous is not None else {}
    open_gaps = [g for g in gaps_by_importance(snapshot.gaps.gaps) if f"gap:{g.id}" not in skip]

    def item(gap: Gap) -> tuple[ToDiscuss, int, int]:
        """The item, and its place: (goal first, then new or worse since last review)."""
        was = before.get(gap.id)
        opened = previous is not None and was is None
        worse = was is not None and was.severity.rank > gap.severity.rank
        title, reason = words.gap(
            gap, snapshot, opened=opened, was=was.severity if worse and was else None
        )
        found = ToDiscuss(DiscussKind.GAP, f"gap:{gap.id}", title, reason, gap.projects)
        return found, 0 if gap.goal else 1, 0 if opened or worse else 1

    def pool(severity: Severity) -> list[ToDiscuss]:
        ranked = sorted((item(g) for g in open_gaps if g.severity is severity), key=_place)
        return [found for found, _, _ in ranked]

    return pool(Severity.HIGH), pool(Severity.MEDIUM)


def _place(ranked: tuple[ToDiscuss, int, int]) -> tuple[int, int]:
    return ranked[1], ranked[2]


def _open_candidates(snapshot: Snapshot, skip: Collection[str]) -> list[Candidate]:
    ranked = candidates_by_rank(snapshot.candidates)
    return [c for c in ranked if f"scaling:{c.project_id}" not in skip]


def _candidate_item(candidate: Candidate, snapshot: Snapshot) -> ToDiscuss:
    title, reason = words.candidate(candidate, snapshot)
    key = f"scaling:{candidate.project_id}"
    return ToDiscuss(DiscussKind.SCALING, key, title, reason, (candidate.project_id,))


def _decision_item(decision: Decision, snapshot: Snapshot) -> ToDiscuss:
    title, reason = words.decision(decision, snapshot)
    key = f"decision:{decision.id}"
    return ToDiscuss(DiscussKind.DECISION, key, title, reason, decision.project_ids)
