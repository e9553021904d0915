"""Overlap results as the API shows them: matched projects with owner, contact and reasons."""

from __future__ import annotations

from typing import Any

from api.presenters.projects import organisation_ref
from ecosystem.labels import (
    CONFIDENCE,
    GEOGRAPHY,
    OVERLAP_RELATIONS,
    STAGES,
    in_danish,
    one_organisation_of_kind,
)
from ecosystem.matching import HiddenMatch
from ecosystem.model import ProjectRecord
from ecosystem.overlap import Gazetteer, OverlapMatch
from ecosystem.services.overlaps import CheckOutcome, Found, OverlapReport
from ecosystem.tabular import Column, Table

__all__ = ["check_view", "match_view", "project_summary", "report_table", "report_view"]

PAIR_COLUMNS = (
    Column("score", "Score"),
    Column("relation", "Relation"),
    Column("a_title", "Projekt A", "Project A"),
    Column("a_organisation", "Organisation A"),
    Column("a_stage", "Fase A", "Stage A", names=in_danish(STAGES)),
    Column("b_title", "Projekt B", "Project B"),
    Column("b_organisation", "Organisation B"),
    Column("b_stage", "Fase B", "Stage B", names=in_danish(STAGES)),
    Column("geography", "Geografi", "Geography", names=in_danish(GEOGRAPHY)),
    Column("shared_terms", "Fælles nøgleord", "Shared key terms"),
    Column("reasons", "Begrundelse", "Reasons"),
)


def check_view(outcome: CheckOutcome) -> dict[str, Any]:
    """The matches of a check, each with its project, and the hints at hidden ones."""
    found, gazetteer = outcome.found, outcome.found.gazetteer
    return {
        "matches": [
            match_view(m, project_summary(found, found.projects[m.project_id]), gazetteer)
            for m in outcome.result.matches
        ],
        "hidden": [_hidden_view(h, gazetteer) for h in outcome.result.hidden],
        "comparison": comparison_view(outcome),
    }


def comparison_view(outcome: CheckOutcome) -> dict[str, Any]:
    """How the check compared: by meaning, or by words only (and why), for how many."""
    result = outcome.result
    if not result.semantic:
        note = (
            "Sammenlignet på ord alene: der er ingen sprogmodel til rådighed.",
            "Compared by words only: no language model is available.",
        )
    elif result.lexical_only:
        note = (
            f"Sammenlignet på betydning; {result.lexical_only} projekter endnu kun på ord.",
            f"Compared by meaning; {result.lexical_only} projects by words only so far.",
        )
    else:
        note = ("Sammenlignet på betydning og ord.", "Compared by meaning and words.")
    return {
        "semantic": result.semantic,
        "model": outcome.model_id,
        "lexical_only": result.lexical_only,
        "note": note[0],
        "note_en": note[1],
    }


def match_view(match: OverlapMatch, project: dict[str, Any], labels: Gazetteer) -> dict[str, Any]:
    relation, band = OVERLAP_RELATIONS[match.relation], CONFIDENCE[match.confidence]
    da, en, band_da, band_en = relation.da, relation.en, band.da, band.en
    return {
        "project": project,
        "score": match.score,
        "relation": match.relation.value,
        "relation_label": da,
        "relation_label_en": en,
        "confidence": match.confidence.value,
        "confidence_label": band_da,
        "confidence_label_en": band_en,
        "agreement": match.agreement,
        "semantic_score": match.semantic_score,
        "text_score": match.text_score,
        "link": match.link,
        "highlights": list(match.highlights),
        "shared_terms": [{"term": t, "weight": round(w, 4)} for t, w in match.shared_terms],
        "shared_themes": [
            {"code": c, "label": labels.theme_labels.get(c, c)} for c in match.shared_themes
        ],
        "shared_target_groups": [
            {"code": c, "label": labels.target_group_labels.get(c, c)}
            for c in match.shared_target_groups
        ],
        "geography": match.geography.value,
        "partner_link": match.partner_link,
        "reasons": list(match.reasons),
        "reasons_en": list(match.reasons_en),
    }


def _hidden_view(hidden: HiddenMatch, labels: Gazetteer) -> dict[str, Any]:
    kind = one_organisation_of_kind(hidden.organisation_kind)
    regions = ", ".join(labels.area_names.get(r, r) for r in hidden.regions) or "Danmark"
    return {
        "message": f"Et lignende ikke-offentligt projekt findes hos {kind.da} i {regions}.",
        "message_en": f"A similar non-public project exists at {kind.en} in {regions}.",
        "organisation_kind": hidden.organisation_kind,
        "regions": list(hidden.regions),
        "relation": hidden.relation.value,
    }


def project_summary(found: Found, record: ProjectRecord) -> dict[str, Any]:
    """What a match shows of a project: id, title, owner, stage, areas, contact."""
    owner, card = found.organisations.get(record.organisation_id), record.card
    return {
        "id": record.id,
        "external_id": record.external_id,
        "title": card.title,
        "organisation": organisation_ref(owner) if owner else {"id": record.organisation_id},
        "stage": card.stage.value,
        "areas": list(card.areas),
        "contact": card.contact.to_data() if card.contact else None,
        "demo": card.demo,
    }


def report_view(report: OverlapReport) -> dict[str, Any]:
    """Pairs (best first, with shared terms) and the clusters they form."""
    found = report.found
    summaries = {i: project_summary(found, record) for i, record in found.projects.items()}
    return {
        "pairs": [
            {
                "a": summaries[p.a],
                "b": summaries[p.b],
                "match": match_view(p.match, summaries[p.b], found.gazetteer),
            }
            for p in report.pairs
        ],
        "clusters": [
            {
                "label": cluster.label,
                "projects": [summaries[i] for i in cluster.project_ids],
                "pairs": len(cluster.pairs),
            }
            for cluster in report.clusters
        ],
        "total_pairs": report.total_pairs,
    }


def report_table(report: OverlapReport) -> Table:
    """The report's pairs as a table (CSV, XLSX): one row per pair, best first."""
    rows = [
        {
            "score": pair["match"]["score"],
            "relation": pair["match"]["relation_label"],
            "a_title": pair["a"]["title"],
            "a_organisation": pair["a"]["organisation"].get("name"),
            "a_stage": pair["a"]["stage"],
            "b_title": pair["b"]["title"],
            "b_organisation": pair["b"]["organisation"].get("name"),
            "b_stage": pair["b"]["stage"],
            "geography": pair["match"]["geography"],
            "shared_terms": [t["term"] for t in pair["match"]["shared_terms"]],
            "reasons": pair["match"]["reasons"],
        }
        for pair in report_view(report)["pairs"]
    ]
    return Table("Overlap", PAIR_COLUMNS, rows)
