"""The one rule for text that comes in, and the one repair for text that goes out.

Every string field the service accepts is a :class:`Text` (or :class:`TextUrl`,
:class:`TextEmail`): it refuses NUL, lone surrogates, control characters other than tab,
newline and carriage return, the non-characters U+FFFE/U+FFFF and over-long strings. Such
characters cannot be stored in PostgreSQL (NUL), cannot be encoded as UTF-8 (surrogates)
or are illegal in XML 1.0 and XLSX (the controls), so letting them in would break a write
or, worse, every later export. ruff's banned-api rule keeps marshmallow's own string fields
out of the rest of the code.

Data stored before the rule existed is repaired on the way out by :func:`xml_safe`.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields

__all__ = [
    "TEXT_MAX",
    "Text",
    "TextEmail",
    "TextUrl",
    "text_problem",
    "xml_safe",
]

TEXT_MAX = 20_000

# Characters XML 1.0 (and so XLSX) cannot carry: C0 controls but tab/newline/carriage
# return, surrogates and U+FFFE/U+FFFF. C1 controls are legal XML but invisible, and in
# practice mis-decoded Windows-1252; refused on input, kept on output.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def text_problem(value: str, max_length: int = TEXT_MAX) -> str | None:
    """Why *value* is not acceptable text, Danish first, or None when it is.

    Examples
    --------
    >>> text_problem("Tele-KOL\\tpilot\\n") is None
    True
    >>> text_problem("bell\\x07")
    'Indeholder et kontroltegn (U+0007), som ikke er tilladt / contains a control character (U+0007), which is not allowed'
    >>> text_problem("abc", max_length=2)
    'Må højst være 2 tegn lang (er 3) / must be at most 2 characters long (is 3)'
    """
    if len(value) > max_length:
        return (
            f"Må højst være {max_length} tegn lang (er {len(value)}) / "
            f"must be at most {max_length} characters long (is {len(value)})"
        )
    found = _REFUSED.search(value)
    if found is None:
        return None
    char = found.group()
    code = f"U+{ord(char):04X}"
    if char == "\x00":
        return f"Indeholder et nul-tegn ({code}), som ikke er tilladt / contains a NUL character ({code}), which is not allowed"
    if "\ud800" <= char <= "\udfff":
        return f"Indeholder et enligt surrogattegn ({code}), som ikke er gyldig Unicode / contains a lone surrogate ({code}), which is not valid Unicode"
    if char in "\ufffe\uffff":
        return f"Indeholder et ikke-tegn ({code}), som ikke er tilladt / contains a non-character ({code}), which is not allowed"
    return f"Indeholder et kontroltegn ({code}), som ikke er tilladt / contains a control character ({code}), which is not allowed"


def xml_safe(value: str) -> str:
    """*value* with every character XML 1.0 and XLSX cannot carry replaced by U+FFFD.

    Examples
    --------
    >>> xml_safe("a\\x00b\\x07c\\td")
    'a\\ufffdb\\ufffdc\\td'
    """
    return _XML_ILLEGAL.sub("\ufffd", value)


class _Checked:
    """Mixed into a string field: the text rule runs after the field's own parsing."""

    max_length: int

    def _checked(self, value: Any) -> Any:
        if isinstance(value, str):
            problem = text_problem(value, self.max_length)
            if problem:
                raise ValidationError(problem)
        return value


class Text(_Checked, fields.String):
    """A string field that refuses what cannot be stored or exported (see the module)."""

    def __init__(self, *args: Any, max_length: int = TEXT_MAX, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        # Checked before the field's own validators, so a Length(min=1) on a string of one
        # control character names the character rather than something misleading.
        return super()._deserialize(self._checked(value), attr, data, **kwargs)


class TextUrl(_Checked, fields.Url):
    """A URL field under the same text rule (a URL is at most 2,000 characters)."""

    def __init__(self, *args: Any, max_length: int = 2_000, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return super()._deserialize(self._checked(value), attr, data, **kwargs)


class TextEmail(_Checked, fields.Email):
    """An e-mail field under the same text rule (RFC 5321: at most 254 characters)."""

    def __init__(self, *args: Any, max_length: int = 254, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return super()._deserialize(self._checked(value), attr, data, **kwargs)
