"""The pages' parent blueprint: CSRF on every post, caching per session, errors as pages.

The security headers, the pages' Content Security Policy among them, are set for every
response in :mod:`api.security`.

The JSON API answers errors with problem+json (``api/errors.py``); a person on a page
gets a page that says what happened, in their language, with a way on.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from api.errors import status_for
from api.pages import csrf
from api.pages.auth import SignInRequired
from api.pages.i18n import gettext as _
from ecosystem.errors import AuthenticationRequired, EcosystemError

__all__ = ["bp"]

bp = Blueprint("pages", __name__)
bp.before_request(csrf.protect)


@bp.after_request
def _private(response: Response) -> Response:
    # Pages differ by who is signed in and the language chosen, both in the cookie.
    response.headers.setdefault("Cache-Control", "private, no-cache")
    response.vary.add("Cookie")
    return response


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("The request could not be used"), _("Go back and try again.")),
        401: (_("Please sign in"), _("This page is for signed-in publishers.")),
        403: (_("Not allowed"), _("Your organisation may not do this.")),
        404: (_("Not found"), _("The page does not exist, or you may not see it.")),
        405: (_("Not allowed"), _("This address does not take that kind of request.")),
        409: (_("Changed in the meantime"), _("Reload the page and try again.")),
        413: (_("Too large"), _("The form sent more than the service accepts.")),
        422: (_("The input could not be used"), _("Correct the input and try again.")),
        500: (_("Something went wrong"), _("The error has been logged. Try again later.")),
    }


def error_page(
    status: int, detail: str | None = None, *, way_on: tuple[str, str] | None = None
) -> ResponseReturnValue:
    """The error as a page; ``way_on``: a link (address, words) nearer than the front page."""
    title, advice = _messages().get(status, (_("Error"), ""))
    return (
        render_template(
            "pages/error.html",
            status=status,
            title=title,
            advice=advice,
            detail=detail,
            way_on=way_on,
        ),
        status,
    )


@bp.errorhandler(csrf.CsrfRefused)
def _csrf_refused(_error: csrf.CsrfRefused) -> ResponseReturnValue:
    return error_page(
        400,
        _(
            "The form had expired or came from another site, so nothing was saved. "
            "Open the page again and resend the form."
        ),
    )


@bp.errorhandler(SignInRequired)
@bp.errorhandler(AuthenticationRequired)
def _sign_in_first(_error: Exception) -> ResponseReturnValue:
    if request.method == "GET":
        return redirect(url_for("pages.auth.sign_in_form", next=request.full_path), code=303)
    return error_page(401)


@bp.errorhandler(EcosystemError)
def _domain_error(error: EcosystemError) -> ResponseReturnValue:
    return error_page(status_for(error))


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> ResponseReturnValue:
    return error_page(error.code or 500)


def not_found_outside_the_pages(error: HTTPException) -> ResponseReturnValue:
    """A URL no route matches: a page for a browser, problem+json for everyone else.

    Registered on the app for 404 and 405 (a code's handler is chosen before the
    ``HTTPException`` handler of :mod:`api.errors`), because such a request belongs to no
    blueprint, so the pages' own handlers never see it.
    """
    from api import errors
    from api.pages import common

    wants = request.accept_mimetypes.best_match(["application/json", "text/html"])
    if request.path.startswith("/api/") or wants != "text/html":
        return errors.http_error(error)
    status = error.code or 404
    title, advice = _messages().get(status, (_("Error"), ""))
    page = render_template(
        "pages/error.html",
        status=status,
        title=title,
        advice=advice,
        detail=None,
        **common.template_helpers(),
    )
    return page, status


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> ResponseReturnValue:
    if current_app.testing:
        raise error  # loud in tests, as in api/errors.py
    current_app.logger.exception("unhandled error on a page")
    return error_page(500)
