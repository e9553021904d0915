"""Tag suggestions as the API and the pages show them."""

from __future__ import annotations

from typing import Any

from ecosystem.services.suggestions import SuggestionOutcome
from ecosystem.suggest import Suggestion

__all__ = ["suggestions_view"]

SUPPORTERS_SHOWN = 3
NOTE = (
    "Forslag er aldrig tags: vælg dem, du vil bruge. / "
    "Suggestions are never tags until you accept them."
)


def suggestions_view(outcome: SuggestionOutcome) -> dict[str, Any]:
    return {
        "suggestions": [_one(outcome, s) for s in outcome.suggestions],
        "method": outcome.method,
        "k": outcome.k,
        "threshold": outcome.threshold,
        "note": NOTE,
    }


def _one(outcome: SuggestionOutcome, suggestion: Suggestion) -> dict[str, Any]:
    reference = outcome.reference
    label = (
        reference.target_group_label(suggestion.code)
        if suggestion.kind == "target_group"
        else reference.theme_label(suggestion.code)
    )
    return {
        "kind": suggestion.kind,
        "code": suggestion.code,
        "label_da": label.da,
        "label_en": label.en,
        "confidence": round(suggestion.confidence, 3),
        "supporters": [
            {"project_id": pid, "title": outcome.titles[pid], "similarity": round(score, 3)}
            for pid, score in suggestion.supporters[:SUPPORTERS_SHOWN]
        ],
    }
