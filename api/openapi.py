"""The OpenAPI document: component names, and errors documented as they are sent.

Every error the API sends is an RFC 9457 problem (``application/problem+json``, see
:mod:`api.errors`), so the document says exactly that for the default error response and
for every status flask-smorest adds on its own (422 for bad arguments).
"""

from __future__ import annotations

import http
from typing import Any

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from api.errors import CONTENT_TYPE
from api.schemas.common import ProblemSchema

__all__ = ["ProblemApi", "create_api"]


class ProblemApi(Api):  # type: ignore[misc]  # flask-smorest ships no type hints
    """flask-smorest's Api, with error responses documented as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, CONTENT_TYPE)
            else:
                prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, CONTENT_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)


def create_api(app: Flask) -> ProblemApi:
    return ProblemApi(app, spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(_schema_name)})


def _schema_name(schema: Any) -> str:
    """OpenAPI component names; PATCH bodies (partial schemas) get their own name."""
    cls = resolve_schema_cls(schema)
    name = str(getattr(cls, "__name__", "Schema")).removesuffix("Schema")
    return f"{name}Patch" if getattr(schema, "partial", False) else name
