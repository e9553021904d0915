"""Cross-site request forgery protection for the pages' forms.

Every form that posts carries a random token kept in the (signed) session; a post whose
token is missing or different is refused before the view runs, so it writes nothing.
The session cookie is also ``SameSite=Lax``, which keeps it off other sites' posts.
"""

from __future__ import annotations

import hmac
import secrets

from flask import request, session
from werkzeug.exceptions import BadRequest

__all__ = ["FIELD", "CsrfRefused", "protect", "token"]

FIELD = "csrf_token"
_KEY = "csrf"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRefused(BadRequest):
    """A form post without this session's CSRF token."""

    description = "The form's security token is missing or out of date."


def token() -> str:
    """This session's CSRF token (created on first use)."""
    if _KEY not in session:
        session[_KEY] = secrets.token_urlsafe(32)
    return str(session[_KEY])


def protect() -> None:
    """Refuse a state-changing request that does not carry the session's token."""
    if request.method in _SAFE_METHODS:
        return
    sent = request.form.get(FIELD, "")
    expected = session.get(_KEY, "")
    if not expected or not hmac.compare_digest(sent.encode(), str(expected).encode()):
        raise CsrfRefused()


def renew() -> None:
    """A fresh token, e.g. after signing in or out."""
    session[_KEY] = secrets.token_urlsafe(32)
