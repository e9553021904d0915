"""The OpenAPI document: component names, operation ids, and errors documented as sent.

Every error the API sends is an RFC 9457 problem (``application/problem+json``, see
:mod:`api.errors`), so the document says exactly that for the default error response, for
every status flask-smorest adds on its own (422 for bad arguments), for what any request
body can meet (400 for malformed JSON, 413 above ``MAX_CONTENT_LENGTH``) and for the
statuses each route names with :func:`api.schemas.common.problems`, and 429 (with
``Retry-After``) wherever a 401 is named, since failed tokens are rate limited.

Each operation's ``operationId`` is its view's name (``publish_portfolio``); a view that
serves several methods (a ``MethodView``) adds the method (``get_group_item``). A route
may name its own with ``@blp.doc(operationId=...)`` where two views share a name.
"""

from __future__ import annotations

import http
import re
from typing import Any

from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.routing import Rule

from api.errors import CONTENT_TYPE
from api.schemas.common import ProblemSchema

__all__ = ["OperationsPlugin", "ProblemApi", "create_api"]

# What api.errors sends with every 401 (RFC 9110 §11.6.1).
_CHALLENGE = {
    "description": "The scheme to use: Bearer (a token)",
    "schema": {"type": "string", "example": 'Bearer realm="ecosystem"'},
}


# What api.throttle sends with a 429, api.errors with a 409 or 503: whole seconds to wait.
_RETRY_AFTER = {
    "description": "Seconds to wait before trying again",
    "schema": {"type": "integer", "example": 42},
}


_RETRIED = {
    http.HTTPStatus.CONFLICT,
    http.HTTPStatus.TOO_MANY_REQUESTS,
    http.HTTPStatus.SERVICE_UNAVAILABLE,
}


class ProblemApi(Api):  # type: ignore[misc]  # flask-smorest ships no type hints
    """flask-smorest's Api, with error responses documented as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                if status == http.HTTPStatus.UNAUTHORIZED:
                    response["headers"] = {"WWW-Authenticate": _CHALLENGE}
                # 409 says when a clash with concurrent writers may be over, 503 when
                # the database may be back (api.errors).
                if status in _RETRIED:
                    response["headers"] = {"Retry-After": _RETRY_AFTER}
                prepare_response(response, self.spec, CONTENT_TYPE)
            else:
                prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, CONTENT_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)


class OperationsPlugin(BasePlugin):  # type: ignore[misc]  # apispec's plugin base is untyped
    """Operation ids from the view names, and the problems any request body can meet."""

    def operation_helper(
        self,
        path: str | None = None,
        operations: dict[str, dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        rule: Rule | None = kwargs.get("rule")
        if rule is None or not operations:
            return
        view = _snake(rule.endpoint.rpartition(".")[2])
        for method, operation in operations.items():
            operation.setdefault("operationId", f"{method}_{view}" if len(operations) > 1 else view)
            if "requestBody" in operation:
                _document(operation, _body_problems(operation["requestBody"]))
            if "401" in {str(code) for code in operation.get("responses", {})}:
                # A token that fails too often is refused before it is looked up.
                _document(operation, [http.HTTPStatus.TOO_MANY_REQUESTS])


def _body_problems(body: dict[str, Any]) -> list[http.HTTPStatus]:
    """Werkzeug refuses any body above the size limit; webargs refuses JSON it cannot read."""
    found = [http.HTTPStatus.REQUEST_ENTITY_TOO_LARGE]
    if "application/json" in body.get("content", {}):
        found.append(http.HTTPStatus.BAD_REQUEST)
    return found


def _document(operation: dict[str, Any], statuses: list[http.HTTPStatus]) -> None:
    responses = operation.setdefault("responses", {})
    documented = {str(code) for code in responses}
    for status in statuses:
        if str(status.value) not in documented:
            responses[status.value] = status.name  # a reference to the component response


def _snake(name: str) -> str:
    """``GroupCollection`` → ``group_collection``; snake_case names stay as they are."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def create_api(app: Flask) -> ProblemApi:
    return ProblemApi(
        app,
        spec_kwargs={
            "marshmallow_plugin": MarshmallowPlugin(_schema_name),
            "extra_plugins": [OperationsPlugin()],
        },
    )


def _schema_name(schema: Any) -> str:
    """OpenAPI component names; PATCH bodies (partial schemas) get their own name."""
    cls = resolve_schema_cls(schema)
    name = str(getattr(cls, "__name__", "Schema")).removesuffix("Schema")
    return f"{name}Patch" if getattr(schema, "partial", False) else name
