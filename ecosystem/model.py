"""The nouns of the domain: vocabularies and plain, immutable records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecosystem.card import ProjectCard

__all__ = [
    "ACTIVE_STAGES",
    "EARLY_STAGES",
    "LATE_STAGES",
    "MATURE_STAGES",
    "CareLevel",
    "DevelopmentType",
    "EvidenceOutcome",
    "FundingKind",
    "LinkRelation",
    "OrgKind",
    "Principal",
    "ProjectRecord",
    "PublishResult",
    "Revision",
    "Stage",
    "TokenInfo",
    "Visibility",
]


class Stage(StrEnum):
    """Where a project is in the development pipeline (idé → drift)."""

    IDEA = "idea"
    ANALYSIS = "analysis"
    PILOT = "pilot"
    IMPLEMENTATION = "implementation"
    OPERATION = "operation"
    COMPLETED = "completed"
    STOPPED = "stopped"

    @property
    def rank(self) -> int:
        """Position in the pipeline, 0 for idea; used to tell early from mature."""
        return list(Stage).index(self)


# The early/late split of the pipeline (DOMAIN.md §1.6): early work renews the portfolio,
# late work is what is ready to spread.
EARLY_STAGES = frozenset({Stage.IDEA, Stage.ANALYSIS, Stage.PILOT})
LATE_STAGES = frozenset({Stage.IMPLEMENTATION, Stage.OPERATION})
ACTIVE_STAGES = EARLY_STAGES | LATE_STAGES
MATURE_STAGES = LATE_STAGES | {Stage.COMPLETED}


class Visibility(StrEnum):
    """Who may see a project."""

    PUBLIC = "public"
    ECOSYSTEM = "ecosystem"
    PRIVATE = "private"


class OrgKind(StrEnum):
    """Kinds of organisation in the ecosystem."""

    REGION = "region"
    MUNICIPALITY = "municipality"
    HOSPITAL = "hospital"
    GENERAL_PRACTICE = "general_practice"
    UNIVERSITY = "university"
    UNIVERSITY_COLLEGE = "university_college"
    NATIONAL_BODY = "national_body"
    JOINT_REGIONAL_BODY = "joint_regional_body"
    HEALTH_COUNCIL = "health_council"
    PATIENT_ORG = "patient_org"
    NGO = "ngo"
    COMPANY = "company"
    FOUNDATION = "foundation"
    OTHER = "other"


class FundingKind(StrEnum):
    """Where the money for a project comes from (DOMAIN.md §4.3)."""

    OWN = "own"
    BLOCK_GRANT = "block_grant"
    NATIONAL_POOL = "national_pool"
    PUBLIC_RESEARCH_FUND = "public_research_fund"
    PRIVATE_FOUNDATION = "private_foundation"
    PARTNERSHIP = "partnership"
    EU = "eu"
    CO_FINANCING = "co_financing"
    SOCIAL_INVESTMENT = "social_investment"
    OTHER = "other"


class EvidenceOutcome(StrEnum):
    """What an evaluation concluded."""

    POSITIVE = "positive"
    MIXED = "mixed"
    NEGATIVE = "negative"
    INCONCLUSIVE = "inconclusive"


class CareLevel(StrEnum):
    """Specialised versus near health care (DOMAIN.md §1.7)."""

    SPECIALISED = "specialised"
    NEAR = "near"
    CROSS_SECTOR = "cross_sector"


class DevelopmentType(StrEnum):
    """Development versus operation (DOMAIN.md §1.7)."""

    DEVELOPMENT = "development"
    OPERATIONS_NEAR = "operations_near"
    OPERATIONS = "operations"


class LinkRelation(StrEnum):
    """Typed links between projects, after IATI's related-activity."""

    PART_OF = "part_of"
    BUILDS_ON = "builds_on"
    SCALES = "scales"
    DEPENDS_ON = "depends_on"
    MERGED_INTO = "merged_into"
    RELATED = "related"


@dataclass(frozen=True)
class Principal:
    """Who is asking: an organisation's publisher token, an admin, or nobody."""

    organisation_id: str | None = None
    is_admin: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.is_admin or self.organisation_id is not None

    def can_write_for(self, organisation_id: str) -> bool:
        return self.is_admin or self.organisation_id == organisation_id

    def can_see(self, visibility: str, owner_id: str) -> bool:
        """Public to all, ecosystem to any token, private to the owner (and admins)."""
        if visibility == Visibility.PUBLIC or self.is_admin:
            return True
        if visibility == Visibility.ECOSYSTEM:
            return self.is_authenticated
        return self.organisation_id == owner_id


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown about an API token: never the secret, only its first characters."""

    id: int
    prefix: str | None
    organisation_id: str | None
    is_admin: bool
    label: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None

    @property
    def principal(self) -> Principal:
        return Principal(organisation_id=self.organisation_id, is_admin=self.is_admin)

    def is_expired(self, now: dt.datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def is_usable(self, now: dt.datetime) -> bool:
        """Neither revoked nor expired at ``now``."""
        return self.revoked_at is None and not self.is_expired(now)


@dataclass(frozen=True)
class ProjectRecord:
    """A published project as the analyses see it: plain data, no ORM."""

    id: int
    organisation_id: str
    external_id: str
    data: dict[str, Any]
    revision: int
    withdrawn: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @cached_property
    def card(self) -> ProjectCard:
        """The stored card read into named fields, once per record."""
        from ecosystem.card import ProjectCard  # the card module builds on this one

        return ProjectCard.from_data(self.data)

    @property
    def stage(self) -> Stage:
        return self.card.stage

    @property
    def visibility(self) -> str:
        return str(self.card.visibility)


@dataclass
class PublishResult:
    """What one publish did, by external id."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn)


@dataclass(frozen=True)
class Revision:
    """One immutable step in the history of a project or a group: who, when, what changed."""

    number: int
    action: str  # created, updated, withdrawn or restored
    actor: str
    created_at: dt.datetime
    changed_fields: list[str]
    data: dict[str, Any]
