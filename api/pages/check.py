"""The front door: "Før du starter – tjek overlap". A draft is checked, never stored."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from api.db import unit_of_work
from api.pages import common, forms
from api.pages.highlight import highlight
from api.presenters.overlaps import check_view
from api.presenters.suggestions import suggestions_view
from api.schemas.overlaps import DraftSchema
from ecosystem.errors import FieldError, InvalidInput, NotFound
from ecosystem.model import Principal
from ecosystem.services import overlaps, suggestions

__all__ = ["bp"]

bp = Blueprint("check", __name__)

MATCHES_SHOWN = 10


@bp.get("/")
def index() -> ResponseReturnValue:
    """The empty form; with a draft in the query (an accepted suggestion's link), its check."""
    if "title" not in request.args:
        return _page(draft={}, errors={})
    return _checked(forms.draft_from_form(request.args))


@bp.post("/")
def run() -> ResponseReturnValue:
    """Check the draft against every published project the reader may see."""
    return _checked(forms.draft_from_form(request.form))


def _checked(draft: dict[str, Any]) -> ResponseReturnValue:
    try:
        result = check(common.principal(), draft)
    except (ValidationError, InvalidInput) as error:
        return _page(draft=draft, errors=forms.errors_of(error)), 422
    return _page(draft=draft, errors={}, result=result)


def check(principal: Principal, draft: dict[str, Any]) -> dict[str, Any]:
    """Validate the draft as the API does, then the matches with highlighted texts."""
    loaded = DraftSchema().load(draft)
    try:
        outcome = overlaps.check_draft(unit_of_work(), principal, loaded, limit=MATCHES_SHOWN)
    except NotFound as error:  # on the form, the organisation is a field like any other
        raise InvalidInput(str(error), [FieldError("organisation", str(error))]) from error
    view = check_view(outcome)
    for match in view["matches"]:
        terms = [item["term"] for item in match["shared_terms"]]
        card = outcome.found.projects[match["project"]["id"]].card
        match["title_marked"] = highlight(card.title, terms)
        match["description_marked"] = highlight(card.description, terms)
        match["partners"] = [partner.to_data() for partner in card.partners]
    view["suggestions"] = _suggestions(principal, draft, loaded)
    return view


def _suggestions(
    principal: Principal, draft: dict[str, Any], loaded: dict[str, Any]
) -> list[dict[str, Any]]:
    """ "Handler det om …?": tags the nearest projects carry, each a link that adds it.

    The link re-runs the check with the tag added (a GET, so no script is needed); the
    tag is the publisher's choice, never set by itself.
    """
    outcome = suggestions.suggest_tags(
        unit_of_work(),
        principal,
        loaded["title"],
        loaded["description"],
        themes=loaded["themes"],
        target_groups=loaded["target_groups"],
    )
    shown: list[dict[str, Any]] = suggestions_view(outcome)["suggestions"]
    for item in shown:
        field = "target_groups" if item["kind"] == "target_group" else "themes"
        args = _form_args(draft)
        args[field] = [*args[field], item["code"]]
        item["href"] = url_for("pages.check.index", **args) + "#results-title"
    return shown


def _form_args(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft as the form's fields, for a link that submits it again."""
    args: dict[str, Any] = {
        name: draft[name] for name in ("title", "description", "organisation") if name in draft
    }
    args["themes"] = list(draft.get("themes", ()))
    args["target_groups"] = list(draft.get("target_groups", ()))
    args["areas"] = list(draft.get("areas", ()))
    args["partners"] = [p["organisation"] for p in draft.get("partners", ())]
    return args


def _page(
    *, draft: dict[str, Any], errors: forms.FormErrors, result: dict[str, Any] | None = None
) -> str:
    principal = common.principal()
    chosen = {
        "themes": set(draft.get("themes", ())),
        "target_groups": set(draft.get("target_groups", ())),
        "areas": set(draft.get("areas", ())),
        "partners": {p["organisation"] for p in draft.get("partners", ())},
    }
    return render_template(
        "pages/check.html",
        draft=draft,
        chosen=chosen,
        errors=errors,
        result=result,
        own_organisation=principal.organisation_id,
        themes=common.theme_choices(),
        target_groups=common.target_group_choices(),
        areas=common.area_choices(),
        organisations=common.organisation_choices(),
    )
