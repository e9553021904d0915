"""What the group analyses found, as JSON views and as tables: gaps and candidates.

The views name projects by :func:`~api.presenters.groups.project_ref`; the tables put
Danish headers first. Shared by the API, the pages, the command line and the reviews
(a snapshot is shown with the same views). The balance is in :mod:`api.presenters.balance`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.presenters.deliberately_not import entry_view
from api.presenters.groups import mandate_document, organisation_ref, project_ref
from ecosystem.deliberately_not import said
from ecosystem.gaps import Gap, GapReport, Matrix, OptedOut, Severity
from ecosystem.groups import Mandate, ProjectInfo, Reference, Slice
from ecosystem.labels import (
    GAP_KINDS,
    SEVERITIES,
    STAGES,
    in_danish,
)
from ecosystem.scaling import Adopter, Candidate
from ecosystem.scaling.fit import Fit
from ecosystem.services.adoption import AdopterCandidates
from ecosystem.tabular import Column, Table

__all__ = [
    "adopter_candidates_view",
    "adopter_view",
    "candidate_view",
    "candidates_table",
    "candidates_view",
    "fit_view",
    "gap_view",
    "gaps_table",
    "gaps_view",
    "opted_out_view",
]

LISTED = 20  # projects listed inline with a gap; the rest are counted in *_total


def _refs(ids: Sequence[int], found: Slice) -> list[dict[str, Any]]:
    return [project_ref(found.by_id[i], found.reference) for i in ids if i in found.by_id]


def _titled(project: ProjectInfo, reference: Reference) -> str:
    return (
        f"{project.title} ({reference.organisation(project.organisation_id).name}, #{project.id})"
    )


# --- gaps ----------------------------------------------------------------------------------


def gap_view(gap: Gap, found: Slice) -> dict[str, Any]:
    return {
        "id": gap.id,
        "kind": gap.kind.value,
        "severity": gap.severity.value,
        "severity_reason": gap.severity_reason.da,
        "severity_reason_en": gap.severity_reason.en,
        "explanation": gap.explanation.da,
        "explanation_en": gap.explanation.en,
        "subject": gap.subject.da,
        "subject_en": gap.subject.en,
        "theme": gap.theme,
        "area": gap.area,
        "areas": list(gap.areas or ((gap.area,) if gap.area else ())),
        "target_group": gap.target_group,
        "goal": gap.goal,
        "dimension": gap.dimension.value if gap.dimension else None,
        "projects": _refs(gap.projects[:LISTED], found),
        "projects_total": len(gap.projects),
        "finding": gap.finding.value if gap.finding else None,
        "finding_label": gap.finding.label.da if gap.finding else None,
        "finding_label_en": gap.finding.label.en if gap.finding else None,
        "inferred_projects": _refs(gap.inferred[:LISTED], found),
        "national_projects": _refs(gap.national[:LISTED], found),
        "nearest": [
            {
                "project": project_ref(found.by_id[n.project_id], found.reference),
                "proximity": n.proximity.value,
            }
            for n in gap.nearest
        ],
    }


def opted_out_view(opted: OptedOut, found: Slice) -> dict[str, Any]:
    """A fravalgt gap: the line as any gap, and who chose not to work on it, and why."""
    words = [said(e) for e in opted.entries]
    return {
        **gap_view(opted.gap, found),
        "opted_out": [entry_view(e, None) for e in opted.entries],
        "opted_out_label": "; ".join(w.da for w in words),
        "opted_out_label_en": "; ".join(w.en for w in words),
    }


def _matrix_view(matrix: Matrix) -> dict[str, Any]:
    return {
        "kind": matrix.kind.value,
        "area": matrix.area,
        "rows": list(matrix.rows),
        "columns": list(matrix.columns),
        "cells": [
            {
                "theme": c.theme,
                "column": c.column,
                "status": c.status.value,
                "weight": c.weight,
                "projects": list(c.projects),
                "national_projects": list(c.national),
            }
            for c in matrix.cells
        ],
    }


def _chosen(report: GapReport, severities: Sequence[str]) -> list[Gap]:
    return [g for g in report.gaps if not severities or g.severity.value in severities]


def gaps_view(report: GapReport, found: Slice, severities: Sequence[str] = ()) -> dict[str, Any]:
    gaps = _chosen(report, severities)
    return {
        "gaps": [gap_view(gap, found) for gap in gaps],
        "deliberately_not": [opted_out_view(o, found) for o in report.deliberately_not],
        "mandate": mandate_document(report.mandate),
        "matrices": {
            "units": list(report.units),
            "theme_area": _matrix_view(report.theme_area),
            "theme_target_group": [_matrix_view(m) for m in report.theme_target_group],
        },
        "pipeline": [
            {
                "theme": row.theme,
                "renewal": list(row.renewal),
                "testing": list(row.testing),
                "ready": list(row.ready),
            }
            for row in report.pipeline
        ],
        "goals": [
            {"goal": row.goal, "projects": list(row.projects), "kinds": list(row.kinds)}
            for row in report.goals
        ],
        "public_value": [
            {
                "dimension": row.dimension.value,
                "label": row.dimension.label.da,
                "label_en": row.dimension.label.en,
                "weight": row.weight,
                "projects": list(row.projects),
                "national_projects": list(row.national),
            }
            for row in report.public_value
        ],
        "summary": {
            "gaps": len(gaps),
            "by_severity": {s.value: sum(1 for g in gaps if g.severity is s) for s in Severity},
            "projects_considered": len(found.projects),
        },
    }


def gaps_table(report: GapReport, found: Slice, severities: Sequence[str] = ()) -> Table:
    reference = found.reference
    rows = [
        {
            "explanation": gap.explanation.da,
            "explanation_en": gap.explanation.en,
            "severity": gap.severity.value,
            "severity_reason": gap.severity_reason.da,
            "kind": gap.kind.value,
            "theme": gap.theme,
            "area": list(gap.areas or ((gap.area,) if gap.area else ())),
            "target_group": gap.target_group,
            "goal": gap.goal,
            "projects": [_titled(found.by_id[i], found.reference) for i in gap.projects[:LISTED]],
            "nearest": [_titled(found.by_id[n.project_id], found.reference) for n in gap.nearest],
            "id": gap.id,
        }
        for gap in _chosen(report, severities)
    ]
    columns = [
        Column("explanation", "Forklaring", "Explanation (Danish)"),
        Column("explanation_en", "Forklaring (engelsk)", "Explanation (English)"),
        Column("severity", "Alvor", "Severity", names=in_danish(SEVERITIES)),
        Column("severity_reason", "Hvorfor den alvor", "Why that severity"),
        Column("kind", "Slags hul", "Kind of gap", names=in_danish(GAP_KINDS)),
        Column("theme", "Tema", "Theme", names=lambda c: reference.theme_label(c).da),
        Column("area", "Område", "Area", names=lambda c: reference.area_label(c).da),
        Column(
            "target_group",
            "Målgruppe",
            "Target group",
            names=lambda c: reference.target_group_label(c).da,
        ),
        Column("goal", "Mål", "Goal", names=lambda c: reference.goal_label(c).da),
        Column("projects", "Egne projekter", "Own projects"),
        Column("nearest", "Nærmeste eksisterende projekter", "Nearest existing projects"),
        Column("id", "Id", "Id"),
    ]
    return Table("Huller", columns, rows)


# --- scaling candidates --------------------------------------------------------------------


def candidate_view(candidate: Candidate, found: Slice) -> dict[str, Any]:
    reference = found.reference
    return {
        "rank": candidate.rank,
        "project": project_ref(found.by_id[candidate.project_id], reference),
        "reasons": [
            {
                "kind": r.kind.value,
                "text": r.text.da,
                "text_en": r.text.en,
                "points": r.points,
                "gap_id": r.gap_id,
                "project_id": r.project_id,
            }
            for r in candidate.reasons
        ],
        "evidence": dict(candidate.evidence),
        "adopters": [adopter_view(a, found) for a in candidate.adopters],
        "score": candidate.score,
    }


def adopter_view(adopter: Adopter, found: Slice) -> dict[str, Any]:
    reference = found.reference
    return {
        "organisation": organisation_ref(adopter.organisation, reference),
        "areas": [{"code": code, "name": reference.area_label(code).da} for code in adopter.areas],
        "need": adopter.need,
        "reason": adopter.reason.da,
        "reason_en": adopter.reason.en,
        "reasons": [r.da for r in adopter.reasons],
        "reasons_en": [r.en for r in adopter.reasons],
        "starting": _refs(adopter.starting, found),
        "opted_out": list(adopter.opted_out),  # its fravalgt entries covering the candidate
    }


def fit_view(fit: Fit, found: Slice) -> dict[str, Any]:
    """A candidate for one adopter: the candidate, the adopter's entry, and the fit."""
    return {
        **candidate_view(fit.candidate, found),
        "adopter": adopter_view(fit.adopter, found),
        "fit": {
            "points": fit.points,
            "obvious": fit.obvious,
            "factors": [
                {"kind": f.kind.value, "points": f.points, "text": f.text.da, "text_en": f.text.en}
                for f in fit.factors
            ],
        },
    }


def adopter_candidates_view(found: AdopterCandidates) -> dict[str, Any]:
    reference = found.found.reference
    if found.adopter in reference.organisations:
        adopter = organisation_ref(found.adopter, reference)
    else:
        adopter = {
            "id": found.adopter,
            "name": reference.area_label(found.adopter).da,
            "kind": "area",
        }
    return {
        "candidates": [fit_view(f, found.found) for f in found.fits],
        "mandate": mandate_document(found.mandate),
        "summary": {"candidates": found.total, "listed": len(found.fits)},
        "adopter": adopter,
    }


def candidates_view(
    candidates: Sequence[Candidate], total: int, mandate: Mandate, found: Slice
) -> dict[str, Any]:
    return {
        "candidates": [candidate_view(c, found) for c in candidates],
        "mandate": mandate_document(mandate),
        "summary": {"candidates": total, "listed": len(candidates)},
    }


def candidates_table(candidates: Sequence[Candidate], found: Slice) -> Table:
    reference = found.reference
    rows = []
    for candidate in candidates:
        project = found.by_id[candidate.project_id]
        rows.append(
            {
                "rank": candidate.rank,
                "project": _titled(project, reference),
                "organisation": reference.organisation(project.organisation_id).name,
                "stage": project.stage.value,
                "reasons": [r.text.da for r in candidate.reasons],
                "evidence": (candidate.evidence or {}).get("summary"),
                "adopters": [
                    reference.organisation(a.organisation).name
                    if a.organisation
                    else reference.area_label(a.areas[0]).da
                    for a in candidate.adopters
                ],
                "score": candidate.score,
                "id": project.id,
            }
        )
    columns = [
        Column("rank", "Placering", "Rank"),
        Column("project", "Projekt", "Project"),
        Column("organisation", "Organisation", "Organisation"),
        Column("stage", "Fase", "Stage", names=in_danish(STAGES)),
        Column("reasons", "Begrundelser", "Reasons"),
        Column("evidence", "Evidens", "Evidence"),
        Column("adopters", "Mulige modtagere", "Candidate adopters"),
        Column("score", "Point", "Score"),
        Column("id", "Projekt-id", "Project id"),
    ]
    return Table("Skaleringskandidater", columns, rows)
