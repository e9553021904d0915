"""Reviews as the API shows them: headers, snapshots, decisions, since last review, the pack.

A snapshot is shown with the group analyses' own views (:mod:`api.presenters.analyses`),
over the slice as it was. The pack's lists are also a workbook, one sheet per list.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from api.presenters.analyses import candidate_view, gap_view
from api.presenters.balance import balance_view
from api.presenters.groups import project_ref
from ecosystem.groups import Slice
from ecosystem.labels import DECISIONS, RESPONSES
from ecosystem.overlap import OverlapPair
from ecosystem.reviews import (
    PUBLIC_VALUE_QUESTIONS,
    AgendaItem,
    Decision,
    Diff,
    Snapshot,
    pair_key,
    settled_keys,
)
from ecosystem.services.reviews import (
    Comparison,
    Pack,
    RefreshList,
    ReviewDetail,
    ReviewRecord,
)
from ecosystem.tabular import Column, Table

__all__ = [
    "decision_view",
    "pack_tables",
    "pack_view",
    "refresh_list_view",
    "review_header",
    "review_view",
    "since_last_view",
    "snapshot_view",
]


def review_header(review: ReviewRecord) -> dict[str, Any]:
    return {
        "id": review.id,
        "group_id": review.group_id,
        "title": review.title,
        "meeting_date": review.meeting_date.isoformat(),
        "participants": [dict(p) for p in review.participants],
        "as_of": review.as_of.isoformat(),
        "catalog_version": review.catalog_version,
        "group_revision": review.group_revision,
        "actor": review.actor,
        "created_at": review.created_at.isoformat(),
    }


def _header_or_none(review: ReviewRecord | None) -> dict[str, Any] | None:
    return review_header(review) if review is not None else None


def decision_view(decision: Decision) -> dict[str, Any]:
    label = DECISIONS[decision.kind]
    latest = decision.latest_responses()
    return {
        "id": decision.id,
        "review_id": decision.review_id,
        "group_id": decision.group_id,
        "finding_key": decision.finding_key,
        "finding": dict(decision.finding),
        "projects": list(decision.project_ids),
        "owners": list(decision.owners),
        "kind": decision.kind.value,
        "kind_label": label.da,
        "kind_label_en": label.en,
        "counterparts": list(decision.counterparts),
        "rationale": decision.rationale,
        "settles": decision.settles,
        "actor": decision.actor,
        "created_at": decision.created_at.isoformat(),
        "responses": [
            {
                "organisation": r.organisation_id,
                "response": r.response.value,
                "response_label": RESPONSES[r.response].da,
                "response_label_en": RESPONSES[r.response].en,
                "comment": r.comment,
                "actor": r.actor,
                "created_at": r.created_at.isoformat(),
            }
            for r in decision.responses
        ],
        "current_responses": {org: r.response.value for org, r in latest.items()},
    }


def _slice(snapshot: Snapshot) -> Slice:
    """The snapshot's projects as a slice, for the analyses' views (pair partners included)."""
    return Slice(snapshot.reference, list(snapshot.context.values()))


def _pair_view(pair: OverlapPair, found: Slice, settled: Collection[str]) -> dict[str, Any]:
    key = pair_key(pair.a, pair.b)
    return {
        "key": key,
        "a": project_ref(found.by_id[pair.a], found.reference),
        "b": project_ref(found.by_id[pair.b], found.reference),
        "score": round(pair.match.score, 4),
        "relation": pair.match.relation.value,
        "reasons": list(pair.match.reasons),
        "reasons_en": list(pair.match.reasons_en),
        "settled": key in settled,
    }


def _projects(snapshot: Snapshot) -> list[dict[str, Any]]:
    return [project_ref(p, snapshot.reference) for p in snapshot.projects.values()]


def snapshot_view(snapshot: Snapshot, decisions: Sequence[Decision]) -> dict[str, Any]:
    found = _slice(snapshot)
    settled = settled_keys(decisions)
    return {
        "projects": _projects(snapshot),
        "overlaps": [_pair_view(p, found, settled) for p in snapshot.pairs],
        "gaps": [
            {**gap_view(g, found), "settled": f"gap:{g.id}" in settled} for g in snapshot.gaps.gaps
        ],
        "scaling_candidates": [candidate_view(c, found) for c in snapshot.candidates],
        "balance": balance_view(snapshot.balance, found),
    }


def review_view(found: ReviewDetail) -> dict[str, Any]:
    review = found.review
    return {
        **review_header(review),
        "group": dict(review.group_document),
        "snapshot": snapshot_view(found.snapshot, found.decisions),
        "decisions": [decision_view(d) for d in found.decisions if d.review_id == review.id],
    }


# --- since last review ---------------------------------------------------------------------


def _changes_view(found: Comparison) -> dict[str, Any] | None:
    if found.diff is None or found.previous_snapshot is None:
        return None
    diff, old, new = found.diff, _slice(found.previous_snapshot), _slice(found.snapshot)

    def ref(project_id: int) -> dict[str, Any]:
        where = new if project_id in new.by_id else old
        if project_id in where.by_id:
            return project_ref(where.by_id[project_id], where.reference)
        return {"id": project_id}

    by_id = {d.id: d for d in found.decisions}
    return {
        **_project_changes(diff, ref),
        "overlaps_appeared": list(diff.overlaps_appeared),
        "overlaps_disappeared": list(diff.overlaps_disappeared),
        "gaps_opened": list(diff.gaps_opened),
        "gaps_closed": list(diff.gaps_closed),
        "gaps_changed": [
            {"gap": gap, "severity_before": was, "severity_after": now}
            for gap, was, now in diff.gaps_changed
        ],
        "decisions": [decision_view(by_id[i]) for i in diff.decisions],
    }


def _project_changes(diff: Diff, ref: Any) -> dict[str, Any]:
    return {
        "new_projects": [ref(i) for i in diff.new_projects],
        "withdrawn": [ref(i) for i in diff.withdrawn],
        "left_mandate": [ref(i) for i in diff.left_mandate],
        "stage_changes": [
            {"project": ref(c.project_id), "before": c.before, "after": c.after}
            for c in diff.stage_changes
        ],
        "score_changes": [
            {"project": ref(c.project_id), "field": c.field, "before": c.before, "after": c.after}
            for c in diff.score_changes
        ],
        "new_scaling_candidates": [ref(i) for i in diff.new_candidates],
    }


def since_last_view(found: Comparison) -> dict[str, Any]:
    return {
        "review": review_header(found.review),
        "previous": _header_or_none(found.previous),
        "changes": _changes_view(found),
    }


# --- the pack ------------------------------------------------------------------------------


def _agenda_view(item: AgendaItem) -> dict[str, Any]:
    return {
        "key": item.key,
        "title": item.title.da,
        "title_en": item.title.en,
        "prompt": item.prompt.da,
        "prompt_en": item.prompt.en,
        "findings": list(item.findings),
    }


def pack_view(pack: Pack) -> dict[str, Any]:
    """Everything a chair sends before the meeting: agenda, balances, lists, decisions."""
    snapshot = pack.snapshot
    found = _slice(snapshot)
    settled = settled_keys(pack.decisions)
    on_agenda = {key for item in pack.agenda for key in item.findings}
    return {
        "review": review_header(pack.review),
        "group": dict(pack.review.group_document),
        "previous": _header_or_none(pack.previous),
        "agenda": [_agenda_view(item) for item in pack.agenda],
        "since_last": _changes_view(pack),
        "balance": balance_view(snapshot.balance, found),
        "overlaps_to_discuss": [
            _pair_view(p, found, settled)
            for p in snapshot.pairs
            if pair_key(p.a, p.b) not in settled
        ],
        "settled": [
            _pair_view(p, found, settled) for p in snapshot.pairs if pair_key(p.a, p.b) in settled
        ],
        "gaps": [gap_view(g, found) for g in snapshot.gaps.gaps if f"gap:{g.id}" not in settled],
        "scaling_candidates": [candidate_view(c, found) for c in snapshot.candidates],
        "public_value_questions": [{"text": q.da, "text_en": q.en} for q in PUBLIC_VALUE_QUESTIONS],
        "pending_decisions": [
            decision_view(d) for d in pack.decisions if f"decision:{d.id}" in on_agenda
        ],
        "projects": _projects(snapshot),
    }


def pack_tables(pack: dict[str, Any]) -> list[Table]:
    """The pack view's lists as tables, one sheet each (Danish headers first)."""
    return [
        _overlap_table(pack["overlaps_to_discuss"]),
        Table(
            "Huller",
            [
                Column("severity", "Alvor", "Severity"),
                Column("subject", "Hvad mangler", "What is missing"),
                Column("explanation", "Forklaring", "Explanation"),
            ],
            pack["gaps"],
        ),
        _scaling_table(pack["scaling_candidates"]),
        _decisions_table(pack["pending_decisions"]),
        _projects_table(pack["projects"]),
    ]


def _organisation_name(ref: dict[str, Any]) -> str:
    return str(ref.get("organisation", {}).get("name", ""))


def _overlap_table(pairs: Sequence[dict[str, Any]]) -> Table:
    columns = [
        Column("a", "Projekt A", "Project A"),
        Column("a_org", "Organisation A", "Organisation A"),
        Column("b", "Projekt B", "Project B"),
        Column("b_org", "Organisation B", "Organisation B"),
        Column("score", "Score", "Score"),
        Column("relation", "Relation", "Relation"),
    ]
    rows = [
        {
            "a": p["a"]["title"],
            "a_org": _organisation_name(p["a"]),
            "b": p["b"]["title"],
            "b_org": _organisation_name(p["b"]),
            "score": p["score"],
            "relation": p["relation"],
        }
        for p in pairs
    ]
    return Table("Overlap", columns, rows)


def _scaling_table(candidates: Sequence[dict[str, Any]]) -> Table:
    columns = [
        Column("rank", "Rang", "Rank"),
        Column("title", "Projekt", "Project"),
        Column("organisation", "Organisation", "Organisation"),
        Column("reasons", "Begrundelser", "Reasons"),
    ]
    rows = [
        {
            "rank": c["rank"],
            "title": c["project"]["title"],
            "organisation": _organisation_name(c["project"]),
            "reasons": "; ".join(r["text"] for r in c["reasons"]),
        }
        for c in candidates
    ]
    return Table("Skalering", columns, rows)


def _decisions_table(decisions: Sequence[dict[str, Any]]) -> Table:
    columns = [
        Column("kind", "Beslutning", "Decision"),
        Column("finding", "Fund", "Finding"),
        Column("rationale", "Begrundelse", "Rationale"),
        Column("responses", "Svar", "Responses"),
    ]
    rows = [
        {
            "kind": d["kind_label"],
            "finding": d["finding_key"],
            "rationale": d["rationale"],
            "responses": ", ".join(f"{o}: {r}" for o, r in d["current_responses"].items()),
        }
        for d in decisions
    ]
    return Table("Beslutninger", columns, rows)


def _projects_table(projects: Sequence[dict[str, Any]]) -> Table:
    columns = [
        Column("external_id", "Id", "Id"),
        Column("title", "Titel", "Title"),
        Column("organisation", "Organisation", "Organisation"),
        Column("stage", "Fase", "Stage"),
    ]
    rows = [{**p, "organisation": _organisation_name(p)} for p in projects]
    return Table("Projekter", columns, rows)


# --- before the meeting ----------------------------------------------------------------------


def refresh_list_view(found: RefreshList) -> dict[str, Any]:
    reference = found.reference
    return {
        "group": found.group.id,
        "since": found.since.isoformat() if found.since else None,
        "organisations": [
            {
                "organisation": {
                    "id": organisation,
                    "name": reference.organisation(organisation).name,
                },
                "contacts": sorted(
                    {e for s in items for e in found.contacts.get(s.project.id, [])}
                ),
                "projects": [
                    {
                        **project_ref(s.project, reference),
                        "last_reviewed": s.last_reviewed.isoformat() if s.last_reviewed else None,
                    }
                    for s in items
                ],
            }
            for organisation, items in sorted(found.stale.items())
        ],
    }
