"""Edit one project card in a few minutes: the same schema and publish as the API.

Only the fields people change often are on the form; every other field of the card is
kept as it is. A save is a publish of this one card (``full=False``), so it becomes a
new revision in the history, and a card changed by someone else since the form was
opened is not overwritten.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from marshmallow import ValidationError

from api.db import retried_transaction, unit_of_work
from api.pages import common, forms, i18n, vocabulary
from api.pages.auth import SignInRequired
from api.pages.i18n import gettext as _
from api.presenters.suggestions import suggestions_view
from ecosystem.errors import Busy, InvalidInput
from ecosystem.model import CareLevel, DevelopmentType, Principal, ProjectRecord, Visibility
from ecosystem.portfolio import ProjectSchema
from ecosystem.services import projects, publishing, suggestions

__all__ = ["bp"]

bp = Blueprint("edit", __name__)


@bp.get("/projects/<int:project_id>/edit")
def form(project_id: int) -> ResponseReturnValue:
    """The card's form; ``?theme=…&target_group=…`` (a suggestion's link) ticks those tags.

    Ticked is not saved: the publisher still saves the form, so nothing is tagged by itself.
    """
    record = _editable(project_id)
    accepted = {name: request.args.getlist(key) for key, name in ACCEPTED.items()}
    card = dict(record.data)
    for name, codes in accepted.items():
        card[name] = list(dict.fromkeys([*(card.get(name) or ()), *codes]))
    try:
        suggested = _suggestions(record, card, accepted)
    except InvalidInput as error:
        return _page(
            record, record.data, errors=forms.errors_of(error), revision=record.revision
        ), 422
    return _page(
        record,
        card,
        errors={},
        revision=record.revision,
        suggested=suggested,
        accepted=any(accepted.values()),
    )


# query argument of a suggestion's link → the card field it ticks
ACCEPTED = {"theme": "themes", "target_group": "target_groups"}


def _suggestions(
    record: ProjectRecord, card: dict[str, Any], accepted: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """ "Handler det om …?" for the card's text, each a link that ticks the tag."""
    outcome = suggestions.suggest_tags(
        unit_of_work(),
        common.principal(),
        card.get("title") or "",
        card.get("description") or "",
        themes=card.get("themes") or (),
        target_groups=card.get("target_groups") or (),
        exclude={record.id},
    )
    shown: list[dict[str, Any]] = suggestions_view(outcome)["suggestions"]
    for item in shown:
        key = "target_group" if item["kind"] == "target_group" else "theme"
        args: dict[str, Any] = {k: list(accepted[name]) for k, name in ACCEPTED.items()}
        args[key].append(item["code"])
        item["href"] = (
            url_for("pages.edit.form", project_id=record.id, **args) + "#suggestions-title"
        )
    return shown


@bp.post("/projects/<int:project_id>/edit")
def save(project_id: int) -> ResponseReturnValue:
    """Validate and publish the changed card; errors are shown next to their fields."""
    record = _editable(project_id)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    card, errors = forms.card_from_form(request.form, record.data, today)
    revision = request.form.get("revision", "")
    if revision != str(record.revision):
        message = _(
            "Someone changed this card after you opened it, so your changes were not saved. Open the card again to see the new version."
        )
        return _page(
            record, card, errors={forms.FORM_LEVEL: [message]}, revision=record.revision
        ), 409
    try:
        data = ProjectSchema().load(card)
    except ValidationError as error:
        errors = {**forms.errors_of(error), **errors}
    if errors:
        return _page(record, card, errors=errors, revision=record.revision), 422
    try:
        who = common.principal()
        saved = retried_transaction(
            lambda uow: publishing.put_project(uow, who, record.organisation_id, data)
        )
    except Busy:
        message = _(
            "Other changes to your organisation's projects got in the way, so your changes were not saved. Try again in a moment."
        )
        return (
            _page(record, card, errors={forms.FORM_LEVEL: [message]}, revision=record.revision),
            409,
            {"Retry-After": "1"},
        )
    except InvalidInput as error:
        return _page(record, card, errors=forms.errors_of(error), revision=record.revision), 422
    flash(_("The card is saved.") if saved.changed else _("Nothing was changed."))
    return redirect(url_for("pages.projects.detail", project_id=project_id), code=303)


def _editable(project_id: int) -> ProjectRecord:
    """The project, if the signed-in organisation may edit it."""
    who: Principal = common.principal()
    if not who.is_authenticated:
        raise SignInRequired()
    return projects.editable_project(unit_of_work(), who, project_id)


def _page(
    record: ProjectRecord,
    card: dict[str, Any],
    *,
    errors: forms.FormErrors,
    revision: int,
    suggested: list[dict[str, Any]] | None = None,
    accepted: bool = False,
) -> str:
    contact = card.get("contact") or {}
    return render_template(
        "pages/project_edit.html",
        record=record,
        card=card,
        contact=contact,
        chosen={name: set(card.get(name, ())) for name in forms.CARD_CODE_FIELDS},
        errors=errors,
        revision=revision,
        suggested=suggested or [],
        accepted=accepted,
        budget_text=_budget_text(card),
        names={**{key: str(value) for key, value in vocabulary.FIELDS.items()}, **_contact_names()},
        themes=common.theme_choices(),
        target_groups=common.target_group_choices(),
        areas=common.area_choices(),
        stages=common.stage_choices(),
        visibilities=[(v.value, vocabulary.VISIBILITY[v.value]) for v in Visibility],
        care_levels=[(c.value, vocabulary.CARE_LEVELS[c.value]) for c in CareLevel],
        development_types=[
            (d.value, vocabulary.DEVELOPMENT_TYPES[d.value]) for d in DevelopmentType
        ],
    )


def _budget_text(card: dict[str, Any]) -> str:
    """The budget as the reader typed it (after an error), or as the locale writes it."""
    if request.method == "POST":
        return request.form.get("budget_dkk", "")
    amount = card.get("budget_dkk")
    if amount is None:
        return ""
    return i18n.number(amount) if float(amount).is_integer() else str(format_decimal(amount))


def _contact_names() -> dict[str, str]:
    return {
        "contact.name": _("Contact: name or role"),
        "contact.email": _("Contact: e-mail"),
        "contact.phone": _("Contact: phone"),
        "contact.url": _("Contact: web page"),
    }
