"""Thematic portfolio groups: mandates, routing, gaps, scaling candidates and balance.

A group recommends; it never edits other organisations' projects (DOMAIN.md §2). Every
list leads with the projects and the reasons; counts only come alongside, in
``summary``. Each analysis takes the mandate's slice from the worker's catalogue (kept
fresh with one small query per request, see :class:`_Catalogue`) and computes in memory.
The view and table functions are shared with the command line (api/commands/groups.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import Session
from webargs.fields import DelimitedList
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from api import overlap_engine
from api.auth import actor_name, current_principal
from api.db import legacy_transaction, session, unit_of_work
from api.presenters.legacy import project_views
from api.schemas.projects import RevisionSchema
from api.tabular import FORMATS, send_table
from ecosystem.balance import ATTRIBUTION, Balance, Quadrant, analyse_balance, quadrant_of
from ecosystem.errors import FieldError, InvalidInput, PermissionDenied
from ecosystem.gaps import Gap, GapReport, Matrix, Severity, analyse_gaps
from ecosystem.groups import (
    Group,
    GroupPatchSchema,
    GroupSchema,
    Mandate,
    ProjectInfo,
    Reference,
    Scope,
    Slice,
    group_to_document,
    route,
)
from ecosystem.model import Principal, Stage
from ecosystem.scaling import Candidate, rank_candidates
from ecosystem.services.catalogue import Lifetime
from ecosystem.store import groups as store
from ecosystem.tabular import Column, Table

__all__ = [
    "Slice",
    "balance_for",
    "balance_view",
    "blp",
    "candidate_view",
    "candidates_for",
    "candidates_table",
    "candidates_view",
    "gap_view",
    "gaps_for",
    "gaps_table",
    "gaps_view",
    "load_slice",
    "project_ref",
]

blp = Blueprint(
    "groups",
    __name__,
    url_prefix="/api/v1",
    description=(
        "Tematiske porteføljegrupper: mandat, huller, skaleringskandidater og balance / "
        "Thematic portfolio groups: mandates, gaps, scaling candidates and balance"
    ),
)

LISTED = 20  # projects listed inline with a gap; the rest are counted in *_total


# --- request shapes ------------------------------------------------------------------------


def _codes(description: str) -> DelimitedList:
    return DelimitedList(
        fields.String(validate=validate.Length(min=1, max=64)),
        load_default=(),
        metadata={"description": description},
    )


class FormatArgs(Schema):
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(FORMATS),
        metadata={"description": "json (default), csv (Danish Excel) or xlsx."},
    )


class MandateArgs(FormatArgs):
    theme = _codes("Theme codes (a theme covers its sub-themes). None: every theme.")
    target_group = _codes("Target-group codes. None: every target group.")
    area = _codes("Area codes (a council covers its municipalities). None: Denmark.")
    goal_set = _codes("Goal sets whose goals to follow.")
    goal = _codes("Goal codes to follow.")


class GapArgs(FormatArgs):
    severity = DelimitedList(
        fields.String(validate=validate.OneOf([s.value for s in Severity])),
        load_default=(),
        metadata={"description": "Only gaps of these severities (high, medium, low)."},
    )


class AdHocGapArgs(MandateArgs, GapArgs):
    pass


class CandidateArgs(FormatArgs):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=2000))


class AdHocCandidateArgs(MandateArgs, CandidateArgs):
    pass


class GroupListArgs(Schema):
    demo = fields.Boolean(metadata={"description": "Only demo groups (true) or only real (false)."})


class GroupProjectsArgs(FormatArgs):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    stage = DelimitedList(
        fields.String(validate=validate.OneOf([s.value for s in Stage])), load_default=()
    )


class RoutingArgs(FormatArgs):
    limit = fields.Integer(
        load_default=200,
        validate=validate.Range(min=1, max=20_000),
        metadata={"description": "At most this many projects per list (totals are given)."},
    )
    list = fields.String(
        load_default="uncovered",
        validate=validate.OneOf(["uncovered", "several"]),
        metadata={"description": "Which list to export with format=csv or xlsx."},
    )


# --- response shapes -----------------------------------------------------------------------

_REF = "id, external_id, title, stage, organisation {id, name, kind}, themes, target_groups, areas"


class GroupOutSchema(GroupSchema):
    revision = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class GroupDetailSchema(GroupOutSchema):
    revisions = fields.List(fields.Nested(RevisionSchema), dump_only=True)


class GapOutSchema(Schema):
    id = fields.String()
    kind = fields.String(
        metadata={
            "description": "theme_area, theme_target_group, goal_uncovered, goal_single_kind, "
            "pipeline_no_early, pipeline_no_late or public_value"
        }
    )
    severity = fields.String(metadata={"description": "high, medium or low"})
    explanation = fields.String(metadata={"description": "Danish"})
    explanation_en = fields.String()
    subject = fields.String(metadata={"description": "What is missing, in a few words (Danish)"})
    subject_en = fields.String()
    theme = fields.String(allow_none=True)
    area = fields.String(allow_none=True)
    target_group = fields.String(allow_none=True)
    goal = fields.String(allow_none=True)
    dimension = fields.String(allow_none=True)
    projects = fields.List(fields.Dict(), metadata={"description": f"The slice's own: {_REF}"})
    projects_total = fields.Integer()
    national_projects = fields.List(fields.Dict(), metadata={"description": _REF})
    nearest = fields.List(
        fields.Dict(), metadata={"description": "{project, proximity}: nearest existing projects"}
    )


class GapReportSchema(Schema):
    gaps = fields.List(fields.Nested(GapOutSchema))
    mandate = fields.Dict()
    matrices = fields.Dict(
        metadata={"description": "theme_area and theme_target_group cells with project ids"}
    )
    pipeline = fields.List(fields.Dict())
    goals = fields.List(fields.Dict())
    public_value = fields.List(fields.Dict())
    summary = fields.Dict()


class CandidateOutSchema(Schema):
    rank = fields.Integer()
    project = fields.Dict(metadata={"description": _REF})
    reasons = fields.List(fields.Dict(), metadata={"description": "{kind, text, text_en, points}"})
    evidence = fields.Dict(metadata={"description": "summary, outcome, url"})
    adopters = fields.List(
        fields.Dict(), metadata={"description": "{organisation, areas, reasons, starting}"}
    )
    score = fields.Integer()


class CandidateListSchema(Schema):
    candidates = fields.List(fields.Nested(CandidateOutSchema))
    mandate = fields.Dict()
    summary = fields.Dict()


class BalanceSchema(Schema):
    quadrants = fields.List(fields.Dict())
    not_assessed = fields.List(fields.Integer())
    attribution = fields.String()
    attribution_en = fields.String()
    pipeline = fields.List(fields.Dict())
    pipeline_notes = fields.List(fields.Dict())
    care_levels = fields.List(fields.Dict())
    development_types = fields.List(fields.Dict())
    funding = fields.List(fields.Dict())
    ambition = fields.List(fields.Dict())
    projects = fields.List(
        fields.Dict(),
        metadata={
            "description": "Every project once: id, title, organisation, stage, value_score, "
            "risk_score, value_rationale, risk_rationale, quadrant"
        },
    )
    organisations = fields.List(fields.Dict(), metadata={"description": "id, name, kind"})
    summary = fields.Dict()


class GroupProjectsSchema(Schema):
    items = fields.List(fields.Dict(), metadata={"description": "Project cards with 'coverage'"})
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class RoutingSchema(Schema):
    uncovered = fields.List(fields.Dict())
    several = fields.List(fields.Dict())
    groups = fields.List(fields.Dict())
    summary = fields.Dict()


# --- loading a slice -----------------------------------------------------------------------


def load_slice(db: Session, principal: Principal, mandate: Mandate) -> Slice:
    """Every live project on the mandate's themes that the principal may see, anywhere."""
    return unit_of_work().catalogue.slice(principal, mandate)


def gaps_for(db: Session, principal: Principal, mandate: Mandate) -> tuple[GapReport, Slice]:
    found = load_slice(db, principal, mandate)
    return analyse_gaps(mandate, found.projects, found.reference), found


def candidates_for(
    db: Session, principal: Principal, mandate: Mandate, limit: int | None = None
) -> tuple[list[Candidate], int, Slice]:
    """The best ``limit`` scaling candidates and their total, using the overlap engine's pairs.

    Ranking against tens of thousands of overlap pairs costs about a second, and nothing
    it reads changes until a publish, so the process remembers the result.
    """

    def rank() -> tuple[list[Candidate], int, Slice]:
        found = load_slice(db, principal, mandate)
        report = analyse_gaps(mandate, found.projects, found.reference, nearest=False)
        # Every pair that matters has a mature side: a candidate, or its footprint.
        mature = {p.id for p in found.projects if p.is_mature}
        pairs = overlap_engine.pairs_among(db, principal, mature)
        missing = {i for pair in pairs for i in (pair.a, pair.b)} - found.by_id.keys()
        if missing:  # the other side of a pair may be on another theme
            everything = load_slice(db, principal, Mandate())
            found.add(everything.by_id[i] for i in missing if i in everything.by_id)
        candidates, total = rank_candidates(
            mandate, found.projects, report, pairs, found.reference, limit
        )
        return candidates, total, found

    return unit_of_work().remember(
        ("scaling-candidates", mandate, principal, limit), rank, lasts=Lifetime.UNTIL_PUBLISH
    )


def balance_for(db: Session, principal: Principal, group: Group) -> tuple[Balance, Slice]:
    found = load_slice(db, principal, group.mandate)
    scope = Scope(group.mandate, found.reference)
    own = [p for p in found.projects if scope.covers(p)]
    return analyse_balance(own, group.ambition), found


def _mandate_from_args(db: Session, args: dict[str, Any]) -> Mandate:
    """An ad hoc mandate from query arguments; unknown codes are named by argument."""
    mandate = Mandate(
        themes=tuple(dict.fromkeys(args["theme"])),
        target_groups=tuple(dict.fromkeys(args["target_group"])),
        areas=tuple(dict.fromkeys(args["area"])),
        goal_sets=tuple(dict.fromkeys(args["goal_set"])),
        goals=tuple(dict.fromkeys(args["goal"])),
    )
    names = {
        "mandate.themes": "theme",
        "mandate.target_groups": "target_group",
        "mandate.areas": "area",
        "mandate.goal_sets": "goal_set",
        "mandate.goals": "goal",
    }
    try:
        store.check_references(db, {"mandate": _mandate_document(mandate)})
    except InvalidInput as error:
        raise InvalidInput(
            "Ukendte koder i forespørgslen / Unknown codes in the query.",
            [_renamed(e, names) for e in error.errors],
        ) from error
    return mandate


def _mandate_document(mandate: Mandate) -> dict[str, Any]:
    return {
        "themes": list(mandate.themes),
        "target_groups": list(mandate.target_groups),
        "areas": list(mandate.areas),
        "goal_sets": list(mandate.goal_sets),
        "goals": list(mandate.goals),
        "level": mandate.level.value,
    }


def _renamed(error: FieldError, names: dict[str, str]) -> FieldError:
    head, _, rest = error.field.partition("[")
    return FieldError(
        f"{names.get(head, head)}[{rest}" if rest else names.get(head, head), error.message
    )


# --- views ---------------------------------------------------------------------------------


def project_ref(project: ProjectInfo, reference: Reference) -> dict[str, Any]:
    organisation = reference.organisation(project.organisation_id)
    data = project.record.data
    return {
        "id": project.id,
        "external_id": project.record.external_id,
        "title": project.title,
        "stage": project.stage.value,
        "organisation": {
            "id": organisation.id,
            "name": organisation.name,
            "kind": organisation.kind,
        },
        "themes": list(data.get("themes", ())),
        "target_groups": list(data.get("target_groups", ())),
        "areas": list(data.get("areas", ())),
    }


def _refs(ids: Sequence[int], found: Slice) -> list[dict[str, Any]]:
    return [project_ref(found.by_id[i], found.reference) for i in ids if i in found.by_id]


def gap_view(gap: Gap, found: Slice) -> dict[str, Any]:
    return {
        "id": gap.id,
        "kind": gap.kind.value,
        "severity": gap.severity.value,
        "explanation": gap.explanation.da,
        "explanation_en": gap.explanation.en,
        "subject": gap.subject.da,
        "subject_en": gap.subject.en,
        "theme": gap.theme,
        "area": gap.area,
        "target_group": gap.target_group,
        "goal": gap.goal,
        "dimension": gap.dimension.value if gap.dimension else None,
        "projects": _refs(gap.projects[:LISTED], found),
        "projects_total": len(gap.projects),
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


def gaps_view(report: GapReport, found: Slice, severities: Sequence[str] = ()) -> dict[str, Any]:
    gaps = [g for g in report.gaps if not severities or g.severity.value in severities]
    return {
        "gaps": [gap_view(gap, found) for gap in gaps],
        "mandate": _mandate_document(report.mandate),
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
            "kind": gap.kind.value,
            "theme": gap.theme,
            "area": gap.area,
            "target_group": gap.target_group,
            "goal": gap.goal,
            "projects": [_titled(found.by_id[i], found.reference) for i in gap.projects[:LISTED]],
            "nearest": [_titled(found.by_id[n.project_id], found.reference) for n in gap.nearest],
            "id": gap.id,
        }
        for gap in report.gaps
        if not severities or gap.severity.value in severities
    ]
    columns = [
        Column("explanation", "Forklaring", "Explanation (Danish)"),
        Column("explanation_en", "Forklaring (engelsk)", "Explanation (English)"),
        Column("severity", "Alvor", "Severity"),
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


def _titled(project: ProjectInfo, reference: Reference) -> str:
    return (
        f"{project.title} ({reference.organisation(project.organisation_id).name}, #{project.id})"
    )


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
                "organisation": _organisation_ref(a.organisation, reference),
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


def _organisation_ref(organisation_id: str | None, reference: Reference) -> dict[str, str] | None:
    if organisation_id is None:
        return None
    organisation = reference.organisation(organisation_id)
    return {"id": organisation.id, "name": organisation.name, "kind": organisation.kind}


def candidates_view(
    candidates: Sequence[Candidate], total: int, mandate: Mandate, found: Slice
) -> dict[str, Any]:
    return {
        "candidates": [candidate_view(c, found) for c in candidates],
        "mandate": _mandate_document(mandate),
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


def _share_view(share: Any) -> dict[str, Any]:
    return {
        "key": share.key,
        "label": share.label.da,
        "label_en": share.label.en,
        "project_ids": list(share.projects),
        "share": share.share,
    }


def balance_view(balance: Balance, found: Slice) -> dict[str, Any]:
    """Every share lists project ids; ``projects`` describes each project once.

    A group's balance can span thousands of projects, each of them in five balances, so
    they are described once, with the judgements behind their quadrant.
    """
    quadrants = []
    for share in balance.quadrants:
        view = _share_view(share)
        quadrant = Quadrant(share.key)
        view["description"] = quadrant.description.da
        view["description_en"] = quadrant.description.en
        quadrants.append(view)
    involved = sorted({*balance.active, *(i for s in balance.pipeline for i in s.projects)})
    organisations = sorted({found.by_id[i].organisation_id for i in involved})
    return {
        "quadrants": quadrants,
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
        "organisations": [_organisation_ref(o, found.reference) for o in organisations],
        "summary": {
            "active": len(balance.active),
            "assessed": len(balance.active) - len(balance.not_assessed),
            "not_assessed": len(balance.not_assessed),
        },
    }


def _balance_ref(project: ProjectInfo) -> dict[str, Any]:
    data = project.record.data
    quadrant = quadrant_of(data.get("value_score"), data.get("risk_score"))
    return {
        "id": project.id,
        "title": project.title,
        "organisation": project.organisation_id,
        "stage": project.stage.value,
        "value_score": data.get("value_score"),
        "risk_score": data.get("risk_score"),
        "value_rationale": data.get("value_rationale"),
        "risk_rationale": data.get("risk_rationale"),
        "quadrant": quadrant.value if quadrant else None,
    }


def balance_table(balance: Balance, found: Slice) -> Table:
    rows = []
    for project_id in balance.active:
        project = found.by_id[project_id]
        data = project.record.data
        rows.append(
            {
                **_balance_ref(project),
                "organisation": found.reference.organisation(project.organisation_id).name,
                "quadrant": _balance_ref(project)["quadrant"] or "not_assessed",
                "care_level": data.get("care_level"),
                "development_type": data.get("development_type"),
                "funding_kinds": sorted(
                    {s.get("kind", "other") for s in data.get("funding_sources") or ()}
                ),
                "budget_dkk": data.get("budget_dkk"),
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


# --- permissions ---------------------------------------------------------------------------


def _signed_in() -> Principal:
    principal = current_principal()
    if not principal.is_authenticated:
        raise Unauthorized(
            "Ændring af grupper kræver et token / Changing groups requires a token.",
            www_authenticate=WWWAuthenticate("Bearer", {"realm": "ecosystem"}),
        )
    return principal


def _may_create(principal: Principal, document: dict[str, Any]) -> None:
    if principal.is_admin or principal.organisation_id in document["coordinators"]:
        return
    raise PermissionDenied(
        "En organisation kan kun oprette en gruppe, hvis den selv er koordinator / An "
        "organisation may create a group only if it names itself as a coordinator."
    )


def _may_change(principal: Principal, group: Group) -> None:
    if principal.is_admin or principal.organisation_id in group.coordinators:
        return
    raise PermissionDenied(
        "Kun gruppens koordinatorer og administratorer kan ændre gruppen / Only the group's "
        "coordinators and admins may change it."
    )


def _keeps_itself(principal: Principal, document: dict[str, Any]) -> None:
    """A coordinator cannot hand the group away by leaving the coordinators (an admin can)."""
    if principal.is_admin or principal.organisation_id in document["coordinators"]:
        return
    raise InvalidInput(
        "Du ville miste retten til at ændre gruppen / You would lose the right to change the group.",
        [
            FieldError(
                "coordinators",
                "Behold din egen organisation som koordinator, eller bed en administrator om "
                "ændringen / Keep your own organisation as a coordinator, or ask an admin.",
            )
        ],
    )


def _merged(group: Group, changes: dict[str, Any]) -> dict[str, Any]:
    """The group's document with the PATCH applied (mandate merged field by field), validated."""
    document = group_to_document(group)
    for key, value in changes.items():
        if key == "mandate":
            document["mandate"] = {**document["mandate"], **value}
        else:
            document[key] = value
    return dict(GroupSchema().load(document))


def _group_out(group: Group) -> dict[str, Any]:
    return {
        **group_to_document(group),
        "revision": group.revision,
        "created_at": group.created_at,
        "updated_at": group.updated_at,
    }


# --- endpoints: groups -----------------------------------------------------------------------


@blp.route("/groups")
class GroupCollection(MethodView):
    @blp.arguments(GroupListArgs, location="query")
    @blp.response(200, GroupOutSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """List the thematic portfolio groups"""
        return [_group_out(g) for g in store.list_groups(session(), demo=args.get("demo"))]

    @blp.arguments(GroupSchema)
    @blp.response(201, GroupOutSchema)
    def post(self, document: dict[str, Any]) -> dict[str, Any]:
        """Create a group (admins, or an organisation naming itself as coordinator)"""
        principal = _signed_in()
        _may_create(principal, document)
        with legacy_transaction() as db:
            return _group_out(store.create_group(db, document, actor=actor_name(principal)))


@blp.route("/groups/<string:group_id>")
class GroupItem(MethodView):
    @blp.response(200, GroupDetailSchema)
    def get(self, group_id: str) -> dict[str, Any]:
        """Get one group with its history"""
        db = session()
        view = _group_out(store.get_group(db, group_id))
        view["revisions"] = store.group_revisions(db, group_id)
        return view

    @blp.arguments(GroupPatchSchema)
    @blp.response(200, GroupOutSchema)
    def patch(self, changes: dict[str, Any], group_id: str) -> dict[str, Any]:
        """Change a group (its coordinators and admins); the history keeps every version"""
        principal = _signed_in()
        expected = changes.pop("revision", None)
        with legacy_transaction() as db:
            group = store.get_group(db, group_id)
            _may_change(principal, group)
            document = _merged(group, changes)
            _keeps_itself(principal, document)
            updated = store.update_group(
                db, group_id, document, actor=actor_name(principal), expected_revision=expected
            )
            return _group_out(updated)


# --- endpoints: analyses of a group -------------------------------------------------------


@blp.route("/groups/routing")
@blp.arguments(RoutingArgs, location="query")
@blp.response(200, RoutingSchema)
def routing(args: dict[str, Any]) -> Any:
    """Which groups cover which active projects; the projects no group covers, and several do"""
    db, principal = session(), current_principal()
    groups = store.list_groups(db)
    everything = load_slice(db, principal, Mandate())
    reference, projects = everything.reference, [p for p in everything.projects if p.is_active]
    found = Slice(reference, projects)
    report = route(found.projects, groups, reference)
    names = {g.id: g.name for g in groups}
    limit = args["limit"]
    uncovered = [
        {
            "project": project_ref(found.by_id[i], reference),
            "reason": "Intet gruppemandat dækker projektets temaer, målgrupper og område.",
            "reason_en": "No group's mandate covers the project's themes, target groups and area.",
        }
        for i in report.uncovered[:limit]
    ]
    several = [
        {
            "project": project_ref(found.by_id[i], reference),
            "groups": [
                {
                    "id": group_id,
                    "name": names[group_id],
                    "reach": coverage.reach.value,
                    "reasons": [r.da for r in coverage.reasons(reference)],
                    "reasons_en": [r.en for r in coverage.reasons(reference)],
                }
                for group_id, coverage in found_groups
            ],
        }
        for i, found_groups in list(report.several.items())[:limit]
    ]
    if args["format"] != "json":
        return send_table(
            _routing_table(args["list"], uncovered, several),
            args["format"],
            f"routing-{args['list']}",
        )
    return {
        "uncovered": uncovered,
        "several": several,
        "groups": [
            {"id": g.id, "name": g.name, "projects": len(report.by_group[g.id])} for g in groups
        ],
        "summary": {
            "active_projects": len(projects),
            "uncovered": len(report.uncovered),
            "several": len(report.several),
            "listed": limit,
        },
    }


def _routing_table(
    which: str, uncovered: list[dict[str, Any]], several: list[dict[str, Any]]
) -> Table:
    rows = [
        {
            "title": item["project"]["title"],
            "organisation": item["project"]["organisation"]["name"],
            "stage": item["project"]["stage"],
            "groups": [g["name"] for g in item.get("groups", [])],
            "reach": [f"{g['id']}: {g['reach']}" for g in item.get("groups", [])],
            "id": item["project"]["id"],
        }
        for item in (uncovered if which == "uncovered" else several)
    ]
    columns = [
        Column("title", "Projekt", "Project"),
        Column("organisation", "Organisation", "Organisation"),
        Column("stage", "Fase", "Stage"),
        Column("groups", "Grupper", "Groups"),
        Column("reach", "Rækkevidde", "Reach"),
        Column("id", "Projekt-id", "Project id"),
    ]
    title = "Uden gruppe" if which == "uncovered" else "Flere grupper"
    return Table(title, columns, rows)


@blp.route("/groups/<string:group_id>/projects")
@blp.arguments(GroupProjectsArgs, location="query")
@blp.response(200, GroupProjectsSchema)
def group_projects(args: dict[str, Any], group_id: str) -> Any:
    """The projects the group's mandate covers, each with why"""
    db, principal = session(), current_principal()
    group = store.get_group(db, group_id)
    found = load_slice(db, principal, group.mandate)
    scope = Scope(group.mandate, found.reference)
    covered = [
        (p, c)
        for p in found.projects
        if (c := scope.cover(p)) is not None
        and (not args["stage"] or p.stage.value in args["stage"])
    ]
    covered.sort(key=lambda item: (item[1].reach.rank, item[0].id))
    if args["format"] != "json":
        return send_table(
            _projects_table(covered, found.reference), args["format"], f"{group_id}-projects"
        )
    start = (args["page"] - 1) * args["per_page"]
    page = covered[start : start + args["per_page"]]
    # The slice was read without long texts; the page's cards are read whole.
    cards = {
        r.id: r for r in store.projects_by_id(db, principal, [p.id for p, _ in page], full=True)
    }
    views = project_views(db, [cards[p.id] for p, _ in page])
    for view, (_, coverage) in zip(views, page, strict=True):
        view["coverage"] = {
            "reach": coverage.reach.value,
            "reasons": [r.da for r in coverage.reasons(found.reference)],
            "reasons_en": [r.en for r in coverage.reasons(found.reference)],
        }
    return {
        "items": views,
        "page": args["page"],
        "per_page": args["per_page"],
        "total": len(covered),
    }


def _projects_table(covered: Sequence[tuple[ProjectInfo, Any]], reference: Reference) -> Table:
    rows = [
        {
            **project_ref(p, reference),
            "organisation": reference.organisation(p.organisation_id).name,
            "reach": c.reach.value,
            "reasons": [r.da for r in c.reasons(reference)],
        }
        for p, c in covered
    ]
    columns = [
        Column("title", "Projekt", "Project"),
        Column("organisation", "Organisation", "Organisation"),
        Column("stage", "Fase", "Stage"),
        Column("reasons", "Hvorfor i mandatet", "Why in the mandate"),
        Column("reach", "Rækkevidde", "Reach"),
        Column("themes", "Temaer", "Themes"),
        Column("target_groups", "Målgrupper", "Target groups"),
        Column("areas", "Områder", "Areas"),
        Column("id", "Projekt-id", "Project id"),
    ]
    return Table("Projekter", columns, rows)


@blp.route("/groups/<string:group_id>/gaps")
@blp.arguments(GapArgs, location="query")
@blp.response(200, GapReportSchema)
def group_gaps(args: dict[str, Any], group_id: str) -> Any:
    """Gaps in the group's mandate, each with its severity, explanation and nearest projects"""
    db = session()
    group = store.get_group(db, group_id)
    report, found = gaps_for(db, current_principal(), group.mandate)
    return _gaps_response(report, found, args, f"{group_id}-gaps")


@blp.route("/gaps")
@blp.arguments(AdHocGapArgs, location="query")
@blp.response(200, GapReportSchema)
def ad_hoc_gaps(args: dict[str, Any]) -> Any:
    """Gaps for any mandate given as query arguments"""
    db = session()
    mandate = _mandate_from_args(db, args)
    report, found = gaps_for(db, current_principal(), mandate)
    return _gaps_response(report, found, args, "gaps")


def _gaps_response(report: GapReport, found: Slice, args: dict[str, Any], filename: str) -> Any:
    if args["format"] != "json":
        return send_table(gaps_table(report, found, args["severity"]), args["format"], filename)
    return gaps_view(report, found, args["severity"])


@blp.route("/groups/<string:group_id>/scaling-candidates")
@blp.arguments(CandidateArgs, location="query")
@blp.response(200, CandidateListSchema)
def group_candidates(args: dict[str, Any], group_id: str) -> Any:
    """Mature projects others in the mandate could adopt, ranked, with reasons and adopters"""
    db = session()
    group = store.get_group(db, group_id)
    return _candidates_response(db, group.mandate, args, f"{group_id}-scaling")


@blp.route("/scaling-candidates")
@blp.arguments(AdHocCandidateArgs, location="query")
@blp.response(200, CandidateListSchema)
def ad_hoc_candidates(args: dict[str, Any]) -> Any:
    """Scaling candidates for any mandate given as query arguments"""
    db = session()
    return _candidates_response(db, _mandate_from_args(db, args), args, "scaling-candidates")


def _candidates_response(db: Session, mandate: Mandate, args: dict[str, Any], name: str) -> Any:
    candidates, total, found = candidates_for(db, current_principal(), mandate, args["limit"])
    if args["format"] != "json":
        return send_table(candidates_table(candidates, found), args["format"], name)
    return candidates_view(candidates, total, mandate, found)


@blp.route("/groups/<string:group_id>/balance")
@blp.arguments(FormatArgs, location="query")
@blp.response(200, BalanceSchema)
def group_balance(args: dict[str, Any], group_id: str) -> Any:
    """Value × risk (Cooper et al. 2002), pipeline, care level, development and funding"""
    db = session()
    group = store.get_group(db, group_id)
    balance, found = balance_for(db, current_principal(), group)
    if args["format"] != "json":
        return send_table(balance_table(balance, found), args["format"], f"{group_id}-balance")
    return balance_view(balance, found)
