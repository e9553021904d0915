"""The write path of a publish: read the projects a plan starts from, and write the plan.

What a publish changes is decided by the core (:mod:`ecosystem.publishing`); this module
reads the organisation's projects for it and writes the decided changes in one go: the
project rows, one revision each, and the link tables the filters use. A publish never
deletes: withdrawing marks a project withdrawn and keeps every revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from psycopg.types.json import Json
from sqlalchemy import JSON, Executable, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ecosystem import publishing as core
from ecosystem.errors import InvalidInput, NotFound
from ecosystem.model import PublishResult
from ecosystem.publishing import Change, PublishPlan, StoredCard, changed_fields
from ecosystem.references import card_reference_errors
from ecosystem.store import vectors
from ecosystem.store.reference import known_codes
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
    "CODED_FIELDS",
    "PathOf",
    "apply_plan",
    "check_references",
    "current_card",
    "current_cards",
    "lock_catalogue",
    "lock_organisation",
    "publish",
    "require_organisation",
    "set_portfolio_complete",
    "withdraw",
]

PathOf = Callable[[int], str]

# field of the project card → (association model, reference entity)
CODED_FIELDS: dict[str, tuple[Any, str]] = {
    "themes": (ProjectTheme, "theme"),
    "target_groups": (ProjectTargetGroup, "target_group"),
    "areas": (ProjectArea, "area"),
    "goals": (ProjectGoal, "goal"),
}
# association model, its value column, and the card field it mirrors
_ASSOCIATIONS: tuple[tuple[Any, str, str], ...] = (
    *((model, "code", field) for field, (model, _) in CODED_FIELDS.items()),
    (ProjectPartner, "organisation_id", "partners"),
)
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
_STORED = (Project.id, Project.external_id, Project.data, Project.revision, Project.withdrawn)


# --- reading what a plan starts from ----------------------------------------------------


def require_organisation(session: Session, organisation_id: str) -> None:
    """:class:`NotFound` unless the organisation exists."""
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(f"No organisation {organisation_id!r}.")


# How long a publish waits for another publish to the same organisation (PostgreSQL);
# past that the unit of work is run again, and finally answered with 409 and Retry-After.
LOCK_TIMEOUT = "8s"


def lock_organisation(session: Session, organisation_id: str) -> None:
    """Serialise publishes to one organisation until commit; :class:`NotFound` unless it exists.

    Two publishes that planned from the same revisions would both write revision n + 1;
    holding the organisation's row from before the plan is read makes the second wait and
    plan from what the first committed. Must come before any other publishing lock
    (:func:`lock_catalogue`, the version bump), so that publishes always lock in one order.
    """
    if session.get_bind().dialect.name == "sqlite":
        # pysqlite opens the transaction at the first write, and SQLite has one writer: a
        # write that changes nothing takes the database's write lock now (waiting for it
        # as busy_timeout allows), so everything read after it stays current until commit.
        locked: Executable = (
            update(Organisation)
            .where(Organisation.id == organisation_id)
            .values(updated_at=Organisation.updated_at)
            .returning(Organisation.id)
        )
    else:
        session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        locked = select(Organisation.id).where(Organisation.id == organisation_id).with_for_update()
    if session.execute(locked).first() is None:
        raise NotFound(f"No organisation {organisation_id!r}.")


def set_portfolio_complete(session: Session, organisation_id: str, complete: bool) -> None:
    """Record whether the organisation declares its published portfolio complete (P2)."""
    session.execute(
        update(Organisation)
        .where(Organisation.id == organisation_id, Organisation.portfolio_complete != complete)
        .values(portfolio_complete=complete)
    )


def check_references(session: Session, projects: Sequence[dict[str, Any]], path_of: PathOf) -> None:
    """Name every unknown code with its exact place, with a suggestion where one is close."""
    known = {field: known_codes(session, entity) for field, (_, entity) in CODED_FIELDS.items()}
    errors = card_reference_errors(projects, known, known_codes(session, "organisation"), path_of)
    if errors:
        raise InvalidInput("The document refers to codes that do not exist.", errors)


def current_cards(session: Session, organisation_id: str) -> dict[str, StoredCard]:
    """Every project of the organisation (withdrawn included), by external id."""
    rows = session.execute(select(*_STORED).where(Project.organisation_id == organisation_id))
    return {row.external_id: _stored(row) for row in rows}


def current_card(session: Session, organisation_id: str, external_id: str) -> StoredCard | None:
    row = session.execute(
        select(*_STORED)
        .where(Project.organisation_id == organisation_id)
        .where(Project.external_id == external_id)
    ).one_or_none()
    return _stored(row) if row is not None else None


def _stored(row: Any) -> StoredCard:
    return StoredCard(row.id, row.external_id, row.data, row.revision, row.withdrawn)


def lock_catalogue(session: Session) -> None:
    """Serialise with every other publish until commit (PostgreSQL; SQLite has one writer)."""
    session.execute(select(CatalogState.version).where(CatalogState.id == 1).with_for_update())


# --- transitional: callers not yet on ecosystem.services.publishing ------------------------


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

    ``projects`` must already be validated by ``ProjectSchema``; unknown codes raise
    :class:`InvalidInput` before anything is written. (Transitional: the seed loader and
    commands that do not yet go through :mod:`ecosystem.services.publishing`.)
    """
    require_organisation(session, organisation_id)
    check_references(session, projects, path_of)
    current = current_cards(session, organisation_id)
    plan = core.plan_publish(organisation_id, current, projects, full=full)
    return apply_plan(session, plan, actor=actor)


def withdraw(session: Session, organisation_id: str, external_id: str, *, actor: str) -> None:
    """Mark one project withdrawn (transitional, as :func:`publish`)."""
    stored = current_card(session, organisation_id, external_id)
    apply_plan(session, core.plan_withdrawal(organisation_id, stored, external_id), actor=actor)


# --- writing a plan ----------------------------------------------------------------------


def apply_plan(session: Session, plan: PublishPlan, *, actor: str) -> PublishResult:
    """Write what the plan decided (nothing, if it changes nothing)."""
    if plan.result.changed:
        version, now = _bump_version(session), utcnow()
        revisions = _create(session, plan.organisation_id, plan.creates, version, now, actor)
        revisions += _change(session, plan.changes, version, now, actor)
        _bulk_insert(session, ProjectRevision, revisions)
        # The text may have changed: the embedding job is asked in the same transaction,
        # so no publish is ever left without its vector.
        vectors.enqueue(
            session, [r["project_id"] for r in revisions if r["action"] != "withdrawn"], now
        )
    return plan.result


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


def _create(
    session: Session,
    organisation_id: str,
    creates: list[dict[str, Any]],
    version: int,
    now: dt.datetime,
    actor: str,
) -> list[dict[str, Any]]:
    """Insert the new projects and their links; their first revisions, to be inserted."""
    if not creates:
        return []
    common = {"organisation_id": organisation_id, "revision": 1, "withdrawn": False}
    stamps = {"catalog_version": version, "created_at": now, "updated_at": now}
    _bulk_insert(
        session,
        Project,
        [
            {**_columns(data), **common, **stamps, "external_id": data["external_id"], "data": data}
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
    _insert_links(session, created)
    return [
        _revision(project_id, 1, "created", data, sorted(data), actor, now)
        for project_id, data in created
    ]


def _change(
    session: Session, changes: list[Change], version: int, now: dt.datetime, actor: str
) -> list[dict[str, Any]]:
    """Update the changed projects and relink them; their new revisions, to be inserted."""
    if not changes:
        return []
    session.execute(
        update(Project),
        [
            {
                "id": before.id,
                **_columns(data),
                "data": data,
                "revision": before.revision + 1,
                "withdrawn": action == "withdrawn",
                "catalog_version": version,
                "updated_at": now,
            }
            for before, data, action in changes
        ],
    )
    relinked = [(before.id, data) for before, data, action in changes if action != "withdrawn"]
    _delete_links(session, [project_id for project_id, _ in relinked])
    _insert_links(session, relinked)
    return [
        _revision(
            before.id,
            before.revision + 1,
            action,
            data,
            [] if action == "withdrawn" else changed_fields(before.data, data),
            actor,
            now,
        )
        for before, data, action in changes
    ]


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in _COLUMNS}
    values["demo"] = bool(data.get("demo"))
    for name in _DATE_COLUMNS:
        values[name] = dt.date.fromisoformat(data[name]) if data.get(name) else None
    return values


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
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [Json(row[c.name]) if c.name in json_columns else row[c.name] for c in columns]
                )
    except psycopg.Error as error:
        # Past SQLAlchemy, so wrap as it would (a duplicate key is its IntegrityError):
        # callers, and UnitOfWork.run's retry, see one kind of database error.
        raise DBAPIError.instance(statement, None, error, psycopg.Error) from error


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
