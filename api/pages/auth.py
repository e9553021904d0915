"""Sign-in for publishers with their organisation's token, kept in a session cookie.

The token is checked at sign-in against its stored hash. The signed cookie then holds
only the secret of a page session kept on the server (never the token itself), and every
request looks that session and its token up again: the session ends when the token is
revoked or expires, after ``PERMANENT_SESSION_LIFETIME``, or at sign-out, which deletes it
on the server so that a copied cookie is worth nothing afterwards.
"""

from __future__ import annotations

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

from api import throttle
from api.auth import record_use
from api.db import transaction, unit_of_work
from api.pages import csrf
from api.pages.i18n import gettext as _
from api.pages.i18n import local_path
from ecosystem.errors import AuthenticationRequired
from ecosystem.model import Principal
from ecosystem.services import tokens

__all__ = ["SignInRequired", "bp", "page_principal"]

bp = Blueprint("auth", __name__)

_KEY = "principal"


class SignInRequired(Unauthorized):
    """The page is for signed-in publishers; a reader is sent to sign in first."""


def page_principal() -> Principal:
    """Who is signed in on the pages: the session's token, checked again on every request."""
    stored = session.get(_KEY)
    if not isinstance(stored, str):
        session.pop(_KEY, None)  # also a cookie from before sessions were kept on the server
        return Principal()
    found = tokens.page_session(unit_of_work(), stored, current_app.permanent_session_lifetime)
    if found is None:
        session.pop(_KEY, None)
        return Principal()
    record_use(found)
    return found.principal


@bp.get("/sign-in")
def sign_in_form() -> ResponseReturnValue:
    return render_template("pages/sign_in.html", next=local_path(request.args.get("next"), ""))


@bp.post("/sign-in")
def sign_in() -> ResponseReturnValue:
    token = request.form.get("token", "").strip()
    target = local_path(request.form.get("next"), "")
    if not token:
        return _refused(target, _("Enter your organisation's token."))
    try:
        throttle.check("sign-in", token)
    except throttle.TooManyAttempts as error:
        return _too_many(target, error)
    try:
        with transaction() as uow:
            found, secret = tokens.open_page_session(
                uow, token, current_app.permanent_session_lifetime
            )
    except AuthenticationRequired as refused:
        throttle.failed("sign-in", token)
        expired = str(refused) == tokens.EXPIRED
        return _refused(
            target,
            _("The token has expired.")
            if expired
            else _("The token is unknown or has been revoked."),
        )
    principal = found.principal
    language = session.get("lang")
    session.clear()  # nothing from before the sign-in carries over
    if language:
        session["lang"] = language
    session.permanent = True
    session[_KEY] = secret
    csrf.renew()
    flash(_("You are signed in."))
    if not target and principal.organisation_id:
        target = url_for("pages.organisations.detail", organisation_id=principal.organisation_id)
    return redirect(target or url_for("pages.check.index"), code=303)


def _refused(target: str, error: str) -> ResponseReturnValue:
    return render_template("pages/sign_in.html", next=target, error=error), 401


def _too_many(target: str, error: throttle.TooManyAttempts) -> ResponseReturnValue:
    message = _("Too many failed attempts. Wait a minute and try again.")
    page = render_template("pages/sign_in.html", next=target, error=message)
    return page, 429, {"Retry-After": str(error.retry_after)}


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    stored = session.pop(_KEY, None)
    if isinstance(stored, str):
        with transaction() as uow:
            tokens.end_page_session(uow, stored)
    csrf.renew()
    flash(_("You are signed out."))
    return redirect(url_for("pages.check.index"), code=303)
