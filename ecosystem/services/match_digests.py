"""The daily matchmaking digest: per opted-in organisation, the matches no digest named yet.

Read as the organisation's inbox is (:func:`ecosystem.services.matches.views_of`: consent
asked again, private projects only hinted at); the core writes the mail
(:func:`ecosystem.matchmaking.digest_text`), the command sends it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ecosystem.labels import Label
from ecosystem.matchmaking import DigestLine
from ecosystem.services.matches import MatchView, views_of
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import matches as store

__all__ = ["Digest", "digest_lines", "digests", "record_digest"]


@dataclass(frozen=True)
class Digest:
    """An organisation's matches that no digest named yet, and where to send them."""

    organisation_id: str
    name: str
    matches: tuple[MatchView, ...]
    recipients: tuple[str, ...]  # the contact addresses on its own matched projects
    since: dt.datetime | None  # its last digest


def digests(uow: UnitOfWork) -> list[Digest]:
    """Per opted-in organisation with new matches: the digest to send (for the operator)."""
    found = []
    for organisation in sorted(store.opted_in(uow.session)):
        already = store.digested(uow.session, organisation)
        rows = [r for r in store.matches_of(uow.session, organisation) if r.id not in already]
        views = views_of(uow, organisation, rows)
        if not views:
            continue
        recipients = sorted(
            {
                v.own.card.contact.email
                for v in views
                if v.own.card.contact is not None and v.own.card.contact.email
            }
        )
        found.append(
            Digest(
                organisation,
                uow.reference.reference.organisation(organisation).name,
                tuple(views),
                tuple(recipients),
                store.last_digest(uow.session, organisation),
            )
        )
    return found


def digest_lines(uow: UnitOfWork, digest: Digest) -> list[DigestLine]:
    """The digest's matches as lines of the mail (the core writes the mail)."""
    reference = uow.reference.reference
    lines = []
    for view in digest.matches:
        if view.other is None:
            other = view.hint or Label("", "")
        else:
            owner = reference.organisation(view.other.organisation_id).name
            title = view.other.card.title
            other = Label(f"{title} ({owner})", f"{title} ({owner})")
        answered = str(view.other_answer.answer) if view.other_answer else None
        confidence = str(view.reasons.get("confidence", "same"))
        lines.append(DigestLine(view.own.card.title, other, confidence, answered))
    return lines


def record_digest(uow: UnitOfWork, digest: Digest) -> None:
    """Remember that the digest was sent, so the next one names only newer matches."""
    store.add_digest(
        uow.session, digest.organisation_id, [v.id for v in digest.matches], digest.recipients
    )
