"""One organisation as its page shows it: who it is, its portfolio, balance and overlaps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecosystem.balance import Balance, analyse_balance
from ecosystem.groups import ProjectInfo
from ecosystem.model import Principal, ProjectRecord
from ecosystem.services import overlaps, projects, reference
from ecosystem.services.overlaps import OverlapReport
from ecosystem.services.unit_of_work import UnitOfWork

__all__ = ["OrganisationOverview", "organisation_overview"]


@dataclass(frozen=True)
class OrganisationOverview:
    """The organisation's record, the live projects the reader may see, and what they show."""

    organisation: dict[str, Any]
    projects: list[ProjectRecord]
    balance: Balance
    overlaps: OverlapReport


def organisation_overview(
    uow: UnitOfWork, principal: Principal, organisation_id: str, *, overlaps_shown: int
) -> OrganisationOverview:
    """Its portfolio (as the principal may see it), balance, and strongest overlaps with others.

    The balance and the overlaps are of the projects the principal sees, so a reader is
    never told more about an organisation than its visible projects say.
    """
    organisation = reference.get(uow, "organisation", organisation_id)
    records = projects.portfolio(uow, principal, organisation_id)
    known = uow.reference.reference
    balance = analyse_balance(ProjectInfo.of(record, known) for record in records)
    strongest = overlaps.strongest_among(
        uow, principal, [record.id for record in records], limit=overlaps_shown
    )
    return OrganisationOverview(organisation, records, balance, strongest)
