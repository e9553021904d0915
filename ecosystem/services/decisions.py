"""Decisions of a group's review and the owners' responses to them.

A decision is tied to a finding of the review it was made at (an overlap, a gap, a
scaling candidate, a project or a cluster of them); the organisations owning its
projects respond. Decisions and responses are append-only, and a decision never changes
another organisation's data. A decision says something about its projects, so a reader
sees it only when they may see every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ecosystem.errors import FieldError, InvalidInput, NotFound
from ecosystem.model import Principal
from ecosystem.reviews import (
    Decision,
    DecisionKind,
    FindingKind,
    ResponseKind,
    Snapshot,
    finding_key,
    pair_key,
)
from ecosystem.services.permissions import (
    actor_name,
    may_lead_reviews,
    responding_organisation,
    signed_in,
)
from ecosystem.services.reviews import snapshot_of
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import groups as group_store
from ecosystem.store import projects as project_store
from ecosystem.store import reviews as store

__all__ = ["get_decision", "project_decisions", "record_decision", "respond"]


def record_decision(
    uow: UnitOfWork,
    principal: Principal,
    review_id: int,
    *,
    finding: Mapping[str, Any],
    kind: DecisionKind,
    counterparts: Sequence[str] = (),
    rationale: str,
) -> Decision:
    """Record what the group recommends about a finding of the review (its leaders)."""
    signed_in(principal)
    review = store.get_review(uow.session, review_id)
    may_lead_reviews(principal, group_store.get_group(uow.session, review.group_id))
    key, projects = _checked_finding(snapshot_of(uow, review, principal), finding)
    return store.add_decision(
        uow.session,
        review,
        finding_key=key,
        finding=dict(finding),
        project_ids=projects,
        kind=kind,
        counterparts=counterparts,
        rationale=rationale,
        actor=actor_name(principal),
    )


def respond(
    uow: UnitOfWork,
    principal: Principal,
    decision_id: int,
    *,
    response: ResponseKind,
    comment: str = "",
    organisation: str | None = None,
) -> Decision:
    """The owning organisation answers: agreed, declined or in dialogue, with a comment."""
    signed_in(principal)
    # The same 404 as reading: a decision the principal may not read (it names a project
    # hidden from them) must not be answered, nor its existence or content confirmed.
    decision = get_decision(uow, principal, decision_id)
    answering = responding_organisation(principal, decision, organisation)
    return store.add_response(
        uow.session,
        decision_id,
        organisation_id=answering,
        response=response,
        comment=comment,
        actor=actor_name(principal),
    )


def get_decision(uow: UnitOfWork, principal: Principal, decision_id: int) -> Decision:
    """One decision with every response; 404 unless the reader may see all its projects."""
    decision = store.get_decision(uow.session, decision_id)
    if not store.may_see_decision(uow.session, decision, principal):
        raise NotFound()
    return decision


def project_decisions(uow: UnitOfWork, principal: Principal, project_id: int) -> list[Decision]:
    """Every decision about a project and the owner's responses (404 unless it is visible)."""
    project_store.get_project(uow.session, project_id, principal)
    return store.decisions_for_project(uow.session, project_id, principal)


# --- finding checks ------------------------------------------------------------------------


def _checked_finding(snapshot: Snapshot, finding: Mapping[str, Any]) -> tuple[str, list[int]]:
    """The finding's key and projects, if the review's snapshot holds it; 422 otherwise."""
    kind = FindingKind(finding["kind"])
    projects = sorted(set(finding.get("projects", ())))
    if kind is FindingKind.GAP:
        gap = snapshot.gap_ids.get(finding["gap"])
        if gap is None:
            raise _bad_finding(
                "finding.gap", "Hullet findes ikke i gennemgangen / No such gap in the review."
            )
        return finding_key(kind, gap=gap.id), sorted(gap.projects)
    unknown = [p for p in projects if p not in snapshot.context]
    if unknown:
        raise _bad_finding(
            "finding.projects",
            f"Ukendte projekter i gennemgangen: {unknown} / Projects not in the review: {unknown}",
        )
    if kind is FindingKind.OVERLAP and pair_key(*projects) not in snapshot.pair_keys:
        raise _bad_finding(
            "finding.projects",
            "De to projekter overlapper ikke i gennemgangen / The two projects do not overlap "
            "in the review.",
        )
    if kind is FindingKind.SCALING_CANDIDATE and projects[0] not in snapshot.candidate_ids:
        raise _bad_finding(
            "finding.projects",
            "Projektet er ikke kandidat til skalering / The project is not a scaling candidate.",
        )
    return finding_key(kind, projects=projects), projects


def _bad_finding(where: str, message: str) -> InvalidInput:
    return InvalidInput(
        "Fundet kan ikke bruges / The finding cannot be used.", [FieldError(where, message)]
    )
