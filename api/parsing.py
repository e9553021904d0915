"""Reading requests within ranges the service can hold: ids, JSON bodies and moments.

Python and the databases disagree at the edges: PostgreSQL's ``integer`` ends at 2**31-1
(SQLite's at 2**63-1), ``int()`` refuses a string of more than 4,300 digits, ``json``
recurses once per nesting level and reads ``NaN``, and a moment in year 9999 west of UTC
is in year 10000 in UTC, which ``datetime`` cannot hold. Each is refused here as a 4xx
problem before any of it reaches a service, instead of ending as a 500 deep inside.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

import flask
import flask_smorest
from flask import Flask
from flask_smorest import abort
from marshmallow import ValidationError, fields
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.routing import IntegerConverter, Map

__all__ = [
    "ID_MAX",
    "JSON_DEPTH_MAX",
    "JSON_DIGITS_MAX",
    "Blueprint",
    "IdConverter",
    "JsonParser",
    "UtcDateTime",
    "init_app",
    "parse_json_body",
    "utc_moment",
]

ID_MAX = 2**31 - 1  # PostgreSQL integer, the type of every id column
JSON_DEPTH_MAX = 64
JSON_DIGITS_MAX = 20


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: 1 to 2**31-1, so any other number is a 404 like an
    unknown id, never an overflow in the database driver."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Install the id converter; before any blueprint, since rules bind converters when
    they are added."""
    app.url_map.converters["int"] = IdConverter


# --- JSON bodies --------------------------------------------------------------------------

_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class _Refused:
    """A number the JSON reader will not turn into a value; found with its path later."""

    def __init__(self, message: str) -> None:
        self.message = message


def _integer(text: str) -> int | _Refused:
    digits = len(text.lstrip("-"))
    if digits > JSON_DIGITS_MAX:
        return _Refused(
            f"Tallet har {digits} cifre; højst {JSON_DIGITS_MAX} er tilladt / "
            f"the number has {digits} digits; at most {JSON_DIGITS_MAX} are allowed"
        )
    return int(text)


def _float(text: str) -> float | _Refused:
    number = float(text)  # 1e400 reads as infinity
    return number if math.isfinite(number) else _constant(text)


def _constant(name: str) -> _Refused:
    return _Refused(f"{name} er ikke et tal i JSON / {name} is not a number in JSON (RFC 8259)")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in the JSON *text* (brackets in strings ignored).

    >>> json_depth('{"a": [1, {"b": "[[["}]}')
    3
    """
    brackets = _BRACKETS.findall(_STRINGS.sub('""', text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


def parse_json_body(text: str) -> Any:
    """The JSON document, or a 400 (too deep) or a ValidationError naming the places.

    Depth is measured before parsing, since the parser recurses once per level.
    """
    depth = json_depth(text)
    if depth > JSON_DEPTH_MAX:
        abort(
            400,
            messages={
                "json": [
                    f"JSON-dokumentet er {depth} niveauer dybt; højst {JSON_DEPTH_MAX} er "
                    f"tilladt / the JSON document nests {depth} levels; at most "
                    f"{JSON_DEPTH_MAX} are allowed"
                ]
            },
        )
    document = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    messages: dict[Any, Any] = {}
    for path, refused in _refused(document, ()):
        _put(messages, path, refused.message)
    if messages:
        raise ValidationError(messages)
    return document


def _refused(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], _Refused]]:
    # Recursion is bounded: the depth was checked before parsing.
    if isinstance(value, _Refused):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _refused(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _refused(item, (*path, index))


def _put(messages: dict[Any, Any], path: tuple[Any, ...], message: str) -> None:
    """Messages nested as marshmallow nests them, so the 422 names ``projects[0].budget``."""
    if not path:
        messages.setdefault("_schema", []).append(message)
        return
    place = messages
    for key in path[:-1]:
        place = place.setdefault(key, {})
    place.setdefault(path[-1], []).append(message)


class JsonParser(FlaskParser):
    """webargs' parser with :func:`parse_json_body` as its JSON reader."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return core.missing
        # Not UTF-8: the UnicodeDecodeError is answered by webargs as malformed JSON (400).
        text = req.get_data(cache=True).decode("utf-8")
        if not text:  # no body: webargs reads it as no arguments
            raise json.JSONDecodeError("Empty body", "", 0)
        return parse_json_body(text)


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]  # smorest has no hints
    """flask-smorest's Blueprint reading JSON bodies with :class:`JsonParser`.

    The parser is taken when a route is decorated, so blueprints must be made from this
    class, not patched afterwards.
    """

    ARGUMENTS_PARSER = JsonParser()


# --- moments ------------------------------------------------------------------------------


def utc_moment(moment: dt.datetime) -> dt.datetime:
    """*moment* in UTC (naive: taken as UTC); ValidationError if UTC has no such year.

    >>> utc_moment(dt.datetime(2026, 5, 4, 12, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    datetime.datetime(2026, 5, 4, 10, 0, tzinfo=datetime.timezone.utc)
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError as error:
        raise ValidationError(
            "Tidspunktet ligger uden for årene 1–9999 i UTC / "
            "the moment falls outside the years 1–9999 in UTC"
        ) from error


class UtcDateTime(fields.AwareDateTime):
    """An ISO 8601 moment (no zone: UTC), loaded as UTC and refused outside years 1–9999."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(default_timezone=dt.UTC, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return utc_moment(super()._deserialize(value, attr, data, **kwargs))
