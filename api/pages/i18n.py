"""Danish first, English on request: the locale, bilingual domain texts and Danish formats.

Fixed page text goes through Flask-Babel (catalogues in ``api/translations``). Texts the
domain core already gives in both languages (overlap reasons, gap explanations, labels
from the reference data) are picked with :func:`bi` for the current locale.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import flask_babel
from flask import Blueprint, Flask, redirect, request, session
from flask.typing import ResponseReturnValue
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale

from ecosystem.labels import Label

__all__ = [
    "LANGUAGES",
    "bi",
    "gettext",
    "init_app",
    "is_english",
    "label",
    "local_path",
    "money",
    "ngettext",
    "number",
    "when",
]

LANGUAGES = ("da", "en")
DEFAULT = "da"

bp = Blueprint("language", __name__)


def gettext(message: str, **variables: Any) -> str:
    """Flask-Babel's gettext, typed: the text in the reader's language."""
    return str(flask_babel.gettext(message, **variables))


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Flask-Babel's ngettext, typed: singular or plural by ``num`` (also in ``%(num)d``)."""
    return str(flask_babel.ngettext(singular, plural, num, **variables))


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        date=day, datetime=when, number=number, money=money, bi=label, percent=percent
    )
    app.jinja_env.globals.update(bi=bi, is_english=is_english)


def select_locale() -> str:
    """The language chosen with the switch, else Danish (never guessed from the browser)."""
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT


def is_english() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "en"


def bi(da: str | None, en: str | None = None) -> str:
    """The English text when English is chosen and there is one, else the Danish."""
    if is_english() and en:
        return en
    return da or en or ""


def label(value: Label | tuple[str, str] | None) -> str:
    """A (Danish, English) pair from the core, in the current language."""
    if value is None:
        return ""
    if isinstance(value, Label):
        return bi(value.da, value.en)
    return bi(value[0], value[1])


def day(value: dt.date | str | None, style: str = "long") -> str:
    """A date in the current language's format ("1. februar 2026")."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return str(format_date(value, style))


def when(value: dt.datetime | None) -> str:
    """A moment, in Danish time ("1. feb. 2026 14.05")."""
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=dt.UTC)
    return f"{format_date(value, 'medium')} {format_datetime(value, 'HH.mm' if not is_english() else 'HH:mm')}"


def number(value: float | int | None, digits: int = 0) -> str:
    """A number with the locale's separators ("2.400.000" in Danish)."""
    if not isinstance(value, int | float):  # None, or a field the card leaves out
        return ""
    return str(format_decimal(round(float(value), digits) if digits else round(value)))


def percent(share: float | None) -> str:
    return "" if share is None else f"{number(share * 100)} %"


def money(value: float | int | None) -> str:
    """An amount in Danish kroner: "2.400.000 kr." / "DKK 2,400,000"."""
    if not isinstance(value, int | float):
        return ""
    return gettext("%(amount)s kr.", amount=number(value))


def local_path(target: str | None, fallback: str = "/") -> str:
    """``target`` if it is a path on this site, else ``fallback`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


@bp.get("/language/<lang>")
def switch(lang: str) -> ResponseReturnValue:
    """Remember the chosen language and go back to the page the switch was on."""
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(local_path(request.args.get("next")), code=303)


def template_globals() -> dict[str, Any]:
    return {"locale": select_locale(), "other_language": "en" if select_locale() == "da" else "da"}
