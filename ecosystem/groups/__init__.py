"""Thematic portfolio groups: their mandate, and which projects a mandate covers.

A group (porteføljestyringsgruppe) has a mandate over a slice of the ecosystem: themes,
target groups and areas. Routing decides, for each published project, which mandates
cover it and why (the rule: :mod:`ecosystem.groups.routing`). Everything here is a pure
function over plain data; the analyses of a group's slice live in
:mod:`ecosystem.gaps`, :mod:`ecosystem.scaling` and :mod:`ecosystem.balance`.

``model`` holds the group and its vocabulary, ``schemas`` the group document's
schemas, ``reference`` the reference data as the analyses read it (places, themes,
organisations, goals), ``projects`` the projects as the analyses see them, and
``routing`` the mandate resolved against the reference data (:class:`Scope`) and the
routing of projects to groups.
"""

from ecosystem.groups.model import (
    QUADRANT_KEYS,
    RESERVED_GROUP_IDS,
    Ambition,
    Group,
    Mandate,
    MandateLevel,
    Member,
    MemberRole,
    ReviewCadence,
    group_from_document,
    group_to_document,
)
from ecosystem.groups.projects import ProjectInfo, Slice
from ecosystem.groups.reference import (
    COUNCIL,
    MUNICIPALITY,
    NATIONAL,
    NATIONAL_SCHEME,
    REGION,
    OrganisationInfo,
    Proximity,
    Reach,
    Reference,
)
from ecosystem.groups.routing import Coverage, RoutingReport, Scope, route
from ecosystem.groups.schemas import (
    AmbitionSchema,
    GroupPatchSchema,
    GroupSchema,
    MandateSchema,
    MemberSchema,
)

__all__ = [
    "COUNCIL",
    "MUNICIPALITY",
    "NATIONAL",
    "NATIONAL_SCHEME",
    "QUADRANT_KEYS",
    "REGION",
    "RESERVED_GROUP_IDS",
    "Ambition",
    "AmbitionSchema",
    "Coverage",
    "Group",
    "GroupPatchSchema",
    "GroupSchema",
    "Mandate",
    "MandateLevel",
    "MandateSchema",
    "Member",
    "MemberRole",
    "MemberSchema",
    "OrganisationInfo",
    "ProjectInfo",
    "Proximity",
    "Reach",
    "Reference",
    "ReviewCadence",
    "RoutingReport",
    "Scope",
    "Slice",
    "group_from_document",
    "group_to_document",
    "route",
]
