"""Recording and withdrawing "fravalg" on the organisation's and the group's pages.

The forms post to the same service as the API (:mod:`ecosystem.services.deliberately_not`)
after validating with the API's own schema. Whether the reader may write is asked first,
so another organisation or a non-coordinator gets a 403 page saying why whatever it sent;
bad input shows the page again with Danish messages by field, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from api.db import transaction, unit_of_work
from api.pages import common, site
from api.pages import groups as group_pages
from api.pages import organisations as organisation_pages
from api.pages.i18n import gettext as _
from api.pages.meetings import in_language, localised_errors
from ecosystem.deliberately_not import SCOPE_FIELDS, OptOutSchema
from ecosystem.errors import InvalidInput, PermissionDenied
from ecosystem.services import deliberately_not as register
from ecosystem.services.permissions import signed_in

__all__ = ["bp"]

bp = Blueprint("deliberately_not", __name__)

KINDS = {"organisations": "organisation", "groups": "group"}
OWNER = "/<any(organisations, groups):owners>/<owner_id>/fravalg"


@bp.errorhandler(PermissionDenied)
def _refused(error: PermissionDenied) -> ResponseReturnValue:
    return site.error_page(403, in_language(str(error)))


@bp.post(OWNER)
def add(owners: str, owner_id: str) -> ResponseReturnValue:
    """Record an entry; the page again with the errors by field when it is refused."""
    kind = KINDS[owners]
    who = register.require_decider(unit_of_work(), signed_in(common.principal()), kind, owner_id)
    try:
        loaded = OptOutSchema().load(_document(request.form))
        loaded.pop("revision", None)
        with transaction() as uow:
            register.add_entry(uow, who, kind, owner_id, loaded)
    except (ValidationError, InvalidInput) as error:
        failed = {"sent": request.form.to_dict(), "errors": localised_errors(error)}
        return _page(kind, owner_id, failed), 422
    flash(_("The choice is recorded. Gaps it covers are now shown as opted out."))
    return redirect(_back(kind, owner_id), code=303)


@bp.post(OWNER + "/<int:entry_id>/withdraw")
def withdraw(owners: str, owner_id: str, entry_id: int) -> ResponseReturnValue:
    """Withdraw an entry: it stops counting, and stays among the earlier choices."""
    kind = KINDS[owners]
    who = register.require_decider(unit_of_work(), signed_in(common.principal()), kind, owner_id)
    with transaction() as uow:
        register.withdraw_entry(uow, who, kind, owner_id, entry_id)
    flash(_("The choice is withdrawn. It is kept among the earlier choices."))
    return redirect(_back(kind, owner_id), code=303)


def _document(form: MultiDict[str, str]) -> dict[str, Any]:
    """The API's document from the form: a blank field is a missing one."""
    document: dict[str, Any] = {
        name: [v.strip() for v in form.getlist(name) if v.strip()] for name in SCOPE_FIELDS
    }
    for name in ("reason", "decided_by", "decided_on", "until"):
        value = form.get(name, "").strip()
        if value:
            document[name] = value
    return document


def _page(kind: str, owner_id: str, failed: dict[str, Any]) -> str:
    if kind == "group":
        return group_pages.render_overview(owner_id, fravalg=failed)
    return organisation_pages.render_detail(owner_id, fravalg=failed)


def _back(kind: str, owner_id: str) -> str:
    if kind == "group":
        return url_for("pages.groups.overview", group_id=owner_id, _anchor="fravalg")
    return url_for("pages.organisations.detail", organisation_id=owner_id, _anchor="fravalg")
