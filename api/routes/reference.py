"""Reference data: list and read for everyone; create and change for admins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.views import MethodView
from marshmallow import Schema

from api.auth import current_principal
from api.db import transaction, unit_of_work
from api.parsing import Blueprint
from api.schemas.common import problems
from api.schemas.reference import (
    AreaSchema,
    GoalSchema,
    GoalSetSchema,
    OrganisationSchema,
    TargetGroupSchema,
    ThemeSchema,
)
from ecosystem.safe_text import Text
from ecosystem.services import reference

blp = Blueprint(
    "reference",
    __name__,
    url_prefix="/api/v1",
    description="Områder, organisationer, taksonomi og mål / Areas, organisations, taxonomy, goals",
)


def _filter_args(**columns: str) -> type[Schema]:
    """A query-args schema whose fields filter on equal columns (query name → column)."""
    return Schema.from_dict(
        {name: Text(data_key=name, metadata={"column": column}) for name, column in columns.items()}
    )


# url path → (entity, schema, query filters as {query arg: column})
RESOURCES: dict[str, tuple[str, type[Schema], dict[str, str]]] = {
    "areas": ("area", AreaSchema, {"scheme": "scheme"}),
    "organisations": ("organisation", OrganisationSchema, {"kind": "kind"}),
    "themes": ("theme", ThemeSchema, {"parent": "parent_code"}),
    "target-groups": ("target_group", TargetGroupSchema, {}),
    "goal-sets": ("goal_set", GoalSetSchema, {"organisation": "organisation_id"}),
    "goals": ("goal", GoalSchema, {"goal_set": "goal_set_id", "organisation": "organisation_id"}),
}


def _register(path: str, entity: str, schema: type[Schema], filters: dict[str, str]) -> None:
    noun = entity.replace("_", " ")
    args_schema = _filter_args(**filters)

    class Collection(MethodView):
        @blp.arguments(args_schema, location="query")
        @blp.response(200, schema(many=True))
        def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
            chosen = {filters[k]: v for k, v in args.items()}
            return reference.list_all(unit_of_work(), entity, **chosen)

        @blp.arguments(schema)
        @blp.response(201, schema)
        @problems(blp, 401, 403, 409, 422)
        def post(self, values: dict[str, Any]) -> dict[str, Any]:
            with transaction() as uow:
                return reference.create(uow, current_principal(), entity, values)

    class Item(MethodView):
        @blp.response(200, schema)
        @problems(blp, 404)
        def get(self, key: str) -> dict[str, Any]:
            return reference.get(unit_of_work(), entity, key)

        @blp.arguments(schema(partial=True))
        @blp.response(200, schema)
        @problems(blp, 401, 403, 404, 422)
        def patch(self, changes: dict[str, Any], key: str) -> dict[str, Any]:
            with transaction() as uow:
                return reference.update(uow, current_principal(), entity, key, changes)

    _describe(Collection, f"List {noun}s", f"Create a {noun} (admin)")
    _describe(Item, f"Get one {noun}", f"Change a {noun} (admin)")
    blp.add_url_rule(f"/{path}", endpoint=f"{entity}_collection", view_func=Collection)
    blp.add_url_rule(f"/{path}/<string:key>", endpoint=f"{entity}_item", view_func=Item)


def _describe(view: type[MethodView], read: str, write: str) -> None:
    methods: dict[str, Callable[..., Any]] = {
        name: getattr(view, name) for name in ("get", "post", "patch") if hasattr(view, name)
    }
    for name, method in methods.items():
        method.__doc__ = read if name == "get" else write


for _path, (_entity, _schema, _filters) in RESOURCES.items():
    _register(_path, _entity, _schema, _filters)
