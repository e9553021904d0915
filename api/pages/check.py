"""The front door: "Før du starter – tjek overlap". A draft is checked, never stored —
unless a signed-in publisher saves it as an intention (issue 15): then it becomes a
project card of its organisation at stage "idea", published like any other, so
matchmaking (with consent) can tell the owners of similar projects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from api.db import retried_transaction, unit_of_work
from api.pages import common, forms, vocabulary
from api.pages.auth import SignInRequired
from api.pages.highlight import highlight
from api.pages.i18n import gettext as _
from api.presenters.overlaps import check_view
from api.presenters.suggestions import suggestions_view
from api.schemas.overlaps import DraftSchema
from ecosystem.errors import Busy, FieldError, InvalidInput, NotFound, PermissionDenied
from ecosystem.matching import Vector
from ecosystem.model import Principal, Stage, Visibility
from ecosystem.portfolio import ProjectSchema
from ecosystem.services import overlaps, publishing, suggestions

__all__ = ["bp"]

bp = Blueprint("check", __name__)

MATCHES_SHOWN = 10
QUESTION_TOPICS = 2  # "Handler det om KOL og telemedicin?": the top suggestions it names

# What the form offers at first sight; the full taxonomy sits behind "Vis alle temaer og
# målgrupper". The commonest top-level themes and target groups of the published cards
# (the demo's counts agree), plus psychiatry, prevention and the chronically ill, which
# the health councils' near-care plans are about.
FIRST_THEMES = ("T1", "T2", "T3", "T4", "T6", "T9", "T13", "T18")
FIRST_TARGET_GROUPS = (
    "borgere",
    "aeldre",
    "kronisk-syge",
    "kol",
    "kraeftpatienter",
    "voksne-psykisk",
    "boern-unge",
    "sundhedspersonale",
)


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


@bp.post("/intention")
def save_intention() -> ResponseReturnValue:
    """Save the checked draft as an intention: a new card of the publisher's organisation.

    Validated as the check validates the draft (the same errors at the same fields), then
    as a card (a card needs a theme); nothing is written unless both pass.
    """
    who = _publisher()
    owner = who.organisation_id or ""
    draft = forms.draft_from_form(request.form)
    try:
        DraftSchema().load(draft)
        card = ProjectSchema().load(_intention_card(draft, request.form.get("visibility", "")))
        today = dt.datetime.now(dt.UTC).date()
        saved = retried_transaction(
            lambda uow: publishing.put_intention(uow, who, owner, card, day=today)
        )
    except (ValidationError, InvalidInput) as error:
        return _page(draft=draft, errors=_intention_errors(error)), 422
    except Busy:
        message = _(
            "Other changes to your organisation's projects got in the way, so your changes were not saved. Try again in a moment."
        )
        return _page(draft=draft, errors={forms.FORM_LEVEL: [message]}), 409, {"Retry-After": "1"}
    flash(
        _(
            "Saved as an intention. Owners of similar projects who have said yes to matchmaking can be told."
        )
    )
    return redirect(url_for("pages.projects.detail", project_id=saved.detail.project.id), code=303)


def _publisher() -> Principal:
    """The signed-in organisation; a reader signs in first, an admin has none to save for."""
    who = common.principal()
    if not who.is_authenticated:
        raise SignInRequired()
    if not who.organisation_id:
        raise PermissionDenied("Only an organisation can save an intention.")
    return who


def _intention_errors(error: ValidationError | InvalidInput) -> forms.FormErrors:
    """The check's errors by field; the visibility, not a field of the check's form, on top."""
    errors = forms.errors_of(error)
    for message in errors.pop("visibility", []):
        errors.setdefault(forms.FORM_LEVEL, []).append(f"{_('Who may see it')}: {message}")
    return errors


def _intention_card(draft: dict[str, Any], visibility: str) -> dict[str, Any]:
    """The draft as a card at stage "idea"; the id is given when it is saved."""
    card: dict[str, Any] = {
        "external_id": "HENSIGT",  # replaced by the next free HENSIGT-<day>-<n>
        "stage": Stage.IDEA.value,
        # ecosystem by default: other organisations (and matchmaking) see it, the public not yet
        "visibility": visibility.strip() or Visibility.ECOSYSTEM.value,
    }
    for name in ("title", "description", "themes", "target_groups", "areas", "partners"):
        if draft.get(name):
            card[name] = draft[name]
    card.setdefault("themes", [])  # required on a card: "Choose at least one." at the field
    return card


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
    view["suggestions"] = _suggestions(principal, loaded, outcome.draft_vector)
    return view


def _suggestions(
    principal: Principal, loaded: dict[str, Any], vector: Vector | None
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
        vector=vector,  # the check's: the same text, embedded once
    )
    shown: list[dict[str, Any]] = suggestions_view(outcome)["suggestions"]
    for item in shown:
        is_group = item["kind"] == "target_group"
        item["field"] = "target_groups" if is_group else "themes"
        # the page's own name, in the reader's language and without the code the API adds
        name = common.target_group_name if is_group else common.theme_name
        item["name"] = name(item["code"])
    return shown


def _question_topics(suggestions: list[dict[str, Any]]) -> str:
    """ "KOL og telemedicin": the top suggestions' names, joined as a sentence would."""
    labels = [_in_sentence(item["name"]) for item in suggestions[:QUESTION_TOPICS]]
    if len(labels) < 2:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} {_('and')} {labels[-1]}"


def _in_sentence(label: str) -> str:
    """ "Borgere med KOL" → "borgere med KOL"; an acronym ("KOL …") keeps its capitals."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


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
    tags = _tag_choices()
    if result and result["suggestions"]:
        result["question_topics"] = _question_topics(result["suggestions"])
        result["again"] = _form_args(draft)
    hidden_chosen = (chosen["themes"] | chosen["target_groups"]) - {
        choice.value for choice in (*tags["first_themes"], *tags["first_target_groups"])
    }
    return render_template(
        "pages/check.html",
        draft=draft,
        intention=_intention_form(principal, draft) if result else None,
        chosen=chosen,
        errors=errors,
        result=result,
        own_organisation=principal.organisation_id,
        all_tags_open=bool(hidden_chosen),
        **tags,
        areas=common.area_choices(),
        organisations=common.organisation_choices(),
    )


def _intention_form(principal: Principal, draft: dict[str, Any]) -> dict[str, Any] | None:
    """ "Gem som hensigt": only for a signed-in organisation, which the card would belong to."""
    if not principal.is_authenticated or not principal.organisation_id:
        return None
    return {
        "fields": _form_args(draft),
        "organisation": principal.organisation_id,
        "visibilities": [(v.value, vocabulary.VISIBILITY[v.value]) for v in Visibility],
        "chosen": Visibility.ECOSYSTEM.value,
    }


def _tag_choices() -> dict[str, Any]:
    """The first few themes and target groups, and the rest grouped by top-level theme.

    Every code appears once on the form, so a box ticked in one place is never shown
    unticked in another.
    """
    themes = common.theme_choices()
    first = [choice for code in FIRST_THEMES for choice in themes if choice.value == code]
    groups: list[tuple[str, list[common.Choice]]] = []
    for choice in themes:
        if not choice.depth:
            groups.append((choice.label, [] if choice.value in FIRST_THEMES else [choice]))
        else:
            groups[-1][1].append(common.Choice(choice.value, choice.label))
    target_groups = common.target_group_choices()
    first_target_groups = [
        choice for code in FIRST_TARGET_GROUPS for choice in target_groups if choice.value == code
    ]
    return {
        "first_themes": first,
        "theme_groups": [(label, choices) for label, choices in groups if choices],
        "first_target_groups": first_target_groups,
        "other_target_groups": [c for c in target_groups if c.value not in FIRST_TARGET_GROUPS],
    }
