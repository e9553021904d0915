"""Reading IATI activities into project cards through documented, data-driven tables.

Each ``iati-activity`` becomes a card (see ``docs/iati.md``): activity status → stage,
DAC sectors → themes (the admin-editable mapping, handed in as ``sector_themes``),
recipient countries and regions → areas, participating organisations → partners and
funding, related activities → links. Every problem is placed by activity and element.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ecosystem.iati.document import (
    OWN_VOCABULARY,
    RELATED_TO_RELATION,
    ROLE_FUNDING,
    STATUS_TO_STAGE,
    XML_LANG,
    element_text,
    iso_date,
    narrative,
    parse_xml,
    unique,
)
from ecosystem.spreadsheet import (
    MAX_ROWS,
    Card,
    FileRejected,
    LabelIndex,
    ParsedImport,
    Problem,
    Progress,
    Vocabularies,
    fold,
    validate_cards,
)

__all__ = ["parse_activities"]


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
    root = parse_xml(content)
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
            for identifier in (element_text(a.find("iati-identifier")) for a in activities)
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

        identifier = element_text(activity.find("iati-identifier"))
        if identifier:
            card["external_id"] = self._external_id(identifier)
        card["title"] = narrative(activity.find("title"), lang)
        card["description"] = narrative(_general_description(activity), lang)
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
        card["start_date"] = iso_date(dates.get("2") or dates.get("1"))
        card["end_date"] = iso_date(dates.get("4") or dates.get("3"))

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
            name = narrative(element, lang) or ref
            if not name:
                continue
            code = self._organisation(ref, name)
            if code == self.organisation_id:
                continue  # the publisher itself
            if element.get("role") == ROLE_FUNDING:
                funding.append({"name": name, "kind": "other"})
            else:
                partners.append({"organisation": code} if code else {"name": name})
        card["partners"] = unique(partners)
        card["funding_sources"] = unique(funding)

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
                "name": narrative(contact.find("person-name"), lang)
                or narrative(contact.find("department"), lang)
                or narrative(contact.find("organisation"), lang),
                "email": element_text(contact.find("email")),
                "phone": element_text(contact.find("telephone")),
                "url": element_text(contact.find("website")),
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
        card["links"] = unique(links)

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


def _general_description(activity: ET.Element) -> ET.Element | None:
    descriptions = activity.findall("description")
    for description in descriptions:
        if description.get("type") in (None, "1"):
            return description
    return descriptions[0] if descriptions else None
