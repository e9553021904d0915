"""Shapes shared by every resource: moments, paging, code lists, and the problem body."""

from __future__ import annotations

import datetime as dt
import http
from collections.abc import Callable
from typing import Any, TypeVar

from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate
from webargs.fields import DelimitedList

from api.parsing import utc_moment
from ecosystem.safe_text import Text

__all__ = [
    "CODE",
    "MomentField",
    "OrganisationRefSchema",
    "PageArgs",
    "ProblemSchema",
    "codes",
    "problems",
]

CODE = validate.Length(min=1, max=64)


class MomentField(fields.Field[dt.datetime]):
    """A moment in time: an ISO datetime, or a date meaning the end of that day (UTC)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.datetime:
        if not isinstance(value, str):
            raise ValidationError("Not a valid date or datetime.")
        try:
            if len(value) == 10:
                day = dt.date.fromisoformat(value)
                return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as error:
            raise ValidationError("Not a valid date or datetime (ISO 8601).") from error
        return utc_moment(moment)  # refused where UTC has no such year (9999-12-31T23:00-05:00)


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def codes(description: str) -> DelimitedList:
    """A comma-separated list of codes in the query string (none given: an empty list)."""
    return DelimitedList(
        Text(validate=CODE), metadata={"description": description}, load_default=list
    )


class OrganisationRefSchema(Schema):
    id = Text()
    name = Text()
    kind = Text()


class FieldProblemSchema(Schema):
    field = Text(metadata={"description": "The exact place, e.g. projects[3].themes[0]"})
    message = Text()


class ProblemSchema(Schema):
    """An RFC 9457 problem: every error the API returns has this body."""

    type = Text(metadata={"description": "about:blank, or a link to the explanation"})
    title = Text(metadata={"description": "Danish / English"})
    status = fields.Integer()
    detail = Text()
    instance = Text(metadata={"description": "The path that was asked for"})
    errors = fields.List(
        fields.Nested(FieldProblemSchema),
        metadata={"description": "Validation errors, one per place (422)"},
    )


View = TypeVar("View", bound=Callable[..., Any])


def downloads(blp: Blueprint) -> Callable[[View], View]:
    """Document the CSV (Danish Excel) and XLSX downloads of ``format=`` beside the JSON."""

    def document(view: View) -> View:
        for content_type, schema in (
            ("text/csv", {"type": "string"}),
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                {"type": "string", "format": "binary"},
            ),
        ):
            view = blp.alt_response(
                200,
                schema=schema,
                content_type=content_type,
                description="JSON; with format=csv or xlsx the same as a table",
            )(view)
        return view

    return document


def problems(blp: Blueprint, *statuses: int) -> Callable[[View], View]:
    """Document the problem+json errors an operation's service can raise, by status.

    Each refers to the component response :mod:`api.openapi` registers under the status's
    name (``NOT_FOUND``). What the framework answers on its own is added there and need
    not be named: 422 for bad arguments, 400 and 413 for a request body.
    """

    def document(view: View) -> View:
        for status in statuses:
            view = blp.alt_response(status, response=http.HTTPStatus(status).name)(view)
        return view

    return document
