"""A group's balance (value against risk, Cooper et al. 2002) as a JSON view and a table.

Shared by the API, the command line and the reviews, like :mod:`api.presenters.analyses`.
"""

from __future__ import annotations

from typing import Any

from api.presenters.groups import organisation_ref
from ecosystem.balance import ATTRIBUTION, Balance, Quadrant, Share, quadrant_of
from ecosystem.groups import ProjectInfo, Slice
from ecosystem.labels import CARE_LEVELS, DEVELOPMENT_TYPES, FUNDING_KINDS, STAGES, Label, in_danish
from ecosystem.tabular import Column, Table

__all__ = ["balance_table", "balance_view"]


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


NOT_ASSESSED = Label("Ikke vurderet", "Not assessed")


def _quadrant_name(code: str) -> str:
    return Quadrant(code).label.da if code in Quadrant._value2member_map_ else NOT_ASSESSED.da


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
        Column("stage", "Fase", "Stage", names=in_danish(STAGES)),
        Column(
            "quadrant",
            "Kvadrant (Cooper m.fl. 2002)",
            "Quadrant (Cooper et al. 2002)",
            names=_quadrant_name,
        ),
        Column("value_score", "Værdi", "Value"),
        Column("risk_score", "Risiko", "Risk"),
        Column("value_rationale", "Værdi – begrundelse", "Value rationale"),
        Column("risk_rationale", "Risiko – begrundelse", "Risk rationale"),
        Column("care_level", "Sundhedsvæsen", "Care level", names=in_danish(CARE_LEVELS)),
        Column(
            "development_type",
            "Udvikling/drift",
            "Development type",
            names=in_danish(DEVELOPMENT_TYPES),
        ),
        Column("funding_kinds", "Finansiering", "Funding", names=in_danish(FUNDING_KINDS)),
        Column("budget_dkk", "Budget (kr.)", "Budget (DKK)"),
        Column("id", "Projekt-id", "Project id"),
    ]
    return Table("Balance", columns, rows)
