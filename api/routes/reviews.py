"""Reviews of a thematic group: opening one, its snapshot, since last review, the pack, and
the cards to refresh before the meeting.

Opening a review freezes its moment; reading it recomputes the slice from project history
as of that moment, so an old review reads the same after later publishes. The group's
coordinators and admins open reviews; anyone may read what is public. Decisions are in
:mod:`api.routes.decisions`.
"""

from __future__ import annotations

from typing import Any

from api.auth import current_principal
from api.db import transaction, unit_of_work
from api.parsing import Blueprint
from api.presenters.reviews import (
    pack_tables,
    pack_view,
    refresh_list_view,
    review_header,
    review_view,
    since_last_view,
)
from api.schemas.common import problems
from api.schemas.reviews import (
    PackArgs,
    PackSchema,
    RefreshListSchema,
    ReviewHeaderSchema,
    ReviewInSchema,
    ReviewSchema,
    SinceLastSchema,
)
from api.tabular import XLSX, send_workbook
from ecosystem.services import reviews

blp = Blueprint(
    "reviews",
    __name__,
    url_prefix="/api/v1",
    description=(
        "Gennemgange: øjebliksbilleder, siden sidst, beslutninger og mødepakke / "
        "Reviews: snapshots, since last review, decisions and the review pack"
    ),
)

BINARY = {"type": "string", "format": "binary"}


@blp.route("/groups/<string:group_id>/reviews", methods=["POST"])
@blp.arguments(ReviewInSchema)
@blp.response(201, ReviewHeaderSchema)
@problems(blp, 401, 403, 404, 422)
def open_review(document: dict[str, Any], group_id: str) -> dict[str, Any]:
    """Open a review: freeze the moment of the group's slice (coordinators and admins)"""
    with transaction() as uow:
        review = reviews.open_review(
            uow,
            current_principal(),
            group_id,
            meeting_date=document["meeting_date"],
            participants=document["participants"],
            title=document.get("title"),
        )
    return review_header(review)


@blp.route("/groups/<string:group_id>/reviews", methods=["GET"])
@blp.response(200, ReviewHeaderSchema(many=True))
@problems(blp, 404)
def list_group_reviews(group_id: str) -> list[dict[str, Any]]:
    """The group's reviews, oldest first"""
    return [review_header(r) for r in reviews.list_reviews(unit_of_work(), group_id)]


@blp.route("/reviews/<int:review_id>")
@blp.response(200, ReviewSchema)
@problems(blp, 401, 404)
def get_review(review_id: int) -> dict[str, Any]:
    """A review with its snapshot recomputed as of its moment, and its decisions"""
    return review_view(reviews.get_review(unit_of_work(), current_principal(), review_id))


@blp.route("/reviews/<int:review_id>/since-last")
@blp.response(200, SinceLastSchema)
@problems(blp, 401, 404)
def review_since_last(review_id: int) -> dict[str, Any]:
    """What changed between the group's previous review and this one"""
    found = reviews.review_since_last(unit_of_work(), current_principal(), review_id)
    return since_last_view(found)


@blp.route("/reviews/<int:review_id>/pack")
@blp.arguments(PackArgs, location="query")
@blp.response(200, PackSchema)
@blp.alt_response(
    200,
    schema=BINARY,
    content_type=XLSX,
    description="The pack; with format=xlsx its lists as a workbook, a sheet each",
)
@problems(blp, 401, 404)
def review_pack(args: dict[str, Any], review_id: int) -> Any:
    """The review pack: agenda, since last review, balances and lists (JSON or XLSX)"""
    pack = pack_view(reviews.review_pack(unit_of_work(), current_principal(), review_id))
    if args["format"] == "xlsx":
        return send_workbook(pack_tables(pack), f"review-{review_id}")
    return pack


@blp.route("/groups/<string:group_id>/refresh-list")
@blp.response(200, RefreshListSchema)
@problems(blp, 401, 404)
def group_refresh_list(group_id: str) -> dict[str, Any]:
    """Per organisation, its projects in the mandate not reviewed since the last review"""
    return refresh_list_view(reviews.refresh_list(unit_of_work(), current_principal(), group_id))
