"""Writing projects as IATI 2.03 activities that validate against the official schema.

Our own codes travel in IATI's "reporting organisation" vocabulary (99), with a URI under
the service's base URL that names the list they come from.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ecosystem.card import Contact, ProjectCard
from ecosystem.iati.document import (
    ORG_KIND_TO_TYPE,
    OWN_VOCABULARY,
    RELATION_TO_RELATED,
    ROLE_ACCOUNTABLE,
    ROLE_FUNDING,
    ROLE_IMPLEMENTING,
    STAGE_TO_STATUS,
    VERSION,
    XML_LANG,
    activity_identifier,
)
from ecosystem.model import ProjectRecord
from ecosystem.safe_text import xml_safe

__all__ = ["ExportNames", "activities_xml"]

_DANISH_SCHEMES = {"municipality", "region", "health_council", "national"}


@dataclass(frozen=True)
class ExportNames:
    """Names and kinds the export writes next to codes (all plain data)."""

    organisations: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # id → (name, kind)
    areas: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # code → (name, scheme)
    themes: Mapping[str, str] = field(default_factory=dict)
    target_groups: Mapping[str, str] = field(default_factory=dict)
    goals: Mapping[str, str] = field(default_factory=dict)


def activities_xml(
    records: Sequence[ProjectRecord],
    names: ExportNames,
    *,
    base_url: str,
    generated: dt.datetime | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The projects as an IATI 2.03 activity file (UTF-8), valid against the official schema."""
    generated = generated or dt.datetime.now(dt.UTC)
    today = today or generated.date()
    root = ET.Element(
        "iati-activities",
        {"version": VERSION, "generated-datetime": _datetime(generated)},
    )
    api = base_url.rstrip("/") + "/api/v1"
    for record in records:
        root.append(_activity_element(record, names, api, today))
    _repair_text(root)
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _repair_text(root: ET.Element) -> None:
    """Replace what XML 1.0 cannot carry, so text stored before the input rule (or by hand)
    can never make the file malformed: ElementTree would write a control character as is."""
    for element in root.iter():
        if element.text:
            element.text = xml_safe(element.text)
        if element.tail:
            element.tail = xml_safe(element.tail)
        for name, value in element.attrib.items():
            element.set(name, xml_safe(value))


def _datetime(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _sub(parent: ET.Element, tag: str, attributes: Mapping[str, str] | None = None) -> ET.Element:
    return ET.SubElement(parent, tag, dict(attributes or {}))


def _narrate(
    parent: ET.Element, tag: str, text: str, attributes: Mapping[str, str] | None = None
) -> ET.Element:
    element = _sub(parent, tag, attributes)
    _sub(element, "narrative").text = text
    return element


def _activity_element(
    record: ProjectRecord, names: ExportNames, api: str, today: dt.date
) -> ET.Element:
    card = record.card
    owner = record.organisation_id
    owner_name, owner_kind = names.organisations.get(owner, (owner, "other"))
    activity = ET.Element(
        "iati-activity",
        {
            "last-updated-datetime": _datetime(record.updated_at),
            XML_LANG: "da",
            "default-currency": "DKK",
        },
    )
    # The schema fixes the order of these elements.
    _sub(activity, "iati-identifier").text = activity_identifier(owner, record.external_id)
    _narrate(activity, "reporting-org", owner_name, {"ref": owner, "type": _org_type(owner_kind)})
    _narrate(activity, "title", card.title)
    _narrate(activity, "description", card.description, {"type": "1"})
    _participating_orgs(activity, card, names, owner, owner_name, owner_kind)
    _sub(activity, "activity-status", {"code": STAGE_TO_STATUS.get(card.stage, "2")})
    _activity_dates(activity, record, today)
    _contact_info(activity, card.contact, owner_name)
    _places(activity, card.areas, names)
    _sectors(activity, card.themes, names, api)
    _tag_list(activity, card.target_groups, names.target_groups, f"{api}/target-groups")
    _tag_list(activity, card.goals, names.goals, f"{api}/goals")
    _budget_element(activity, card)
    for link in card.links:
        _sub(
            activity,
            "related-activity",
            {
                "ref": activity_identifier(link.organisation, link.external_id),
                "type": RELATION_TO_RELATED.get(link.relation, "3"),
            },
        )
    return activity


def _org_type(kind: str) -> str:
    return ORG_KIND_TO_TYPE.get(kind, "90")


def _participating_orgs(
    activity: ET.Element,
    card: ProjectCard,
    names: ExportNames,
    owner: str,
    owner_name: str,
    owner_kind: str,
) -> None:
    _narrate(
        activity,
        "participating-org",
        owner_name,
        {"ref": owner, "type": _org_type(owner_kind), "role": ROLE_ACCOUNTABLE},
    )
    for source in card.funding_sources:
        _narrate(activity, "participating-org", source.name, {"role": ROLE_FUNDING})
    for partner in card.partners:
        code = partner.organisation
        if code:
            name, kind = names.organisations.get(code, (code, "other"))
            attributes = {"ref": code, "type": _org_type(kind), "role": ROLE_IMPLEMENTING}
            _narrate(activity, "participating-org", name, attributes)
        else:
            name = partner.name or ""
            _narrate(activity, "participating-org", name, {"role": ROLE_IMPLEMENTING})


def _activity_dates(activity: ET.Element, record: ProjectRecord, today: dt.date) -> None:
    card = record.card
    start, end = card.start_date, card.end_date
    finished = card.stage in ("operation", "completed", "stopped")
    if start:
        started = start <= today
        _sub(
            activity,
            "activity-date",
            {"type": "2" if started else "1", "iso-date": start.isoformat()},
        )
    if end:
        ended = finished and end <= today
        _sub(
            activity, "activity-date", {"type": "4" if ended else "3", "iso-date": end.isoformat()}
        )
    if not (start or end):
        # The schema requires a date; without one, say honestly which date this is.
        published = record.created_at.date().isoformat()
        _narrate(
            activity,
            "activity-date",
            "Ingen startdato angivet; datoen er første offentliggørelse / "
            "No start date given; this is the date first published",
            {"type": "1", "iso-date": published},
        )


def _contact_info(activity: ET.Element, contact: Contact | None, owner_name: str) -> None:
    if contact is None:
        return
    element = _sub(activity, "contact-info")
    _narrate(element, "organisation", owner_name)
    if contact.name:
        _narrate(element, "person-name", contact.name)
    for value, tag in (
        (contact.phone, "telephone"),
        (contact.email, "email"),
        (contact.url, "website"),
    ):
        if value:
            _sub(element, tag).text = value


def _places(activity: ET.Element, areas: Sequence[str], names: ExportNames) -> None:
    schemes = {code: names.areas.get(code, (code, ""))[1] for code in areas}
    countries = [code for code in areas if schemes[code] == "country"]
    if any(scheme in _DANISH_SCHEMES for scheme in schemes.values()):
        countries = ["DK", *countries]
    countries = list(dict.fromkeys(countries))
    for code, percentage in zip(countries, _percentages(len(countries)), strict=True):
        attributes = {"code": code}
        if len(countries) > 1:
            attributes["percentage"] = percentage
        _sub(activity, "recipient-country", attributes)
    for code in areas:
        if schemes[code] in ("country", "national") or code == "DK":
            continue
        location = _sub(activity, "location", {"ref": code})
        _narrate(location, "name", names.areas.get(code, (code, ""))[0])


def _sectors(activity: ET.Element, themes: Sequence[str], names: ExportNames, api: str) -> None:
    for code, percentage in zip(themes, _percentages(len(themes)), strict=True):
        sector = _sub(
            activity,
            "sector",
            {
                "vocabulary": OWN_VOCABULARY,
                "vocabulary-uri": f"{api}/themes",
                "code": code,
                "percentage": percentage,
            },
        )
        _sub(sector, "narrative").text = names.themes.get(code, code)


def _tag_list(
    activity: ET.Element, codes: Iterable[str], labels: Mapping[str, str], uri: str
) -> None:
    for code in codes:
        tag = _sub(
            activity, "tag", {"vocabulary": OWN_VOCABULARY, "vocabulary-uri": uri, "code": code}
        )
        _sub(tag, "narrative").text = labels.get(code, code)


def _budget_element(activity: ET.Element, card: ProjectCard) -> None:
    budget, start, end = card.budget_dkk, card.start_date, card.end_date
    if budget is None or not (start and end):
        return  # an IATI budget needs a period
    element = _sub(activity, "budget", {"type": "1", "status": "1"})
    _sub(element, "period-start", {"iso-date": start.isoformat()})
    _sub(element, "period-end", {"iso-date": end.isoformat()})
    value = _sub(element, "value", {"currency": "DKK", "value-date": start.isoformat()})
    value.text = f"{budget:.2f}"


def _percentages(count: int) -> list[str]:
    """Equal shares that add up to exactly 100, as IATI asks within one vocabulary.

    >>> _percentages(3)
    ['33.33', '33.33', '33.34']
    """
    if count == 0:
        return []
    share = round(100 / count, 2)
    shares = [share] * (count - 1) + [round(100 - share * (count - 1), 2)]
    return [f"{value:.2f}" for value in shares]
