"""Sign-in for publishers with their organisation's token, kept in a session cookie.

The token is checked once, at sign-in, against its stored hash. The session then holds
only who signed in and when (never the token itself), signed with the app's secret key,
and it ends after ``PERMANENT_SESSION_LIFETIME`` or at sign-out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import Unauthorized

from api.db import unit_of_work
from api.pages import csrf
from api.pages.i18n import gettext as _
from api.pages.i18n import local_path
from ecosystem.model import Principal
from ecosystem.services.tokens import principal_for

__all__ = ["SignInRequired", "bp", "page_principal"]

bp = Blueprint("auth", __name__)

_KEY = "principal"


class SignInRequired(Unauthorized):
    """The page is for signed-in publishers; a reader is sent to sign in first."""


def page_principal() -> Principal:
    """Who is signed in on the pages; anonymous when nobody is or the session is too old."""
    stored: dict[str, Any] | None = session.get(_KEY)
    if not stored:
        return Principal()
    signed_in = dt.datetime.fromisoformat(stored["since"])
    if dt.datetime.now(dt.UTC) - signed_in > current_app.permanent_session_lifetime:
        session.pop(_KEY, None)
        return Principal()
    return Principal(organisation_id=stored.get("organisation"), is_admin=bool(stored.get("admin")))


@bp.get("/sign-in")
def sign_in_form() -> ResponseReturnValue:
    return render_template("pages/sign_in.html", next=local_path(request.args.get("next"), ""))


@bp.post("/sign-in")
def sign_in() -> ResponseReturnValue:
    token = request.form.get("token", "").strip()
    target = local_path(request.form.get("next"), "")
    principal = principal_for(unit_of_work(), token) if token else None
    if principal is None:
        error = (
            _("Enter your organisation's token.")
            if not token
            else _("The token is unknown or has been revoked.")
        )
        return render_template("pages/sign_in.html", next=target, error=error), 401
    language = session.get("lang")
    session.clear()  # nothing from before the sign-in carries over
    if language:
        session["lang"] = language
    session.permanent = True
    session[_KEY] = {
        "organisation": principal.organisation_id,
        "admin": principal.is_admin,
        "since": dt.datetime.now(dt.UTC).isoformat(),
    }
    csrf.renew()
    flash(_("You are signed in."))
    if not target and principal.organisation_id:
        target = url_for("pages.organisations.detail", organisation_id=principal.organisation_id)
    return redirect(target or url_for("pages.check.index"), code=303)


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    session.pop(_KEY, None)
    csrf.renew()
    flash(_("You are signed out."))
    return redirect(url_for("pages.check.index"), code=303)
