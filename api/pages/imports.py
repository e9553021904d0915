"""Import a spreadsheet or IATI file from a page: upload → preview table → publish.

The page is a thin form over the same core the API uses (``ecosystem.store.imports``):
the file is parsed and stored as a preview with an id, shown as a table with every
problem, and publishing applies exactly that preview or refuses if the data changed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from api.auth import actor_name
from api.db import legacy_transaction
from api.pages import common
from api.pages.auth import SignInRequired
from api.pages.i18n import gettext as _
from ecosystem import spreadsheet
from ecosystem.errors import Conflict, InvalidInput, PermissionDenied, StaleData
from ecosystem.model import Principal
from ecosystem.spreadsheet import FileRejected
from ecosystem.store import imports

__all__ = ["bp"]

bp = Blueprint("imports", __name__)

# Status for a file that cannot be read at all, as in the API (FileRejected.reason).
_REJECTED_STATUS = {"too_large": 413, "unsupported": 415}
# The API's largest page of rows: a preview page shows them all at once.
_ROWS_SHOWN = 1000


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
    max_bytes = current_app.config.get("IMPORT_MAX_BYTES", spreadsheet.MAX_FILE_BYTES)
    content = upload.stream.read(max_bytes + 1)
    try:
        with legacy_transaction() as db:
            parsed = imports.parse_upload(
                db,
                content,
                organisation_id=organisation_id,
                filename=upload.filename,
                max_bytes=max_bytes,
                max_rows=current_app.config.get("IMPORT_MAX_ROWS", spreadsheet.MAX_ROWS),
            )
            preview = imports.create_preview(
                db,
                organisation_id,
                parsed,
                full=full,
                actor=actor_name(who),
                filename=upload.filename,
                ttl=current_app.config.get("IMPORT_PREVIEW_TTL", imports.DEFAULT_PREVIEW_TTL),
            )
            view = imports.preview_view(db, organisation_id, preview, per_page=_ROWS_SHOWN)
    except FileRejected as rejected:
        status = _REJECTED_STATUS.get(rejected.reason, 422)
        return _form_page(errors=[error.message for error in rejected.errors], full=full), status
    return _preview_page(view)


@bp.post("/import/<string:preview_id>/publish")
def publish(preview_id: str) -> ResponseReturnValue:
    """Apply the preview; a stale or already used preview asks for a new upload."""
    who = _publisher()
    organisation_id = str(who.organisation_id)
    try:
        with legacy_transaction() as db:
            result = imports.publish_preview(db, organisation_id, preview_id, actor=actor_name(who))
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
