"""The one place where exceptions become HTTP responses: RFC 9457 problem+json."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, json, request
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from ecosystem.errors import (
    AuthenticationRequired,
    Busy,
    Conflict,
    DatabaseUnavailable,
    EcosystemError,
    FieldError,
    InputTooLarge,
    InvalidInput,
    NotFound,
    PermissionDenied,
    UnsupportedInput,
    flatten_messages,
)
from ecosystem.services.unit_of_work import is_contention

__all__ = ["PROBLEM_TYPE", "flatten_messages", "init_app", "problem", "status_for"]

PROBLEM_TYPE = "/api/v1/docs#problems"
CONTENT_TYPE = "application/problem+json"

# Danish first, English after the slash: the people reading these are Danish staff.
TITLES = {
    400: "Ugyldig forespørgsel / Bad request",
    401: "Login kræves / Authentication required",
    403: "Ingen adgang / Forbidden",
    404: "Findes ikke / Not found",
    405: "Metoden er ikke tilladt / Method not allowed",
    409: "Konflikt / Conflict",
    413: "Forespørgslen er for stor / Content too large",
    415: "Ikke-understøttet format / Unsupported media type",
    422: "Ugyldige data / Invalid data",
    429: "For mange forsøg / Too many requests",
    500: "Intern fejl / Internal server error",
    503: "Tjenesten er utilgængelig / Service unavailable",
}

_DOMAIN_STATUS: list[tuple[type[EcosystemError], int]] = [
    (AuthenticationRequired, 401),
    (NotFound, 404),
    (PermissionDenied, 403),
    (Conflict, 409),
    (InputTooLarge, 413),
    (UnsupportedInput, 415),
    (InvalidInput, 422),
    (DatabaseUnavailable, 503),
]

# Seconds a client should wait after a 409 for a clash with concurrent writers, and
# after a 503 while the database is away (a restart takes a few seconds).
RETRY_AFTER_BUSY = 1
RETRY_AFTER_UNAVAILABLE = 5


def problem(
    status: int,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE if errors else "about:blank",
        "title": TITLES.get(status, "Fejl / Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    response = Response(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def http_error(error: HTTPException) -> Response:
    data = getattr(error, "data", None) or {}
    code = error.code or 500
    if data.get("messages"):
        errors = flatten_messages(_without_locations(data["messages"]))
        detail = (
            f"{len(errors)} problem(s) in the input; nothing was written."
            if code == 422
            else "; ".join(e.message for e in errors)
        )
        return problem(code, detail, errors)
    headers = dict(error.get_response().headers)
    headers.pop("Content-Type", None)
    headers.pop("Content-Length", None)
    return problem(
        code, _too_large_detail() if code == 413 else error.description or "", headers=headers
    )


def _too_large_detail() -> str:
    """Werkzeug's 413 does not say the limit; the client needs it to split its request."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is None:
        return "The request body is too large."
    danish = f"{limit:,}".replace(",", ".")
    return (
        f"Forespørgslens indhold er større end {danish} bytes / "
        f"The request body is larger than {limit:,} bytes"
    )


def _without_locations(messages: Any) -> Any:
    """webargs files errors under the request location; users know the body's own paths."""
    if not (isinstance(messages, dict) and set(messages) <= {"json", "query", "form", "files"}):
        return messages
    merged: dict[str, Any] = {}
    for value in messages.values():
        if isinstance(value, dict):
            merged.update(value)
        else:
            merged.setdefault("_schema", []).extend(value)
    return merged


# A 401 names the scheme to use (RFC 9110 §11.6.1).
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="ecosystem"'}


def status_for(error: EcosystemError) -> int:
    """The HTTP status of a domain error (pages use it too)."""
    return next((code for kind, code in _DOMAIN_STATUS if isinstance(error, kind)), 400)


def _domain_error(error: EcosystemError) -> Response:
    status = status_for(error)
    errors = error.errors if isinstance(error, InvalidInput) else None
    return problem(status, str(error), errors, retry_headers(error) or None)


def retry_headers(error: EcosystemError) -> dict[str, str]:
    """The headers that tell a client when (or how) to try again (pages use it too)."""
    if isinstance(error, AuthenticationRequired):
        return dict(_CHALLENGE)
    if isinstance(error, Busy):
        return {"Retry-After": str(error.retry_after)}
    if isinstance(error, DatabaseUnavailable):
        return {"Retry-After": str(RETRY_AFTER_UNAVAILABLE)}
    return {}


def _validation_error(error: ValidationError) -> Response:
    errors = flatten_messages(error.messages)
    return problem(422, f"{len(errors)} problem(s) in the input; nothing was written.", errors)


def _database_error(error: DBAPIError) -> Response:
    """A clash with concurrent writers is a 409 to retry; anything else, the database is away.

    Writes that may clash run through ``UnitOfWork.run``, which retries and then raises
    :class:`Busy`; this catches a clash anywhere else, so that it is never a 500.
    """
    if is_contention(error):
        current_app.logger.warning("concurrent writes clashed: %s", error)
        return _domain_error(Busy())
    if not isinstance(error, OperationalError | InterfaceError):
        return _unexpected(error)  # a bug in a statement, not the database being away
    current_app.logger.error("database unavailable: %s", error)
    if current_app.testing:
        raise error
    return _domain_error(
        DatabaseUnavailable(
            "Databasen kan ikke nås lige nu; prøv igen om lidt. / "
            "The database is not reachable just now; try again shortly."
        )
    )


def _unexpected(error: Exception) -> Response:
    if current_app.testing:
        # Make failures loud in tests instead of hiding them behind a 500 body.
        raise error
    current_app.logger.exception("unhandled error")
    return problem(500, "Something went wrong on our side; it has been logged.")


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(EcosystemError, _domain_error)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(Exception, _unexpected)
