"""Tag suggestions: themes, sub-themes and target groups to offer a publisher."""

from __future__ import annotations

from typing import Any

from api.auth import current_principal
from api.db import unit_of_work
from api.parsing import Blueprint
from api.presenters.suggestions import suggestions_view
from api.schemas.common import problems
from api.schemas.suggestions import TagSuggestionRequestSchema, TagSuggestionsSchema
from ecosystem.services import suggestions

blp = Blueprint(
    "suggestions",
    __name__,
    url_prefix="/api/v1",
    description="Forslag til tags / Tag suggestions",
)


@blp.route("/suggestions", methods=["POST"])
@blp.arguments(TagSuggestionRequestSchema)
@blp.response(200, TagSuggestionsSchema)
@problems(blp, 401, 422)
def suggest(request: dict[str, Any]) -> dict[str, Any]:
    """Suggest themes, sub-themes and target groups for a text, each with a confidence

    The nearest tagged projects the caller may see vote, weighted by similarity. Nothing
    is stored or tagged: the publisher accepts a suggestion by adding its code to the card.
    """
    outcome = suggestions.suggest_tags(
        unit_of_work(),
        current_principal(),
        request["title"],
        request["description"],
        themes=request["themes"],
        target_groups=request["target_groups"],
    )
    return suggestions_view(outcome)
