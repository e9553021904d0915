"""The goal picture editor's form: the picture as a form changes it, the form's slots, and
the schema's errors placed at the form's fields (Danish decimal commas read as numbers).

Kept apart from :mod:`api.pages.goals`, which holds the routes and the follow-up's words.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from api.pages import forms, i18n
from api.pages.i18n import gettext as _
from api.pages.meetings import in_language
from ecosystem.errors import (
    FieldError,
    InvalidInput,
    flatten_messages,
)
from ecosystem.goal_pictures import PictureKind

__all__ = [
    "editor_errors",
    "error_messages",
    "form_slots",
    "parse_number",
    "path_parts",
    "picture_from_form",
]

GOAL_TEXTS = ("code", "title", "description")
GOAL_CHOICES = ("task_type", "measure_type")
INDICATOR_TEXTS = ("name", "unit")
POINTS = ("baseline", "target")


def picture_from_form(
    form: MultiDict[str, str], base: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The picture as the form changes it, and each document place's form field prefix.

    Goal ``i`` of the form is goal ``i`` of ``base`` (the revision the form was opened
    at); what the form does not show (values, comparable areas, assessments, an English
    title) is kept. Ticked "remove" drops a goal or an indicator; the blank slots at the
    end add one when anything is written in them.
    """
    document: dict[str, Any] = {}
    text = form.get("text", "").strip()
    if text:
        document["text"] = text
    document["period"] = {
        key: value for key in ("from", "to") if (value := form.get(f"period.{key}", "").strip())
    }
    kind = form.get("kind", "").strip()
    if kind and kind != PictureKind.GOAL_PICTURE:
        document["kind"] = kind  # an ordinary picture stores no kind, as before kinds existed
    places: dict[str, str] = {}
    existing = list(base.get("goals", ()))
    document["goals"] = []
    for i in range(len(existing) + 1):
        prefix = f"goals.{i}"
        if form.get(f"{prefix}.remove") or (i == len(existing) and not _filled(form, prefix)):
            continue
        goal = copy.deepcopy(dict(existing[i])) if i < len(existing) else {}
        places[f"goals.{len(document['goals'])}"] = prefix
        document["goals"].append(
            _goal_from_form(form, prefix, goal, places, len(document["goals"]))
        )
    return document, places


def _goal_from_form(
    form: MultiDict[str, str],
    prefix: str,
    goal: dict[str, Any],
    places: dict[str, str],
    index: int,
) -> dict[str, Any]:
    for key in GOAL_TEXTS + GOAL_CHOICES:
        value = form.get(f"{prefix}.{key}", "").strip()
        if value:
            goal[key] = value
        else:
            goal.pop(key, None)  # blank: "required", or an optional description removed
    existing = list(goal.get("indicators", ()))
    goal["indicators"] = []
    for j in range(len(existing) + 1):
        inner = f"{prefix}.indicators.{j}"
        if form.get(f"{inner}.remove") or (j == len(existing) and not _filled(form, inner)):
            continue
        indicator = copy.deepcopy(dict(existing[j])) if j < len(existing) else {}
        places[f"goals.{index}.indicators.{len(goal['indicators'])}"] = inner
        goal["indicators"].append(_indicator_from_form(form, inner, indicator))
    return goal


def _indicator_from_form(
    form: MultiDict[str, str], prefix: str, indicator: dict[str, Any]
) -> dict[str, Any]:
    for key in (*INDICATOR_TEXTS, "direction"):
        value = form.get(f"{prefix}.{key}", "").strip()
        if value:
            indicator[key] = value
        else:
            indicator.pop(key, None)
    for point in POINTS:
        period = form.get(f"{prefix}.{point}.period", "").strip()
        raw = form.get(f"{prefix}.{point}.value", "").strip()
        if not period and not raw:
            indicator[point] = None
            continue
        indicator[point] = {"period": period} if period else {}
        if raw:
            indicator[point]["value"] = parse_number(raw)
    return indicator


def _filled(form: MultiDict[str, str], prefix: str) -> bool:
    """Whether anything is written in a blank slot (its choices alone do not count)."""
    chosen = ("task_type", "measure_type", "direction")
    return any(
        value.strip()
        for key, value in form.items()
        if key.startswith(prefix + ".") and not key.endswith((".remove", *chosen))
    )


def parse_number(text: str) -> float | str:
    """A number as written in the reader's language ("12,5"), or the text for the schema to refuse."""
    locale = str(get_locale() or "da")
    try:
        return float(parse_decimal(text, locale=locale, strict=True))
    except NumberFormatError:
        pass
    try:
        return float(text)  # "12.5" from a reader used to decimal points
    except ValueError:
        return text


def path_parts(path: str) -> list[str]:
    """``goals[1].indicators[0].name`` or ``goals.1.code`` → ``["goals", "1", …]``."""
    return [part for part in re.split(r"[.\[\]]+", path) if part]


def editor_errors(
    error: ValidationError | InvalidInput, places: Mapping[str, str]
) -> forms.FormErrors:
    """The schema's places in the document → the editor's fields (removed goals skipped)."""
    found: forms.FormErrors = {}
    for path, message in error_messages(error):
        field = _editor_field(path, places)
        if message not in found.setdefault(field, []):
            found[field].append(message)
    return found


def _editor_field(path: str, places: Mapping[str, str]) -> str:
    if path == forms.FORM_LEVEL:
        return path
    parts = path_parts(path)
    for length in (4, 2):  # the innermost indicator or goal the place is in
        head = ".".join(parts[:length])
        if len(parts) > length and head in places:
            field = ".".join([places[head], *parts[length:]])
            break
    else:
        field = ".".join(parts)
    if field.endswith((".baseline", ".target")):  # a point as a whole: shown at its value
        field += ".value"
    return field


def error_messages(error: ValidationError | InvalidInput) -> list[tuple[str, str]]:
    """Each error's exact place in the document and its message in the reader's language."""
    found = flatten_messages(error.messages) if isinstance(error, ValidationError) else error.errors
    whole = ("", "(document)")
    return [
        (forms.FORM_LEVEL if item.field in whole else item.field, _message(item)) for item in found
    ]


def _message(item: FieldError) -> str:
    """The localised message; the API's texts that name codes are said in words here."""
    last = path_parts(item.field)[-1:] or [""]
    if last == ["fulfilment"]:
        return _("Choose one of the options.")  # the API's text lists the codes
    if last == ["to"] and "'to'" in item.message:
        return _("The last year must be after the first year.")
    return in_language(forms.localise(item, item.field))


def form_slots(base: Mapping[str, Any], sent: MultiDict[str, str] | None = None) -> dict[str, Any]:
    """What the editor shows: the picture's values, or (after an error) what was sent."""

    def value(name: str, stored: Any) -> str:
        if sent is not None:
            return sent.get(name, "")
        return "" if stored is None else str(stored)

    def number(name: str, stored: Any) -> str:
        if sent is not None:
            return sent.get(name, "")
        return "" if stored is None else i18n.number(stored, 6)

    def indicator(prefix: str, item: Mapping[str, Any]) -> dict[str, Any]:
        slot = {"prefix": prefix, "removed": bool(sent and sent.get(f"{prefix}.remove"))}
        for key in INDICATOR_TEXTS:
            slot[key] = value(f"{prefix}.{key}", item.get(key))
        slot["direction"] = value(f"{prefix}.direction", item.get("direction")) or "up"
        for point in POINTS:
            stored = item.get(point) or {}
            slot[f"{point}.period"] = value(f"{prefix}.{point}.period", stored.get("period"))
            slot[f"{point}.value"] = number(f"{prefix}.{point}.value", stored.get("value"))
        return slot

    def goal(prefix: str, item: Mapping[str, Any]) -> dict[str, Any]:
        slot = {"prefix": prefix, "removed": bool(sent and sent.get(f"{prefix}.remove"))}
        for key in GOAL_TEXTS:
            slot[key] = value(f"{prefix}.{key}", item.get(key))
        slot["task_type"] = value(f"{prefix}.task_type", item.get("task_type")) or "operational"
        slot["measure_type"] = (
            value(f"{prefix}.measure_type", item.get("measure_type")) or "quantitative"
        )
        inner = list(item.get("indicators", ()))
        slot["indicators"] = [
            indicator(f"{prefix}.indicators.{j}", ind) for j, ind in enumerate(inner)
        ]
        slot["new_indicator"] = indicator(f"{prefix}.indicators.{len(inner)}", {})
        return slot

    existing = list(base.get("goals", ()))
    period = base.get("period") or {}
    return {
        "kind": value("kind", base.get("kind")) or PictureKind.GOAL_PICTURE.value,
        "text": value("text", base.get("text")),
        "period.from": value("period.from", period.get("from")),
        "period.to": value("period.to", period.get("to")),
        "goals": [goal(f"goals.{i}", item) for i, item in enumerate(existing)],
        "new_goal": goal(f"goals.{len(existing)}", {}),
    }
