"""The data quality of an organisation's portfolio: what would make its cards more useful."""

from __future__ import annotations

from typing import Any

from api.auth import current_principal
from api.db import unit_of_work
from api.parsing import Blueprint
from api.presenters.quality import quality_view
from api.schemas.common import problems
from api.schemas.quality import QualitySchema
from ecosystem.services import quality

blp = Blueprint(
    "quality",
    __name__,
    url_prefix="/api/v1/organisations/<string:organisation_id>",
    description="Datakvalitet i en portefølje / Data quality of a portfolio",
)


@blp.route("/quality", methods=["GET"])
@blp.response(200, QualitySchema)
@problems(blp, 401, 404)
def get_organisation_quality(organisation_id: str) -> dict[str, Any]:
    """The portfolio's data quality: a score with its parts and three suggestions (over the
    projects the reader may see)"""
    found = quality.organisation_quality(unit_of_work(), current_principal(), organisation_id)
    return quality_view(found)
