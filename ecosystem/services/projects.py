"""Reading published projects: listings, one project with its history, a portfolio.

Also what a project's page shows around the card: where its links lead, the thematic
groups whose mandate covers it, and what those groups decided about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from ecosystem.errors import NotFound
from ecosystem.groups import Group, OrganisationInfo, ProjectInfo, Scope
from ecosystem.labels import Label
from ecosystem.model import Principal, ProjectRecord, Revision
from ecosystem.query import ProjectQuery
from ecosystem.services.permissions import may_edit, visible_history
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import groups as group_store
from ecosystem.store import lookup
from ecosystem.store import projects as store

__all__ = [
    "Coverage",
    "ProjectDetail",
    "ProjectList",
    "all_complete",
    "editable_project",
    "find_project",
    "get_project",
    "groups_covering",
    "known_organisation",
    "linked_project_ids",
    "list_projects",
    "partial_portfolios",
    "portfolio",
    "text_searched",
]


@dataclass(frozen=True)
class ProjectList:
    """One page of a listing, with the owners of the projects on it."""

    items: list[ProjectRecord]
    total: int
    page: int
    per_page: int
    organisations: Mapping[str, OrganisationInfo]


@dataclass(frozen=True)
class ProjectDetail:
    """One project as the reader may see it, with its owner and history up to that point."""

    project: ProjectRecord
    organisation: OrganisationInfo | None
    revisions: list[Revision]


@dataclass(frozen=True)
class Coverage:
    """A thematic group whose mandate covers a project, and why (theme, target group, place)."""

    group: Group
    reasons: list[Label]


def list_projects(
    uow: UnitOfWork,
    principal: Principal,
    query: ProjectQuery,
    *,
    page: int = 1,
    per_page: int | None = 50,
) -> ProjectList:
    """Projects matching ``query`` that the principal may see, ordered by id.

    Free text is searched with the overlap engine's text index (stems and synonyms, the
    most relevant first); a search of the past or of withdrawn projects, which the index
    does not hold, tests every candidate with the same text pipeline instead.
    """
    query = text_searched(uow, query)
    found = store.list_projects(uow.session, query, principal, page=page, per_page=per_page)
    return ProjectList(
        found.items, found.total, found.page, found.per_page, uow.reference.reference.organisations
    )


def text_searched(uow: UnitOfWork, query: ProjectQuery) -> ProjectQuery:
    """``query`` with its free text answered by the text index: the ids it finds, most
    relevant first (within ``query.ids`` when those are given), and no text left.

    Unchanged without text, or for the past or withdrawn projects, which the index does
    not hold (the store tests each candidate with the same text pipeline instead).
    """
    if not query.words() or query.as_of is not None or query.include_withdrawn:
        return query
    ranked = [project_id for project_id, _ in uow.overlap_engine().index.search(query.text or "")]
    if query.ids is not None:
        within = set(query.ids)
        ranked = [project_id for project_id in ranked if project_id in within]
    return replace(query, ids=tuple(ranked), text=None)


def get_project(
    uow: UnitOfWork, principal: Principal, project_id: int, *, as_of: dt.datetime | None = None
) -> ProjectDetail:
    """One project with the revisions up to the one shown that the principal may read.

    404 unless the card, as shown (now or as of the moment), is visible to the principal.
    """
    record = store.get_project(uow.session, project_id, principal, as_of=as_of)
    past = [r for r in store.revisions(uow.session, project_id) if r.number <= record.revision]
    history = visible_history(past, principal, record.organisation_id)
    return ProjectDetail(record, _owner(uow, record.organisation_id), history)


def find_project(
    uow: UnitOfWork, principal: Principal, organisation_id: str, external_id: str
) -> ProjectDetail:
    """A project by its organisation's own id, as the principal may see it."""
    project_id = store.project_id_for(uow.session, organisation_id, external_id)
    record = store.get_project(uow.session, project_id, principal)
    return ProjectDetail(record, _owner(uow, organisation_id), [])


def portfolio(
    uow: UnitOfWork,
    principal: Principal,
    organisation_id: str,
    *,
    as_of: dt.datetime | None = None,
) -> list[ProjectRecord]:
    """The organisation's live projects that the principal may see (now or as of a moment)."""
    known_organisation(uow, organisation_id)
    return store.portfolio(uow.session, organisation_id, principal, as_of=as_of)


def all_complete(uow: UnitOfWork, organisation_ids: Iterable[str]) -> bool:
    """Whether every one of these organisations has declared its portfolio complete (P2).

    False for none at all: a count of nobody's projects is no complete picture either.
    """
    wanted = set(organisation_ids)
    return bool(wanted) and lookup.complete_portfolios(uow.session, wanted) == wanted


def partial_portfolios(uow: UnitOfWork, organisation_ids: Iterable[str]) -> list[str]:
    """Those of the organisations that have not declared their portfolio complete (P2)."""
    wanted = set(organisation_ids)
    return sorted(wanted - lookup.complete_portfolios(uow.session, wanted))


def editable_project(uow: UnitOfWork, principal: Principal, project_id: int) -> ProjectRecord:
    """The project, if the principal may edit its card; 404 unless visible, 403 otherwise."""
    return may_edit(principal, store.get_project(uow.session, project_id, principal))


def known_organisation(uow: UnitOfWork, organisation_id: str) -> OrganisationInfo:
    """The organisation; :class:`NotFound` when there is none by that id."""
    organisation = uow.reference.reference.organisations.get(organisation_id)
    if organisation is None:
        raise NotFound(f"No organisation {organisation_id!r}.")
    return organisation


def _owner(uow: UnitOfWork, organisation_id: str) -> OrganisationInfo | None:
    return uow.reference.reference.organisations.get(organisation_id)


def linked_project_ids(uow: UnitOfWork, record: ProjectRecord) -> list[int | None]:
    """For each of the card's typed links, the linked project's id (None where there is none)."""
    found: list[int | None] = []
    for link in record.card.links:
        try:
            found.append(store.project_id_for(uow.session, link.organisation, link.external_id))
        except NotFound:
            found.append(None)
    return found


def groups_covering(uow: UnitOfWork, record: ProjectRecord) -> list[Coverage]:
    """The thematic groups whose mandate covers the project, each with why."""
    reference = uow.reference.reference
    info = ProjectInfo.of(record, reference)
    covering = []
    for group in group_store.list_groups(uow.session):
        coverage = Scope(group.mandate, reference).cover(info)
        if coverage is not None:
            covering.append(Coverage(group, coverage.reasons(reference)))
    return covering
