"""A portfolio's data quality as JSON: parts, fields, flagged projects and suggestions."""

from __future__ import annotations

from typing import Any

from ecosystem.quality import Named
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
        "parts": [
            {
                "key": p.key,
                "label": p.label.da,
                "label_en": p.label.en,
                "weight": p.weight,
                "share": round(p.share, 3),
                "points": round(p.points, 1),
                "explanation": p.explanation.da,
                "explanation_en": p.explanation.en,
            }
            for p in report.parts
        ],
        "fields_": [
            {
                "key": f.key,
                "label": f.label.da,
                "label_en": f.label.en,
                "why": f.why.da,
                "why_en": f.why.en,
                "applies": f.applies,
                "complete": f.complete,
                "share": round(f.share, 3),
                "missing": [named_view(p) for p in f.missing],
            }
            for f in report.fields
        ],
        "placeholders": [
            {"project": named_view(p.project), "words": p.words, "same_as_title": p.same_as_title}
            for p in report.placeholders
        ],
        "stale": [
            {
                "project": named_view(s.project),
                "confirmed": s.confirmed,
                "group": {"id": s.group_id, "name": s.group_name},
                "review_date": s.review_date,
            }
            for s in report.stale
        ],
        "codes": [
            {
                "project": named_view(c.project),
                "field": c.field,
                "code": c.code,
                "reason": c.reason.da,
                "reason_en": c.reason.en,
            }
            for c in report.codes
        ],
        "suggestions": [
            {
                "key": s.key,
                "text": s.text.da,
                "text_en": s.text.en,
                "gain": s.gain,
                "projects": [named_view(p) for p in s.projects],
            }
            for s in report.suggestions
        ],
        "reviews": [
            {"group": {"id": r.group.id, "name": r.group.name}, "meeting_date": r.meeting_date}
            for r in report.reviews
        ],
    }
