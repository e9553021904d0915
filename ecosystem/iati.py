"""IATI activity XML (standard 2.0x): import into project cards, export from them.

International partners exchange development activities as IATI XML. An import maps each
``iati-activity`` onto a project card through documented, data-driven tables (see
``docs/iati.md``): activity status → stage, DAC sectors → themes (the admin-editable
mapping from ``ecosystem.store.imports``), recipient countries and regions → areas,
participating organisations → partners and funding, related activities → links. The
export writes any set of projects as IATI 2.03 activities that validate against the
official schema kept in ``seeds/data/iati``.

XML with a DTD or entities is refused before anything is read (no XXE, no entity bombs).
Pure: no database.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from ecosystem.model import ProjectRecord
from ecosystem.spreadsheet import (
    MAX_ROWS,
    FileRejected,
    LabelIndex,
    ParsedImport,
    Problem,
    Progress,
    Vocabularies,
    fold,
    validate_cards,
)

__all__ = [
    "ORG_KIND_TO_TYPE",
    "RELATED_TO_RELATION",
    "RELATION_TO_RELATED",
    "STAGE_TO_STATUS",
    "STATUS_TO_STAGE",
    "ExportNames",
    "activities_xml",
    "activity_identifier",
    "parse_activities",
    "schema_errors",
]

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Our own codes travel in IATI's "reporting organisation" vocabulary (99), with a URI that
# says which list they come from.
OWN_VOCABULARY = "99"

# IATI ActivityStatus → our stage. 3 and 4 both mean the activity is over.
STATUS_TO_STAGE = {
    "1": "analysis",  # Pipeline/identification: scoped or planned
    "2": "implementation",
    "3": "completed",  # Completion
    "4": "completed",  # Post-completion
    "5": "stopped",  # Cancelled
    "6": "stopped",  # Suspended
}
STAGE_TO_STATUS = {
    "idea": "1",
    "analysis": "1",
    "pilot": "2",
    "implementation": "2",
    "operation": "3",  # the development work is complete; the solution runs in daily operation
    "completed": "4",
    "stopped": "5",
}
# IATI RelatedActivityType → our link relation: only "parent" has an exact counterpart.
RELATED_TO_RELATION = {
    "1": "part_of",
    "2": "related",
    "3": "related",
    "4": "related",
    "5": "related",
}
RELATION_TO_RELATED = {
    "part_of": "1",
    "builds_on": "3",
    "scales": "3",
    "depends_on": "3",
    "merged_into": "3",
    "related": "3",
}
# Our organisation kinds → IATI OrganisationType.
ORG_KIND_TO_TYPE = {
    "region": "11",  # regional government is local government in IATI's terms
    "municipality": "11",
    "hospital": "15",
    "general_practice": "70",
    "university": "80",
    "university_college": "80",
    "national_body": "10",
    "joint_regional_body": "15",
    "health_council": "15",
    "patient_org": "22",
    "ngo": "22",
    "company": "70",
    "foundation": "60",
    "other": "90",
}
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
_DANISH_SCHEMES = {"municipality", "region", "health_council", "national"}


def _seeds_data(name: str) -> Path:
    """A path under seeds/data, found without importing the seeds package."""
    spec = importlib.util.find_spec("seeds")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("The seeds package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / name


SCHEMA_FILE = "iati/iati-activities-schema.xsd"


# --- import ----------------------------------------------------------------------------


def activity_identifier(organisation_id: str, external_id: str) -> str:
    """How an exported activity is identified: our organisation id, then its own project id.

    Our organisations have no registered IATI organisation identifiers, so the export uses
    the ids of this service (docs/iati.md).

    >>> activity_identifier("kommune-aarhus", "SUND-2026-014")
    'kommune-aarhus-SUND-2026-014'
    """
    return f"{organisation_id}-{external_id}"


def parse_activities(
    content: bytes,
    vocabularies: Vocabularies,
    *,
    sector_themes: Mapping[str, Sequence[str]],
    organisation_id: str,
    max_rows: int = MAX_ROWS,
    progress: Progress | None = None,
) -> ParsedImport:
    """Read an IATI activity file into project cards, with every problem placed."""
    root = _parse_xml(content)
    if root.tag != "iati-activities":
        raise FileRejected(
            f"Rodelementet er <{root.tag}>, ikke <iati-activities>; filen er ikke IATI-aktiviteter",
            f"The root element is <{root.tag}>, not <iati-activities>; this is not an IATI activity file",
        )
    version = root.get("version", "")
    if not version.startswith("2."):
        raise FileRejected(
            f"IATI-version '{version}' understøttes ikke; kun 2.x",
            f"IATI version '{version}' is not supported; only 2.x",
        )
    activities = root.findall("iati-activity")
    if not activities:
        raise FileRejected("Filen har ingen aktiviteter", "The file has no activities")
    if len(activities) > max_rows:
        raise FileRejected(
            f"Filen har mere end {max_rows} aktiviteter; del den op",
            f"The file has more than {max_rows} activities; split it",
        )
    reader = _ActivityReader(vocabularies, sector_themes, organisation_id, activities)
    cards = []
    for number, activity in enumerate(activities, start=1):
        cards.append(reader.read(number, activity))
        if progress is not None and (number % 500 == 0 or number == len(activities)):
            progress(number, len(activities))
    rows = validate_cards(cards, _element_for, unit="activity")
    return ParsedImport("iati", rows, [], {"iati_version": version})


def _parse_xml(content: bytes) -> ET.Element:
    try:
        root: ET.Element = safe_fromstring(content, forbid_dtd=True)
    except DefusedXmlException as error:
        raise FileRejected(
            "XML med DTD eller entiteter afvises (sikkerhed); fjern <!DOCTYPE …>",
            "XML with a DTD or entities is refused (security); remove <!DOCTYPE …>",
        ) from error
    except ET.ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise FileRejected(
            f"XML-filen er ikke gyldig XML (linje {line}, kolonne {column})",
            f"The XML file is not well-formed (line {line}, column {column})",
        ) from error
    return root


# card field → the IATI element it comes from, for problem messages
_ELEMENTS = {
    "external_id": "iati-identifier",
    "title": "title",
    "description": "description",
    "stage": "activity-status",
    "themes": "sector",
    "target_groups": "tag",
    "goals": "tag",
    "areas": "recipient-country",
    "start_date": "activity-date",
    "end_date": "activity-date",
    "budget_dkk": "budget",
    "partners": "participating-org",
    "funding_sources": "participating-org",
    "contact": "contact-info",
    "links": "related-activity",
}


def _element_for(path: str) -> str:
    return _ELEMENTS.get(path.split(".")[0].split("[")[0], path or "iati-activity")


Card = tuple[int, dict[str, Any], list[Problem], set[str]]


class _ActivityReader:
    def __init__(
        self,
        vocabularies: Vocabularies,
        sector_themes: Mapping[str, Sequence[str]],
        organisation_id: str,
        activities: Sequence[ET.Element],
    ) -> None:
        self.organisation_id = organisation_id
        self.sector_themes = sector_themes
        self.themes = {term.code for term in vocabularies.themes}
        self.target_groups = {term.code for term in vocabularies.target_groups}
        self.goals = {term.code for term in vocabularies.goals}
        self.areas = {term.code: term for term in vocabularies.areas}
        self.organisations = LabelIndex("organisation", "organisation", vocabularies.organisations)
        self.organisation_ids = sorted(
            (term.code for term in vocabularies.organisations), key=len, reverse=True
        )
        self.own_name = next(
            (fold(t.label_da) for t in vocabularies.organisations if t.code == organisation_id), ""
        )
        # Identifiers in this file → external ids, so related activities can point at them.
        self.in_file = {
            identifier: self._external_id(identifier)
            for identifier in (_text(a.find("iati-identifier")) for a in activities)
            if identifier
        }

    def _external_id(self, identifier: str) -> str:
        """Our own export prefixes the organisation id; an import for it strips that again."""
        prefix = f"{self.organisation_id}-"
        return identifier[len(prefix) :] if identifier.startswith(prefix) else identifier

    def read(self, number: int, activity: ET.Element) -> Card:
        lang = activity.get(XML_LANG)
        card: dict[str, Any] = {}
        problems: list[Problem] = []
        failed: set[str] = set()

        def problem(element: str, da: str, en: str, *, severity: str = "error") -> None:
            problems.append(
                Problem(da, en, row=number, column=element, severity=severity, unit="activity")
            )
            if severity == "error":
                failed.add(next((k for k, v in _ELEMENTS.items() if v == element), element))

        identifier = _text(activity.find("iati-identifier"))
        if identifier:
            card["external_id"] = self._external_id(identifier)
        card["title"] = _narrative(activity.find("title"), lang)
        card["description"] = _narrative(_general_description(activity), lang)
        self._stage(activity, card, problem)
        self._dates(activity, card)
        self._themes(activity, card, problem)
        self._tags(activity, card)
        self._areas(activity, card, problem)
        self._organisations(activity, card, lang)
        self._contact(activity, card, lang)
        self._budget(activity, card, problem)
        self._links(activity, card, problem)
        return number, {k: v for k, v in card.items() if v not in (None, [], {})}, problems, failed

    def _stage(self, activity: ET.Element, card: dict[str, Any], problem: _Report) -> None:
        status = activity.find("activity-status")
        code = status.get("code") if status is not None else None
        if code is None:
            problem(
                "activity-status",
                "Aktivitetsstatus mangler",
                "activity-status is missing",
            )
        elif code not in STATUS_TO_STAGE:
            problem(
                "activity-status",
                f"Ukendt aktivitetsstatus '{code}'",
                f"Unknown activity-status code '{code}'",
            )
        else:
            card["stage"] = STATUS_TO_STAGE[code]
            if code == "6":
                problem(
                    "activity-status",
                    "Aktiviteten er sat i bero (6) og bliver til fasen 'Stoppet'",
                    "The activity is suspended (6) and becomes stage 'stopped'",
                    severity="warning",
                )

    def _dates(self, activity: ET.Element, card: dict[str, Any]) -> None:
        dates = {
            element.get("type"): element.get("iso-date")
            for element in activity.findall("activity-date")
        }
        # Actual dates win over planned ones.
        card["start_date"] = _iso_date(dates.get("2") or dates.get("1"))
        card["end_date"] = _iso_date(dates.get("4") or dates.get("3"))

    def _themes(self, activity: ET.Element, card: dict[str, Any], problem: _Report) -> None:
        themes: list[str] = []
        unmapped: list[str] = []
        for sector in activity.findall("sector"):
            code = (sector.get("code") or "").strip()
            vocabulary = sector.get("vocabulary") or "1"
            if vocabulary in (OWN_VOCABULARY, "98") and code in self.themes:
                themes.append(code)
            elif vocabulary in ("1", "2"):
                mapped = self.sector_themes.get(code) or self.sector_themes.get(code[:3]) or []
                themes += [theme for theme in mapped if theme in self.themes]
                if not mapped:
                    unmapped.append(code)
        card["themes"] = list(dict.fromkeys(themes))
        if unmapped:
            problem(
                "sector",
                f"DAC-sektor {', '.join(unmapped)} har intet tema; en administrator kan tilføje "
                "det i sektor-tema-tabellen",
                f"DAC sector {', '.join(unmapped)} maps to no theme; an admin can add it to the "
                "sector-theme mapping",
                severity="warning" if themes else "error",
            )
        elif not themes:
            problem(
                "sector",
                "Aktiviteten har ingen sektor, der giver et tema",
                "The activity has no sector that gives a theme",
            )

    def _tags(self, activity: ET.Element, card: dict[str, Any]) -> None:
        """Target groups and goals from our own export (tags in vocabulary 99)."""
        for tag in activity.findall("tag"):
            uri = tag.get("vocabulary-uri") or ""
            code = tag.get("code") or ""
            if tag.get("vocabulary") != OWN_VOCABULARY:
                continue
            if uri.endswith("/target-groups") and code in self.target_groups:
                card.setdefault("target_groups", []).append(code)
            elif uri.endswith("/goals") and code in self.goals:
                card.setdefault("goals", []).append(code)

    def _areas(self, activity: ET.Element, card: dict[str, Any], problem: _Report) -> None:
        areas: list[str] = []
        for location in activity.findall("location"):
            ref = location.get("ref")
            if ref and ref in self.areas:
                areas.append(ref)
        for kind in ("recipient-country", "recipient-region"):
            for element in activity.findall(kind):
                code = (element.get("code") or "").strip()
                area = code.upper() if kind == "recipient-country" else code
                if area in self.areas:
                    # Denmark is implied by the places inside it (our export names both).
                    if not (area == "DK" and areas):
                        areas.append(area)
                else:
                    problem(
                        kind,
                        f"'{code}' findes ikke som område; en administrator kan oprette området "
                        f"'{area}' (POST /api/v1/areas)",
                        f"'{code}' is not a known area; an admin can create the area '{area}' "
                        "(POST /api/v1/areas)",
                    )
        card["areas"] = list(dict.fromkeys(areas))

    def _organisations(self, activity: ET.Element, card: dict[str, Any], lang: str | None) -> None:
        partners: list[dict[str, str]] = []
        funding: list[dict[str, str]] = []
        for element in activity.findall("participating-org"):
            ref = (element.get("ref") or "").strip()
            name = _narrative(element, lang) or ref
            if not name:
                continue
            code = self._organisation(ref, name)
            if code == self.organisation_id:
                continue  # the publisher itself
            if element.get("role") == ROLE_FUNDING:
                funding.append({"name": name, "kind": "other"})
            else:
                partners.append({"organisation": code} if code else {"name": name})
        card["partners"] = _unique(partners)
        card["funding_sources"] = _unique(funding)

    def _organisation(self, ref: str, name: str) -> str | None:
        for candidate in (ref, name):
            code = self.organisations.find(candidate) if candidate else None
            if code is not None:
                return code
        if fold(name) == self.own_name:
            return self.organisation_id
        return None

    def _contact(self, activity: ET.Element, card: dict[str, Any], lang: str | None) -> None:
        contact = activity.find("contact-info")
        if contact is None:
            return
        card["contact"] = {
            key: value
            for key, value in {
                "name": _narrative(contact.find("person-name"), lang)
                or _narrative(contact.find("department"), lang)
                or _narrative(contact.find("organisation"), lang),
                "email": _text(contact.find("email")),
                "phone": _text(contact.find("telephone")),
                "url": _text(contact.find("website")),
            }.items()
            if value
        }

    def _budget(self, activity: ET.Element, card: dict[str, Any], problem: _Report) -> None:
        budgets = activity.findall("budget")
        # Revised budgets replace the original ones when a publisher gives both.
        revised = [b for b in budgets if b.get("type") == "2"]
        total, other_currencies = 0.0, set()
        for budget in revised or budgets:
            value = budget.find("value")
            if value is None or not (value.text or "").strip():
                continue
            currency = value.get("currency") or activity.get("default-currency") or ""
            if currency.upper() != "DKK":
                other_currencies.add(currency or "?")
                continue
            try:
                total += float(value.text or "")
            except ValueError:
                problem(
                    "budget", f"'{value.text}' er ikke et tal", f"'{value.text}' is not a number"
                )
        if total:
            card["budget_dkk"] = total
        if other_currencies:
            problem(
                "budget",
                f"Budgetter i {', '.join(sorted(other_currencies))} omregnes ikke og er udeladt",
                f"Budgets in {', '.join(sorted(other_currencies))} are not converted and are left out",
                severity="warning",
            )

    def _links(self, activity: ET.Element, card: dict[str, Any], problem: _Report) -> None:
        links = []
        for element in activity.findall("related-activity"):
            ref = (element.get("ref") or "").strip()
            relation = RELATED_TO_RELATION.get(element.get("type") or "", "related")
            target = self._activity_ref(ref)
            if target is None:
                problem(
                    "related-activity",
                    f"Den relaterede aktivitet '{ref}' kendes ikke og bliver ikke til en relation",
                    f"The related activity '{ref}' is not known and is left out",
                    severity="warning",
                )
                continue
            links.append(
                {"organisation": target[0], "external_id": target[1], "relation": relation}
            )
        card["links"] = _unique(links)

    def _activity_ref(self, ref: str) -> tuple[str, str] | None:
        """An activity in this file, or one exported by us (``<organisation id>-<project id>``)."""
        if ref in self.in_file:
            return self.organisation_id, self.in_file[ref]
        for organisation_id in self.organisation_ids:
            prefix = f"{organisation_id}-"
            if ref.startswith(prefix) and len(ref) > len(prefix):
                return organisation_id, ref[len(prefix) :]
        return None


_Report = Callable[..., None]


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _narrative(element: ET.Element | None, lang: str | None) -> str | None:
    """The Danish narrative if there is one, else the activity's own language, else any."""
    if element is None:
        return None
    narratives = [
        (n.get(XML_LANG) or lang or "", _text(n)) for n in element.findall("narrative") if _text(n)
    ]
    for wanted in ("da", lang or "", "en"):
        for language, text in narratives:
            if language == wanted:
                return text
    return narratives[0][1] if narratives else None


def _general_description(activity: ET.Element) -> ET.Element | None:
    descriptions = activity.findall("description")
    for description in descriptions:
        if description.get("type") in (None, "1"):
            return description
    return descriptions[0] if descriptions else None


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return value  # the schema check reports it with its place


def _unique(items: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    unique: list[dict[str, str]] = []
    for item in items:
        if item not in unique:
            unique.append(item)
    return unique


# --- export ----------------------------------------------------------------------------


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
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


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
    data = record.data
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
    _narrate(activity, "title", data["title"])
    _narrate(activity, "description", data["description"], {"type": "1"})
    _participating_orgs(activity, data, names, owner, owner_name, owner_kind)
    _sub(activity, "activity-status", {"code": STAGE_TO_STATUS.get(data["stage"], "2")})
    _activity_dates(activity, record, today)
    _contact_info(activity, data, owner_name)
    _places(activity, data, names)
    _sectors(activity, data, names, api)
    _tag_list(activity, data.get("target_groups", []), names.target_groups, f"{api}/target-groups")
    _tag_list(activity, data.get("goals", []), names.goals, f"{api}/goals")
    _budget_element(activity, data)
    for link in data.get("links", []):
        _sub(
            activity,
            "related-activity",
            {
                "ref": activity_identifier(link["organisation"], link["external_id"]),
                "type": RELATION_TO_RELATED.get(link.get("relation", "related"), "3"),
            },
        )
    return activity


def _org_type(kind: str) -> str:
    return ORG_KIND_TO_TYPE.get(kind, "90")


def _participating_orgs(
    activity: ET.Element,
    data: Mapping[str, Any],
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
    for source in data.get("funding_sources", []):
        _narrate(activity, "participating-org", source["name"], {"role": ROLE_FUNDING})
    for partner in data.get("partners", []):
        code = partner.get("organisation")
        if code:
            name, kind = names.organisations.get(code, (code, "other"))
            attributes = {"ref": code, "type": _org_type(kind), "role": ROLE_IMPLEMENTING}
            _narrate(activity, "participating-org", name, attributes)
        else:
            _narrate(activity, "participating-org", partner["name"], {"role": ROLE_IMPLEMENTING})


def _activity_dates(activity: ET.Element, record: ProjectRecord, today: dt.date) -> None:
    data = record.data
    start, end = data.get("start_date"), data.get("end_date")
    finished = data["stage"] in ("operation", "completed", "stopped")
    if start:
        started = dt.date.fromisoformat(start) <= today
        _sub(activity, "activity-date", {"type": "2" if started else "1", "iso-date": start})
    if end:
        ended = finished and dt.date.fromisoformat(end) <= today
        _sub(activity, "activity-date", {"type": "4" if ended else "3", "iso-date": end})
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


def _contact_info(activity: ET.Element, data: Mapping[str, Any], owner_name: str) -> None:
    contact = data.get("contact")
    if not contact:
        return
    element = _sub(activity, "contact-info")
    _narrate(element, "organisation", owner_name)
    if contact.get("name"):
        _narrate(element, "person-name", contact["name"])
    for key, tag in (("phone", "telephone"), ("email", "email"), ("url", "website")):
        if contact.get(key):
            _sub(element, tag).text = contact[key]


def _places(activity: ET.Element, data: Mapping[str, Any], names: ExportNames) -> None:
    areas = data.get("areas", [])
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


def _sectors(activity: ET.Element, data: Mapping[str, Any], names: ExportNames, api: str) -> None:
    themes = data.get("themes", [])
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


def _budget_element(activity: ET.Element, data: Mapping[str, Any]) -> None:
    budget, start, end = data.get("budget_dkk"), data.get("start_date"), data.get("end_date")
    if budget is None or not (start and end):
        return  # an IATI budget needs a period
    element = _sub(activity, "budget", {"type": "1", "status": "1"})
    _sub(element, "period-start", {"iso-date": start})
    _sub(element, "period-end", {"iso-date": end})
    value = _sub(element, "value", {"currency": "DKK", "value-date": start})
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


# --- validation ------------------------------------------------------------------------


@functools.cache
def _schema() -> Any:
    import xmlschema

    # Local files only: the schema and its imports are in the repository.
    return xmlschema.XMLSchema(str(_seeds_data(SCHEMA_FILE)), allow="local", defuse="always")


def schema_errors(document: bytes, limit: int = 20) -> list[str]:
    """Why ``document`` is not a valid IATI 2.03 activity file (empty when it is)."""
    root = _parse_xml(document)
    errors = []
    for error in _schema().iter_errors(root):
        errors.append(f"{error.path}: {error.reason}")
        if len(errors) >= limit:
            break
    return errors
