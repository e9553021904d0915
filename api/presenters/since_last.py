"""Since last review, as the API shows it: the review headers, decisions and every change.

Kept apart from the pack (:mod:`api.presenters.reviews`) so each stays small; the pack
embeds :func:`changes_view`.
"""

from __future__ import annotations

from typing import Any

from api.presenters.groups import project_ref
from ecosystem.deliberately_not import said
from ecosystem.groups import Slice
from ecosystem.labels import DECISIONS, RESPONSES, Label
from ecosystem.reviews import Decision, Diff, Snapshot
from ecosystem.reviews import discuss_words as words
from ecosystem.services.reviews import Comparison, ReviewRecord

__all__ = ["changes_view", "decision_view", "header_or_none", "review_header", "since_last_view"]


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


def header_or_none(review: ReviewRecord | None) -> dict[str, Any] | None:
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
    return Slice(snapshot.reference, list(snapshot.context.values()))


def changes_view(found: Comparison) -> dict[str, Any] | None:
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
        "gaps_opted_out": list(diff.gaps_opted_out),
        "gaps_changed": [
            {"gap": gap, "severity_before": was, "severity_after": now}
            for gap, was, now in diff.gaps_changed
        ],
        "decisions": [decision_view(by_id[i]) for i in diff.decisions],
        **_named_changes(found, diff, ref),
    }


def _named_changes(found: Comparison, diff: Diff, ref: Any) -> dict[str, Any]:
    """Each overlap and gap that appeared, closed or changed severity, by name, not a count."""
    old, new = found.previous_snapshot, found.snapshot
    assert old is not None  # a diff is only made against a previous snapshot
    before, after = old.pair_keys, new.pair_keys

    def pair(key: str, appeared: bool) -> dict[str, Any]:
        found_pair = (after if appeared else before)[key]
        text = words.overlap_change(found_pair, new if appeared else old, appeared=appeared)
        return {
            "change": "appeared" if appeared else "disappeared",
            "key": key,
            "a": ref(found_pair.a),
            "b": ref(found_pair.b),
            "score": round(found_pair.match.score, 4),
            "relation": found_pair.match.relation.value,
            "text": text.da,
            "text_en": text.en,
        }

    def gap(gap_id: str, change: str) -> dict[str, Any]:
        was, now = old.gap_ids.get(gap_id), new.gap_ids.get(gap_id)
        shown = now or was
        assert shown is not None
        text = words.gap_change(
            shown,
            new if now else old,
            before=was.severity if was else None,
            after=now.severity if now else None,
        )
        where = words.gap_where(shown, new if now else old)
        return {
            "change": change,
            "gap": gap_id,
            "kind": shown.kind.value,
            "theme": shown.theme,
            "target_group": shown.target_group,
            "areas": list(words.gap_areas(shown)),
            "where": where.da,
            "where_en": where.en,
            "severity_before": was.severity.value if was else None,
            "severity_after": now.severity.value if now else None,
            "text": text.da,
            "text_en": text.en,
        }

    def opted_out(gap_id: str) -> dict[str, Any]:
        """An open gap now fravalgt: named as chosen, with the register's reason."""
        shown = old.gap_ids[gap_id]
        opted = new.opted_out_for(shown)
        assert opted is not None  # the diff names only gaps the new snapshot sets apart
        reasons = [said(e) for e in opted.entries]
        why = Label("; ".join(r.da for r in reasons), "; ".join(r.en for r in reasons))
        text = words.gap_opted_out(shown, old, why)
        return {
            **gap(gap_id, "opted_out"),
            "severity_after": None,
            "opted_out_label": why.da,
            "opted_out_label_en": why.en,
            "text": text.da,
            "text_en": text.en,
        }

    return {
        "overlap_changes": [pair(k, True) for k in diff.overlaps_appeared]
        + [pair(k, False) for k in diff.overlaps_disappeared],
        "gap_changes": [gap(g, "opened") for g in diff.gaps_opened]
        + [gap(g, "closed") for g in diff.gaps_closed]
        + [opted_out(g) for g in diff.gaps_opted_out]
        + [gap(g, "severity") for g, _, _ in diff.gaps_changed],
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
        "previous": header_or_none(found.previous),
        "changes": changes_view(found),
    }
