"""Exceptions raised by the domain core."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AuthenticationRequired",
    "Conflict",
    "DatabaseUnavailable",
    "EcosystemError",
    "FieldError",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "StaleData",
]


@dataclass(frozen=True)
class FieldError:
    """One problem with one place in the input, e.g. ``projects[3].themes[0]``."""

    field: str
    message: str


class EcosystemError(Exception):
    """Base class for every error the domain core raises on purpose."""


class NotFound(EcosystemError):
    """The requested object does not exist (or is not visible to the caller)."""


class Conflict(EcosystemError):
    """The request conflicts with the current state, e.g. an id that already exists."""


class StaleData(Conflict):
    """The data changed since it was read; the caller must look again."""


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
