"""Exceptions raised by the domain core, and the one way validation messages get a place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "NOT_FOUND",
    "AuthenticationRequired",
    "Busy",
    "Conflict",
    "DatabaseUnavailable",
    "EcosystemError",
    "FieldError",
    "InputTooLarge",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "StaleData",
    "UnsupportedInput",
    "flatten_messages",
]


@dataclass(frozen=True)
class FieldError:
    """One problem with one place in the input, e.g. ``projects[3].themes[0]``."""

    field: str
    message: str


class EcosystemError(Exception):
    """Base class for every error the domain core raises on purpose."""


# The one answer for a project, decision, review or group that does not exist *or* that
# the reader may not see: a message that differs between the two would tell an outsider
# that a hidden object is there (and its id with it).
NOT_FOUND = "Findes ikke, eller du har ikke adgang til det / Not found, or not visible to you."


class NotFound(EcosystemError):
    """The requested object does not exist (or is not visible to the caller).

    Without a message it says :data:`NOT_FOUND`, which every object a reader might be
    hidden from uses.
    """

    def __init__(self, message: str = NOT_FOUND) -> None:
        super().__init__(message)


class Conflict(EcosystemError):
    """The request conflicts with the current state, e.g. an id that already exists."""


class StaleData(Conflict):
    """The data changed since it was read; the caller must look again."""


class Busy(Conflict):
    """A concurrent change clashed with this one, again and again; try again shortly.

    Nothing of this request was written. ``retry_after`` is in seconds.
    """

    def __init__(self, message: str | None = None, *, retry_after: int = 1) -> None:
        super().__init__(
            message
            or "Andre ændringer kom i vejen; intet er gemt, prøv igen om lidt. / "
            "Concurrent changes got in the way; nothing was saved, try again shortly."
        )
        self.retry_after = retry_after


class PermissionDenied(EcosystemError):
    """The caller may not do this."""


class AuthenticationRequired(EcosystemError):
    """The caller must say who it is (a token) before it may do this."""


class InvalidInput(EcosystemError):
    """Input that is well-formed but wrong, with every problem listed by place."""

    def __init__(self, message: str, errors: list[FieldError]) -> None:
        super().__init__(message)
        self.errors = errors


class DatabaseUnavailable(EcosystemError):
    """The database cannot be reached just now."""


class InputTooLarge(InvalidInput):
    """The input is larger than the service accepts (e.g. an uploaded file)."""


class UnsupportedInput(InvalidInput):
    """The input is in a format the service cannot read (e.g. an old Excel file)."""


def flatten_messages(
    messages: Any, prefix: str = "", *, whole: str = "(document)"
) -> list[FieldError]:
    """Turn marshmallow's nested messages into one error per exact place.

    ``whole`` names the place of a message about the input as a whole.

    Examples
    --------
    >>> flatten_messages({"projects": {3: {"stage": ["Must be one of: idea."]}}})
    [FieldError(field='projects[3].stage', message='Must be one of: idea.')]
    >>> flatten_messages({"_schema": ["Bad."], "links": {0: {"_schema": ["Loop."]}}}, whole="")
    [FieldError(field='', message='Bad.'), FieldError(field='links[0]', message='Loop.')]
    """
    if isinstance(messages, dict):
        errors: list[FieldError] = []
        for key, value in messages.items():
            errors += flatten_messages(value, _join(prefix, key), whole=whole)
        return errors
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [FieldError(prefix or whole, message) for message in messages]
    if isinstance(messages, list):
        return [
            error
            for index, message in enumerate(messages)
            for error in flatten_messages(message, f"{prefix}[{index}]", whole=whole)
        ]
    return [FieldError(prefix or whole, str(messages))]


def _join(prefix: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    if key == "_schema":
        return prefix
    return f"{prefix}.{key}" if prefix else str(key)
