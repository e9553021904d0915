"""The IATI document: its version, the code mappings both ways, and safe parsing.

XML with a DTD or entities is refused before anything is read (no XXE, no entity bombs).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from ecosystem.spreadsheet import FileRejected

__all__ = [
    "ORG_KIND_TO_TYPE",
    "OWN_VOCABULARY",
    "RELATED_TO_RELATION",
    "RELATION_TO_RELATED",
    "ROLE_ACCOUNTABLE",
    "ROLE_FUNDING",
    "ROLE_IMPLEMENTING",
    "STAGE_TO_STATUS",
    "STATUS_TO_STAGE",
    "VERSION",
    "XML_LANG",
    "activity_identifier",
    "element_text",
    "iso_date",
    "narrative",
    "parse_xml",
    "unique",
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


def activity_identifier(organisation_id: str, external_id: str) -> str:
    """How an exported activity is identified: our organisation id, then its own project id.

    Our organisations have no registered IATI organisation identifiers, so the export uses
    the ids of this service (docs/iati.md).

    >>> activity_identifier("kommune-aarhus", "SUND-2026-014")
    'kommune-aarhus-SUND-2026-014'
    """
    return f"{organisation_id}-{external_id}"


def parse_xml(content: bytes) -> ET.Element:
    """The root element of a well-formed document without DTD or entities."""
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


def element_text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def narrative(element: ET.Element | None, lang: str | None) -> str | None:
    """The Danish narrative if there is one, else the activity's own language, else any."""
    if element is None:
        return None
    narratives = [
        (n.get(XML_LANG) or lang or "", element_text(n))
        for n in element.findall("narrative")
        if element_text(n)
    ]
    for wanted in ("da", lang or "", "en"):
        for language, text in narratives:
            if language == wanted:
                return text
    return narratives[0][1] if narratives else None


def iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return value  # the schema check reports it with its place


def unique(items: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    unique: list[dict[str, str]] = []
    for item in items:
        if item not in unique:
            unique.append(item)
    return unique
