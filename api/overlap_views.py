"""Present overlap results: matched projects with owner, contact and readable reasons."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy.orm import Session

from ecosystem.explain import RELATION_LABELS
from ecosystem.matching import CheckResult, HiddenMatch, OverlapEngine, clusters
from ecosystem.model import ProjectRecord
from ecosystem.overlap import OverlapMatch, OverlapPair
from ecosystem.store.lookup import records_by_id
from ecosystem.store.reference import organisation_refs
from ecosystem.tabular import Column, Table

__all__ = ["check_view", "report_table", "report_view"]

KIND_DA = {
    "region": "region",
    "municipality": "kommune",
    "hospital": "hospital",
    "university": "universitet",
    "university_college": "professionshøjskole",
    "national_body": "national myndighed",
    "joint_regional_body": "fællesregional organisation",
    "health_council": "sundhedsråd",
}


def check_view(db: Session, engine: OverlapEngine, result: CheckResult) -> dict[str, Any]:
    records = records_by_id(db, [m.project_id for m in result.matches])
    summaries = _summaries(db, records.values())
    return {
        "matches": [match_view(m, summaries[m.project_id], engine) for m in result.matches],
        "hidden": [_hidden_view(h, engine) for h in result.hidden],
    }


def match_view(
    match: OverlapMatch, project: dict[str, Any], engine: OverlapEngine
) -> dict[str, Any]:
    labels = engine.gazetteer
    da, en = RELATION_LABELS[match.relation]
    return {
        "project": project,
        "score": match.score,
        "relation": match.relation.value,
        "relation_label": da,
        "relation_label_en": en,
        "text_score": match.text_score,
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


def _hidden_view(hidden: HiddenMatch, engine: OverlapEngine) -> dict[str, Any]:
    kind = KIND_DA.get(hidden.organisation_kind, hidden.organisation_kind)
    regions = ", ".join(engine.gazetteer.area_names.get(r, r) for r in hidden.regions) or "Danmark"
    return {
        "message": f"Et lignende ikke-offentligt projekt findes hos en {kind} i {regions}.",
        "message_en": f"A similar non-public project exists at a {hidden.organisation_kind} in {regions}.",
        "organisation_kind": hidden.organisation_kind,
        "regions": list(hidden.regions),
        "relation": hidden.relation.value,
    }


def _summaries(db: Session, records: Collection[ProjectRecord]) -> dict[int, dict[str, Any]]:
    owners = organisation_refs(db, (r.organisation_id for r in records))
    return {
        r.id: {
            "id": r.id,
            "external_id": r.external_id,
            "title": r.data["title"],
            "organisation": owners.get(r.organisation_id, {"id": r.organisation_id}),
            "stage": r.data["stage"],
            "areas": r.data.get("areas", []),
            "contact": r.data.get("contact"),
            "demo": bool(r.data.get("demo")),
        }
        for r in records
    }


def _top_terms(engine: OverlapEngine, pair: OverlapPair) -> list[str]:
    return [term for term, _ in engine.index.explain(pair.a, pair.b)[:5]]


def report_view(db: Session, engine: OverlapEngine, pairs: Sequence[OverlapPair]) -> dict[str, Any]:
    """Pairs (best first, with shared terms) and the clusters they form."""
    ordered = sorted(pairs, key=lambda p: (-p.match.score, p.a, p.b))
    records = records_by_id(db, {p.a for p in ordered} | {p.b for p in ordered})
    summaries = _summaries(db, records.values())
    explained = [engine.explained(pair) for pair in ordered[:500]]
    return {
        "pairs": [
            {
                "a": summaries[p.a],
                "b": summaries[p.b],
                "match": match_view(p.match, summaries[p.b], engine),
            }
            for p in explained
        ],
        "clusters": [
            {
                "label": cluster.label,
                "projects": [summaries[i] for i in cluster.project_ids],
                "pairs": len(cluster.pairs),
            }
            for cluster in clusters(ordered, lambda pair: _top_terms(engine, pair))
        ],
        "total_pairs": len(ordered),
    }


PAIR_COLUMNS = (
    Column("score", "Score"),
    Column("relation", "Relation"),
    Column("a_title", "Projekt A", "Project A"),
    Column("a_organisation", "Organisation A"),
    Column("a_stage", "Fase A", "Stage A"),
    Column("b_title", "Projekt B", "Project B"),
    Column("b_organisation", "Organisation B"),
    Column("b_stage", "Fase B", "Stage B"),
    Column("geography", "Geografi", "Geography"),
    Column("shared_terms", "Fælles nøgleord", "Shared key terms"),
    Column("reasons", "Begrundelse", "Reasons"),
)


def report_table(db: Session, engine: OverlapEngine, pairs: Sequence[OverlapPair]) -> Table:
    view = report_view(db, engine, pairs)
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
        for pair in view["pairs"]
    ]
    return Table("Overlap", PAIR_COLUMNS, rows)
