"""A match as JSON, for the organisation whose view it is.

What the other side's project shows follows the service's view: a private project it
may not see comes as ``other: null`` with a hint, and its answers are named only as the
other side's (never by organisation or actor, which would name the hidden owner).
"""

from __future__ import annotations

from typing import Any

from ecosystem.groups import Reference
from ecosystem.labels import (
    CONFIDENCE,
    MATCH_ANSWERS,
    NOT_RELEVANT_BECAUSE,
    OVERLAP_RELATIONS,
    name_of,
)
from ecosystem.model import ProjectRecord
from ecosystem.services.matches import AnswerRecord, Consent, MatchView

__all__ = ["consent_view", "match_view"]


def consent_view(consent: Consent) -> dict[str, Any]:
    return {
        "organisation_id": consent.organisation_id,
        "opted_in": consent.opted_in,
        "excluded_projects": list(consent.excluded_projects),
    }


def match_view(view: MatchView, reference: Reference) -> dict[str, Any]:
    reasons = view.reasons
    confidence = str(reasons.get("confidence", "same"))
    relation = str(reasons.get("relation", "parallel"))
    band, related = name_of(CONFIDENCE, confidence), name_of(OVERLAP_RELATIONS, relation)
    return {
        "id": view.id,
        "created_at": view.created_at.isoformat(),
        "organisation": view.organisation_id,
        "own": _project(view.own, reference),
        "other": _project(view.other, reference) if view.other is not None else None,
        "other_hint": (
            {"message": view.hint.da, "message_en": view.hint.en} if view.hint else None
        ),
        "confidence": confidence,
        "confidence_label": band.da,
        "confidence_label_en": band.en,
        "relation": relation,
        "relation_label": related.da,
        "relation_label_en": related.en,
        "reasons": list(reasons.get("reasons", [])),
        "reasons_en": list(reasons.get("reasons_en", [])),
        "shared_terms": list(reasons.get("shared_terms", [])),
        "highlights": list(reasons.get("highlights", [])),
        "own_answer": _answer(view.own_answer, view) if view.own_answer else None,
        "other_answer": _answer(view.other_answer, view) if view.other_answer else None,
        "answers": [_answer(a, view) for a in view.answers],
    }


def _project(record: ProjectRecord, reference: Reference) -> dict[str, Any]:
    owner = reference.organisation(record.organisation_id)
    return {
        "id": record.id,
        "external_id": record.external_id,
        "title": record.card.title,
        "organisation": {"id": owner.id, "name": owner.name, "kind": owner.kind},
        "withdrawn": record.withdrawn,
    }


def _answer(answer: AnswerRecord, view: MatchView) -> dict[str, Any]:
    label = name_of(MATCH_ANSWERS, str(answer.answer))
    because = name_of(NOT_RELEVANT_BECAUSE, str(answer.because)) if answer.because else None
    return {
        "side": "own" if answer.project_id == view.own.id else "other",
        "answer": str(answer.answer),
        "answer_label": label.da,
        "answer_label_en": label.en,
        "reason": answer.reason,
        "because": str(answer.because) if answer.because else None,
        "because_label": because.da if because else None,
        "because_label_en": because.en if because else None,
        "created_at": answer.created_at.isoformat(),
    }
