"""Matchmaking on the pages: the signed-in organisation's inbox of matches, its answers,
and its consent (on its own organisation page).

The forms post to the same services as the API after validating with the API's schemas
(:mod:`api.schemas.matches`), so a page can do exactly what the organisation's token can.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from api.db import transaction, unit_of_work
from api.pages import common, i18n
from api.pages.i18n import gettext as _
from api.pages.meetings import in_language, localised_errors
from api.presenters.matches import match_view
from api.schemas.matches import AnswerInSchema, MatchmakingConsentInSchema
from ecosystem.errors import InvalidInput, PermissionDenied
from ecosystem.labels import MATCH_ANSWERS, NOT_RELEVANT_BECAUSE
from ecosystem.matchmaking import Answer, NotRelevantBecause
from ecosystem.model import ProjectRecord
from ecosystem.services import matches, projects
from ecosystem.services.matches import Consent
from ecosystem.services.permissions import signed_in

__all__ = ["INBOX_PATH", "bp", "consent_section"]

INBOX_PATH = "/matches"

bp = Blueprint("matches", __name__)


@bp.errorhandler(PermissionDenied)
def _refused(error: PermissionDenied) -> ResponseReturnValue:
    from api.pages import site

    return site.error_page(403, in_language(str(error)))


@bp.get(INBOX_PATH)
def inbox() -> ResponseReturnValue:
    """The signed-in organisation's matches with other organisations' projects."""
    return _render_inbox(failed={})


def _render_inbox(*, failed: dict[str, Any]) -> str:
    who = signed_in(common.principal())
    uow = unit_of_work()
    organisation = request.values.get("organisation") if who.is_admin else None
    found = matches.inbox(uow, who, organisation)
    reference = uow.reference.reference
    chosen = organisation or who.organisation_id or ""
    return render_template(
        "pages/matches.html",
        matches=[match_view(view, reference) for view in found],
        organisation=chosen,
        consent=matches.consent(uow, who, chosen),
        answer_kinds=[(a.value, i18n.label(MATCH_ANSWERS[a.value])) for a in Answer],
        reason_kinds=[
            common.Choice(b.value, i18n.label(NOT_RELEVANT_BECAUSE[b.value]))
            for b in NotRelevantBecause
        ],
        failed=failed,
    )


@bp.post("/matches/<int:match_id>/answer")
def answer(match_id: int) -> ResponseReturnValue:
    """One side answers its match; errors show at that match, nothing is written."""
    who = signed_in(common.principal())
    organisation = request.form.get("organisation", "").strip() or None
    # Whether it may answer first: the same 404 as the API for a match not in its inbox.
    matches.get_match(unit_of_work(), who, match_id, organisation)
    document: dict[str, Any] = {"organisation": organisation} if organisation else {}
    for name in ("answer", "reason", "because"):
        value = request.form.get(name, "").strip()
        if value:
            document[name] = value
    try:
        loaded = AnswerInSchema().load(document)
        with transaction() as uow:
            matches.answer(
                uow,
                who,
                match_id,
                said=Answer(loaded["answer"]),
                reason=loaded["reason"],
                because=NotRelevantBecause(loaded["because"]) if loaded.get("because") else None,
                organisation=loaded.get("organisation"),
            )
    except (ValidationError, InvalidInput) as error:
        failed = {"match": match_id, "sent": request.form, "errors": localised_errors(error)}
        return _render_inbox(failed=failed), 422
    flash(_("Your answer is saved. The other organisation sees it in its inbox."))
    return redirect(url_for("pages.matches.inbox", _anchor=f"match-{match_id}"), code=303)


# --- consent, on the organisation's own page -------------------------------------------------


def consent_section(organisation_id: str, records: list[ProjectRecord]) -> dict[str, Any] | None:
    """What the organisation page's consent form needs; None unless the reader owns it."""
    who = common.principal()
    if not who.is_authenticated or not who.can_write_for(organisation_id):
        return None
    found = matches.consent(unit_of_work(), who, organisation_id)
    return _consent_form(found, records, errors={})


def _consent_form(
    found: Consent | dict[str, Any], records: list[ProjectRecord], *, errors: dict[str, list[str]]
) -> dict[str, Any]:
    if isinstance(found, Consent):
        values = {"opted_in": found.opted_in, "excluded_projects": set(found.excluded_projects)}
    else:
        values = found
    return {
        "values": values,
        "errors": errors,
        "projects": [
            common.Choice(r.external_id, r.card.title) for r in records if not r.withdrawn
        ],
    }


@bp.get("/organisations/<organisation_id>/matchmaking")
def consent_form(organisation_id: str) -> ResponseReturnValue:
    who = signed_in(common.principal())
    found = matches.consent(unit_of_work(), who, organisation_id)
    return _render_consent(organisation_id, _consent_form(found, _own(organisation_id), errors={}))


@bp.post("/organisations/<organisation_id>/matchmaking")
def save_consent(organisation_id: str) -> ResponseReturnValue:
    """Opt in or out and keep projects out; a refused form is shown again, nothing saved."""
    who = signed_in(common.principal())
    matches.consent(unit_of_work(), who, organisation_id)  # 403 for anyone else, first
    document = _consent_document(request.form)
    try:
        loaded = MatchmakingConsentInSchema().load(document)
        with transaction() as uow:
            matches.set_consent(
                uow,
                who,
                organisation_id,
                opted_in=loaded["opted_in"],
                excluded_projects=loaded["excluded_projects"],
            )
    except (ValidationError, InvalidInput) as error:
        values = {
            "opted_in": document.get("opted_in") is True,
            "excluded_projects": set(document["excluded_projects"]),
        }
        form = _consent_form(values, _own(organisation_id), errors=localised_errors(error))
        return _render_consent(organisation_id, form), 422
    flash(
        _("Matchmaking is on for your organisation.")
        if loaded["opted_in"]
        else _("Matchmaking is off for your organisation.")
    )
    target = url_for(
        "pages.organisations.detail", organisation_id=organisation_id, _anchor="matchmaking"
    )
    return redirect(target, code=303)


def _consent_document(form: MultiDict[str, str]) -> dict[str, Any]:
    """The API's consent document: a ticked box is true, none false, anything else as sent."""
    sent = form.get("opted_in")
    opted_in: Any = False if sent is None else (True if sent == "yes" else sent)
    chosen = list(dict.fromkeys(v.strip() for v in form.getlist("excluded_projects") if v.strip()))
    return {"opted_in": opted_in, "excluded_projects": chosen}


def _own(organisation_id: str) -> list[ProjectRecord]:
    return projects.portfolio(unit_of_work(), common.principal(), organisation_id)


def _render_consent(organisation_id: str, form: dict[str, Any]) -> str:
    return render_template(
        "pages/matchmaking.html",
        organisation_id=organisation_id,
        organisation_label=common.organisation_name(organisation_id),
        consent=form,
    )
