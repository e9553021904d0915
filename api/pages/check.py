"""The front door: "Før du starter – tjek overlap". A draft is checked, never stored."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from api.db import session
from api.overlap_engine import engine, visible_to
from api.overlap_views import check_view
from api.pages import common, forms
from api.pages.highlight import highlight
from api.schemas.overlaps import DraftSchema
from ecosystem.errors import FieldError, InvalidInput, NotFound
from ecosystem.model import Principal
from ecosystem.overlap import facts_from_draft
from ecosystem.store import projects, reference
from ecosystem.store.lookup import records_by_id

__all__ = ["bp"]

bp = Blueprint("check", __name__)

MATCHES_SHOWN = 10


@bp.get("/")
def index() -> ResponseReturnValue:
    return _page(draft={}, errors={})


@bp.post("/")
def run() -> ResponseReturnValue:
    """Check the draft against every published project the reader may see."""
    draft = forms.draft_from_form(request.form)
    try:
        result = check(session(), common.principal(), draft)
    except (ValidationError, InvalidInput) as error:
        return _page(draft=draft, errors=forms.errors_of(error)), 422
    return _page(draft=draft, errors={}, result=result)


def check(db: Session, principal: Principal, draft: dict[str, Any]) -> dict[str, Any]:
    """Validate the draft as the API does, then the matches with highlighted texts."""
    loaded = DraftSchema().load(draft)
    organisation = loaded.pop("organisation", None) or principal.organisation_id
    if organisation is not None:
        try:
            reference.get(db, "organisation", organisation)
        except NotFound as error:
            raise InvalidInput(str(error), [FieldError("organisation", str(error))]) from error
    projects.check_references(db, [loaded], lambda _index: "")
    current = engine(db)
    facts = facts_from_draft(loaded, organisation, current.gazetteer)
    found = current.check(facts, limit=MATCHES_SHOWN, visible=visible_to(principal))
    view = check_view(db, current, found)
    texts = records_by_id(db, [match["project"]["id"] for match in view["matches"]])
    for match in view["matches"]:
        terms = [item["term"] for item in match["shared_terms"]]
        record = texts[match["project"]["id"]]
        match["title_marked"] = highlight(record.data["title"], terms)
        match["description_marked"] = highlight(record.data["description"], terms)
        match["partners"] = record.data.get("partners", [])
    return view


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
