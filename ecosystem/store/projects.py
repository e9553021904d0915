"""Reading projects back, now or as they were at a past moment.

A publish never deletes: a project missing from a whole-portfolio publish is marked
withdrawn, and every change is a new row in ``project_revisions`` — so any moment can be
read again. The write path is :mod:`ecosystem.store.publishing`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from ecosystem import hierarchy
from ecosystem.errors import NotFound
from ecosystem.model import Principal, ProjectRecord, Revision, Visibility
from ecosystem.query import ProjectQuery, matches
from ecosystem.store.history import revisions_of
from ecosystem.store.publishing import (
    CODED_FIELDS,
    apply_plan,
    check_references,
    current_cards,
    publish,
    withdraw,
)
from ecosystem.store.reference import area_parent_map, organisation_kinds, theme_parent_map
from ecosystem.store.tables import (
    CatalogState,
    Organisation,
    Project,
    ProjectArea,
    ProjectRevision,
)

# publish, withdraw, apply_plan and check_references are the write path's, kept here too
# for the callers of their old home.
__all__ = [
    "Page",
    "apply_plan",
    "catalog_version",
    "changed_since",
    "check_references",
    "count_by_area",
    "current_cards",
    "external_ids",
    "get_project",
    "ids_by_external",
    "list_projects",
    "portfolio",
    "project_id_for",
    "publish",
    "record_of",
    "revisions",
    "visible_clause",
    "withdraw",
]


@dataclass(frozen=True)
class Page:
    items: list[ProjectRecord]
    total: int
    page: int
    per_page: int


def catalog_version(session: Session) -> int:
    """The version of the whole catalogue; it grows with every committed change."""
    return int(session.scalar(select(CatalogState.version).where(CatalogState.id == 1)) or 0)


def changed_since(session: Session, version: int) -> list[ProjectRecord]:
    """Projects (withdrawn included) changed after catalogue ``version``."""
    rows = session.scalars(select(Project).where(Project.catalog_version > version))
    return [record_of(row) for row in rows]


def external_ids(session: Session, organisation_id: str) -> dict[str, bool]:
    """The organisation's external ids in use, each mapped to whether it is a demo project."""
    rows = session.execute(
        select(Project.external_id, Project.demo).where(Project.organisation_id == organisation_id)
    )
    return dict(rows.all())


def ids_by_external(session: Session, organisation_id: str) -> dict[str, int]:
    """The organisation's projects (withdrawn ones too): external id → project id."""
    rows = session.execute(
        select(Project.external_id, Project.id).where(Project.organisation_id == organisation_id)
    )
    return dict(rows.all())  # type: ignore[arg-type]


def project_id_for(session: Session, organisation_id: str, external_id: str) -> int:
    project_id = session.scalar(
        select(Project.id)
        .where(Project.organisation_id == organisation_id)
        .where(Project.external_id == external_id)
    )
    if project_id is None:
        raise NotFound()
    return project_id


def get_project(
    session: Session, project_id: int, principal: Principal, *, as_of: dt.datetime | None = None
) -> ProjectRecord:
    """One project as the principal may see it; invisible projects are simply not found."""
    row = session.get(Project, project_id)
    if row is not None and as_of is not None:
        record = _as_of_records(session, as_of, project_ids=[project_id])
        found = record[0] if record else None
    else:
        found = record_of(row) if row is not None else None
    if found is None or not principal.can_see(found.visibility, found.organisation_id):
        raise NotFound()
    return found


def revisions(session: Session, project_id: int) -> list[Revision]:
    """The project's history, oldest first."""
    return revisions_of(session, ProjectRevision, ProjectRevision.project_id, project_id)


def portfolio(
    session: Session,
    organisation_id: str,
    principal: Principal,
    *,
    as_of: dt.datetime | None = None,
) -> list[ProjectRecord]:
    """The organisation's live projects that the principal may see."""
    query = ProjectQuery(organisations=(organisation_id,), as_of=as_of)
    return list_projects(session, query, principal, page=1, per_page=None).items


def list_projects(
    session: Session,
    query: ProjectQuery,
    principal: Principal,
    *,
    page: int = 1,
    per_page: int | None = 50,
) -> Page:
    """Projects matching ``query`` that the principal may see, ordered by id."""
    query = _expand_hierarchies(session, query)
    if query.as_of is not None:
        return _list_as_of(session, query, principal, page, per_page)
    stmt = _filtered(select(Project), query, principal)
    if query.words() or query.ids is not None:
        return _in_python(session, stmt, query, page, per_page)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    stmt = stmt.order_by(Project.id)
    if per_page is not None:
        stmt = stmt.offset((page - 1) * per_page).limit(per_page)
    items = [record_of(row) for row in session.scalars(stmt)]
    return Page(items, total, page, per_page or total)


def count_by_area(
    session: Session, query: ProjectQuery, principal: Principal, codes: Collection[str]
) -> tuple[dict[str, int], int]:
    """For each of ``codes``, how many projects matching ``query`` the principal may see are
    tagged with that very area; and how many match in all (whatever their areas).

    The same filters and visibility rule as :func:`list_projects` (so each count is what
    the listing for that area shows), counted by the database. Not for free text or
    history, which the listing answers in Python: a search's ids (``query.ids``) are
    counted like any other filter.
    """
    if query.words() or query.as_of is not None:
        raise ValueError("count_by_area counts coded filters and ids only.")
    query = _expand_hierarchies(session, query)
    matching = _filtered(select(Project.id), query, principal).subquery()
    total = session.scalar(select(func.count()).select_from(matching)) or 0
    rows = session.execute(
        select(ProjectArea.code, func.count(ProjectArea.project_id))
        .where(ProjectArea.project_id.in_(select(matching.c.id)))
        .where(ProjectArea.code.in_(list(codes)))
        .group_by(ProjectArea.code)
    )
    return {code: count for code, count in rows.all()}, total


def _in_python(
    session: Session, stmt: Select[Any], query: ProjectQuery, page: int, per_page: int | None
) -> Page:
    """Free text is matched by the text pipeline (stems, synonyms), not by SQL substrings:
    either the ids the search found, in its order, or every candidate tested here."""
    rows = [record_of(row) for row in session.scalars(stmt.order_by(Project.id))]
    if query.words():
        rows = [r for r in rows if matches(r, query, {})]
    if query.ids is not None:
        order = {project_id: n for n, project_id in enumerate(query.ids)}
        rows.sort(key=lambda record: order.get(record.id, len(order)))
    start = (page - 1) * (per_page or 0)
    items = rows[start : start + per_page] if per_page is not None else rows
    return Page(items, len(rows), page, per_page or len(rows))


def _expand_hierarchies(session: Session, query: ProjectQuery) -> ProjectQuery:
    """A health council matches its municipalities; a theme matches its sub-themes."""
    if not (query.areas or query.themes):
        return query
    theme_parents = {code: [parent] for code, parent in theme_parent_map(session).items() if parent}
    return query.with_expanded(
        areas=hierarchy.expand(area_parent_map(session), query.areas) if query.areas else set(),
        themes=hierarchy.expand(theme_parents, query.themes) if query.themes else set(),
    )


def _filtered(stmt: Select[Any], query: ProjectQuery, principal: Principal) -> Select[Any]:
    stmt = stmt.where(visible_clause(principal))
    if not query.include_withdrawn:
        stmt = stmt.where(Project.withdrawn.is_(False))
    if query.organisations:
        stmt = stmt.where(Project.organisation_id.in_(query.organisations))
    if query.organisation_kinds:
        kinds = select(Organisation.id).where(Organisation.kind.in_(query.organisation_kinds))
        stmt = stmt.where(Project.organisation_id.in_(kinds))
    for field, codes in query.coded_filters():
        model = CODED_FIELDS[field][0]
        stmt = stmt.where(Project.id.in_(select(model.project_id).where(model.code.in_(codes))))
    if query.stages:
        stmt = stmt.where(Project.stage.in_(query.stages))
    if query.demo is not None:
        stmt = stmt.where(Project.demo.is_(query.demo))
    if query.updated_since is not None:
        stmt = stmt.where(Project.updated_at >= query.updated_since)
    if query.ids is not None:
        stmt = stmt.where(Project.id.in_(query.ids))
    return stmt


def visible_clause(principal: Principal) -> Any:
    """SQL condition: the projects the principal may see (public, ecosystem, own private)."""
    if principal.is_admin:
        return Project.id.is_not(None)
    visible = [Project.visibility == Visibility.PUBLIC.value]
    if principal.is_authenticated:
        visible.append(Project.visibility == Visibility.ECOSYSTEM.value)
        visible.append(Project.organisation_id == principal.organisation_id)
    return or_(*visible)


def _list_as_of(
    session: Session, query: ProjectQuery, principal: Principal, page: int, per_page: int | None
) -> Page:
    assert query.as_of is not None
    kinds = organisation_kinds(session)
    records = [
        record
        for record in _as_of_records(session, query.as_of)
        if principal.can_see(record.visibility, record.organisation_id)
        and matches(record, query, kinds)
    ]
    start = (page - 1) * (per_page or 0)
    items = records[start : start + per_page] if per_page is not None else records
    return Page(items, len(records), page, per_page or len(records))


def _as_of_records(
    session: Session, as_of: dt.datetime, project_ids: Sequence[int] | None = None
) -> list[ProjectRecord]:
    """Each project as its last revision at or before ``as_of`` left it."""
    latest = select(
        ProjectRevision.project_id, func.max(ProjectRevision.number).label("number")
    ).where(ProjectRevision.created_at <= as_of)
    if project_ids is not None:
        latest = latest.where(ProjectRevision.project_id.in_(project_ids))
    latest_sq = latest.group_by(ProjectRevision.project_id).subquery()
    first = _first_revisions()
    stmt = (
        select(ProjectRevision, Project.organisation_id, Project.external_id, first.c.created)
        .join(
            latest_sq,
            and_(
                ProjectRevision.project_id == latest_sq.c.project_id,
                ProjectRevision.number == latest_sq.c.number,
            ),
        )
        .join(Project, Project.id == ProjectRevision.project_id)
        .join(first, first.c.project_id == ProjectRevision.project_id)
        .order_by(ProjectRevision.project_id)
    )
    return [
        ProjectRecord(
            id=revision.project_id,
            organisation_id=organisation_id,
            external_id=external_id,
            data=revision.data,
            revision=revision.number,
            withdrawn=revision.action == "withdrawn",
            created_at=created,
            updated_at=revision.created_at,
        )
        for revision, organisation_id, external_id, created in session.execute(stmt)
    ]


def _first_revisions() -> Any:
    """When each project was first published."""
    return (
        select(ProjectRevision.project_id, func.min(ProjectRevision.created_at).label("created"))
        .group_by(ProjectRevision.project_id)
        .subquery()
    )


def record_of(row: Project) -> ProjectRecord:
    """The plain record of a project row."""
    return ProjectRecord(
        id=row.id,
        organisation_id=row.organisation_id,
        external_id=row.external_id,
        data=row.data,
        revision=row.revision,
        withdrawn=row.withdrawn,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
