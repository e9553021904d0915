"""A project card (portfolio document v1) as typed, immutable values.

The stored card is a JSON dict in its normal form (:func:`ecosystem.portfolio.normalise_project`).
:class:`ProjectCard` is that dict read once into named fields, so the rest of the code asks
``card.value_score`` instead of ``data.get("value_score")`` and the type checker sees what
every field is. Keys the card does not know yet are kept in ``extra``, and
``ProjectCard.from_data(d).to_data() == d`` for every valid stored card, so nothing is lost
between the two forms.
(:class:`ecosystem.draft.ProjectDraft` is the same for a draft not yet published.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar, cast

from ecosystem.model import (
    CareLevel,
    DevelopmentType,
    EvidenceOutcome,
    FundingKind,
    LinkRelation,
    Stage,
    Visibility,
)

__all__ = [
    "Contact",
    "Evidence",
    "FundingSource",
    "Link",
    "Partner",
    "ProjectCard",
    "date_value",
    "enum_member",
]

NO_EXTRA: Mapping[str, Any] = MappingProxyType({})
_E = TypeVar("_E", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class FundingSource:
    """Who pays: a name and the kind of money."""

    name: str
    kind: FundingKind = FundingKind.OTHER

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> FundingSource:
        return cls(str(data.get("name", "")), enum_member(FundingKind, data.get("kind", "other")))

    def to_data(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind.value}


@dataclass(frozen=True, slots=True)
class Partner:
    """A registered organisation (by id) or a free-text name; a valid card gives one of them."""

    organisation: str | None = None
    name: str | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Partner:
        return cls(data.get("organisation"), data.get("name"))

    def to_data(self) -> dict[str, Any]:
        return _present({"organisation": self.organisation, "name": self.name})


@dataclass(frozen=True, slots=True)
class Evidence:
    """What an evaluation found, where to read it and what it concluded."""

    summary: str | None = None
    url: str | None = None
    outcome: EvidenceOutcome | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Evidence:
        outcome = data.get("outcome")
        return cls(
            data.get("summary"),
            data.get("url"),
            enum_member(EvidenceOutcome, outcome) if outcome else None,
        )

    def to_data(self) -> dict[str, Any]:
        outcome = self.outcome.value if self.outcome else None
        return _present({"summary": self.summary, "url": self.url, "outcome": outcome})


@dataclass(frozen=True, slots=True)
class Contact:
    """Whom to ask about the project (a role or mailbox is enough)."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Contact:
        return cls(data.get("name"), data.get("email"), data.get("phone"), data.get("url"))

    def to_data(self) -> dict[str, Any]:
        return _present(
            {"name": self.name, "email": self.email, "phone": self.phone, "url": self.url}
        )


@dataclass(frozen=True, slots=True)
class Link:
    """A typed link to another project, named by its organisation and external id."""

    organisation: str
    external_id: str
    relation: LinkRelation = LinkRelation.RELATED

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Link:
        relation = enum_member(LinkRelation, data.get("relation") or "related")
        return cls(str(data["organisation"]), str(data["external_id"]), relation)

    def to_data(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "external_id": self.external_id,
            "relation": self.relation.value,
        }


# Every field of the document (docs/portfolio-format.md); any other key goes to ``extra``.
_KNOWN = frozenset(
    {
        "external_id",
        "title",
        "description",
        "stage",
        "themes",
        "target_groups",
        "areas",
        "start_date",
        "end_date",
        "budget_dkk",
        "funding_sources",
        "funding_ends",
        "implementation_owner",
        "operation_plan",
        "value_score",
        "value_rationale",
        "risk_score",
        "risk_rationale",
        "goals",
        "partners",
        "evidence",
        "contact",
        "visibility",
        "disclose_when_private",
        "care_level",
        "development_type",
        "links",
        "last_reviewed",
        "demo",
    }
)


@dataclass(frozen=True, slots=True)
class ProjectCard:
    """One project card, every field of the portfolio document v1 by name.

    Optional fields are ``None`` (or an empty tuple) when the card leaves them out. Records
    loaded without their long texts (:data:`ecosystem.store.catalogue.LONG_TEXTS`) have an
    empty ``description`` and no contact, partners or links.

    Examples
    --------
    >>> data = {"external_id": "P1", "title": "Tele-KOL", "description": "Hjemme.",
    ...         "stage": "pilot", "themes": ["T2"], "start_date": "2026-02-01", "x": 1}
    >>> card = ProjectCard.from_data(data)
    >>> card.stage, card.themes, card.start_date, dict(card.extra)
    (<Stage.PILOT: 'pilot'>, ('T2',), datetime.date(2026, 2, 1), {'x': 1})
    >>> written = card.to_data()
    >>> written["start_date"], written["x"], written["visibility"]
    ('2026-02-01', 1, 'public')
    """

    external_id: str
    title: str
    description: str
    stage: Stage
    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    budget_dkk: float | None = None
    funding_sources: tuple[FundingSource, ...] = ()
    # After the pool (P19): when the current funding ends, and who runs the work then and how.
    funding_ends: dt.date | None = None
    implementation_owner: str | None = None
    operation_plan: str | None = None
    value_score: int | None = None
    value_rationale: str | None = None
    risk_score: int | None = None
    risk_rationale: str | None = None
    goals: tuple[str, ...] = ()
    partners: tuple[Partner, ...] = ()
    evidence: Evidence | None = None
    contact: Contact | None = None
    visibility: Visibility = Visibility.PUBLIC
    disclose_when_private: bool = False
    care_level: CareLevel | None = None
    development_type: DevelopmentType | None = None
    links: tuple[Link, ...] = ()
    last_reviewed: dt.date | None = None
    demo: bool = False
    # Keys this version does not know (a newer document, say), kept so nothing is lost.
    extra: Mapping[str, Any] = field(default_factory=lambda: NO_EXTRA)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ProjectCard:
        """Read a stored card (normal form); a missing optional field is None or ()."""
        get = data.get
        evidence, contact = get("evidence"), get("contact")
        care_level, development_type = get("care_level"), get("development_type")
        return cls(
            external_id=str(get("external_id", "")),
            title=str(get("title", "")),
            description=str(get("description", "")),
            stage=enum_member(Stage, data["stage"]),
            themes=tuple(get("themes") or ()),
            target_groups=tuple(get("target_groups") or ()),
            areas=tuple(get("areas") or ()),
            start_date=date_value(get("start_date")),
            end_date=date_value(get("end_date")),
            budget_dkk=get("budget_dkk"),
            funding_sources=tuple(FundingSource.from_data(f) for f in get("funding_sources") or ()),
            funding_ends=date_value(get("funding_ends")),
            implementation_owner=get("implementation_owner"),
            operation_plan=get("operation_plan"),
            value_score=get("value_score"),
            value_rationale=get("value_rationale"),
            risk_score=get("risk_score"),
            risk_rationale=get("risk_rationale"),
            goals=tuple(get("goals") or ()),
            partners=tuple(Partner.from_data(p) for p in get("partners") or ()),
            evidence=Evidence.from_data(evidence) if evidence else None,
            contact=Contact.from_data(contact) if contact else None,
            visibility=enum_member(Visibility, get("visibility") or "public"),
            disclose_when_private=bool(get("disclose_when_private", False)),
            care_level=enum_member(CareLevel, care_level) if care_level else None,
            development_type=enum_member(DevelopmentType, development_type)
            if development_type
            else None,
            links=tuple(Link.from_data(link) for link in get("links") or ()),
            last_reviewed=date_value(get("last_reviewed")),
            demo=bool(get("demo", False)),
            extra=_extra(data),
        )

    def to_data(self) -> dict[str, Any]:
        """The stored form again: JSON types only, empty values left out."""
        data = _present(
            {
                "external_id": self.external_id or None,
                "title": self.title or None,
                "description": self.description or None,
                "stage": self.stage.value,
                "themes": list(self.themes) or None,
                "target_groups": list(self.target_groups) or None,
                "areas": list(self.areas) or None,
                "start_date": _iso(self.start_date),
                "end_date": _iso(self.end_date),
                "budget_dkk": self.budget_dkk,
                "funding_sources": [f.to_data() for f in self.funding_sources] or None,
                "funding_ends": _iso(self.funding_ends),
                "implementation_owner": self.implementation_owner,
                "operation_plan": self.operation_plan,
                "value_score": self.value_score,
                "value_rationale": self.value_rationale,
                "risk_score": self.risk_score,
                "risk_rationale": self.risk_rationale,
                "goals": list(self.goals) or None,
                "partners": [p.to_data() for p in self.partners] or None,
                "evidence": self.evidence.to_data() if self.evidence else None,
                "contact": self.contact.to_data() if self.contact else None,
                "visibility": self.visibility.value,
                "disclose_when_private": self.disclose_when_private,
                "care_level": self.care_level.value if self.care_level else None,
                "development_type": self.development_type.value if self.development_type else None,
                "links": [link.to_data() for link in self.links] or None,
                "last_reviewed": _iso(self.last_reviewed),
                "demo": self.demo,
            }
        )
        data.update(self.extra)
        return data

    @property
    def partner_organisations(self) -> tuple[str, ...]:
        """The partners that are registered organisations, by id."""
        return tuple(p.organisation for p in self.partners if p.organisation)

    @property
    def evidence_outcome(self) -> EvidenceOutcome | None:
        return self.evidence.outcome if self.evidence else None


def _extra(data: Mapping[str, Any]) -> Mapping[str, Any]:
    # Nearly every card has no unknown key; share one empty mapping rather than build one.
    if data.keys() <= _KNOWN:
        return NO_EXTRA
    return MappingProxyType({k: v for k, v in data.items() if k not in _KNOWN})


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def enum_member(kind: type[_E], value: Any) -> _E:
    """The member of ``kind`` with this value, as ``kind(value)`` (which raises if none).

    Looked up in the enum's own map first: cards are read by the thousand, and calling an
    enum class costs several times more than a dict lookup.
    """
    member = kind._value2member_map_.get(value)
    return cast(_E, member) if member is not None else kind(value)


def date_value(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
