"""Thematic portfolio groups: list, create, read with history, change.

A group recommends; it never edits other organisations' projects (DOMAIN.md §2). What a
group's analyses find is in :mod:`api.routes.analyses`, its reviews in
:mod:`api.routes.reviews`.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from api.auth import current_principal
from api.db import transaction, unit_of_work
from api.parsing import Blueprint
from api.presenters.groups import group_detail, group_out
from api.schemas.common import problems
from api.schemas.groups import GroupDetailSchema, GroupListArgs, GroupOutSchema
from ecosystem.groups import GroupPatchSchema, GroupSchema
from ecosystem.services import groups

blp = Blueprint(
    "groups",
    __name__,
    url_prefix="/api/v1",
    description=(
        "Tematiske porteføljegrupper: mandat, huller, skaleringskandidater og balance / "
        "Thematic portfolio groups: mandates, gaps, scaling candidates and balance"
    ),
)


@blp.route("/groups")
class GroupCollection(MethodView):
    @blp.arguments(GroupListArgs, location="query")
    @blp.response(200, GroupOutSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """List the thematic portfolio groups"""
        return [group_out(g) for g in groups.list_groups(unit_of_work(), demo=args.get("demo"))]

    @blp.arguments(GroupSchema)
    @blp.response(201, GroupOutSchema)
    @problems(blp, 401, 403, 409, 422)
    def post(self, document: dict[str, Any]) -> dict[str, Any]:
        """Create a group (admins, or an organisation naming itself as coordinator)"""
        with transaction() as uow:
            created = groups.create_group(uow, current_principal(), document)
        return group_out(created)


@blp.route("/groups/<string:group_id>")
class GroupItem(MethodView):
    @blp.response(200, GroupDetailSchema)
    @problems(blp, 404)
    def get(self, group_id: str) -> dict[str, Any]:
        """Get one group with its history"""
        return group_detail(
            groups.group_with_history(unit_of_work(), current_principal(), group_id)
        )

    @blp.arguments(GroupPatchSchema)
    @blp.response(200, GroupOutSchema)
    @problems(blp, 401, 403, 404, 409, 422)
    def patch(self, changes: dict[str, Any], group_id: str) -> dict[str, Any]:
        """Change a group (its coordinators and admins); the history keeps every version"""
        with transaction() as uow:
            updated = groups.update_group(uow, current_principal(), group_id, changes)
        return group_out(updated)
