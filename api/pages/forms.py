"""Form input → the documents the core validates, and its errors → messages by field.

The pages validate with the same schemas as the API (``DraftSchema``, ``ProjectSchema``)
and the same reference checks, so a card saved from a page is a card the API would
accept. Errors come back as the place in the document (``themes[1]``,
``contact.email``); here they are sorted under the form field that holds that place,
in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from api.errors import flatten_messages
from api.pages.i18n import gettext as _
from ecosystem.errors import FieldError, InvalidInput

__all__ = [
    "CARD_CODE_FIELDS",
    "FormErrors",
    "card_from_form",
    "draft_from_form",
    "errors_of",
    "parse_amount",
]

FormErrors = dict[str, list[str]]
CARD_CODE_FIELDS = ("themes", "target_groups", "areas")
CONTACT_FIELDS = ("name", "email", "phone", "url")
_SCORES = ("value_score", "risk_score")
_TEXTS = (
    "title",
    "description",
    "value_rationale",
    "risk_rationale",
    "implementation_owner",
    "operation_plan",
)
_CHOICES = ("stage", "visibility", "care_level", "development_type")
_DATES = ("start_date", "end_date", "funding_ends")
FORM_LEVEL = "_form"


def draft_from_form(form: MultiDict[str, str]) -> dict[str, Any]:
    """The draft document of the overlap form (never stored)."""
    draft: dict[str, Any] = {
        "themes": _codes(form, "themes"),
        "target_groups": _codes(form, "target_groups"),
        "areas": _codes(form, "areas"),
        "partners": [{"organisation": code} for code in _codes(form, "partners")],
    }
    for name in ("title", "description", "organisation"):
        value = form.get(name, "").strip()
        if value:  # a blank field is a missing one: "required", not "too short"
            draft[name] = value
    return draft


def card_from_form(
    form: MultiDict[str, str], current: dict[str, Any], today: str
) -> tuple[dict[str, Any], FormErrors]:
    """The card as the form changes it: fields not on the form are kept as they were.

    Returns the card to validate and the errors found while reading the form itself
    (an amount that is not a number), which the schema cannot see.
    """
    card = {key: value for key, value in current.items()}
    errors: FormErrors = {}
    for name in _TEXTS:
        card[name] = form.get(name, "").strip() or None
    for name in _CHOICES + _DATES:
        card[name] = form.get(name, "").strip() or None
    for name in CARD_CODE_FIELDS:
        card[name] = _codes(form, name)
    for name in _SCORES:
        raw = form.get(name, "").strip()
        # ASCII digits only: str.isdigit() is true of "²", which int() refuses.
        number = raw if re.fullmatch(r"[0-9]{1,2}", raw) else None
        card[name] = int(number) if number else None
        if raw and not number:
            errors[name] = [_("Choose a number from 1 to 5.")]
    try:
        card["budget_dkk"] = parse_amount(form.get("budget_dkk", ""))
    except ValueError:
        errors["budget_dkk"] = [_("Write the amount in kroner, for example 2.400.000.")]
        card["budget_dkk"] = None
    contact = {key: form.get(f"contact.{key}", "").strip() or None for key in CONTACT_FIELDS}
    card["contact"] = contact if any(contact.values()) else None
    card["disclose_when_private"] = form.get("disclose_when_private") == "on"
    if form.get("reviewed") == "on":
        card["last_reviewed"] = today
    return {key: value for key, value in card.items() if value is not None}, errors


def parse_amount(text: str) -> float | None:
    """An amount as written in the reader's language ("2.400.000" in Danish); blank is None."""
    cleaned = re.sub(r"(?i)\s|kr\.?|dkk", "", text.replace("\u00a0", " "))
    if not cleaned:
        return None
    try:
        amount: Decimal = parse_decimal(cleaned, locale=str(get_locale() or "da"), strict=True)
    except NumberFormatError as error:
        raise ValueError(text) from error
    if amount < 0:
        raise ValueError(text)
    return float(amount)


def errors_of(error: ValidationError | InvalidInput) -> FormErrors:
    """Messages by form field, in the reader's language."""
    found = flatten_messages(error.messages) if isinstance(error, ValidationError) else error.errors
    by_field: FormErrors = {}
    for item in found:
        field = field_of(item.field)
        message = localise(item, field)
        if message not in by_field.setdefault(field, []):
            by_field[field].append(message)
    return by_field


def field_of(path: str) -> str:
    """The form field holding a place: ``themes[1]`` → ``themes``, ``contact.email`` stays."""
    if path in ("", "(document)"):
        return FORM_LEVEL
    head = re.split(r"[\[]", path, maxsplit=1)[0]
    if head == "contact" or head.startswith("contact."):
        return head
    return head.split(".", 1)[0]


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], str], str]]


def _rules() -> Iterable[_Rule]:
    def fixed(text: str) -> Callable[[re.Match[str], str], str]:
        return lambda _match, _field: text

    return (
        (
            re.compile(r"Missing data for required field|Field may not be null"),
            fixed(_("This field is required.")),
        ),
        (re.compile(r"Shorter than minimum length 1\.|Must not be blank"), _required),
        (re.compile(r"Length must be between (\d+) and (\d+)"), _length),
        (
            re.compile(r"Longer than maximum length (\d+)"),
            lambda m, _f: _("Write at most %(high)s characters.", high=m[1]),
        ),
        (
            re.compile(r"Must not be before start_date"),
            fixed(_("Must not be before the start date.")),
        ),
        (re.compile(r"Not a valid email"), fixed(_("Not a valid e-mail address."))),
        (
            re.compile(r"Not a valid URL"),
            fixed(_("Not a valid web address; it must start with https://.")),
        ),
        (re.compile(r"Not a valid date"), fixed(_("Not a valid date."))),
        (re.compile(r"Must be one of"), fixed(_("Choose one of the options."))),
        (
            re.compile(
                r"Must be greater than or equal to (\S+) and less than or equal to (\S+?)\.?$"
            ),
            lambda m, _f: _("Must be between %(low)s and %(high)s.", low=m[1], high=m[2]),
        ),
        (re.compile(r"Not a valid (number|integer)"), fixed(_("Not a valid number."))),
        (
            re.compile(r"Unknown \w[\w ]* code '([^']*)'"),
            lambda m, _f: _("Unknown code: %(code)s.", code=m[1]),
        ),
        (re.compile(r"contain no words"), fixed(_("Write a title and a description in words."))),
    )


def _length(match: re.Match[str], field: str) -> str:
    if field in CARD_CODE_FIELDS:
        if match[1] == "1":
            return _("Choose at least one.")
        return _("Choose between %(low)s and %(high)s.", low=match[1], high=match[2])
    return _("Write between %(low)s and %(high)s characters.", low=match[1], high=match[2])


def _required(_match: re.Match[str], field: str) -> str:
    if field in CARD_CODE_FIELDS:
        return _("Choose at least one.")
    return _("This field is required.")


def localise(error: FieldError, field: str) -> str:
    for pattern, text in _rules():
        match = pattern.search(error.message)
        if match:
            return text(match, field)
    return error.message


def _codes(form: MultiDict[str, str], name: str) -> list[str]:
    return list(dict.fromkeys(value.strip() for value in form.getlist(name) if value.strip()))
