"""The "fravalgt" register: what an organisation or a group deliberately does not do, and why.

Anyone may read it; the organisation's own token, or the group's coordinators and admins,
add, change and withdraw entries. A withdrawn entry is kept, and every step is in its
history. Gap analyses show a gap an entry covers as "Fravalgt", not as an open gap.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from api.auth import current_principal
from api.db import transaction, unit_of_work
from api.parsing import Blueprint
from api.presenters.deliberately_not import entry_detail, entry_view
from api.schemas.common import problems
from api.schemas.deliberately_not import OptOutDetailSchema, OptOutListSchema, OptOutOutSchema
from ecosystem.deliberately_not import OptOutSchema
from ecosystem.services import deliberately_not as register

blp = Blueprint(
    "deliberately_not",
    __name__,
    url_prefix="/api/v1",
    description=(
        "Fravalg: hvad en organisation eller gruppe bevidst ikke gør, og hvorfor / "
        "Deliberately not: what an organisation or group chooses not to do, and why"
    ),
)

OWNER_PATH = "/<any(organisations, groups):owners>/<string:owner_id>/deliberately-not"
KINDS = {"organisations": "organisation", "groups": "group"}


@blp.route(OWNER_PATH)
class OptOutCollection(MethodView):
    @blp.response(200, OptOutListSchema)
    @problems(blp, 404)
    def get(self, owners: str, owner_id: str) -> dict[str, Any]:
        """List the owner's entries: live ones first, then withdrawn ones (kept as history)"""
        entries = register.list_entries(unit_of_work(), KINDS[owners], owner_id)
        today = register.today()
        return {"items": [entry_view(e, today) for e in entries]}

    @blp.arguments(OptOutSchema)
    @blp.response(201, OptOutOutSchema)
    @problems(blp, 401, 403, 404, 422)
    def post(self, document: dict[str, Any], owners: str, owner_id: str) -> dict[str, Any]:
        """Record something the owner deliberately does not do (its token; a group's coordinators)"""
        document.pop("revision", None)
        with transaction() as uow:
            added = register.add_entry(uow, current_principal(), KINDS[owners], owner_id, document)
        return entry_view(added, register.today())


@blp.route(OWNER_PATH + "/<int:entry_id>")
class OptOutItem(MethodView):
    @blp.response(200, OptOutDetailSchema)
    @problems(blp, 404)
    def get(self, owners: str, owner_id: str, entry_id: int) -> dict[str, Any]:
        """One entry with every step of its history"""
        found = register.entry_history(unit_of_work(), KINDS[owners], owner_id, entry_id)
        return entry_detail(found, register.today())

    @blp.arguments(OptOutSchema)
    @blp.response(200, OptOutOutSchema)
    @problems(blp, 401, 403, 404, 409, 422)
    def put(
        self, document: dict[str, Any], owners: str, owner_id: str, entry_id: int
    ) -> dict[str, Any]:
        """Replace an entry (a new revision; ``revision``: the one you read, or 409)"""
        with transaction() as uow:
            changed = register.change_entry(
                uow, current_principal(), KINDS[owners], owner_id, entry_id, document
            )
        return entry_view(changed, register.today())

    @blp.response(200, OptOutOutSchema)
    @problems(blp, 401, 403, 404)
    def delete(self, owners: str, owner_id: str, entry_id: int) -> dict[str, Any]:
        """Withdraw an entry: it no longer counts in gap analyses, and stays in the history"""
        with transaction() as uow:
            withdrawn = register.withdraw_entry(
                uow, current_principal(), KINDS[owners], owner_id, entry_id
            )
        return entry_view(withdrawn, register.today())
