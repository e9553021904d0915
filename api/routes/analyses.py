"""What a group's analyses find: routing, the projects it covers, gaps, scaling candidates
and balance, for a group or for any mandate given as query arguments.

Every list leads with the projects and the reasons; counts only come alongside, in
``summary``. Each analysis can also be downloaded as CSV (Danish Excel) or XLSX.
"""

from __future__ import annotations

from typing import Any

from api.auth import current_principal
from api.db import unit_of_work
from api.parsing import Blueprint
from api.presenters.analyses import (
    adopter_candidates_view,
    candidates_table,
    candidates_view,
    gaps_table,
    gaps_view,
)
from api.presenters.balance import balance_table, balance_view
from api.presenters.groups import (
    group_projects_table,
    group_projects_view,
    routing_table,
    routing_view,
)
from api.schemas.common import downloads, problems
from api.schemas.groups import (
    AdHocCandidateArgs,
    AdHocGapArgs,
    BalanceSchema,
    CandidateArgs,
    CandidateListSchema,
    FormatArgs,
    GapArgs,
    GapReportSchema,
    GroupProjectsArgs,
    GroupProjectsSchema,
    RoutingArgs,
    RoutingSchema,
    mandate_of,
)
from api.tabular import send_table
from ecosystem.groups import Mandate
from ecosystem.services import adoption, analyses
from ecosystem.services.adoption import AdopterCandidates
from ecosystem.services.analyses import Candidates, GroupGaps

blp = Blueprint(
    "analyses",
    __name__,
    url_prefix="/api/v1",
    description=(
        "Gruppernes analyser: fordeling, huller, skaleringskandidater og balance / "
        "Group analyses: routing, gaps, scaling candidates and balance"
    ),
)


@blp.route("/groups/routing")
@downloads(blp)
@blp.arguments(RoutingArgs, location="query")
@blp.response(200, RoutingSchema)
@problems(blp, 401)
def routing(args: dict[str, Any]) -> Any:
    """Which groups cover which active projects; the projects no group covers, and several do"""
    view = routing_view(analyses.routing(unit_of_work(), current_principal()), args["limit"])
    if args["format"] != "json":
        table = routing_table(view, args["list"])
        return send_table(table, args["format"], f"routing-{args['list']}")
    return view


@blp.route("/groups/<string:group_id>/projects")
@downloads(blp)
@blp.arguments(GroupProjectsArgs, location="query")
@blp.response(200, GroupProjectsSchema)
@problems(blp, 401, 404)
def group_projects(args: dict[str, Any], group_id: str) -> Any:
    """The projects the group's mandate covers, each with why"""
    as_json = args["format"] == "json"
    found = analyses.group_projects(
        unit_of_work(),
        current_principal(),
        group_id,
        stages=args["stage"],
        page=args["page"] if as_json else None,
        per_page=args["per_page"],
    )
    if not as_json:
        return send_table(group_projects_table(found), args["format"], f"{group_id}-projects")
    return group_projects_view(found, args["page"], args["per_page"])


@blp.route("/groups/<string:group_id>/gaps")
@downloads(blp)
@blp.arguments(GapArgs, location="query")
@blp.response(200, GapReportSchema)
@problems(blp, 401, 404)
def group_gaps(args: dict[str, Any], group_id: str) -> Any:
    """Gaps in the group's mandate, each with its severity, explanation and nearest projects"""
    found = analyses.group_gaps(unit_of_work(), current_principal(), group_id)
    return _gaps(found, args, f"{group_id}-gaps")


@blp.route("/gaps")
@downloads(blp)
@blp.arguments(AdHocGapArgs, location="query")
@blp.response(200, GapReportSchema)
@problems(blp, 401, 422)
def ad_hoc_gaps(args: dict[str, Any]) -> Any:
    """Gaps for any mandate given as query arguments"""
    found = analyses.ad_hoc_gaps(unit_of_work(), current_principal(), mandate_of(args))
    return _gaps(found, args, "gaps")


def _gaps(found: GroupGaps, args: dict[str, Any], filename: str) -> Any:
    if args["format"] != "json":
        table = gaps_table(found.report, found.found, args["severity"])
        return send_table(table, args["format"], filename)
    return gaps_view(found.report, found.found, args["severity"])


@blp.route("/groups/<string:group_id>/scaling-candidates")
@downloads(blp)
@blp.arguments(CandidateArgs, location="query")
@blp.response(200, CandidateListSchema)
@problems(blp, 401, 404, 422)
def group_candidates(args: dict[str, Any], group_id: str) -> Any:
    """Mature projects others in the mandate could adopt, ranked, with reasons and adopters

    With `adopter` (an organisation id or an area code): only the candidates that
    adopter lacks and needs, ranked by their fit to it, obvious ones first (proven, for
    people it works with), each with `fit.factors` saying what each factor added.
    """
    if args["adopter"]:
        fits = adoption.group_adopter_candidates(
            unit_of_work(), current_principal(), group_id, args["adopter"], args["limit"]
        )
        return _fits(fits, args, f"{group_id}-scaling-{args['adopter']}")
    found = analyses.group_candidates(unit_of_work(), current_principal(), group_id, args["limit"])
    return _candidates(found, args, f"{group_id}-scaling")


@blp.route("/scaling-candidates")
@downloads(blp)
@blp.arguments(AdHocCandidateArgs, location="query")
@blp.response(200, CandidateListSchema)
@problems(blp, 401, 422)
def ad_hoc_candidates(args: dict[str, Any]) -> Any:
    """Scaling candidates for any mandate given as query arguments

    With `adopter` (an organisation id or an area code): the candidates it could take
    up, ranked by fit to it (its gap, starting the same thing, the same target group,
    evidence, maturity, nearby), obvious ones first; without `area`, the adopter's own
    areas are searched. An unknown adopter is a 422 naming `adopter`.
    """
    mandate = mandate_of(args)
    if args["adopter"]:
        uow = unit_of_work()
        if mandate != Mandate():
            mandate = analyses.known_mandate(uow, mandate)
        fits = adoption.adopter_candidates(
            uow, current_principal(), args["adopter"], mandate, args["limit"]
        )
        return _fits(fits, args, f"scaling-candidates-{args['adopter']}")
    found = analyses.ad_hoc_candidates(unit_of_work(), current_principal(), mandate, args["limit"])
    return _candidates(found, args, "scaling-candidates")


def _candidates(found: Candidates, args: dict[str, Any], filename: str) -> Any:
    if args["format"] != "json":
        table = candidates_table(found.candidates, found.found)
        return send_table(table, args["format"], filename)
    return candidates_view(found.candidates, found.total, found.mandate, found.found)


def _fits(found: AdopterCandidates, args: dict[str, Any], filename: str) -> Any:
    if args["format"] != "json":
        table = candidates_table([f.candidate for f in found.fits], found.found)
        return send_table(table, args["format"], filename)
    return adopter_candidates_view(found)


@blp.route("/groups/<string:group_id>/balance")
@downloads(blp)
@blp.arguments(FormatArgs, location="query")
@blp.response(200, BalanceSchema)
@problems(blp, 401, 404)
def group_balance(args: dict[str, Any], group_id: str) -> Any:
    """Value × risk (Cooper et al. 2002), pipeline, care level, development and funding"""
    found = analyses.group_balance(unit_of_work(), current_principal(), group_id)
    if args["format"] != "json":
        table = balance_table(found.balance, found.found)
        return send_table(table, args["format"], f"{group_id}-balance")
    return balance_view(found.balance, found.found)
