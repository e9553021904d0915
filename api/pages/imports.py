"""Import a spreadsheet or IATI file from a page: upload → preview table → publish.

The page is a thin form over the same service the API uses (``ecosystem.services.imports``):
the file is read and stored as a preview with an id, shown as a table with every
problem, and publishing applies exactly that preview or refuses if the data changed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from api.db import retried_transaction, transaction, unit_of_work
from api.errors import status_for
from api.limits import import_limits
from api.pages import common
from api.pages.auth import SignInRequired
from api.pages.i18n import gettext as _
from api.presenters.imports import preview_view
from api.presenters.suggestions import suggestions_view
from ecosystem.errors import Busy, Conflict, InvalidInput, PermissionDenied, StaleData
from ecosystem.model import Principal
from ecosystem.services import imports, suggestions
from ecosystem.spreadsheet import FileRejected

__all__ = ["bp"]

bp = Blueprint("imports", __name__)

# The API's largest page of rows: a preview page shows them all at once.
_ROWS_SHOWN = 1000
# Rows given tag suggestions: each is an index query, and a long file is seldom read row by
# row on the page; the rest are suggested when edited one card at a time.
_ROWS_SUGGESTED = 50
_SUGGESTED_ACTIONS = {"created", "updated", "unchanged"}


@bp.get("/import")
def form() -> ResponseReturnValue:
    _publisher()
    return _form_page(errors=[], full=False)


@bp.post("/import")
def upload() -> ResponseReturnValue:
    """Read the file into a stored preview and show it; nothing is published yet."""
    who = _publisher()
    organisation_id = str(who.organisation_id)
    full = request.form.get("full") == "on"
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _form_page(errors=[_("Choose a file to upload.")], full=full), 422
    limits = import_limits()
    content = upload.stream.read(limits.max_bytes + 1)
    try:
        with transaction() as uow:
            preview = imports.upload(
                uow,
                who,
                organisation_id,
                content,
                filename=upload.filename,
                full=full,
                limits=limits,
            )
    except FileRejected as rejected:
        errors = [error.message for error in rejected.errors]
        return _form_page(errors=errors, full=full), status_for(rejected)
    view = preview_view(preview, per_page=_ROWS_SHOWN)
    _suggest_rows(who, view["rows"][:_ROWS_SUGGESTED])
    return _preview_page(view)


def _suggest_rows(who: Principal, rows: list[dict[str, Any]]) -> None:
    """ "Handler det om …?" per valid row: shown, never added to the file's cards."""
    uow = unit_of_work()
    for row in rows:
        card = row.get("project") or {}
        if row.get("action") not in _SUGGESTED_ACTIONS or not card.get("title"):
            continue
        try:
            outcome = suggestions.suggest_tags(
                uow,
                who,
                str(card["title"]),
                str(card.get("description") or ""),
                themes=card.get("themes") or (),
                target_groups=card.get("target_groups") or (),
                embed=False,  # 50 rows embedded would hold the page for seconds
            )
        except InvalidInput:  # the row's own problems are already listed
            continue
        row["suggestions"] = suggestions_view(outcome)["suggestions"][:3]


@bp.post("/import/<string:preview_id>/publish")
def publish(preview_id: str) -> ResponseReturnValue:
    """Apply the preview; a stale or already used preview asks for a new upload."""
    who = _publisher()
    organisation_id = str(who.organisation_id)
    try:
        result = retried_transaction(
            lambda uow: imports.publish_preview(uow, who, organisation_id, preview_id)
        )
    except Busy:
        message = _(
            "Other changes to your organisation's projects got in the way, so nothing was published. Try again in a moment."
        )
        return _form_page(errors=[message], full=False), 409, {"Retry-After": "1"}
    except StaleData:
        message = _(
            "Your organisation's projects changed after this preview was made, so nothing was published. Upload the file again to see a new preview."
        )
        return _form_page(errors=[message], full=False), 409
    except Conflict:
        message = _(
            "This preview has already been published. Upload the file again to import it anew."
        )
        return _form_page(errors=[message], full=False), 409
    except InvalidInput:
        message = _(
            "The preview has errors, so it cannot be published. Correct the file and upload it again."
        )
        return _form_page(errors=[message], full=False), 422
    flash(
        _(
            "The import is published: %(created)s created, %(updated)s updated, %(withdrawn)s withdrawn.",
            created=len(result.created),
            updated=len(result.updated),
            withdrawn=len(result.withdrawn),
        )
    )
    return redirect(
        url_for("pages.organisations.detail", organisation_id=organisation_id), code=303
    )


def _publisher() -> Principal:
    """The signed-in organisation; imports are made on behalf of one organisation."""
    who: Principal = common.principal()
    if not who.is_authenticated:
        raise SignInRequired()
    if not who.organisation_id:
        raise PermissionDenied("Imports are made by an organisation's publisher.")
    return who


def _form_page(*, errors: list[str], full: bool) -> str:
    return render_template("pages/import.html", errors=errors, full=full)


def _preview_page(view: dict[str, Any]) -> str:
    return render_template(
        "pages/import_preview.html",
        preview=view,
        actions=_action_names(),
    )


def _action_names() -> dict[str, str]:
    return {
        "created": _("will be created"),
        "updated": _("will be updated"),
        "unchanged": _("unchanged"),
        "withdrawn": _("will be withdrawn"),
        "invalid": _("has errors"),
    }
