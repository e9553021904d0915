"""Who may do what: the one home of every permission rule.

Reading is open (visibility does the filtering); writing needs a token. An organisation's
token publishes for that organisation; admins may do everything; a group's coordinators
lead the group: change it, open its reviews, record its decisions and goals.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecosystem.errors import AuthenticationRequired, PermissionDenied
from ecosystem.groups import Group
from ecosystem.model import Principal, ProjectRecord

__all__ = [
    "Operator",
    "actor_name",
    "may_edit",
    "may_lead",
    "may_publish_for",
    "require_admin",
    "signed_in",
]


@dataclass(frozen=True)
class Operator(Principal):
    """Whoever runs the service itself (a command, the seed loader).

    It may do what an admin may, and the history names it as itself (``cli``, ``seed``)
    rather than as "admin", so that a reader can tell a loader's change from a person's.
    """

    is_admin: bool = True
    name: str = "cli"


def signed_in(
    principal: Principal, message: str = "Dette kræver et token / This requires a token."
) -> Principal:
    """The principal, if it carries a token; :class:`AuthenticationRequired` otherwise."""
    if not principal.is_authenticated:
        raise AuthenticationRequired(message)
    return principal


def may_publish_for(principal: Principal, organisation_id: str) -> Principal:
    """The principal, if it may publish for ``organisation_id``."""
    signed_in(principal, "Publishing requires a token.")
    if not principal.can_write_for(organisation_id):
        raise PermissionDenied(f"This token may not publish for {organisation_id!r}.")
    return principal


def require_admin(principal: Principal) -> Principal:
    signed_in(principal, "This requires an admin token.")
    if not principal.is_admin:
        raise PermissionDenied("This requires an admin token.")
    return principal


def may_edit(principal: Principal, record: ProjectRecord) -> ProjectRecord:
    """The project, if the principal may change its card on the pages (a live card only)."""
    if not principal.can_write_for(record.organisation_id):
        raise PermissionDenied("This organisation may not edit the project.")
    if record.withdrawn:
        raise PermissionDenied("A withdrawn project is restored by publishing it again.")
    return record


def may_lead(principal: Principal, group: Group, message: str) -> Principal:
    """The principal, if it is an admin or one of the group's coordinators."""
    signed_in(principal)
    if principal.is_admin or principal.organisation_id in group.coordinators:
        return principal
    raise PermissionDenied(message)


def actor_name(principal: Principal) -> str:
    """How the history names who made a change."""
    if isinstance(principal, Operator):
        return principal.name
    return "admin" if principal.is_admin else f"org:{principal.organisation_id}"
