"""Strategic goal pictures of organisations and groups, and how their goals are followed up.

Each save is a new revision (``revision`` in the body guards against lost updates); fewer
than five or more than ten goals is saved with a warning. An
organisation's goals are set by whoever publishes for it, a group's by its coordinators.
"""

from __future__ import annotations

from typing import Any

from api.auth import current_principal
from api.db import retried_transaction, unit_of_work
from api.parsing import Blueprint
from api.presenters.goals import follow_up_view, goal_picture_view, picture_view
from api.schemas.common import problems
from api.schemas.goals import FollowUpSchema, GoalPictureDetailSchema, GoalPictureOutSchema
from ecosystem.goal_pictures import GoalPictureSchema
from ecosystem.services import goals

blp = Blueprint(
    "goal_pictures",
    __name__,
    url_prefix="/api/v1",
    description="Målbilleder og opfølgning / Goal pictures and follow-up",
)

OWNER_PATH = "/goal-pictures/<any(organisation, group):owner_kind>/<string:owner_id>"


@blp.route(OWNER_PATH, methods=["PUT"])
@blp.arguments(GoalPictureSchema)
@blp.response(200, GoalPictureOutSchema)
@problems(blp, 401, 403, 404, 409, 422)
def put_goal_picture(document: dict[str, Any], owner_kind: str, owner_id: str) -> dict[str, Any]:
    """Set the strategic goal picture and its 5–10 goals (a new revision; fewer or more warns)

    Send ``revision`` (the one you read; 0 for none yet) and a picture saved since is
    refused with 409 instead of overwritten.
    """
    principal = current_principal()
    # Two saves at once both take the next revision number: the second is run again.
    saved = retried_transaction(
        lambda uow: goals.put_goal_picture(uow, principal, owner_kind, owner_id, document)
    )
    return picture_view(saved.picture, saved.warnings)


@blp.route(OWNER_PATH, methods=["GET"])
@blp.response(200, GoalPictureDetailSchema)
@problems(blp, 404)
def get_goal_picture(owner_kind: str, owner_id: str) -> dict[str, Any]:
    """The current goal picture, with how many revisions came before"""
    return goal_picture_view(goals.get_goal_picture(unit_of_work(), owner_kind, owner_id))


@blp.route(OWNER_PATH + "/follow-up")
@blp.response(200, FollowUpSchema)
@problems(blp, 401, 404)
def goal_follow_up(owner_kind: str, owner_id: str) -> dict[str, Any]:
    """Each goal's trend, distance to target and narrative; the projects behind it"""
    found = goals.follow_up_goals(unit_of_work(), current_principal(), owner_kind, owner_id)
    return follow_up_view(found)
