"""The quarterly review cycle on the pages: prepare the meeting, decide, answer.

A group's coordinators open the next review from the group page and record decisions
on the findings of its pack; the organisations owning the projects answer on their
project pages. Every form posts to the same services as the API (:mod:`ecosystem.services.
reviews`, :mod:`ecosystem.services.decisions`) after validating with the API's own
schemas, so a page can do exactly what a token can, and no more. Who may do what is the
services' rule: a refused organisation gets a 403 page saying why, and nothing is written.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from api.db import transaction, unit_of_work
from api.pages import common, forms, i18n, site
from api.pages import projects as project_pages
from api.pages import reviews as review_pages
from api.pages.i18n import gettext as _
from api.schemas.reviews import DecisionInSchema, ResponseInSchema, ReviewInSchema
from ecosystem.errors import InvalidInput, PermissionDenied
from ecosystem.groups import Group, MemberRole
from ecosystem.reviews import DecisionKind, ResponseKind
from ecosystem.services import decisions, groups, reviews
from ecosystem.services.permissions import (
    may_lead_reviews,
    responding_organisation,
    signed_in,
)

__all__ = ["bp", "in_language", "localised_errors"]

bp = Blueprint("meetings", __name__)


@bp.errorhandler(PermissionDenied)
def _refused(error: PermissionDenied) -> ResponseReturnValue:
    """A 403 that says why (the service's reason), in the reader's language."""
    return site.error_page(403, in_language(str(error)))


# --- preparing the next meeting: opening a review --------------------------------------------


@bp.get("/groups/<group_id>/reviews/new")
def new_review(group_id: str) -> ResponseReturnValue:
    group = _led_group(group_id)
    return _review_form(group, {"role": {}, "participants": set()}, errors={})


@bp.post("/groups/<group_id>/reviews")
def open_review(group_id: str) -> ResponseReturnValue:
    """Freeze the group's slice for the meeting; the pack opens next."""
    group = _led_group(group_id)
    document, values = _review_document(request.form)
    try:
        loaded = ReviewInSchema().load(document)
        with transaction() as uow:
            review = reviews.open_review(
                uow,
                common.principal(),
                group.id,
                meeting_date=loaded["meeting_date"],
                participants=loaded["participants"],
                title=loaded.get("title"),
            )
    except (ValidationError, InvalidInput) as error:
        return _review_form(group, values, errors=localised_errors(error)), 422
    flash(_("The review is opened. Its pack is below; send it before the meeting."))
    return redirect(url_for("pages.reviews.pack", review_id=review.id), code=303)


def _led_group(group_id: str) -> Group:
    """The group, if the signed-in reader leads it (sign in first; 403 otherwise)."""
    who = signed_in(common.principal())
    group = groups.get_group(unit_of_work(), group_id)
    may_lead_reviews(who, group)
    return group


def _review_document(form: MultiDict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The API's document for opening a review, and the form's values to show again."""
    document: dict[str, Any] = {}
    for name in ("meeting_date", "title"):
        value = form.get(name, "").strip()
        if value:  # a blank field is a missing one: "required", not "not a valid date"
            document[name] = value
    chosen = list(dict.fromkeys(v.strip() for v in form.getlist("participants") if v.strip()))
    document["participants"] = [
        {"organisation": org, "role": form.get(f"role-{org}", "").strip()} for org in chosen
    ]
    roles = {key[5:]: value for key, value in form.items() if key.startswith("role-")}
    return document, {**document, "participants": set(chosen), "role": roles}


def _review_form(group: Group, values: dict[str, Any], *, errors: forms.FormErrors) -> str:
    member_roles = {m.organisation: m.role.value for m in group.members}
    invited = list(dict.fromkeys([*group.coordinators, *member_roles]))
    return render_template(
        "pages/review_new.html",
        group=group,
        values=values,
        errors=errors,
        names={
            "meeting_date": _("Meeting date"),
            "title": _("Title"),
            "participants": _("Participants"),
        },
        invited=[
            {
                "id": org,
                "name": common.organisation_name(org),
                "role": values["role"].get(org) or member_roles.get(org, "administrative"),
            }
            for org in invited
        ],
        roles=[(r.value, _role_name(r.value)) for r in MemberRole],
    )


def _role_name(role: str) -> str:
    names = {
        "political": _("political"),
        "administrative": _("administrative"),
        "professional": _("professional"),
    }
    return names.get(role, role)


# --- recording a decision on a finding of the pack ------------------------------------------


@bp.post("/reviews/<int:review_id>/decisions")
def record_decision(review_id: int) -> ResponseReturnValue:
    """Record what the group recommends about one finding; errors show at that finding."""
    who = signed_in(common.principal())
    try:
        loaded = DecisionInSchema().load(_decision_document(request.form))
        with transaction() as uow:
            decision = decisions.record_decision(
                uow,
                who,
                review_id,
                finding=loaded["finding"],
                kind=DecisionKind(loaded["kind"]),
                counterparts=loaded["counterparts"],
                rationale=loaded["rationale"],
            )
    except (ValidationError, InvalidInput) as error:
        failed = {
            "finding": request.form.get("finding_key", ""),
            "sent": request.form,
            "errors": localised_errors(error),
        }
        return review_pages.render_pack(review_id, failed=failed), 422
    flash(_("The decision is recorded. The owning organisations can now answer it."))
    target = url_for("pages.reviews.pack", review_id=review_id, _anchor=f"decision-{decision.id}")
    return redirect(target, code=303)


def _decision_document(form: MultiDict[str, str]) -> dict[str, Any]:
    """The API's decision document from the form: the finding's hidden fields, the choice."""
    finding: dict[str, Any] = {"kind": form.get("finding_kind", "").strip()}
    projects = [value.strip() for value in form.getlist("finding_projects") if value.strip()]
    if projects:
        finding["projects"] = projects
    if form.get("finding_gap", "").strip():
        finding["gap"] = form["finding_gap"].strip()
    document: dict[str, Any] = {
        "finding": finding,
        "counterparts": [c for c in re.split(r"[,;\s]+", form.get("counterparts", "")) if c],
    }
    for name in ("kind", "rationale"):
        value = form.get(name, "").strip()
        if value:
            document[name] = value
    return document


# --- the owner's answer on its project page ---------------------------------------------------


@bp.post("/decisions/<int:decision_id>/responses")
def respond(decision_id: int) -> ResponseReturnValue:
    """The owning organisation answers a decision: agreed, declined or in dialogue."""
    who = signed_in(common.principal())
    # The same 404 as reading: a decision the reader may not see is not answered either.
    decision = decisions.get_decision(unit_of_work(), who, decision_id)
    organisation = request.form.get("organisation", "").strip() or None
    back = _project_of(decision.project_ids, request.form.get("project", ""))
    document: dict[str, Any] = {"organisation": organisation} if organisation else {}
    for name in ("response", "comment"):
        value = request.form.get(name, "").strip()
        if value:
            document[name] = value
    try:
        # Whether it may answer first: another organisation gets a 403 whatever it sent.
        responding_organisation(who, decision, organisation)
        loaded = ResponseInSchema().load(document)
        with transaction() as uow:
            decisions.respond(
                uow,
                who,
                decision_id,
                response=ResponseKind(loaded["response"]),
                comment=loaded["comment"],
                organisation=loaded.get("organisation"),
            )
    except (ValidationError, InvalidInput) as error:
        failed = {
            "decision": decision_id,
            "organisation": organisation,
            "sent": request.form,
            "errors": localised_errors(error),
        }
        return project_pages.render_detail(back, failed=failed), 422
    flash(_("Your answer is saved. The group sees it in its review."))
    target = url_for("pages.projects.detail", project_id=back, _anchor=f"decision-{decision_id}")
    return redirect(target, code=303)


def _project_of(project_ids: tuple[int, ...], sent: str) -> int:
    """The project page the answer came from, if it is one of the decision's projects."""
    chosen = [p for p in project_ids if str(p) == sent.strip()]
    return chosen[0] if chosen else project_ids[0]


# --- messages in the reader's language -------------------------------------------------------


def localised_errors(error: ValidationError | InvalidInput) -> forms.FormErrors:
    """Messages by form field; the services' "Dansk / English" texts in the reader's half."""
    return {
        field: [in_language(message) for message in messages]
        for field, messages in forms.errors_of(error).items()
    }


_HALVES = re.compile(r"^(?P<da>.+?) / (?P<en>.+)$", re.DOTALL)


def in_language(message: str) -> str:
    """The Danish or English half of a core message written "Dansk / English"."""
    halves = _HALVES.match(message)
    if halves is None:
        return message
    return i18n.bi(halves["da"], halves["en"])
