"""The data quality of one organisation's portfolio, as the reader may see it.

The report is meant for the organisation itself: what would make its cards more useful
to the groups and to others. Anyone may read it, but only over the projects they may
see — the owner and admins over all of them, another organisation over the public and
ecosystem ones, the public over the public ones — so it can never tell a reader more
about an organisation than its visible cards do (``complete`` says which case it is).
No service ranks organisations by their score.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ecosystem.groups import Group, OrganisationInfo
from ecosystem.model import Principal
from ecosystem.quality import GroupReview, QualityReport, assess_quality
from ecosystem.services import projects
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import groups as group_store
from ecosystem.store import reviews as review_store

__all__ = ["OrganisationQuality", "last_reviews", "organisation_quality"]


@dataclass(frozen=True)
class OrganisationQuality:
    organisation: OrganisationInfo
    report: QualityReport
    complete: bool  # the reader sees every live project (the owner, an admin)
    today: dt.date


def organisation_quality(
    uow: UnitOfWork, principal: Principal, organisation_id: str, *, today: dt.date | None = None
) -> OrganisationQuality:
    """The quality report over the organisation's live projects the principal may see.

    :class:`~ecosystem.errors.NotFound` for an unknown organisation.
    """
    organisation = projects.known_organisation(uow, organisation_id)
    records = projects.portfolio(uow, principal, organisation_id)  # full cards: texts judged
    day = today or dt.datetime.now(dt.UTC).date()
    groups = group_store.list_groups(uow.session)
    report = assess_quality(
        records, uow.reference.reference, last_reviews(uow, groups, day), groups, today=day
    )
    return OrganisationQuality(organisation, report, principal.can_write_for(organisation_id), day)


def last_reviews(uow: UnitOfWork, groups: list[Group], today: dt.date) -> list[GroupReview]:
    """Per group, its last review held by ``today`` (a review planned for later is not yet)."""
    found = []
    for group in groups:
        held = [
            r.meeting_date
            for r in review_store.list_reviews(uow.session, group.id)
            if r.meeting_date <= today
        ]
        if held:
            found.append(GroupReview(group, max(held)))
    return found
