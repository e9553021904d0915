"""Reviews as the API shows them: headers, snapshots, decisions, since last review, the pack.

A snapshot is shown with the group analyses' own views (:mod:`api.presenters.analyses`),
over the slice as it was. The pack's lists are also a workbook, one sheet per list.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from api.presenters.analyses import candidate_view, gap_view, opted_out_view
from api.presenters.balance import balance_view
from api.presenters.discuss import to_discuss_view
from api.presenters.groups import project_ref
from api.presenters.since_last import (
    changes_view,
    decision_view,
    header_or_none,
    review_header,
    since_last_view,
)
from ecosystem.groups import Slice
from ecosystem.labels import (
    OVERLAP_RELATIONS,
    RESPONSES,
    SEVERITIES,
    STAGES,
    in_danish,
    name_of,
)
from ecosystem.overlap import OverlapPair
from ecosystem.reviews import (
    PUBLIC_VALUE_QUESTIONS,
    AgendaItem,
    Decision,
    Snapshot,
    candidates_by_rank,
    gaps_by_importance,
    overlaps_by_importance,
    pair_key,
    settled_keys,
)
from ecosystem.services.reviews import (
    Pack,
    RefreshList,
    ReviewDetail,
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
    """Everything a chair sends before the meeting: what to discuss, agenda, balances, lists.

    ``to_discuss`` comes first (:mod:`ecosystem.reviews.discuss`); the full lists follow
    by importance: overlaps strongest first, gaps by severity then breadth, candidates by
    their rank — never by id.
    """
    snapshot = pack.snapshot
    found = _slice(snapshot)
    settled = settled_keys(pack.decisions)
    on_agenda = {key for item in pack.agenda for key in item.findings}
    pairs = overlaps_by_importance(snapshot.pairs)
    return {
        "to_discuss": to_discuss_view(pack.to_discuss),
        "review": review_header(pack.review),
        "group": dict(pack.review.group_document),
        "previous": header_or_none(pack.previous),
        "agenda": [_agenda_view(item) for item in pack.agenda],
        "since_last": changes_view(pack),
        "balance": balance_view(snapshot.balance, found),
        "overlaps_to_discuss": [
            _pair_view(p, found, settled) for p in pairs if pair_key(p.a, p.b) not in settled
        ],
        "settled": [_pair_view(p, found, settled) for p in pairs if pair_key(p.a, p.b) in settled],
        "gaps": [
            gap_view(g, found)
            for g in gaps_by_importance(snapshot.gaps.gaps)
            if f"gap:{g.id}" not in settled
        ],
        # Gaps nobody works on on purpose, as the register stood at the review's moment.
        "deliberately_not": [opted_out_view(o, found) for o in snapshot.gaps.deliberately_not],
        "scaling_candidates": [
            candidate_view(c, found) for c in candidates_by_rank(snapshot.candidates)
        ],
        "public_value_questions": [{"text": q.da, "text_en": q.en} for q in PUBLIC_VALUE_QUESTIONS],
        "pending_decisions": [
            decision_view(d) for d in pack.decisions if f"decision:{d.id}" in on_agenda
        ],
        "projects": _projects(snapshot),
    }


def pack_tables(pack: dict[str, Any]) -> list[Table]:
    """The pack view's lists as tables, one sheet each: what to discuss first, then every
    list, with Danish headers and values named as the meeting reads them, never coded."""
    titles = {p["id"]: p["title"] for p in pack["projects"]}
    organisations = {p["organisation"]["id"]: _organisation_name(p) for p in pack["projects"]}
    return [
        _to_discuss_table(pack.get("to_discuss", [])),
        _overlap_table(pack["overlaps_to_discuss"]),
        Table(
            "Huller",
            [
                Column("severity", "Alvor", "Severity", names=in_danish(SEVERITIES)),
                Column("subject", "Hvad mangler", "What is missing"),
                Column("explanation", "Forklaring", "Explanation"),
            ],
            pack["gaps"],
        ),
        Table(
            "Fravalgt",
            [
                Column("subject", "Hvad", "What"),
                Column("opted_out_label", "Fravalgt fordi", "Opted out because"),
            ],
            pack.get("deliberately_not", []),
        ),
        _scaling_table(pack["scaling_candidates"]),
        _decisions_table(pack["pending_decisions"], titles, organisations),
        _projects_table(pack["projects"]),
    ]


def _to_discuss_table(items: Sequence[dict[str, Any]]) -> Table:
    columns = [
        Column("kind_label", "Slags", "Kind"),
        Column("title", "Emne", "Subject"),
        Column("reason", "Hvorfor nu", "Why now"),
    ]
    return Table("Det skal vi tale om", columns, items)


def _organisation_name(ref: dict[str, Any]) -> str:
    return str(ref.get("organisation", {}).get("name", ""))


def _overlap_table(pairs: Sequence[dict[str, Any]]) -> Table:
    columns = [
        Column("a", "Projekt A", "Project A"),
        Column("a_org", "Organisation A", "Organisation A"),
        Column("b", "Projekt B", "Project B"),
        Column("b_org", "Organisation B", "Organisation B"),
        Column("score", "Score", "Score"),
        Column("relation", "Relation", "Relation", names=in_danish(OVERLAP_RELATIONS)),
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


def _decisions_table(
    decisions: Sequence[dict[str, Any]], titles: dict[int, str], organisations: dict[str, str]
) -> Table:
    columns = [
        Column("kind", "Beslutning", "Decision"),
        Column("finding", "Fund", "Finding"),
        Column("rationale", "Begrundelse", "Rationale"),
        Column("responses", "Svar", "Responses"),
    ]
    rows = [
        {
            "kind": d["kind_label"],
            # The projects the finding is about, by title (the key is for programs).
            "finding": [titles.get(i, str(i)) for i in d["projects"]] or d["finding_key"],
            "rationale": d["rationale"],
            "responses": [
                f"{organisations.get(o, o)}: {name_of(RESPONSES, r).da}"
                for o, r in d["current_responses"].items()
            ],
        }
        for d in decisions
    ]
    return Table("Beslutninger", columns, rows)


def _projects_table(projects: Sequence[dict[str, Any]]) -> Table:
    columns = [
        Column("external_id", "Id", "Id"),
        Column("title", "Titel", "Title"),
        Column("organisation", "Organisation", "Organisation"),
        Column("stage", "Fase", "Stage", names=in_danish(STAGES)),
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
