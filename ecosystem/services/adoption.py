"""Scaling for one adopter: the candidates an organisation or an area could take up.

Beside :mod:`ecosystem.services.analyses`, whose inputs for scaling it shares; the rule
that ranks them is the core's (:mod:`ecosystem.scaling.fit`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ecosystem.errors import FieldError, InvalidInput
from ecosystem.groups import Mandate, Reference, Slice
from ecosystem.model import Principal
from ecosystem.scaling.fit import Fit, candidates_for_adopter
from ecosystem.services import analyses
from ecosystem.services.catalogue import Lifetime
from ecosystem.services.deliberately_not import opt_outs_for
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import groups as group_store

__all__ = ["AdopterCandidates", "adopter_candidates", "group_adopter_candidates"]


@dataclass(frozen=True)
class AdopterCandidates:
    """The best candidates for one adopter, how many there are in all, and the slice."""

    adopter: str
    fits: list[Fit]
    total: int
    mandate: Mandate
    found: Slice


def adopter_candidates(
    uow: UnitOfWork,
    principal: Principal,
    adopter: str,
    mandate: Mandate | None = None,
    limit: int | None = None,
) -> AdopterCandidates:
    """The candidates ``adopter`` (an organisation id or an area code) could take up, best
    fit first (:mod:`ecosystem.scaling.fit`).

    Without a mandate, or one without areas, the adopter's own areas are searched (a
    mandate given as codes is checked by :func:`analyses.known_mandate` first). An unknown
    adopter, or an organisation without an area, is a 422 naming ``adopter``.
    """
    reference = uow.reference.reference
    areas = _adopter_areas(reference, adopter)  # an unknown adopter is a 422
    if mandate is None or not mandate.areas:
        mandate = replace(mandate or Mandate(), areas=areas)

    # The adopter's own choices (or, for an area, those answering for it) rank a candidate
    # last, never out; so its gaps are read as they are: a fravalgt gap still says why.
    register = opt_outs_for(uow, None)

    def rank() -> AdopterCandidates:
        found, report, pairs = analyses.scaling_inputs(uow, principal, mandate)
        fits, total = candidates_for_adopter(
            adopter, mandate, found.projects, report, pairs, found.reference, limit, register
        )
        return AdopterCandidates(adopter, fits, total, mandate, found)

    return uow.remember(
        # Keyed by the register's state: a new choice is a new key, never a stale answer.
        ("adopter-candidates", adopter, mandate, principal, limit, register.key()),
        rank,
        lasts=Lifetime.UNTIL_PUBLISH,
    )


def group_adopter_candidates(
    uow: UnitOfWork, principal: Principal, group_id: str, adopter: str, limit: int | None = None
) -> AdopterCandidates:
    group = group_store.get_group(uow.session, group_id)
    return adopter_candidates(uow, principal, adopter, group.mandate, limit)


def _adopter_areas(reference: Reference, adopter: str) -> tuple[str, ...]:
    if adopter in reference.organisations:
        areas = reference.organisation(adopter).areas
        if not areas:
            raise InvalidInput(
                "Organisationen har intet område / The organisation has no area.",
                [FieldError("adopter", "Organisationen har intet område / has no area.")],
            )
        return tuple(areas)
    if adopter in reference.area_schemes:
        return (adopter,)
    raise InvalidInput(
        "Ukendt modtager / Unknown adopter.",
        [
            FieldError(
                "adopter",
                f"Hverken en organisation eller et område / Neither an organisation nor an "
                f"area: {adopter}",
            )
        ],
    )
