"""Matchmaking with consent: settings, finding matches, the inbox, answers and the digest.

The rules are the core's (:mod:`ecosystem.matchmaking`); this module reads and writes
them. :func:`refresh` finds new matches among the overlap engine's pairs; it never runs on
a request — the web process's background job calls it after the embedding queue drains,
and ``ecosystem matches refresh`` runs it by hand. Each organisation's inbox is read as
that organisation would read it: consent is asked again (a withdrawn consent hides the
match), and a private project the organisation may not see is only hinted at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ecosystem.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from ecosystem.labels import Label
from ecosystem.matching import OverlapEngine
from ecosystem.matchmaking import (
    Answer,
    MatchedSide,
    NotRelevantBecause,
    Participant,
    SaidOnce,
    Sighting,
    hint_of,
    is_strong,
    lessons_from,
    may_match,
    sighting,
    still_wanted,
    stored_reasons,
)
from ecosystem.model import Principal, ProjectRecord
from ecosystem.overlap import OverlapPair, facts_from_record
from ecosystem.services.permissions import actor_name, may_publish_for, signed_in
from ecosystem.services.projects import known_organisation
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import lookup
from ecosystem.store import matches as store
from ecosystem.store import projects as project_store
from ecosystem.store.matches import AnswerRecord, MatchRecord

__all__ = [
    "AnswerRecord",
    "Consent",
    "MatchView",
    "answer",
    "consent",
    "get_match",
    "inbox",
    "refresh",
    "refresh_key",
    "set_consent",
    "views_of",
]

ONLY_OWN = (
    "Et token kan kun svare for sin egen organisation / A token may only answer for its own "
    "organisation."
)


@dataclass(frozen=True)
class Consent:
    """An organisation's matchmaking setting: opted in or not, and the projects kept out."""

    organisation_id: str
    opted_in: bool
    excluded_projects: tuple[str, ...]  # external ids


@dataclass(frozen=True)
class MatchView:
    """A match as one of its two organisations sees it."""

    id: int
    created_at: dt.datetime
    organisation_id: str  # whose view this is
    own: ProjectRecord
    other: ProjectRecord | None  # None: a private project, only hinted at
    other_organisation: str | None  # None with the hint, too
    hint: Label | None
    reasons: Mapping[str, Any]  # the engine's reasons, or only the band and relation
    own_answer: AnswerRecord | None
    other_answer: AnswerRecord | None
    answers: tuple[AnswerRecord, ...]  # every answer of both sides, oldest first


# --- consent -------------------------------------------------------------------------------


def consent(uow: UnitOfWork, principal: Principal, organisation_id: str) -> Consent:
    """The organisation's setting; only it (and admins) may read it: the projects kept
    out may be private."""
    known_organisation(uow, organisation_id)
    may_publish_for(principal, organisation_id)
    return _consent(uow, organisation_id)


def _consent(uow: UnitOfWork, organisation_id: str) -> Consent:
    excluded = store.opted_out(uow.session, organisation_id)
    records = lookup.records_by_id(uow.session, excluded)
    return Consent(
        organisation_id,
        organisation_id in store.opted_in(uow.session, [organisation_id]),
        tuple(sorted(r.external_id for r in records.values())),
    )


def set_consent(
    uow: UnitOfWork,
    principal: Principal,
    organisation_id: str,
    *,
    opted_in: bool,
    excluded_projects: Sequence[str] = (),
) -> Consent:
    """Opt the organisation in or out and name the projects it keeps out (by external id).

    An external id the organisation has no project by is :class:`InvalidInput` naming its
    place (``excluded_projects[2]``); nothing is written then.
    """
    known_organisation(uow, organisation_id)
    may_publish_for(principal, organisation_id)
    ids = project_store.ids_by_external(uow.session, organisation_id)
    errors = [
        FieldError(
            f"excluded_projects[{index}]",
            f"Organisationen har intet projekt {external!r} / The organisation has no "
            f"project {external!r}.",
        )
        for index, external in enumerate(excluded_projects)
        if external not in ids
    ]
    if errors:
        raise InvalidInput("Ukendte projekter / Unknown projects.", errors)
    store.set_consent(
        uow.session,
        organisation_id,
        opted_in=opted_in,
        excluded={ids[external]: external for external in excluded_projects},
        actor=actor_name(principal),
    )
    return _consent(uow, organisation_id)


# --- finding matches -----------------------------------------------------------------------


def refresh(uow: UnitOfWork) -> int:
    """Record every new strong overlap whose two sides consent; how many were added.

    Idempotent: a pair already matched is left as it is (its answers with it). Pairs are
    the overlap engine's (each project's nearest few at other organisations, private ones
    included: consent and sight decide what anyone is told). Nothing is deleted: a match
    whose projects drift apart or lose consent stays recorded and is no longer shown.
    """
    engine = uow.overlap_engine()
    strong = [pair for pair in engine.pairs() if is_strong(pair.match)]
    if not strong:
        return 0
    known = store.pairs_known(uow.session)
    fresh = [pair for pair in strong if (pair.a, pair.b) not in known]
    if not fresh:
        return 0
    organisations = {
        engine.facts[p].organisation_id or "" for pair in fresh for p in _pair_ids(pair)
    }
    opted_in = store.opted_in(uow.session, organisations)
    opted_out = store.opted_out(uow.session)
    lessons = lessons_from([_said(a) for a in store.every_answer(uow.session)])
    rows = []
    for pair in fresh:
        a, b = (_live_participant(engine, p, opted_in, opted_out) for p in _pair_ids(pair))
        if may_match(a, b) and still_wanted(_side(engine, pair.a), _side(engine, pair.b), lessons):
            rows.append(_row(engine, pair, a, b))
    return store.add_matches(uow.session, rows)


def _said(record: AnswerRecord) -> SaidOnce:
    return SaidOnce(record.match_id, record.project_id, record.answer, record.because)


def _side(engine: OverlapEngine, project_id: int) -> MatchedSide:
    facts = engine.facts[project_id]
    return MatchedSide(project_id, facts.target_groups, frozenset(facts.places["region"]))


def refresh_key(uow: UnitOfWork) -> Any:
    """What a refresh depends on: the catalogue and the consents (unchanged: nothing new)."""
    return (uow.catalogue.versions, store.consent_version(uow.session))


def _pair_ids(pair: OverlapPair) -> tuple[int, int]:
    return pair.a, pair.b


def _live_participant(
    engine: OverlapEngine, project_id: int, opted_in: Collection[str], opted_out: Collection[int]
) -> Participant:
    facts = engine.facts[project_id]
    organisation = facts.organisation_id or ""
    return Participant(
        project_id,
        organisation,
        facts.visibility,
        facts.disclose_when_private,
        organisation in opted_in,
        project_id in opted_out,
    )


def _row(
    engine: OverlapEngine, pair: OverlapPair, a: Participant, b: Participant
) -> dict[str, Any]:
    """The match of a pair, its reasons seen from each side (key terms and sentences too)."""
    seen_by_a = engine.explained(pair).match
    turned = OverlapPair(pair.b, pair.a, replace(pair.match, project_id=pair.a))
    seen_by_b = engine.explained(turned).match
    return {
        "project_a": pair.a,
        "project_b": pair.b,
        "organisation_a": a.organisation_id,
        "organisation_b": b.organisation_id,
        "reasons": {"a": stored_reasons(seen_by_a), "b": stored_reasons(seen_by_b)},
    }


# --- the inbox -----------------------------------------------------------------------------


def inbox(
    uow: UnitOfWork, principal: Principal, organisation: str | None = None
) -> list[MatchView]:
    """The organisation's matches (default: the principal's), newest first, as it sees them."""
    chosen = _reading_organisation(uow, principal, organisation)
    rows = store.matches_of(uow.session, chosen)
    return views_of(uow, chosen, rows)


def _reading_organisation(uow: UnitOfWork, principal: Principal, given: str | None) -> str:
    signed_in(principal)
    chosen = given or principal.organisation_id
    if chosen is None:
        raise InvalidInput(
            "Angiv organisationen / Name the organisation.",
            [FieldError("organisation", "Påkrævet for administratorer / Required for admins.")],
        )
    known_organisation(uow, chosen)
    if not principal.can_write_for(chosen):
        raise PermissionDenied(
            "Et token ser kun sin egen organisations match / A token sees only its own "
            "organisation's matches."
        )
    return chosen


def views_of(uow: UnitOfWork, organisation: str, rows: Sequence[MatchRecord]) -> list[MatchView]:
    """The matches as ``organisation`` sees them: consent asked again, sight applied."""
    if not rows:
        return []
    records = lookup.records_by_id(
        uow.session, {p for r in rows for p in (r.project_a, r.project_b)}
    )
    owners = {r.organisation_a for r in rows} | {r.organisation_b for r in rows}
    opted_in = store.opted_in(uow.session, owners)
    opted_out = store.opted_out(uow.session)
    answers = store.answers_of(uow.session, [r.id for r in rows])
    reader = Principal(organisation_id=organisation)  # what the organisation itself may see
    views = []
    for row in rows:
        a, b = records.get(row.project_a), records.get(row.project_b)
        if a is None or b is None:
            continue
        sides = {r.id: _participant(r, opted_in, opted_out) for r in (a, b)}
        if not may_match(sides[a.id], sides[b.id]):
            continue
        view = _view(uow, row, organisation, (a, b), sides, reader, answers.get(row.id, []))
        if view is not None:
            views.append(view)
    return views


def _participant(
    record: ProjectRecord, opted_in: Collection[str], opted_out: Collection[int]
) -> Participant:
    card = record.card
    return Participant(
        record.id,
        record.organisation_id,
        str(card.visibility),
        card.disclose_when_private,
        record.organisation_id in opted_in,
        record.id in opted_out,
    )


def _view(
    uow: UnitOfWork,
    row: MatchRecord,
    organisation: str,
    records: tuple[ProjectRecord, ProjectRecord],
    sides: Mapping[int, Participant],
    reader: Principal,
    answers: Sequence[AnswerRecord],
) -> MatchView | None:
    own_is_a = row.organisation_a == organisation
    own, other = records if own_is_a else records[::-1]
    seen = sighting(reader, sides[other.id])
    if seen is None:
        return None
    reasons: Mapping[str, Any] = row.reasons["a" if own_is_a else "b"]
    hint = None
    if seen is Sighting.HINT:
        hint = _hint(uow, other)
        reasons = {k: reasons[k] for k in ("confidence", "relation") if k in reasons}
    return MatchView(
        id=row.id,
        created_at=row.created_at,
        organisation_id=organisation,
        own=own,
        other=other if seen is Sighting.WHOLE else None,
        other_organisation=other.organisation_id if seen is Sighting.WHOLE else None,
        hint=hint,
        reasons=reasons,
        own_answer=_latest(answers, own.id),
        other_answer=_latest(answers, other.id),
        answers=tuple(answers),
    )


def _hint(uow: UnitOfWork, record: ProjectRecord) -> Label:
    reference = uow.reference
    places = facts_from_record(record, reference.gazetteer).places
    owner = reference.reference.organisation(record.organisation_id)
    regions = sorted(places["region"])
    return hint_of(owner.kind, regions, {r: reference.reference.area_label(r) for r in regions})


def _latest(answers: Sequence[AnswerRecord], project_id: int) -> AnswerRecord | None:
    mine = [a for a in answers if a.project_id == project_id]
    return mine[-1] if mine else None


# --- answering -----------------------------------------------------------------------------


def answer(
    uow: UnitOfWork,
    principal: Principal,
    match_id: int,
    *,
    said: Answer,
    reason: str = "",
    because: NotRelevantBecause | None = None,
    organisation: str | None = None,
) -> MatchView:
    """The organisation owning one side answers; an earlier answer is kept, not replaced.

    ``because``: why *not relevant* (only with that answer; it narrows that project's
    later matches, :func:`~ecosystem.matchmaking.lessons_from`). A token answers only
    for its own organisation (403 otherwise); a match that is not in that organisation's
    inbox — another pair's, hidden by a withdrawn consent, or none — is
    :class:`NotFound`, the same answer as a match that does not exist.
    """
    if because is not None and said is not Answer.NOT_RELEVANT:
        raise InvalidInput(
            "Begrundelsen hører til svaret 'ikke relevant' / The choice of why belongs to "
            "the answer 'not relevant'.",
            [FieldError("because", "Kun med 'ikke relevant' / Only with 'not_relevant'.")],
        )
    signed_in(principal)
    chosen = organisation or principal.organisation_id
    if chosen is not None and not principal.can_write_for(chosen):
        raise PermissionDenied(ONLY_OWN)
    chosen = _reading_organisation(uow, principal, chosen)
    view = _visible_match(uow, chosen, match_id)
    store.add_answer(
        uow.session,
        store.get_match(uow.session, match_id),
        project_id=view.own.id,
        organisation_id=chosen,
        answer=said,
        reason=reason,
        because=because,
        actor=actor_name(principal),
    )
    return _visible_match(uow, chosen, match_id)


def get_match(
    uow: UnitOfWork, principal: Principal, match_id: int, organisation: str | None = None
) -> MatchView:
    """One match as the organisation sees it (404 unless it is in its inbox)."""
    return _visible_match(uow, _reading_organisation(uow, principal, organisation), match_id)


def _visible_match(uow: UnitOfWork, organisation: str, match_id: int) -> MatchView:
    try:
        row = store.get_match(uow.session, match_id)
    except NotFound:
        raise NotFound() from None
    if organisation not in (row.organisation_a, row.organisation_b):
        raise NotFound()
    views = views_of(uow, organisation, [row])
    if not views:
        raise NotFound()
    return views[0]
