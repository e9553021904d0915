"""Findings: the stable keys decisions refer to, and overlap pairs as stored with a review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ecosystem.overlap import Geography, OverlapMatch, OverlapPair, Relation
from ecosystem.reviews.decisions import FindingKind


def pair_key(a: int, b: int) -> str:
    low, high = sorted((a, b))
    return f"overlap:{low}-{high}"


def finding_key(kind: FindingKind, *, projects: Sequence[int] = (), gap: str | None = None) -> str:
    """A stable key for a finding, so a decision about it is found at later reviews."""
    if kind is FindingKind.OVERLAP:
        return pair_key(projects[0], projects[1])
    if kind is FindingKind.CLUSTER:
        return "cluster:" + "-".join(str(p) for p in sorted(set(projects)))
    if kind is FindingKind.GAP:
        return f"gap:{gap}"
    if kind is FindingKind.SCALING_CANDIDATE:
        return f"scaling:{projects[0]}"
    return f"project:{projects[0]}"


def pair_to_json(pair: OverlapPair) -> dict[str, Any]:
    """An overlap pair as stored with a review (the engine cannot recompute the past)."""
    m = pair.match
    return {
        "a": pair.a,
        "b": pair.b,
        "project_id": m.project_id,
        "score": m.score,
        "relation": m.relation.value,
        "text_score": m.text_score,
        "shared_terms": [[term, weight] for term, weight in m.shared_terms],
        "shared_themes": list(m.shared_themes),
        "shared_target_groups": list(m.shared_target_groups),
        "geography": m.geography.value,
        "partner_link": m.partner_link,
        "reasons": list(m.reasons),
        "reasons_en": list(m.reasons_en),
    }


def pair_from_json(data: Mapping[str, Any]) -> OverlapPair:
    match = OverlapMatch(
        project_id=int(data["project_id"]),
        score=float(data["score"]),
        relation=Relation(data["relation"]),
        text_score=float(data["text_score"]),
        shared_terms=tuple((str(t), float(w)) for t, w in data["shared_terms"]),
        shared_themes=tuple(data["shared_themes"]),
        shared_target_groups=tuple(data["shared_target_groups"]),
        geography=Geography(data["geography"]),
        partner_link=data["partner_link"],
        reasons=tuple(data["reasons"]),
        reasons_en=tuple(data["reasons_en"]),
    )
    return OverlapPair(int(data["a"]), int(data["b"]), match)
