"""Names of the card's fields and vocabularies, as the pages show them (translated).

Stage names come from the core (``ecosystem.groups.STAGE_LABELS``, Danish and English)
so pages, exports and analyses call a stage the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ecosystem.explain import RELATION_LABELS
from ecosystem.groups import STAGE_LABELS
from ecosystem.model import Stage
from ecosystem.overlap import Relation

__all__ = [
    "ACTIONS",
    "CARE_LEVELS",
    "DEVELOPMENT_TYPES",
    "FIELDS",
    "FUNDING_KINDS",
    "GEOGRAPHY",
    "KINDS",
    "LINK_RELATIONS",
    "OUTCOMES",
    "SCHEMES",
    "STAGE_COLOURS",
    "VISIBILITY",
    "relation_label",
    "stage_label",
]

Text: TypeAlias = LazyString | str

VISIBILITY: Mapping[str, Text] = {
    "public": _l("Public: everyone"),
    "ecosystem": _l("Ecosystem: signed-in organisations"),
    "private": _l("Private: only our organisation"),
}
CARE_LEVELS: Mapping[str, Text] = {
    "specialised": _l("Specialised health care"),
    "near": _l("Near health care"),
    "cross_sector": _l("Cross-sector"),
}
DEVELOPMENT_TYPES: Mapping[str, Text] = {
    "development": _l("Development"),
    "operations_near": _l("Development close to operations"),
    "operations": _l("Operations"),
}
FUNDING_KINDS: Mapping[str, Text] = {
    "own": _l("Own funds"),
    "block_grant": _l("Block grant"),
    "national_pool": _l("National pool"),
    "public_research_fund": _l("Public research fund"),
    "private_foundation": _l("Private foundation"),
    "partnership": _l("Partnership"),
    "eu": _l("EU"),
    "co_financing": _l("Co-financing"),
    "social_investment": _l("Social investment"),
    "other": _l("Other"),
}
OUTCOMES: Mapping[str, Text] = {
    "positive": _l("positive"),
    "mixed": _l("mixed"),
    "negative": _l("negative"),
    "inconclusive": _l("inconclusive"),
}
LINK_RELATIONS: Mapping[str, Text] = {
    "part_of": _l("part of"),
    "builds_on": _l("builds on"),
    "scales": _l("scales"),
    "depends_on": _l("depends on"),
    "merged_into": _l("merged into"),
    "related": _l("related to"),
}
KINDS: Mapping[str, Text] = {
    "region": _l("Regions"),
    "municipality": _l("Municipalities"),
    "hospital": _l("Hospitals"),
    "general_practice": _l("General practice"),
    "university": _l("Universities"),
    "university_college": _l("University colleges"),
    "national_body": _l("National bodies"),
    "joint_regional_body": _l("Joint regional bodies"),
    "health_council": _l("Health councils"),
    "patient_org": _l("Patient organisations"),
    "ngo": _l("NGOs"),
    "company": _l("Companies"),
    "foundation": _l("Foundations"),
    "other": _l("Others"),
}
SCHEMES: Mapping[str, Text] = {
    "health_council": _l("Health councils"),
    "region": _l("Regions"),
    "national": _l("National"),
    "municipality": _l("Municipalities"),
}
GEOGRAPHY: Mapping[str, Text] = {
    "same_municipality": _l("same municipality"),
    "same_council": _l("same health council"),
    "same_region": _l("same region"),
    "national": _l("national"),
    "elsewhere": _l("different areas"),
}
ACTIONS: Mapping[str, Text] = {
    "created": _l("published"),
    "updated": _l("changed"),
    "withdrawn": _l("withdrawn"),
    "restored": _l("restored"),
}
# Names of the card's fields, for "what changed" in the history.
FIELDS: Mapping[str, Text] = {
    "external_id": _l("Own project number"),
    "title": _l("Title"),
    "description": _l("Description"),
    "stage": _l("Stage"),
    "themes": _l("Themes"),
    "target_groups": _l("Target groups"),
    "areas": _l("Areas"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "budget_dkk": _l("Budget"),
    "funding_sources": _l("Funding"),
    "value_score": _l("Value"),
    "value_rationale": _l("Why this value"),
    "risk_score": _l("Risk"),
    "risk_rationale": _l("Why this risk"),
    "goals": _l("Goals"),
    "partners": _l("Partners"),
    "evidence": _l("Evidence"),
    "contact": _l("Contact"),
    "visibility": _l("Who may see it"),
    "disclose_when_private": _l("Hint when private"),
    "care_level": _l("Part of the health service"),
    "development_type": _l("Development or operations"),
    "links": _l("Links to other projects"),
    "last_reviewed": _l("Last reviewed"),
    "demo": _l("Demo project"),
}
# Okabe–Ito colours: told apart with the common colour-vision deficiencies, and each
# bubble also says its stage in words (title and the data table).
STAGE_COLOURS: Mapping[str, str] = {
    Stage.IDEA: "#E69F00",
    Stage.ANALYSIS: "#56B4E9",
    Stage.PILOT: "#009E73",
    Stage.IMPLEMENTATION: "#0072B2",
    Stage.OPERATION: "#D55E00",
    Stage.COMPLETED: "#CC79A7",
    Stage.STOPPED: "#999999",
}


def stage_label(stage: str) -> tuple[str, str]:
    """(Danish, English) name of a stage."""
    return STAGE_LABELS.get(stage, (stage, stage))


def relation_label(relation: str) -> tuple[str, str]:
    return RELATION_LABELS.get(Relation(relation), (relation, relation))
