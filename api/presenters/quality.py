"""A portfolio's data quality as JSON: parts, fields, flagged projects and suggestions."""

from __future__ import annotations

from typing import Any

from ecosystem.quality import (
    CodeProblem,
    FieldCompleteness,
    Named,
    ScorePart,
    StaleProject,
    Suggestion,
)
from ecosystem.services.quality import OrganisationQuality

__all__ = ["named_view", "quality_view"]


def named_view(project: Named) -> dict[str, Any]:
    return {"id": project.id, "external_id": project.external_id, "title": project.title}


def quality_view(found: OrganisationQuality) -> dict[str, Any]:
    report, organisation = found.report, found.organisation
    return {
        "organisation": {
            "id": organisation.id,
            "name": organisation.name,
            "kind": organisation.kind,
        },
        "complete": found.complete,
        "as_of": found.today,
        "projects": report.projects,
        "score": report.score,
        "parts": [_part_view(p) for p in report.parts],
        "fields_": [_field_view(f) for f in report.fields],
        "placeholders": [
            {"project": named_view(p.project), "words": p.words, "same_as_title": p.same_as_title}
            for p in report.placeholders
        ],
        "stale": [_stale_view(s) for s in report.stale],
        "codes": [_code_view(c) for c in report.codes],
        "suggestions": [_suggestion_view(s) for s in report.suggestions],
        "reviews": [
            {"group": {"id": r.group.id, "name": r.group.name}, "meeting_date": r.meeting_date}
            for r in report.reviews
        ],
    }


def _part_view(part: ScorePart) -> dict[str, Any]:
    return {
        "key": part.key,
        "label": part.label.da,
        "label_en": part.label.en,
        "weight": part.weight,
        "share": round(part.share, 3),
        "points": round(part.points, 1),
        "explanation": part.explanation.da,
        "explanation_en": part.explanation.en,
    }


def _field_view(field: FieldCompleteness) -> dict[str, Any]:
    return {
        "key": field.key,
        "label": field.label.da,
        "label_en": field.label.en,
        "why": field.why.da,
        "why_en": field.why.en,
        "applies": field.applies,
        "complete": field.complete,
        "share": round(field.share, 3),
        "missing": [named_view(p) for p in field.missing],
    }


def _stale_view(stale: StaleProject) -> dict[str, Any]:
    return {
        "project": named_view(stale.project),
        "confirmed": stale.confirmed,
        "group": {"id": stale.group_id, "name": stale.group_name},
        "review_date": stale.review_date,
    }


def _code_view(code: CodeProblem) -> dict[str, Any]:
    return {
        "project": named_view(code.project),
        "field": code.field,
        "code": code.code,
        "reason": code.reason.da,
        "reason_en": code.reason.en,
    }


def _suggestion_view(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "key": suggestion.key,
        "text": suggestion.text.da,
        "text_en": suggestion.text.en,
        "gain": suggestion.gain,
        "projects": [named_view(p) for p in suggestion.projects],
    }
