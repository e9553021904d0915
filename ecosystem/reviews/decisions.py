"""Decisions a group records about its findings, and the owners' responses to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class FindingKind(StrEnum):
    """What a decision is about."""

    OVERLAP = "overlap"  # a pair of overlapping projects
    CLUSTER = "cluster"  # several projects doing the same thing
    GAP = "gap"
    SCALING_CANDIDATE = "scaling_candidate"
    PROJECT = "project"


class DecisionKind(StrEnum):
    """What the group recommends; it never changes another organisation's data."""

    CONTINUE = "continue"
    COORDINATE = "coordinate"  # coordinate with … (counterparts)
    MERGE = "merge"  # merge with … (counterparts)
    SCALE = "scale"  # scale to … (counterparts: areas or organisations)
    STOP = "stop"
    ACCEPT_DUPLICATION = "accept_duplication"  # accept the duplication because … (rationale)
    NOTE = "note"


class ResponseKind(StrEnum):
    """How an owning organisation answers a decision about its project."""

    AGREED = "agreed"
    DECLINED = "declined"
    IN_DIALOGUE = "in_dialogue"


# A decision of these kinds settles its finding: it is shown as settled, not raised again.
SETTLING_KINDS = frozenset({DecisionKind.ACCEPT_DUPLICATION})


@dataclass(frozen=True)
class Response:
    organisation_id: str
    response: ResponseKind
    comment: str
    actor: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Decision:
    id: int
    review_id: int
    group_id: str
    finding_key: str
    finding: Mapping[str, Any]
    project_ids: tuple[int, ...]
    kind: DecisionKind
    counterparts: tuple[str, ...]
    rationale: str
    actor: str
    created_at: dt.datetime
    responses: tuple[Response, ...] = ()
    owners: tuple[str, ...] = ()  # organisations owning the projects concerned

    @property
    def settles(self) -> bool:
        return self.kind in SETTLING_KINDS

    def latest_responses(self) -> dict[str, Response]:
        """Each organisation's latest answer (earlier ones stay in the history)."""
        latest: dict[str, Response] = {}
        for response in sorted(self.responses, key=lambda r: r.created_at):
            latest[response.organisation_id] = response
        return latest


def settled_keys(decisions: Iterable[Decision]) -> set[str]:
    """Findings that a decision has settled (the latest decision on a finding counts)."""
    latest: dict[str, Decision] = {}
    for decision in sorted(decisions, key=lambda d: (d.created_at, d.id)):
        latest[decision.finding_key] = decision
    return {key for key, decision in latest.items() if decision.settles}
