"""What the group analyses found, as JSON views and as tables: gaps, candidates, balance.

The views name projects by :func:`~api.presenters.groups.project_ref`; the tables put
Danish headers first. Shared by the API, the pages, the command line and the reviews
(a snapshot is shown with the same views).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.presenters.groups import mandate_document, organisation_ref, project_ref
from ecosystem.balance import ATTRIBUTION, Balance, Quadrant, Share, quadrant_of
from ecosystem.gaps import Gap, GapReport, Matrix, Severity
from ecosystem.groups import Mandate, ProjectInfo, Reference, Slice
from ecosystem.scaling import Candidate
from ecosystem.tabular import Column, Table

__all__ = [
    "balance_table",
    "balance_view",
    "candidate_view",
    "candidates_table",
    "candidates_view",
    "gap_view",
    "gaps_table",
    "gaps_view",
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
        Column("severity", "Alvor", "Severity"),
        Column("severity_reason", "Hvorfor den alvor", "Why that severity"),
        Column("kind", "Slags hul", "Kind of gap"),
        Column("theme", "Tema", "Theme"),
        Column("area", "Område", "Area"),
        Column("target_group", "Målgruppe", "Target group"),
        Column("goal", "Mål", "Goal"),
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
        "adopters": [
            {
                "organisation": organisation_ref(a.organisation, reference),
                "areas": [
                    {"code": code, "name": reference.area_label(code).da} for code in a.areas
                ],
                "reasons": [r.da for r in a.reasons],
                "reasons_en": [r.en for r in a.reasons],
                "starting": _refs(a.starting, found),
            }
            for a in candidate.adopters
        ],
        "score": candidate.score,
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
        Column("stage", "Fase", "Stage"),
        Column("reasons", "Begrundelser", "Reasons"),
        Column("evidence", "Evidens", "Evidence"),
        Column("adopters", "Mulige modtagere", "Candidate adopters"),
        Column("score", "Point", "Score"),
        Column("id", "Projekt-id", "Project id"),
    ]
    return Table("Skaleringskandidater", columns, rows)


# --- balance -------------------------------------------------------------------------------


def _share_view(share: Share) -> dict[str, Any]:
    return {
        "key": share.key,
        "label": share.label.da,
        "label_en": share.label.en,
        "project_ids": list(share.projects),
        "share": share.share,
    }


def _quadrant_view(share: Share) -> dict[str, Any]:
    quadrant = Quadrant(share.key)
    return {
        **_share_view(share),
        "description": quadrant.description.da,
        "description_en": quadrant.description.en,
    }


def balance_view(balance: Balance, found: Slice) -> dict[str, Any]:
    """Every share lists project ids; ``projects`` describes each project once.

    A group's balance can span thousands of projects, each of them in five balances, so
    they are described once, with the judgements behind their quadrant.
    """
    involved = sorted({*balance.active, *(i for s in balance.pipeline for i in s.projects)})
    organisations = sorted({found.by_id[i].organisation_id for i in involved})
    return {
        "quadrants": [_quadrant_view(share) for share in balance.quadrants],
        "not_assessed": list(balance.not_assessed),
        "attribution": ATTRIBUTION.da,
        "attribution_en": ATTRIBUTION.en,
        "pipeline": [_share_view(s) for s in balance.pipeline],
        "pipeline_notes": [{"text": n.da, "text_en": n.en} for n in balance.pipeline_notes],
        "care_levels": [_share_view(s) for s in balance.care_levels],
        "development_types": [_share_view(s) for s in balance.development_types],
        "funding": [_share_view(s) for s in balance.funding],
        "ambition": [
            {
                "dimension": check.dimension,
                "key": check.key,
                "target": check.target,
                "actual": check.actual,
                "difference": check.difference,
                "note": check.note.da,
                "note_en": check.note.en,
            }
            for check in balance.ambition
        ],
        "projects": [_balance_ref(found.by_id[i]) for i in involved],
        "organisations": [organisation_ref(o, found.reference) for o in organisations],
        "summary": {
            "active": len(balance.active),
            "assessed": len(balance.active) - len(balance.not_assessed),
            "not_assessed": len(balance.not_assessed),
        },
    }


def _balance_ref(project: ProjectInfo) -> dict[str, Any]:
    card = project.record.card
    quadrant = quadrant_of(card.value_score, card.risk_score)
    return {
        "id": project.id,
        "title": project.title,
        "organisation": project.organisation_id,
        "stage": project.stage.value,
        "value_score": card.value_score,
        "risk_score": card.risk_score,
        "value_rationale": card.value_rationale,
        "risk_rationale": card.risk_rationale,
        "quadrant": quadrant.value if quadrant else None,
    }


def balance_table(balance: Balance, found: Slice) -> Table:
    rows = []
    for project_id in balance.active:
        project = found.by_id[project_id]
        card = project.record.card
        described = _balance_ref(project)
        rows.append(
            {
                **described,
                "organisation": found.reference.organisation(project.organisation_id).name,
                "quadrant": described["quadrant"] or "not_assessed",
                "care_level": card.care_level.value if card.care_level else None,
                "development_type": (
                    card.development_type.value if card.development_type else None
                ),
                "funding_kinds": sorted({source.kind.value for source in card.funding_sources}),
                "budget_dkk": card.budget_dkk,
            }
        )
    columns = [
        Column("title", "Projekt", "Project"),
        Column("organisation", "Organisation", "Organisation"),
        Column("stage", "Fase", "Stage"),
        Column("quadrant", "Kvadrant (Cooper m.fl. 2002)", "Quadrant (Cooper et al. 2002)"),
        Column("value_score", "Værdi", "Value"),
        Column("risk_score", "Risiko", "Risk"),
        Column("value_rationale", "Værdi – begrundelse", "Value rationale"),
        Column("risk_rationale", "Risiko – begrundelse", "Risk rationale"),
        Column("care_level", "Sundhedsvæsen", "Care level"),
        Column("development_type", "Udvikling/drift", "Development type"),
        Column("funding_kinds", "Finansiering", "Funding"),
        Column("budget_dkk", "Budget (kr.)", "Budget (DKK)"),
        Column("id", "Projekt-id", "Project id"),
    ]
    return Table("Balance", columns, rows)
