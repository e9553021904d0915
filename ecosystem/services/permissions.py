"""Who may do what: the one home of every permission rule.

Reading is open (visibility does the filtering); writing needs a token. An organisation's
token publishes for that organisation; admins may do everything; a group's coordinators
lead the group: change it, open its reviews, record its decisions and goals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ecosystem.errors import AuthenticationRequired, FieldError, InvalidInput, PermissionDenied
from ecosystem.groups import Group
from ecosystem.model import Principal, ProjectRecord, Revision, Visibility
from ecosystem.reviews import Decision

__all__ = [
    "CHANGING_GROUPS",
    "Operator",
    "actor_name",
    "keeps_itself",
    "may_change_group",
    "may_create_group",
    "may_decide_opt_outs",
    "may_edit",
    "may_lead",
    "may_lead_reviews",
    "may_publish_for",
    "may_set_goals",
    "require_admin",
    "responding_organisation",
    "signed_in",
    "visible_history",
]

CHANGING_GROUPS = "Ændring af grupper kræver et token / Changing groups requires a token."


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


def visible_history(
    revisions: Iterable[Revision], principal: Principal, owner_id: str
) -> list[Revision]:
    """The revisions the principal may read: each judged by its *own* visibility.

    A card first published ``private`` and later made ``public`` must not show its
    private past to the public: a reader sees a revision only if it would have seen the
    card as that revision left it (the owner and admins see every one). A revision
    without a visibility (a group's, or a card from before the field) is public, as such
    a card is.
    """
    return [
        revision
        for revision in revisions
        if principal.can_see(str(revision.data.get("visibility") or Visibility.PUBLIC), owner_id)
    ]


def actor_name(principal: Principal) -> str:
    """How the history names who made a change."""
    if isinstance(principal, Operator):
        return principal.name
    return "admin" if principal.is_admin else f"org:{principal.organisation_id}"


# --- thematic groups -----------------------------------------------------------------------


def may_create_group(principal: Principal, document: Mapping[str, Any]) -> Principal:
    """An admin, or an organisation that names itself among the new group's coordinators."""
    signed_in(principal, CHANGING_GROUPS)
    if principal.is_admin or principal.organisation_id in document["coordinators"]:
        return principal
    raise PermissionDenied(
        "En organisation kan kun oprette en gruppe, hvis den selv er koordinator / An "
        "organisation may create a group only if it names itself as a coordinator."
    )


def may_change_group(principal: Principal, group: Group) -> Principal:
    return may_lead(
        principal,
        group,
        "Kun gruppens koordinatorer og administratorer kan ændre gruppen / Only the group's "
        "coordinators and admins may change it.",
    )


def keeps_itself(principal: Principal, document: Mapping[str, Any]) -> None:
    """A coordinator cannot hand the group away by leaving the coordinators (an admin can)."""
    if principal.is_admin or principal.organisation_id in document["coordinators"]:
        return
    raise InvalidInput(
        "Du ville miste retten til at ændre gruppen / You would lose the right to change the group.",
        [
            FieldError(
                "coordinators",
                "Behold din egen organisation som koordinator, eller bed en administrator om "
                "ændringen / Keep your own organisation as a coordinator, or ask an admin.",
            )
        ],
    )


# --- reviews, decisions and goals ----------------------------------------------------------


def may_lead_reviews(principal: Principal, group: Group) -> Principal:
    """Open the group's reviews, record its decisions, set its goals: its coordinators, admins."""
    return may_lead(
        principal,
        group,
        "Kun gruppens koordinatorer og administratorer kan åbne gennemgange og træffe "
        "beslutninger / Only the group's coordinators and admins may open reviews and record "
        "decisions.",
    )


def responding_organisation(principal: Principal, decision: Decision, given: str | None) -> str:
    """The organisation answering a decision: one the principal writes for, owning a project."""
    signed_in(principal)
    organisation = given or principal.organisation_id
    if organisation is None:
        raise InvalidInput(
            "Angiv organisationen / Name the organisation.",
            [FieldError("organisation", "Påkrævet for administratorer / Required for admins.")],
        )
    if not principal.can_write_for(organisation):
        raise PermissionDenied(
            "Et token kan kun svare for sin egen organisation / A token may only respond for "
            "its own organisation."
        )
    if organisation not in decision.owners:
        raise PermissionDenied(
            "Kun organisationer, der ejer et af beslutningens projekter, kan svare / Only "
            "organisations owning one of the decision's projects may respond."
        )
    return organisation


def may_set_goals(principal: Principal, owner_id: str, group: Group | None) -> Principal:
    """An organisation's goals are set by whoever publishes for it; a group's by who leads it."""
    if group is None:
        signed_in(principal)
        if not principal.can_write_for(owner_id):
            raise PermissionDenied(
                "Kun organisationen selv kan ændre dens målbillede / Only the organisation "
                "itself may change its goal picture."
            )
        return principal
    return may_lead(
        principal,
        group,
        "Kun gruppens koordinatorer og administratorer kan ændre gruppens målbillede / Only "
        "the group's coordinators and admins may change the group's goal picture.",
    )


# --- the "fravalgt" register ---------------------------------------------------------------


def may_decide_opt_outs(principal: Principal, owner_id: str, group: Group | None) -> Principal:
    """An organisation's choices are its own (its token); a group's are its coordinators'."""
    signed_in(principal, "Fravalg kræver et token / Recording what you opt out of needs a token.")
    if group is not None:
        return may_lead(
            principal,
            group,
            "Kun gruppens koordinatorer og administratorer kan registrere gruppens fravalg / "
            "Only the group's coordinators and admins may record what it opts out of.",
        )
    if principal.can_write_for(owner_id):
        return principal
    raise PermissionDenied(
        "Kun organisationen selv kan registrere sine fravalg / Only the organisation itself "
        "may record what it opts out of."
    )
