"""Reviews of a thematic group: snapshots, what changed since last time, decisions, the pack.

Opening a review freezes its moment; reading it recomputes the slice from project history
as of that moment (ecosystem/reviews.py), so an old review reads the same after later
publishes. The group's coordinators and admins open reviews and record decisions; the
organisation that owns a project responds; anyone may read what is public.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as SchemaError
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from api import overlap_engine
from api.auth import actor_name, current_principal, require_writer
from api.db import legacy_transaction, session, unit_of_work
from api.routes.groups import (
    Slice,
    balance_view,
    candidate_view,
    gap_view,
    load_slice,
    project_ref,
)
from api.tabular import XLSX
from ecosystem.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from ecosystem.goals_followup import (
    FULFILMENT_LABELS,
    GoalPictureSchema,
    GoalStatus,
    follow_up,
    goal_warnings,
)
from ecosystem.groups import Group, MemberRole, Scope, group_to_document
from ecosystem.model import Principal
from ecosystem.overlap import OverlapPair
from ecosystem.reviews import (
    DECISION_LABELS,
    PUBLIC_VALUE_QUESTIONS,
    RESPONSE_LABELS,
    Decision,
    DecisionKind,
    Diff,
    FindingKind,
    ResponseKind,
    Snapshot,
    Stale,
    agenda,
    build_snapshot,
    finding_key,
    not_reviewed_since,
    pair_from_json,
    pair_key,
    pair_to_json,
    settled_keys,
    since_last,
)
from ecosystem.services.catalogue import Lifetime
from ecosystem.store import goals as goal_store
from ecosystem.store import groups as group_store
from ecosystem.store import projects as project_store
from ecosystem.store import reviews as store
from ecosystem.store.tables import Organisation, utcnow
from ecosystem.tabular import Column, Table

__all__ = [
    "blp",
    "load_snapshot",
    "pack_view",
    "pack_with_snapshot",
    "refresh_list",
    "refresh_list_view",
    "review_view",
    "since_last_view",
]

blp = Blueprint(
    "reviews",
    __name__,
    url_prefix="/api/v1",
    description=(
        "Gennemgange: øjebliksbilleder, siden sidst, beslutninger og mødepakke / "
        "Reviews: snapshots, since last review, decisions and the review pack"
    ),
)

TEXT = validate.Length(min=1, max=5_000)


# --- request shapes ------------------------------------------------------------------------


class ParticipantSchema(Schema):
    organisation = fields.String(required=True, validate=validate.Length(min=1, max=64))
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in MemberRole]))


class ReviewInSchema(Schema):
    meeting_date = fields.Date(required=True)
    title = fields.String(validate=validate.Length(min=1, max=200))
    participants = fields.List(fields.Nested(ParticipantSchema), load_default=list)


class FindingSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in FindingKind]))
    projects = fields.List(fields.Integer(), load_default=list)
    gap = fields.String(validate=validate.Length(min=1, max=180))

    @validates_schema
    def _shape(self, data: dict[str, Any], **_: Any) -> None:
        kind = FindingKind(data["kind"])
        count = len(set(data.get("projects", ())))
        wanted = {FindingKind.OVERLAP: 2, FindingKind.SCALING_CANDIDATE: 1, FindingKind.PROJECT: 1}
        if kind in wanted and count != wanted[kind]:
            raise SchemaError(
                f"Angiv præcis {wanted[kind]} projekt(er) / Give exactly {wanted[kind]} project(s).",
                "projects",
            )
        if kind is FindingKind.CLUSTER and count < 2:
            raise SchemaError("Angiv mindst 2 projekter / Give at least 2 projects.", "projects")
        if kind is FindingKind.GAP and not data.get("gap"):
            raise SchemaError("Angiv hullets id / Give the gap's id.", "gap")


class DecisionInSchema(Schema):
    finding = fields.Nested(FindingSchema, required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in DecisionKind]))
    counterparts = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)), load_default=list
    )
    rationale = fields.String(required=True, validate=TEXT)

    @validates_schema
    def _counterparts(self, data: dict[str, Any], **_: Any) -> None:
        needs = {DecisionKind.COORDINATE, DecisionKind.MERGE, DecisionKind.SCALE}
        if DecisionKind(data["kind"]) in needs and not data.get("counterparts"):
            raise SchemaError(
                "Angiv med hvem eller hvortil (projekt-id, organisation eller område) / "
                "Say with whom or where to (project id, organisation or area).",
                "counterparts",
            )


class ResponseInSchema(Schema):
    response = fields.String(
        required=True, validate=validate.OneOf([r.value for r in ResponseKind])
    )
    comment = fields.String(load_default="", validate=validate.Length(max=5_000))
    organisation = fields.String(validate=validate.Length(min=1, max=64))


class PackArgs(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "xlsx"]))


# --- loading -------------------------------------------------------------------------------


def load_snapshot(db: Session, review: store.Review, principal: Principal) -> Snapshot:
    """The review's slice as it was, recomputed from history, as ``principal`` may see it.

    A snapshot depends only on the stored review, the history before its moment (which
    never changes), the reference data and who reads; so the process remembers it until
    reference data changes.
    """
    return unit_of_work().remember(
        ("review-snapshot", review.id, principal),
        lambda: _recompute_snapshot(db, review, principal),
        lasts=Lifetime.UNTIL_REFERENCE_CHANGE,
    )


def _recompute_snapshot(db: Session, review: store.Review, principal: Principal) -> Snapshot:
    return build_snapshot(
        store.review_group(review),
        group_store.reference_for_analysis(db),
        store.records_as_of(db, review.as_of),
        [pair_from_json(p) for p in review.overlap_pairs],
        as_of=review.as_of,
        principal=principal,
    )


def _current_pairs(db: Session, group: Group) -> list[OverlapPair]:
    """Every overlap touching the group's slice now (stored: the engine has no past)."""
    everyone = Principal(is_admin=True)
    found = load_slice(db, everyone, group.mandate)
    scope = Scope(group.mandate, found.reference)
    covered = [p.id for p in found.projects if scope.covers(p)]
    return overlap_engine.pairs_among(db, everyone, covered)


def _slice(snapshot: Snapshot) -> Slice:
    return Slice(snapshot.reference, list(snapshot.context.values()))


# --- permissions ---------------------------------------------------------------------------


def _signed_in() -> Principal:
    principal = current_principal()
    if not principal.is_authenticated:
        raise Unauthorized(
            "Dette kræver et token / This requires a token.",
            www_authenticate=WWWAuthenticate("Bearer", {"realm": "ecosystem"}),
        )
    return principal


def _may_lead(principal: Principal, group: Group) -> None:
    if principal.is_admin or principal.organisation_id in group.coordinators:
        return
    raise PermissionDenied(
        "Kun gruppens koordinatorer og administratorer kan åbne gennemgange og træffe "
        "beslutninger / Only the group's coordinators and admins may open reviews and record "
        "decisions."
    )


def _responding_organisation(principal: Principal, decision: Decision, given: str | None) -> str:
    organisation = given or principal.organisation_id
    if organisation is None:
        raise InvalidInput(
            "Angiv organisationen / Name the organisation.",
            [FieldError("organisation", "Påkrævet for administratorer / Required for admins.")],
        )
    if not principal.can_write_for(organisation):
        raise PermissionDenied(
            "Et token kan kun svare for sin egen organisation / A token may only respond for "
            "its own organisation."
        )
    if organisation not in decision.owners:
        raise PermissionDenied(
            "Kun organisationer, der ejer et af beslutningens projekter, kan svare / Only "
            "organisations owning one of the decision's projects may respond."
        )
    return organisation


# --- views ---------------------------------------------------------------------------------


def _pair_view(pair: OverlapPair, found: Slice, settled: set[str]) -> dict[str, Any]:
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


def decision_view(decision: Decision) -> dict[str, Any]:
    label = DECISION_LABELS[decision.kind]
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
                "response_label": RESPONSE_LABELS[r.response].da,
                "response_label_en": RESPONSE_LABELS[r.response].en,
                "comment": r.comment,
                "actor": r.actor,
                "created_at": r.created_at.isoformat(),
            }
            for r in decision.responses
        ],
        "current_responses": {org: r.response.value for org, r in latest.items()},
    }


def snapshot_view(snapshot: Snapshot, decisions: Sequence[Decision]) -> dict[str, Any]:
    found = _slice(snapshot)
    settled = settled_keys(decisions)
    return {
        "projects": [project_ref(p, snapshot.reference) for p in snapshot.projects.values()],
        "overlaps": [_pair_view(p, found, settled) for p in snapshot.pairs],
        "gaps": [
            {**gap_view(g, found), "settled": f"gap:{g.id}" in settled} for g in snapshot.gaps.gaps
        ],
        "scaling_candidates": [candidate_view(c, found) for c in snapshot.candidates],
        "balance": balance_view(snapshot.balance, found),
    }


def _review_header(review: store.Review) -> dict[str, Any]:
    return {
        "id": review.id,
        "group_id": review.group_id,
        "title": review.title,
        "meeting_date": review.meeting_date.isoformat(),
        "participants": list(review.participants),
        "as_of": review.as_of.isoformat(),
        "catalog_version": review.catalog_version,
        "group_revision": review.group_revision,
        "actor": review.actor,
        "created_at": review.created_at.isoformat(),
    }


def review_view(db: Session, review: store.Review, principal: Principal) -> dict[str, Any]:
    decisions = store.decisions_for_group(db, review.group_id, principal)
    snapshot = load_snapshot(db, review, principal)
    return {
        **_review_header(review),
        "group": dict(review.group_document),
        "snapshot": snapshot_view(snapshot, decisions),
        "decisions": [decision_view(d) for d in decisions if d.review_id == review.id],
    }


def _diff_of(
    db: Session, review: store.Review, principal: Principal
) -> tuple[Snapshot, store.Review | None, Diff | None, list[Decision]]:
    decisions = store.decisions_for_group(db, review.group_id, principal)
    snapshot = load_snapshot(db, review, principal)
    previous = store.previous_review(db, review)
    if previous is None:
        return snapshot, None, None, decisions
    old = load_snapshot(db, previous, principal)
    return snapshot, previous, since_last(old, snapshot, decisions), decisions


def _changes_view(
    diff: Diff, old: Slice, new: Slice, decisions: Sequence[Decision]
) -> dict[str, Any]:
    def ref(project_id: int) -> dict[str, Any]:
        found = new if project_id in new.by_id else old
        if project_id in found.by_id:
            return project_ref(found.by_id[project_id], found.reference)
        return {"id": project_id}

    by_id = {d.id: d for d in decisions}
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
        "overlaps_appeared": list(diff.overlaps_appeared),
        "overlaps_disappeared": list(diff.overlaps_disappeared),
        "gaps_opened": list(diff.gaps_opened),
        "gaps_closed": list(diff.gaps_closed),
        "gaps_changed": [
            {"gap": gap, "severity_before": was, "severity_after": now}
            for gap, was, now in diff.gaps_changed
        ],
        "new_scaling_candidates": [ref(i) for i in diff.new_candidates],
        "decisions": [decision_view(by_id[i]) for i in diff.decisions],
    }


def since_last_view(db: Session, review: store.Review, principal: Principal) -> dict[str, Any]:
    snapshot, previous, diff, decisions = _diff_of(db, review, principal)
    changes = None
    if previous is not None and diff is not None:
        old = _slice(load_snapshot(db, previous, principal))
        changes = _changes_view(diff, old, _slice(snapshot), decisions)
    return {
        "review": _review_header(review),
        "previous": _review_header(previous) if previous is not None else None,
        "changes": changes,
    }


def pack_view(db: Session, review: store.Review, principal: Principal) -> dict[str, Any]:
    """Everything a chair sends before the meeting: agenda, balances, lists, decisions."""
    return pack_with_snapshot(db, review, principal)[0]


def pack_with_snapshot(
    db: Session, review: store.Review, principal: Principal
) -> tuple[dict[str, Any], Snapshot]:
    """The pack and the snapshot it was made from (the printable page draws its charts)."""
    snapshot, previous, diff, decisions = _diff_of(db, review, principal)
    found = _slice(snapshot)
    settled = settled_keys(decisions)
    changes = None
    if previous is not None and diff is not None:
        old = _slice(load_snapshot(db, previous, principal))
        changes = _changes_view(diff, old, found, decisions)
    items = agenda(snapshot, diff, decisions)
    pending = {f"decision:{d.id}" for d in decisions}
    pack = {
        "review": _review_header(review),
        "group": dict(review.group_document),
        "previous": _review_header(previous) if previous is not None else None,
        "agenda": [
            {
                "key": item.key,
                "title": item.title.da,
                "title_en": item.title.en,
                "prompt": item.prompt.da,
                "prompt_en": item.prompt.en,
                "findings": list(item.findings),
            }
            for item in items
        ],
        "since_last": changes,
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
            decision_view(d)
            for d in decisions
            if f"decision:{d.id}" in pending and f"decision:{d.id}" in _agenda_keys(items)
        ],
        "projects": [project_ref(p, snapshot.reference) for p in snapshot.projects.values()],
    }
    return pack, snapshot


def _agenda_keys(items: Sequence[Any]) -> set[str]:
    return {key for item in items for key in item.findings}


def pack_workbook(pack: dict[str, Any]) -> bytes:
    """The pack's lists as one workbook, a sheet per list (Danish headers first)."""

    def org(ref: dict[str, Any]) -> str:
        return str(ref.get("organisation", {}).get("name", ""))

    sheets = [
        Table(
            "Overlap",
            [
                Column("a", "Projekt A", "Project A"),
                Column("a_org", "Organisation A", "Organisation A"),
                Column("b", "Projekt B", "Project B"),
                Column("b_org", "Organisation B", "Organisation B"),
                Column("score", "Score", "Score"),
                Column("relation", "Relation", "Relation"),
            ],
            [
                {
                    "a": p["a"]["title"],
                    "a_org": org(p["a"]),
                    "b": p["b"]["title"],
                    "b_org": org(p["b"]),
                    "score": p["score"],
                    "relation": p["relation"],
                }
                for p in pack["overlaps_to_discuss"]
            ],
        ),
        Table(
            "Huller",
            [
                Column("severity", "Alvor", "Severity"),
                Column("subject", "Hvad mangler", "What is missing"),
                Column("explanation", "Forklaring", "Explanation"),
            ],
            [
                {
                    "severity": g["severity"],
                    "subject": g["subject"],
                    "explanation": g["explanation"],
                }
                for g in pack["gaps"]
            ],
        ),
        Table(
            "Skalering",
            [
                Column("rank", "Rang", "Rank"),
                Column("title", "Projekt", "Project"),
                Column("organisation", "Organisation", "Organisation"),
                Column("reasons", "Begrundelser", "Reasons"),
            ],
            [
                {
                    "rank": c["rank"],
                    "title": c["project"]["title"],
                    "organisation": org(c["project"]),
                    "reasons": "; ".join(r["text"] for r in c["reasons"]),
                }
                for c in pack["scaling_candidates"]
            ],
        ),
        Table(
            "Beslutninger",
            [
                Column("kind", "Beslutning", "Decision"),
                Column("finding", "Fund", "Finding"),
                Column("rationale", "Begrundelse", "Rationale"),
                Column("responses", "Svar", "Responses"),
            ],
            [
                {
                    "kind": d["kind_label"],
                    "finding": d["finding_key"],
                    "rationale": d["rationale"],
                    "responses": ", ".join(f"{o}: {r}" for o, r in d["current_responses"].items()),
                }
                for d in pack["pending_decisions"]
            ],
        ),
        Table(
            "Projekter",
            [
                Column("external_id", "Id", "Id"),
                Column("title", "Titel", "Title"),
                Column("organisation", "Organisation", "Organisation"),
                Column("stage", "Fase", "Stage"),
            ],
            [
                {
                    "external_id": p["external_id"],
                    "title": p["title"],
                    "organisation": org(p),
                    "stage": p["stage"],
                }
                for p in pack["projects"]
            ],
        ),
    ]
    return _workbook(sheets)


def _workbook(tables: Sequence[Table]) -> bytes:
    """Several tables as the sheets of one workbook: frozen headers, filters, no formulas."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for table in tables:
        sheet = workbook.create_sheet(table.title[:31])
        sheet.append([column.header for column in table.columns])
        for row in table.cells():
            sheet.append([_plain(value) for value in row])
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # text, never a formula
    return value


# --- finding checks ------------------------------------------------------------------------


def _check_finding(snapshot: Snapshot, finding: dict[str, Any]) -> tuple[str, list[int]]:
    """The finding's key and projects, if the review's snapshot holds it; 422 otherwise."""
    kind = FindingKind(finding["kind"])
    projects = sorted(set(finding.get("projects", ())))
    if kind is FindingKind.GAP:
        gap = snapshot.gap_ids.get(finding["gap"])
        if gap is None:
            raise _bad_finding(
                "finding.gap", "Hullet findes ikke i gennemgangen / No such gap in the review."
            )
        return finding_key(kind, gap=gap.id), sorted(gap.projects)
    unknown = [p for p in projects if p not in snapshot.context]
    if unknown:
        raise _bad_finding(
            "finding.projects",
            f"Ukendte projekter i gennemgangen: {unknown} / Projects not in the review: {unknown}",
        )
    if kind is FindingKind.OVERLAP and pair_key(*projects) not in snapshot.pair_keys:
        raise _bad_finding(
            "finding.projects",
            "De to projekter overlapper ikke i gennemgangen / The two projects do not overlap "
            "in the review.",
        )
    if kind is FindingKind.SCALING_CANDIDATE and projects[0] not in snapshot.candidate_ids:
        raise _bad_finding(
            "finding.projects",
            "Projektet er ikke kandidat til skalering / The project is not a scaling candidate.",
        )
    return finding_key(kind, projects=projects), projects


def _bad_finding(where: str, message: str) -> InvalidInput:
    return InvalidInput(
        "Fundet kan ikke bruges / The finding cannot be used.", [FieldError(where, message)]
    )


def _check_participants(db: Session, participants: Sequence[dict[str, str]]) -> None:
    errors = [
        FieldError(
            f"participants[{i}].organisation",
            f"Ukendt organisation / Unknown organisation {p['organisation']!r}",
        )
        for i, p in enumerate(participants)
        if db.get(Organisation, p["organisation"]) is None
    ]
    if errors:
        raise InvalidInput("Ukendte deltagere / Unknown participants.", errors)


# --- endpoints -----------------------------------------------------------------------------


@blp.route("/groups/<string:group_id>/reviews", methods=["POST"])
@blp.arguments(ReviewInSchema)
@blp.response(201)
def open_review(document: dict[str, Any], group_id: str) -> Any:
    """Open a review: freeze the moment of the group's slice (coordinators and admins)"""
    principal = _signed_in()
    with legacy_transaction() as db:
        group = group_store.get_group(db, group_id)
        _may_lead(principal, group)
        _check_participants(db, document["participants"])
        pairs = [pair_to_json(p) for p in _current_pairs(db, group)]
        date: dt.date = document["meeting_date"]
        review = store.open_review(
            db,
            group,
            group_to_document(group),
            title=document.get("title") or f"{group.name} – {date.isoformat()}",
            meeting_date=date,
            participants=document["participants"],
            pairs=pairs,
            as_of=utcnow(),
            actor=actor_name(principal),
        )
        header = _review_header(review)
    return header


@blp.route("/groups/<string:group_id>/reviews", methods=["GET"])
@blp.response(200)
def list_group_reviews(group_id: str) -> Any:
    """The group's reviews, oldest first"""
    db = session()
    group_store.get_group(db, group_id)
    return [_review_header(r) for r in store.list_reviews(db, group_id)]


@blp.route("/reviews/<int:review_id>")
@blp.response(200)
def get_review(review_id: int) -> Any:
    """A review with its snapshot recomputed as of its moment, and its decisions"""
    db = session()
    return review_view(db, store.get_review(db, review_id), current_principal())


@blp.route("/reviews/<int:review_id>/since-last")
@blp.response(200)
def review_since_last(review_id: int) -> Any:
    """What changed between the group's previous review and this one"""
    db = session()
    return since_last_view(db, store.get_review(db, review_id), current_principal())


@blp.route("/reviews/<int:review_id>/pack")
@blp.arguments(PackArgs, location="query")
@blp.response(200)
def review_pack(args: dict[str, Any], review_id: int) -> Any:
    """The review pack: agenda, since last review, balances and lists (JSON or XLSX)"""
    db = session()
    review = store.get_review(db, review_id)
    pack = pack_view(db, review, current_principal())
    if args["format"] == "xlsx":
        response = Response(pack_workbook(pack), mimetype=XLSX)
        response.headers["Content-Disposition"] = f'attachment; filename="review-{review_id}.xlsx"'
        return response
    return pack


@blp.route("/reviews/<int:review_id>/decisions", methods=["POST"])
@blp.arguments(DecisionInSchema)
@blp.response(201)
def record_decision(document: dict[str, Any], review_id: int) -> Any:
    """Record what the group recommends about a finding of the review"""
    principal = _signed_in()
    with legacy_transaction() as db:
        review = store.get_review(db, review_id)
        _may_lead(principal, group_store.get_group(db, review.group_id))
        snapshot = load_snapshot(db, review, principal)
        key, projects = _check_finding(snapshot, document["finding"])
        decision = store.add_decision(
            db,
            review,
            finding_key=key,
            finding=dict(document["finding"]),
            project_ids=projects,
            kind=DecisionKind(document["kind"]),
            counterparts=document["counterparts"],
            rationale=document["rationale"],
            actor=actor_name(principal),
        )
        view = decision_view(decision)
    return view


@blp.route("/decisions/<int:decision_id>")
@blp.response(200)
def get_decision(decision_id: int) -> Any:
    """One decision with every response"""
    db = session()
    decision = store.get_decision(db, decision_id)
    if not store.may_see_decision(db, decision, current_principal()):
        raise NotFound(f"Beslutning {decision_id} findes ikke / Decision {decision_id} not found.")
    return decision_view(decision)


@blp.route("/decisions/<int:decision_id>/responses", methods=["POST"])
@blp.arguments(ResponseInSchema)
@blp.response(201)
def respond(document: dict[str, Any], decision_id: int) -> Any:
    """The owning organisation answers: agreed, declined or in dialogue, with a comment"""
    principal = _signed_in()
    with legacy_transaction() as db:
        decision = store.get_decision(db, decision_id)
        organisation = _responding_organisation(principal, decision, document.get("organisation"))
        updated = store.add_response(
            db,
            decision_id,
            organisation_id=organisation,
            response=ResponseKind(document["response"]),
            comment=document["comment"],
            actor=actor_name(principal),
        )
        view = decision_view(updated)
    return view


@blp.route("/projects/<int:project_id>/decisions")
@blp.response(200)
def project_decisions(project_id: int) -> Any:
    """Every decision about a project and the owner's responses (both sides see them)"""
    db = session()
    project_store.get_project(db, project_id, current_principal())  # 404 unless visible
    return [
        decision_view(d) for d in store.decisions_for_project(db, project_id, current_principal())
    ]


# --- goal pictures and follow-up -----------------------------------------------------------


def _owner_name(db: Session, owner_kind: str, owner_id: str) -> str:
    """The owner's name; 404 for an unknown kind or owner."""
    if owner_kind == "organisation":
        organisation = db.get(Organisation, owner_id)
        if organisation is not None:
            return organisation.name
    elif owner_kind == "group":
        return group_store.get_group(db, owner_id).name
    raise NotFound(f"Ukendt ejer / Unknown owner {owner_kind}/{owner_id}.")


def _may_set_goals(db: Session, owner_kind: str, owner_id: str) -> Principal:
    if owner_kind == "organisation":
        return require_writer(owner_id)
    principal = _signed_in()
    _may_lead(principal, group_store.get_group(db, owner_id))
    return principal


def goal_follow_up_view(
    db: Session, picture: dict[str, Any], principal: Principal
) -> dict[str, Any]:
    codes = [goal["code"] for goal in picture["goals"]]
    linked = goal_store.projects_by_goal(db, codes, principal)
    return {
        "owner_kind": picture["owner_kind"],
        "owner_id": picture["owner_id"],
        "revision": picture["revision"],
        "text": picture["text"],
        "period": picture["period"],
        "warnings": goal_warnings(picture),
        "goals": [_goal_status_view(status) for status in follow_up(picture, linked)],
    }


def _goal_status_view(status: GoalStatus) -> dict[str, Any]:
    label = FULFILMENT_LABELS[status.fulfilment]
    return {
        "code": status.code,
        "title": status.title,
        "task_type": status.task_type.value,
        "measure_type": status.measure_type.value,
        "fulfilment": status.fulfilment.value,
        "fulfilment_label": label.da,
        "fulfilment_label_en": label.en,
        "period": status.period,
        "narrative": status.narrative,
        "real_change": status.real_change,
        "summary": status.summary.da,
        "summary_en": status.summary.en,
        "indicators": [
            {
                "name": i.name,
                "unit": i.unit,
                "direction": i.direction,
                "baseline": i.baseline,
                "target": i.target,
                "latest": i.latest,
                "latest_period": i.latest_period,
                "trend": i.trend.value,
                "distance_to_target": i.distance_to_target,
                "progress": i.progress,
            }
            for i in status.indicators
        ],
        "projects": list(status.projects),
        "without_projects": status.without_projects,
    }


def _picture_out(picture: dict[str, Any]) -> dict[str, Any]:
    return {**picture, "created_at": picture["created_at"].isoformat()}


OWNER_PATH = "/goal-pictures/<any(organisation, group):owner_kind>/<string:owner_id>"


@blp.route(OWNER_PATH, methods=["PUT"])
@blp.arguments(GoalPictureSchema)
@blp.response(200)
def put_goal_picture(document: dict[str, Any], owner_kind: str, owner_id: str) -> Any:
    """Set the strategic goal picture and its 5–10 goals (a new revision; more than 10 warns)"""
    with legacy_transaction() as db:
        name = _owner_name(db, owner_kind, owner_id)
        principal = _may_set_goals(db, owner_kind, owner_id)
        stored = goal_store.save_picture(
            db,
            owner_kind,
            owner_id,
            GoalPictureSchema().dump(document),
            owner_name=name,
            actor=actor_name(principal),
        )
        view = {**_picture_out(stored), "warnings": goal_warnings(stored)}
    return view


@blp.route(OWNER_PATH, methods=["GET"])
@blp.response(200)
def get_goal_picture(owner_kind: str, owner_id: str) -> Any:
    """The current goal picture, with how many revisions came before"""
    db = session()
    _owner_name(db, owner_kind, owner_id)
    history = goal_store.picture_history(db, owner_kind, owner_id)
    if not history:
        raise NotFound(f"Intet målbillede / No goal picture for {owner_kind}/{owner_id}.")
    return {
        **_picture_out(history[-1]),
        "warnings": goal_warnings(history[-1]),
        "history": [
            {
                "revision": h["revision"],
                "actor": h["actor"],
                "created_at": h["created_at"].isoformat(),
            }
            for h in history
        ],
    }


@blp.route(OWNER_PATH + "/follow-up")
@blp.response(200)
def goal_follow_up(owner_kind: str, owner_id: str) -> Any:
    """Each goal's trend, distance to target and narrative; the projects behind it"""
    db = session()
    _owner_name(db, owner_kind, owner_id)
    picture = goal_store.current_picture(db, owner_kind, owner_id)
    return goal_follow_up_view(db, picture, current_principal())


# --- before the meeting: cards to refresh ----------------------------------------------------


def refresh_list(
    db: Session, group: Group, principal: Principal
) -> tuple[dt.date | None, dict[str, list[Stale]], dict[int, list[str]]]:
    """The group's last meeting date, the stale cards per organisation, and their contacts.

    Contacts are the e-mail addresses on the cards (read in full: the group slice leaves
    long texts out).
    """
    reviews = store.list_reviews(db, group.id)
    since = reviews[-1].meeting_date if reviews else None
    found = load_slice(db, principal, group.mandate)
    scope = Scope(group.mandate, found.reference)
    stale = not_reviewed_since((p for p in found.projects if scope.covers(p)), since)
    ids = [s.project.id for items in stale.values() for s in items]
    contacts: dict[int, list[str]] = {}
    for record in group_store.projects_by_id(db, principal, ids, full=True):
        email = (record.data.get("contact") or {}).get("email")
        contacts[record.id] = [email] if email else []
    return since, stale, contacts


def refresh_list_view(db: Session, group: Group, principal: Principal) -> dict[str, Any]:
    since, stale, contacts = refresh_list(db, group, principal)
    reference = group_store.reference_for_analysis(db)
    return {
        "group": group.id,
        "since": since.isoformat() if since else None,
        "organisations": [
            {
                "organisation": {
                    "id": organisation,
                    "name": reference.organisation(organisation).name,
                },
                "contacts": sorted({e for s in items for e in contacts.get(s.project.id, [])}),
                "projects": [
                    {
                        **project_ref(s.project, reference),
                        "last_reviewed": s.last_reviewed.isoformat() if s.last_reviewed else None,
                    }
                    for s in items
                ],
            }
            for organisation, items in sorted(stale.items())
        ],
    }


@blp.route("/groups/<string:group_id>/refresh-list")
@blp.response(200)
def group_refresh_list(group_id: str) -> Any:
    """Per organisation, its projects in the mandate not reviewed since the last review"""
    db = session()
    group = group_store.get_group(db, group_id)
    return refresh_list_view(db, group, current_principal())
