"""Publishing projects and reading them back, now or as they were at a past moment.

A publish never deletes: a project missing from a whole-portfolio publish is marked
withdrawn, and every change is a new row in ``project_revisions``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import JSON, Select, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from ecosystem import hierarchy
from ecosystem.errors import FieldError, InvalidInput, NotFound
from ecosystem.model import Principal, ProjectRecord, PublishResult, Revision, Visibility
from ecosystem.query import ProjectQuery, matches
from ecosystem.store.history import revisions_of
from ecosystem.store.reference import (
    area_parent_map,
    known_codes,
    organisation_kinds,
    theme_parent_map,
)
from ecosystem.store.tables import (
    CatalogState,
    Organisation,
    Project,
    ProjectArea,
    ProjectGoal,
    ProjectPartner,
    ProjectRevision,
    ProjectTargetGroup,
    ProjectTheme,
    utcnow,
)

__all__ = [
    "Page",
    "PublishPlan",
    "apply_plan",
    "catalog_version",
    "changed_since",
    "check_references",
    "external_ids",
    "get_project",
    "list_projects",
    "plan_publish",
    "portfolio",
    "project_id_for",
    "publish",
    "record_of",
    "revisions",
    "visible_clause",
    "withdraw",
]

PathOf = Callable[[int], str]

# field of the project card → (association model, reference entity, noun in messages)
_CODED_FIELDS: dict[str, tuple[Any, str, str]] = {
    "themes": (ProjectTheme, "theme", "theme"),
    "target_groups": (ProjectTargetGroup, "target_group", "target group"),
    "areas": (ProjectArea, "area", "area"),
    "goals": (ProjectGoal, "goal", "goal"),
}
_COLUMNS = (
    "title",
    "description",
    "stage",
    "visibility",
    "budget_dkk",
    "value_score",
    "risk_score",
    "demo",
)
_DATE_COLUMNS = ("start_date", "end_date", "last_reviewed")


@dataclass(frozen=True)
class Page:
    items: list[ProjectRecord]
    total: int
    page: int
    per_page: int


@dataclass
class PublishPlan:
    """What a publish would do, computed without writing anything.

    ``current`` is the organisation's projects as read for the plan (by external id), so a
    caller can tell later whether the data is still the same (see ``ecosystem.store.imports``).
    """

    organisation_id: str
    result: PublishResult
    current: dict[str, Any]
    creates: list[dict[str, Any]]
    changes: list[tuple[Any, dict[str, Any], str]]


def publish(
    session: Session,
    organisation_id: str,
    projects: Sequence[dict[str, Any]],
    *,
    actor: str,
    full: bool,
    path_of: PathOf = lambda index: f"projects[{index}]",
) -> PublishResult:
    """Create, update (or, with ``full``, withdraw) the organisation's projects.

    ``projects`` must already be validated and normalised by ``ProjectSchema``. Unknown
    codes raise :class:`InvalidInput` before anything is written. A publish that changes
    nothing writes nothing, so republishing the same document is a no-op.
    """
    plan = plan_publish(session, organisation_id, projects, full=full, path_of=path_of)
    return apply_plan(session, plan, actor=actor)


def plan_publish(
    session: Session,
    organisation_id: str,
    projects: Sequence[dict[str, Any]],
    *,
    full: bool,
    path_of: PathOf = lambda index: f"projects[{index}]",
) -> PublishPlan:
    """Work out what :func:`publish` would create, update, keep and withdraw; writes nothing."""
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(f"No organisation {organisation_id!r}.")
    check_references(session, projects, path_of)
    current = {
        row.external_id: row
        for row in session.execute(
            select(
                Project.id, Project.external_id, Project.data, Project.withdrawn, Project.revision
            ).where(Project.organisation_id == organisation_id)
        )
    }
    result = PublishResult()
    creates: list[dict[str, Any]] = []
    changes: list[tuple[Any, dict[str, Any], str]] = []
    for data in projects:
        row = current.get(data["external_id"])
        if row is None:
            creates.append(data)
            result.created.append(data["external_id"])
        elif row.withdrawn or row.data != data:
            changes.append((row, data, "restored" if row.withdrawn else "updated"))
            result.updated.append(data["external_id"])
        else:
            result.unchanged.append(data["external_id"])
    if full:
        published = {data["external_id"] for data in projects}
        for external_id, row in current.items():
            if external_id not in published and not row.withdrawn:
                changes.append((row, row.data, "withdrawn"))
                result.withdrawn.append(external_id)
    return PublishPlan(organisation_id, result, current, creates, changes)


def apply_plan(session: Session, plan: PublishPlan, *, actor: str) -> PublishResult:
    """Write what :func:`plan_publish` worked out (nothing, if it changes nothing)."""
    if plan.result.changed:
        _write(session, plan.organisation_id, plan.creates, plan.changes, actor)
    return plan.result


def withdraw(session: Session, organisation_id: str, external_id: str, *, actor: str) -> None:
    """Mark one project withdrawn; it stays readable in history and as-of reads."""
    row = session.execute(
        select(Project.id, Project.external_id, Project.data, Project.withdrawn, Project.revision)
        .where(Project.organisation_id == organisation_id)
        .where(Project.external_id == external_id)
    ).one_or_none()
    if row is None or row.withdrawn:
        raise NotFound(f"No published project {external_id!r} at {organisation_id!r}.")
    _write(session, organisation_id, [], [(row, row.data, "withdrawn")], actor)


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


def project_id_for(session: Session, organisation_id: str, external_id: str) -> int:
    project_id = session.scalar(
        select(Project.id)
        .where(Project.organisation_id == organisation_id)
        .where(Project.external_id == external_id)
    )
    if project_id is None:
        raise NotFound(f"No project {external_id!r} at {organisation_id!r}.")
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
        raise NotFound(f"No project {project_id}.")
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
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    stmt = stmt.order_by(Project.id)
    if per_page is not None:
        stmt = stmt.offset((page - 1) * per_page).limit(per_page)
    items = [record_of(row) for row in session.scalars(stmt)]
    return Page(items, total, page, per_page or total)


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
        model = _CODED_FIELDS[field][0]
        stmt = stmt.where(Project.id.in_(select(model.project_id).where(model.code.in_(codes))))
    if query.stages:
        stmt = stmt.where(Project.stage.in_(query.stages))
    if query.demo is not None:
        stmt = stmt.where(Project.demo.is_(query.demo))
    if query.updated_since is not None:
        stmt = stmt.where(Project.updated_at >= query.updated_since)
    for word in query.words():
        pattern = f"%{word}%"
        stmt = stmt.where(
            or_(
                func.lower(Project.title).like(pattern),
                func.lower(Project.description).like(pattern),
            )
        )
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
    first = (
        select(ProjectRevision.project_id, func.min(ProjectRevision.created_at).label("created"))
        .group_by(ProjectRevision.project_id)
        .subquery()
    )
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


# --- writing ---------------------------------------------------------------------------


def check_references(session: Session, projects: Sequence[dict[str, Any]], path_of: PathOf) -> None:
    """Name every unknown code with its exact place, with a suggestion where one is close."""
    known = {field: known_codes(session, entity) for field, (_, entity, _) in _CODED_FIELDS.items()}
    organisations = known_codes(session, "organisation")
    errors: list[FieldError] = []
    for index, data in enumerate(projects):
        where = path_of(index)
        for field, (_, _, noun) in _CODED_FIELDS.items():
            for position, code in enumerate(data.get(field, [])):
                if code not in known[field]:
                    errors.append(
                        FieldError(
                            _at(where, f"{field}[{position}]"), _unknown(noun, code, known[field])
                        )
                    )
        for field in ("partners", "links"):
            for position, item in enumerate(data.get(field, [])):
                code = item.get("organisation")
                if code is not None and code not in organisations:
                    errors.append(
                        FieldError(
                            _at(where, f"{field}[{position}].organisation"),
                            _unknown("organisation", code, organisations),
                        )
                    )
    if errors:
        raise InvalidInput("The document refers to codes that do not exist.", errors)


def _at(where: str, rest: str) -> str:
    return f"{where}.{rest}" if where else rest


def _unknown(noun: str, code: str, known: set[str]) -> str:
    close = difflib.get_close_matches(code, known, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return f"Unknown {noun} code {code!r}.{hint}"


def _bump_version(session: Session) -> int:
    # The UPDATE takes a row lock, so concurrent publishes get versions in commit order.
    return int(
        session.execute(
            update(CatalogState)
            .where(CatalogState.id == 1)
            .values(version=CatalogState.version + 1)
            .returning(CatalogState.version)
        ).scalar_one()
    )


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in _COLUMNS}
    values["demo"] = bool(data.get("demo"))
    for name in _DATE_COLUMNS:
        values[name] = dt.date.fromisoformat(data[name]) if data.get(name) else None
    return values


def _write(
    session: Session,
    organisation_id: str,
    creates: list[dict[str, Any]],
    changes: list[tuple[Any, dict[str, Any], str]],
    actor: str,
) -> None:
    version, now = _bump_version(session), utcnow()
    revision_rows: list[dict[str, Any]] = []
    if creates:
        _bulk_insert(
            session,
            Project,
            [
                {
                    **_columns(data),
                    "organisation_id": organisation_id,
                    "external_id": data["external_id"],
                    "data": data,
                    "revision": 1,
                    "withdrawn": False,
                    "catalog_version": version,
                    "created_at": now,
                    "updated_at": now,
                }
                for data in creates
            ],
        )
        # Reading the new ids back in one query is much faster on PostgreSQL than an
        # ordered INSERT … RETURNING of thousands of rows.
        ids = dict(
            session.execute(
                select(Project.external_id, Project.id)
                .where(Project.organisation_id == organisation_id)
                .where(Project.catalog_version == version)
            ).all()
        )
        created = [(ids[data["external_id"]], data) for data in creates]
        revision_rows += [
            _revision(project_id, 1, "created", data, sorted(data), actor, now)
            for project_id, data in created
        ]
        _insert_links(session, created)
    if changes:
        session.execute(
            update(Project),
            [
                {
                    "id": row.id,
                    **_columns(data),
                    "data": data,
                    "revision": row.revision + 1,
                    "withdrawn": action == "withdrawn",
                    "catalog_version": version,
                    "updated_at": now,
                }
                for row, data, action in changes
            ],
        )
        for row, data, action in changes:
            changed = [] if action == "withdrawn" else _changed_fields(row.data, data)
            revision_rows.append(
                _revision(row.id, row.revision + 1, action, data, changed, actor, now)
            )
        relinked = [(row.id, data) for row, data, action in changes if action != "withdrawn"]
        _delete_links(session, [project_id for project_id, _ in relinked])
        _insert_links(session, relinked)
    _bulk_insert(session, ProjectRevision, revision_rows)


def _bulk_insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert many rows; on PostgreSQL with COPY, several times faster than multi-row INSERTs."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(model), rows)
        return
    table = model.__table__
    columns = [column for column in table.columns if column.name in rows[0]]
    json_columns = {column.name for column in columns if isinstance(column.type, JSON)}
    names = ", ".join(f'"{column.name}"' for column in columns)
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [Json(row[c.name]) if c.name in json_columns else row[c.name] for c in columns]
            )


def _revision(
    project_id: int,
    number: int,
    action: str,
    data: dict[str, Any],
    changed: list[str],
    actor: str,
    now: dt.datetime,
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "number": number,
        "action": action,
        "data": data,
        "changed_fields": changed,
        "actor": actor,
        "created_at": now,
    }


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


# association model, its value column, and the card field it mirrors
_ASSOCIATIONS: tuple[tuple[Any, str, str], ...] = (
    *((model, "code", field) for field, (model, _, _) in _CODED_FIELDS.items()),
    (ProjectPartner, "organisation_id", "partners"),
)


def _linked(field: str, data: dict[str, Any]) -> list[str]:
    if field == "partners":
        return [p["organisation"] for p in data.get("partners", []) if "organisation" in p]
    return list(data.get(field, []))


def _insert_links(session: Session, projects: list[tuple[int, dict[str, Any]]]) -> None:
    for model, column, field in _ASSOCIATIONS:
        rows = [
            {"project_id": project_id, column: value}
            for project_id, data in projects
            for value in dict.fromkeys(_linked(field, data))
        ]
        _bulk_insert(session, model, rows)


def _delete_links(session: Session, project_ids: list[int]) -> None:
    for start in range(0, len(project_ids), 500):
        chunk = project_ids[start : start + 500]
        for model, _, _ in _ASSOCIATIONS:
            session.execute(delete(model).where(model.project_id.in_(chunk)))
