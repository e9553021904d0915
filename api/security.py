"""Security headers on every response, and what serving over HTTPS turns on.

Every response — the JSON API, its OpenAPI document and reference page, the pages,
static files, errors — says ``nosniff``, may not be framed, and carries a Content
Security Policy: the pages load only what this server serves and run nothing inline;
the API reference page may use its own stylesheet and nothing else; everything else
(JSON, XML, CSV, CSS) is no document to render and gets ``default-src 'none'``.

HTTPS is configured by ``PREFER_HTTPS`` (``ECOSYSTEM_PREFER_HTTPS=true``), or implied by
a ``PUBLIC_BASE_URL`` starting with ``https://``. Then the session cookie is ``Secure``,
URLs are built with https and ``Strict-Transport-Security`` is sent
(``HSTS_MAX_AGE`` seconds, a year by default). Behind a proxy that ends TLS this is the
setting to use, since the app itself only ever sees plain HTTP.
"""

from __future__ import annotations

from flask import Flask, Response, request

__all__ = ["API_CSP", "DOCS_CSP", "PAGES_CSP", "https_configured", "init_app"]

# Everything the pages use comes from this server; nothing runs inline.
PAGES_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
# The API reference is one page with one stylesheet and links; no scripts, no forms.
DOCS_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
# JSON and files are never documents to render: if a browser does, it may load nothing.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

_DOCS_ENDPOINT = "api_docs.api_reference"
_YEAR = 365 * 24 * 3600


def https_configured(app: Flask) -> bool:
    """Whether the service is served over HTTPS (set, or implied by its public URL)."""
    preferred = app.config.get("PREFER_HTTPS")
    if preferred is not None:
        return bool(preferred)
    return str(app.config.get("PUBLIC_BASE_URL", "")).lower().startswith("https://")


def init_app(app: Flask) -> None:
    """Add the headers to every response; make cookies and URLs secure under HTTPS."""
    if https_configured(app):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    hsts = (
        f"max-age={int(app.config.get('HSTS_MAX_AGE', _YEAR))}" if https_configured(app) else None
    )

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", _policy_for(response))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if hsts is not None:
            headers.setdefault("Strict-Transport-Security", hsts)
        return response


def _policy_for(response: Response) -> str:
    if request.endpoint == _DOCS_ENDPOINT:
        return DOCS_CSP
    if response.mimetype == "text/html":
        # Pages, and the pages' error pages (which may answer URLs no page matched).
        return PAGES_CSP
    return API_CSP
