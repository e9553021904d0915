"""Reference data: the area gazetteer, organisations, taxonomy and goals.

Every change to reference data is written to the audit log, so nothing an admin changes
is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ecosystem.errors import Conflict, FieldError, InvalidInput, NotFound
from ecosystem.overlap import Gazetteer
from ecosystem.store.tables import (
    Area,
    AreaParent,
    AuditEntry,
    Base,
    Goal,
    GoalSet,
    Organisation,
    OrganisationArea,
    TargetGroup,
    Theme,
    utcnow,
)

__all__ = [
    "ENTITIES",
    "Entity",
    "area_parent_map",
    "create",
    "gazetteer",
    "get",
    "known_codes",
    "list_all",
    "organisation_kinds",
    "organisation_refs",
    "reference_version",
    "theme_parent_map",
    "update",
]


@dataclass(frozen=True)
class Entity:
    """How one kind of reference record maps to its table.

    ``links`` names a list field that lives in an association table:
    (field name, association model, owner column, value column).
    """

    name: str
    model: type[Base]
    key: str
    fields: tuple[str, ...]
    links: tuple[tuple[str, type[Base], str, str], ...] = ()
    order_by: str | None = None


ENTITIES: dict[str, Entity] = {
    "area": Entity(
        "area",
        Area,
        "code",
        ("code", "scheme", "name_da", "name_en", "provisional", "note"),
        links=(("parents", AreaParent, "child_code", "parent_code"),),
    ),
    "organisation": Entity(
        "organisation",
        Organisation,
        "id",
        ("id", "name", "kind", "parent_id", "url", "email", "phone", "note"),
        links=(("areas", OrganisationArea, "organisation_id", "area_code"),),
    ),
    "theme": Entity(
        "theme",
        Theme,
        "code",
        ("code", "parent_code", "label_da", "label_en", "description_da", "description_en"),
    ),
    "target_group": Entity(
        "target_group",
        TargetGroup,
        "code",
        ("code", "label_da", "label_en", "description_da", "description_en"),
    ),
    "goal_set": Entity(
        "goal_set",
        GoalSet,
        "id",
        ("id", "organisation_id", "name_da", "name_en", "description_da", "source"),
    ),
    "goal": Entity(
        "goal",
        Goal,
        "code",
        (
            "code",
            "goal_set_id",
            "organisation_id",
            "title_da",
            "title_en",
            "description_da",
            "indicators",
        ),
    ),
}


def list_all(session: Session, entity: str, **filters: Any) -> list[dict[str, Any]]:
    """Every record of one kind as plain dicts, optionally filtered on equal columns."""
    spec = ENTITIES[entity]
    stmt = select(spec.model).order_by(getattr(spec.model, spec.key))
    for column, value in filters.items():
        if value is not None:
            stmt = stmt.where(getattr(spec.model, column) == value)
    rows = session.scalars(stmt).all()
    links = {
        name: _link_map(session, model, owner, value) for name, model, owner, value in spec.links
    }
    return [_as_dict(spec, row, links) for row in rows]


def get(session: Session, entity: str, key: str) -> dict[str, Any]:
    spec = ENTITIES[entity]
    row = session.get(spec.model, key)
    if row is None:
        raise NotFound(f"No {entity.replace('_', ' ')} {key!r}.")
    links = {
        name: {key: _linked_values(session, model, owner, value, key)}
        for name, model, owner, value in spec.links
    }
    return _as_dict(spec, row, links)


def create(session: Session, entity: str, values: dict[str, Any], actor: str) -> dict[str, Any]:
    """Insert a new record; its key must be new and its linked codes must exist."""
    spec = ENTITIES[entity]
    key = values[spec.key]
    if session.get(spec.model, key) is not None:
        raise Conflict(f"{entity.replace('_', ' ').capitalize()} {key!r} already exists.")
    _check_references(session, spec, values)
    session.add(spec.model(**{f: values.get(f) for f in spec.fields if f in values}))
    session.flush()
    for name, model, owner, value in spec.links:
        _replace_links(session, model, owner, value, key, values.get(name) or [])
    _audit(session, entity, key, "created", values, actor)
    return get(session, entity, key)


def update(
    session: Session, entity: str, key: str, changes: dict[str, Any], actor: str
) -> dict[str, Any]:
    """Change some fields of an existing record (the key itself cannot change)."""
    spec = ENTITIES[entity]
    row = session.get(spec.model, key)
    if row is None:
        raise NotFound(f"No {entity.replace('_', ' ')} {key!r}.")
    _check_references(session, spec, changes)
    for field in spec.fields:
        if field in changes and field != spec.key:
            setattr(row, field, changes[field])
    if hasattr(row, "updated_at"):
        row.updated_at = utcnow()
    for name, model, owner, value in spec.links:
        if name in changes:
            _replace_links(session, model, owner, value, key, changes[name] or [])
    session.flush()
    _audit(session, entity, key, "updated", changes, actor)
    return get(session, entity, key)


def known_codes(session: Session, entity: str) -> set[str]:
    spec = ENTITIES[entity]
    return set(session.scalars(select(getattr(spec.model, spec.key))))


def area_parent_map(session: Session) -> dict[str, list[str]]:
    """child code → parent codes, for expanding an area to everything inside it."""
    return _link_map(session, AreaParent, "child_code", "parent_code")


def theme_parent_map(session: Session) -> dict[str, str | None]:
    return dict(session.execute(select(Theme.code, Theme.parent_code)).all())


def organisation_kinds(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Organisation.id, Organisation.kind)).all())


def _check_references(session: Session, spec: Entity, values: dict[str, Any]) -> None:
    """Refuse codes that point nowhere, naming each one, instead of failing on a foreign key."""
    errors: list[FieldError] = []
    for field in spec.fields:
        if values.get(field) is not None:
            errors += _missing_targets(session, spec.model, field, field, [values[field]])
    for name, model, _owner, value in spec.links:
        errors += _missing_targets(session, model, value, name, values.get(name) or [])
    if errors:
        raise InvalidInput("Unknown references.", errors)


def _missing_targets(
    session: Session, model: type[Base], column: str, field: str, codes: Sequence[Any]
) -> list[FieldError]:
    foreign_keys = getattr(model, column).property.columns[0].foreign_keys
    if not foreign_keys:
        return []
    target = next(iter(foreign_keys)).column
    found = set(session.scalars(select(target).where(target.in_(list(codes)))))
    return [
        FieldError(
            field if field == column else f"{field}[{i}]",
            f"Unknown {target.table.name.rstrip('s').replace('_', ' ')} {code!r}.",
        )
        for i, code in enumerate(codes)
        if code not in found
    ]


def _as_dict(spec: Entity, row: Base, links: dict[str, dict[str, list[str]]]) -> dict[str, Any]:
    record = {field: getattr(row, field) for field in spec.fields}
    key = record[spec.key]
    for name, *_ in spec.links:
        record[name] = sorted(links[name].get(key, []))
    return record


def _link_map(session: Session, model: type[Base], owner: str, value: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for owner_key, linked in session.execute(select(getattr(model, owner), getattr(model, value))):
        result.setdefault(owner_key, []).append(linked)
    return result


def _linked_values(
    session: Session, model: type[Base], owner: str, value: str, key: str
) -> list[str]:
    stmt = select(getattr(model, value)).where(getattr(model, owner) == key)
    return list(session.scalars(stmt))


def _replace_links(
    session: Session, model: type[Base], owner: str, value: str, key: str, codes: Iterable[str]
) -> None:
    session.execute(delete(model).where(getattr(model, owner) == key))
    for code in dict.fromkeys(codes):
        session.add(model(**{owner: key, value: code}))
    session.flush()


def _audit(
    session: Session, entity: str, key: str, action: str, data: dict[str, Any], actor: str
) -> None:
    session.add(
        AuditEntry(entity=entity, key=key, action=action, data=_jsonable(data), actor=actor)
    )


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (list(v) if isinstance(v, Sequence) and not isinstance(v, str) else v)
        for k, v in data.items()
    }


def organisation_refs(session: Session, ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """id → {id, name, kind} for the given organisations, in one query."""
    wanted = list(set(ids))
    rows = session.execute(
        select(Organisation.id, Organisation.name, Organisation.kind).where(
            Organisation.id.in_(wanted)
        )
    )
    return {row.id: {"id": row.id, "name": row.name, "kind": row.kind} for row in rows}


def reference_version(session: Session) -> int:
    """Grows with every change to reference data (each change is an audit entry)."""
    return int(session.scalar(select(func.max(AuditEntry.id))) or 0)


def gazetteer(session: Session) -> Gazetteer:
    """Places, organisations and labels, as overlap scoring needs them."""
    areas = session.execute(select(Area.code, Area.scheme, Area.name_da)).all()
    organisations = session.execute(
        select(Organisation.id, Organisation.kind, Organisation.name)
    ).all()
    themes = session.execute(select(Theme.code, Theme.parent_code, Theme.label_da)).all()
    return Gazetteer(
        area_parents=area_parent_map(session),
        area_schemes={row.code: row.scheme for row in areas},
        area_names={row.code: row.name_da for row in areas},
        theme_parents={row.code: [row.parent_code] for row in themes if row.parent_code},
        theme_labels={row.code: row.label_da for row in themes},
        target_group_labels=dict(
            session.execute(select(TargetGroup.code, TargetGroup.label_da)).all()
        ),
        organisation_kinds={row.id: row.kind for row in organisations},
        organisation_names={row.id: row.name for row in organisations},
        organisation_areas=_link_map(session, OrganisationArea, "organisation_id", "area_code"),
    )
