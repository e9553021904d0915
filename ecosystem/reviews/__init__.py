"""The quarterly review: a group's slice frozen at a moment, what changed since, the agenda.

A review snapshot copies nothing that history can reproduce. It is the moment (``as_of``
and the catalogue version), the group's document as it was, and the overlap pairs found
then: the overlap engine only knows the current catalogue, so its pairs are the one
thing stored. Everything else — the projects as of the moment, their gaps, scaling
candidates and balance — is recomputed from project history each time the review is
read, so an old review reads the same after later publishes (docs/reviews.md).

Everything here is pure: the store reads the history, the API turns results into views.

``decisions`` holds what a group decides and how owners answer, ``findings`` the keys
decisions refer to (and overlap pairs as stored), ``snapshot`` the slice recomputed at
a moment, ``diff`` what changed between two snapshots, ``agenda`` the meeting's points,
``discuss`` the three to seven items a pack opens with (``discuss_words`` says them),
and ``reminders`` the once-per-cycle request to refresh cards.
"""

from ecosystem.reviews.agenda import PUBLIC_VALUE_QUESTIONS, AgendaItem, agenda
from ecosystem.reviews.decisions import (
    SETTLING_KINDS,
    Decision,
    DecisionKind,
    FindingKind,
    Response,
    ResponseKind,
    settled_keys,
)
from ecosystem.reviews.diff import Diff, ScoreChange, StageChange, since_last
from ecosystem.reviews.discuss import (
    DiscussKind,
    ToDiscuss,
    candidates_by_rank,
    gaps_by_importance,
    is_pending,
    overlaps_by_importance,
    to_discuss,
)
from ecosystem.reviews.findings import finding_key, pair_from_json, pair_key, pair_to_json
from ecosystem.reviews.reminders import Stale, not_reviewed_since, reminder_text
from ecosystem.reviews.snapshot import Snapshot, build_snapshot

__all__ = [
    "PUBLIC_VALUE_QUESTIONS",
    "SETTLING_KINDS",
    "AgendaItem",
    "Decision",
    "DecisionKind",
    "Diff",
    "DiscussKind",
    "FindingKind",
    "Response",
    "ResponseKind",
    "ScoreChange",
    "Snapshot",
    "StageChange",
    "Stale",
    "ToDiscuss",
    "agenda",
    "build_snapshot",
    "candidates_by_rank",
    "finding_key",
    "gaps_by_importance",
    "is_pending",
    "not_reviewed_since",
    "overlaps_by_importance",
    "pair_from_json",
    "pair_key",
    "pair_to_json",
    "reminder_text",
    "settled_keys",
    "since_last",
    "to_discuss",
]
