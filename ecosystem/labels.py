"""The one bilingual vocabulary: every enumerated value's name in Danish and English.

Pages, exports, spreadsheets, reasons, analyses and the API all name a stage, a relation,
an organisation kind, a severity or a decision from here, so a value is called the same
thing everywhere (and a Danish page never falls back to an English word or a code).

Keys are the values' codes (the ``StrEnum`` members compare equal to them), so this
module imports no other part of the core and anything may import it.

Names are written as they stand alone ("Afprøvning/pilot"); ``Label.lower()`` gives the
form used inside a sentence ("Faser: afprøvning/pilot og drift").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "AREA_SCHEMES",
    "CARD_FIELDS",
    "CARE_LEVELS",
    "CONFIDENCE",
    "DECISIONS",
    "DEVELOPMENT_TYPES",
    "DISCUSS_KINDS",
    "EVIDENCE_OUTCOMES",
    "FULFILMENT",
    "FUNDING_KINDS",
    "GAP_KINDS",
    "GEOGRAPHY",
    "GOAL_DIRECTIONS",
    "GOAL_MEASURE_TYPES",
    "GOAL_TASK_TYPES",
    "LINK_RELATIONS",
    "MATCH_ANSWERS",
    "NOT_RELEVANT_BECAUSE",
    "NOT_STATED",
    "ORGANISATION_KINDS",
    "ORGANISATION_KINDS_PLURAL",
    "OVERLAP_RELATIONS",
    "PICTURE_KINDS",
    "REACH",
    "RESPONSES",
    "REVISION_ACTIONS",
    "SEVERITIES",
    "STAGES",
    "TRENDS",
    "VARIATIONS",
    "VISIBILITY",
    "VISIBILITY_EXPLAINED",
    "Label",
    "in_danish",
    "name_of",
    "one_organisation_of_kind",
    "partial_portfolio_note",
]


@dataclass(frozen=True)
class Label:
    """A text in Danish (shown first) and English."""

    da: str
    en: str

    def __add__(self, other: Label) -> Label:
        return Label(self.da + other.da, self.en + other.en)

    def lower(self) -> Label:
        """The form inside a sentence: a capital first letter lowered, acronyms kept."""
        return Label(_lower_first(self.da), _lower_first(self.en))


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():  # "EU", "KOL": an acronym stays as it is
        return text
    return text[:1].lower() + text[1:]


def in_danish(vocabulary: Mapping[str, Label]) -> Callable[[str], str]:
    """A column's way of naming its codes in Danish (:class:`ecosystem.tabular.Column`).

    >>> in_danish(STAGES)("operation")
    'Drift'
    """
    return lambda code: name_of(vocabulary, code).da


def name_of(vocabulary: Mapping[str, Label], code: str) -> Label:
    """The name of ``code``, or the code itself in both languages when it is unknown.

    >>> name_of(STAGES, "pilot").da
    'Afprøvning/pilot'
    >>> name_of(STAGES, "x-unknown")
    Label(da='x-unknown', en='x-unknown')
    """
    return vocabulary.get(code) or Label(code, code)


STAGES: Mapping[str, Label] = {
    "idea": Label("Idé", "Idea"),
    "analysis": Label("Analyse", "Analysis"),
    "pilot": Label("Afprøvning/pilot", "Pilot"),
    "implementation": Label("Implementering/udbredelse", "Implementation"),
    "operation": Label("Drift", "Operation"),
    "completed": Label("Afsluttet", "Completed"),
    "stopped": Label("Stoppet", "Stopped"),
}
VISIBILITY: Mapping[str, Label] = {
    "public": Label("Offentlig", "Public"),
    "ecosystem": Label("Økosystemet", "Ecosystem"),
    "private": Label("Privat", "Private"),
}
# The same three with who may see the project, for forms and badges.
VISIBILITY_EXPLAINED: Mapping[str, Label] = {
    "public": Label("Offentlig: alle", "Public: everyone"),
    "ecosystem": Label(
        "Økosystem: indloggede organisationer", "Ecosystem: signed-in organisations"
    ),
    "private": Label("Privat: kun vores organisation", "Private: only our organisation"),
}
CARE_LEVELS: Mapping[str, Label] = {
    "specialised": Label("Det specialiserede sundhedsvæsen", "Specialised health care"),
    "near": Label("Det nære sundhedsvæsen", "Near health care"),
    "cross_sector": Label("Tværsektorielt", "Cross-sector"),
}
DEVELOPMENT_TYPES: Mapping[str, Label] = {
    "development": Label("Udvikling", "Development"),
    "operations_near": Label("Driftsnær udvikling", "Development close to operations"),
    "operations": Label("Drift", "Operations"),
}
EVIDENCE_OUTCOMES: Mapping[str, Label] = {
    "positive": Label("Positiv", "Positive"),
    "mixed": Label("Blandet", "Mixed"),
    "negative": Label("Negativ", "Negative"),
    "inconclusive": Label("Uafklaret", "Inconclusive"),
}
FUNDING_KINDS: Mapping[str, Label] = {
    "own": Label("Egne midler", "Own funds"),
    "block_grant": Label("Bloktilskud", "Block grant"),
    "national_pool": Label("National pulje", "National pool"),
    "public_research_fund": Label("Offentlig forskningsfond", "Public research fund"),
    "private_foundation": Label("Privat fond", "Private foundation"),
    "partnership": Label("Partnerskab/OPS", "Partnership"),
    "eu": Label("EU-midler", "EU funds"),
    "co_financing": Label("Medfinansiering", "Co-financing"),
    "social_investment": Label("Social investering", "Social investment"),
    "other": Label("Andet", "Other"),
}
# Typed links between two projects, as an owner declares them on a card.
LINK_RELATIONS: Mapping[str, Label] = {
    "part_of": Label("Del af", "Part of"),
    "builds_on": Label("Bygger videre på", "Builds on"),
    "scales": Label("Skalerer", "Scales"),
    "depends_on": Label("Afhænger af", "Depends on"),
    "merged_into": Label("Lagt sammen med", "Merged into"),
    "related": Label("Relateret til", "Related to"),
}
# What "not filled in" is called in counts and balances.
NOT_STATED = Label("Ikke angivet", "Not stated")

# Beside every count of an organisation's or group's projects, unless every organisation
# counted has declared its portfolio complete (P2: partial portfolios are normal).
PARTIAL_PORTFOLIO = Label(
    "Udvalgte projekter, ikke udtømmende", "Selected projects, not exhaustive"
)
# Up to this many organisations with partial portfolios are named; more are counted.
PARTIAL_NAMED = 3


def partial_portfolio_note(partial: Sequence[str], counted: int) -> Label | None:
    """The P2 note beside a count over ``counted`` organisations, of which those named in
    ``partial`` have not declared their portfolio complete; None when all of them have.

    One organisation gets the plain note; a few partial ones are named; many are counted
    ("4 af 9 organisationers porteføljer …"). A count over nobody is no complete picture.
    """
    if counted == 0 or (partial and counted == 1):
        return PARTIAL_PORTFOLIO
    if not partial:
        return None
    if len(partial) <= PARTIAL_NAMED:
        return Label(
            f"{PARTIAL_PORTFOLIO.da}: porteføljerne fra {_listed(partial, 'og')} er udvalgte",
            f"{PARTIAL_PORTFOLIO.en}: the portfolios of {_listed(partial, 'and')} are selected",
        )
    if len(partial) == counted:
        return Label(
            f"{PARTIAL_PORTFOLIO.da}: alle {counted} organisationers porteføljer er udvalgte",
            f"{PARTIAL_PORTFOLIO.en}: all {counted} organisations' portfolios are selected",
        )
    return Label(
        f"{PARTIAL_PORTFOLIO.da}: {len(partial)} af {counted} organisationers porteføljer "
        "er udvalgte",
        f"{PARTIAL_PORTFOLIO.en}: {len(partial)} of {counted} organisations' portfolios are "
        "selected",
    )


def _listed(names: Sequence[str], conjunction: str) -> str:
    """'A', 'A og B', 'A, B og C'."""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


# Organisation kinds: one ("a similar project exists at a municipality") …
ORGANISATION_KINDS: Mapping[str, Label] = {
    "region": Label("Region", "Region"),
    "municipality": Label("Kommune", "Municipality"),
    "hospital": Label("Hospital", "Hospital"),
    "general_practice": Label("Almen praksis", "General practice"),
    "university": Label("Universitet", "University"),
    "university_college": Label("Professionshøjskole", "University college"),
    "national_body": Label("National myndighed", "National body"),
    "joint_regional_body": Label("Fællesregional organisation", "Joint regional body"),
    "health_council": Label("Sundhedsråd", "Health council"),
    "patient_org": Label("Patientforening", "Patient organisation"),
    "ngo": Label("Civilsamfundsorganisation", "NGO"),
    "company": Label("Virksomhed", "Company"),
    "foundation": Label("Fond", "Foundation"),
    "other": Label("Anden organisation", "Other organisation"),
}
# Danish kinds that take "et" rather than "en".
_NEUTER_KINDS = frozenset({"hospital", "university", "health_council"})


def one_organisation_of_kind(kind: str) -> Label:
    """ "en kommune" / "a municipality", "et hospital" / "an NGO": one organisation of a kind.

    >>> one_organisation_of_kind("hospital")
    Label(da='et hospital', en='a hospital')
    >>> one_organisation_of_kind("ngo").en
    'an NGO'
    """
    name = name_of(ORGANISATION_KINDS, kind).lower()
    article_da = "et" if kind in _NEUTER_KINDS else "en"
    article_en = "an" if name.en[:1].lower() in "aeiou" or name.en == "NGO" else "a"
    return Label(f"{article_da} {name.da}", f"{article_en} {name.en}")


# … and many ("only hospitals contribute").
ORGANISATION_KINDS_PLURAL: Mapping[str, Label] = {
    "region": Label("Regioner", "Regions"),
    "municipality": Label("Kommuner", "Municipalities"),
    "hospital": Label("Hospitaler", "Hospitals"),
    "general_practice": Label("Almen praksis", "General practice"),
    "university": Label("Universiteter", "Universities"),
    "university_college": Label("Professionshøjskoler", "University colleges"),
    "national_body": Label("Nationale myndigheder", "National bodies"),
    "joint_regional_body": Label("Fællesregionale organisationer", "Joint regional bodies"),
    "health_council": Label("Sundhedsråd", "Health councils"),
    "patient_org": Label("Patientforeninger", "Patient organisations"),
    "ngo": Label("Civilsamfundsorganisationer", "NGOs"),
    "company": Label("Virksomheder", "Companies"),
    "foundation": Label("Fonde", "Foundations"),
    "other": Label("Andre", "Others"),
}
# How areas are grouped (the schemes of the gazetteer).
AREA_SCHEMES: Mapping[str, Label] = {
    "health_council": Label("Sundhedsråd", "Health councils"),
    "region": Label("Regioner", "Regions"),
    "national": Label("Landsdækkende", "National"),
    "municipality": Label("Kommuner", "Municipalities"),
}
# The closest place two projects share.
GEOGRAPHY: Mapping[str, Label] = {
    "same_municipality": Label("Samme kommune", "Same municipality"),
    "same_council": Label("Samme sundhedsråd", "Same health council"),
    "same_region": Label("Samme region", "Same region"),
    "national": Label("Landsdækkende", "National"),
    "elsewhere": Label("Forskellige områder", "Different areas"),
}
# How two overlapping projects relate, with what it means.
OVERLAP_RELATIONS: Mapping[str, Label] = {
    "duplicate": Label(
        "Dublet: samme indsats, samme målgruppe, samme sted",
        "Duplicate: the same intervention for the same people in the same place",
    ),
    "parallel": Label("Parallel: det samme et andet sted", "Parallel: the same thing elsewhere"),
    "sequential": Label("Sekventiel: moden løsning findes", "Sequential: a mature solution exists"),
    "part_of": Label(
        "Indgår i: det ene projekt er lagt ind i eller skalerer det andet",
        "Part of: one project is merged into or scales the other",
    ),
    "complementary": Label(
        "Komplementær: samme målgruppe, anden tilgang",
        "Complementary: same target group, different approach",
    ),
    "related": Label("Beslægtet: relateret arbejde", "Related: related work"),
}
# How sure the engine is that two texts describe the same intervention.
CONFIDENCE: Mapping[str, Label] = {
    "same": Label("Sikkert samme indsats", "Surely the same intervention"),
    "possible": Label("Muligvis samme indsats", "Possibly the same intervention"),
    "related": Label("Beslægtet", "Related"),
}
# How a project's places relate to a group's area (ecosystem.groups.reference.Reach).
REACH: Mapping[str, Label] = {
    "inside": Label("I området", "In the area"),
    "enclosing": Label("Via region eller sundhedsråd", "Through a region or health council"),
    "national": Label("Landsdækkende", "Nationwide"),
}
# What kind of gap a line reports (ecosystem.gaps.GapKind).
GAP_KINDS: Mapping[str, Label] = {
    "theme_area": Label("Tema uden projekter i et område", "Theme without projects in an area"),
    "theme_target_group": Label(
        "Målgruppe uden projekter under et tema", "Target group without projects under a theme"
    ),
    "goal_uncovered": Label("Mål uden projekter", "Goal without projects"),
    "goal_single_kind": Label(
        "Mål, der kun arbejdes med på én måde", "Goal worked on in one way only"
    ),
    "pipeline_no_early": Label("Ingen nye idéer i røret", "No new ideas in the pipeline"),
    "pipeline_no_late": Label("Intet modent i røret", "Nothing mature in the pipeline"),
    "public_value": Label("Offentlig værdi uden projekter", "Public value without projects"),
}
SEVERITIES: Mapping[str, Label] = {
    "high": Label("Høj", "High"),
    "medium": Label("Middel", "Medium"),
    "low": Label("Lav", "Low"),
}
# What a portfolio group recommends, as the start of a sentence naming the counterpart.
DECISIONS: Mapping[str, Label] = {
    "continue": Label("Fortsæt", "Continue"),
    "coordinate": Label("Koordinér med", "Coordinate with"),
    "merge": Label("Slå sammen med", "Merge with"),
    "scale": Label("Skalér til", "Scale to"),
    "stop": Label("Stop", "Stop"),
    "accept_duplication": Label("Accepter overlappet, fordi", "Accept the duplication because"),
    "note": Label("Note", "Note"),
}
# The kinds of item a review pack opens with ("what to discuss").
DISCUSS_KINDS: Mapping[str, Label] = {
    "overlap": Label("Overlap", "Overlap"),
    "gap": Label("Hul", "Gap"),
    "scaling_candidate": Label("Kandidat til skalering", "Scaling candidate"),
    "decision": Label("Beslutning der afventer svar", "Decision awaiting an answer"),
}
# An owning organisation's answer to a recommendation.
RESPONSES: Mapping[str, Label] = {
    "agreed": Label("Enig", "Agreed"),
    "declined": Label("Afvist", "Declined"),
    "in_dialogue": Label("I dialog", "In dialogue"),
}
# An organisation's answer to a match with another organisation's project (matchmaking).
MATCH_ANSWERS: Mapping[str, Label] = {
    "interested": Label("Interesseret", "Interested"),
    "in_contact": Label("Allerede i kontakt", "Already in contact"),
    "not_relevant": Label("Ikke relevant", "Not relevant"),
}
# Why a match is not relevant: each teaches the matching something (ecosystem.matchmaking).
NOT_RELEVANT_BECAUSE: Mapping[str, Label] = {
    "different_intervention": Label("Ikke samme indsats", "Not the same intervention"),
    "different_target_group": Label("En anden målgruppe", "A different target group"),
    "different_place": Label("Et andet sted i landet", "Another part of the country"),
    "other": Label("Andet", "Other"),
}
# How far a goal is met (never "failed": see the goals follow-up).
FULFILMENT: Mapping[str, Label] = {
    "met": Label("Opfyldt", "Met"),
    "partly_met": Label("Delvist opfyldt", "Partly met"),
    "in_progress": Label("Undervejs", "In progress"),
    "not_yet_assessed": Label("Endnu ikke vurderet", "Not yet assessed"),
}
TRENDS: Mapping[str, Label] = {
    "improving": Label("Bevæger sig i den ønskede retning", "Moving the desired way"),
    "stable": Label("Uændret", "Unchanged"),
    "worsening": Label("Bevæger sig væk fra målet", "Moving away from the target"),
    "unknown": Label("For få målinger til en retning", "Too few values for a direction"),
}
# How the gap between the best and the worst comparable area changed (P17).
VARIATIONS: Mapping[str, Label] = {
    "narrowing": Label(
        "Forskellen mellem områderne er blevet mindre", "The gap between the areas narrowed"
    ),
    "unchanged": Label(
        "Forskellen mellem områderne er uændret", "The gap between the areas is unchanged"
    ),
    "widening": Label(
        "Forskellen mellem områderne er blevet større", "The gap between the areas widened"
    ),
}
# Which way an indicator should move.
GOAL_DIRECTIONS: Mapping[str, Label] = {
    "up": Label("Højere er bedre", "Higher is better"),
    "down": Label("Lavere er bedre", "Lower is better"),
}
# The two kinds of core task a goal is about (DOMAIN.md §1.4) …
GOAL_TASK_TYPES: Mapping[str, Label] = {
    "operational": Label("Driftsopgave", "Operational task"),
    "policy": Label("Policylignende opgave", "Policy-like task"),
}
# … and how it is measured.
GOAL_MEASURE_TYPES: Mapping[str, Label] = {
    "quantitative": Label("Kvantitativt", "Quantitative"),
    "qualitative": Label("Kvalitativt", "Qualitative"),
}
# What a goal picture is: the health councils write a nærsundhedsplan from 2027.
PICTURE_KINDS: Mapping[str, Label] = {
    "maalbillede": Label("Målbillede", "Goal picture"),
    "naersundhedsplan": Label("Nærsundhedsplan", "Local health plan (nærsundhedsplan)"),
}
# What a revision did to a project.
REVISION_ACTIONS: Mapping[str, Label] = {
    "created": Label("Udgivet", "Published"),
    "updated": Label("Ændret", "Changed"),
    "withdrawn": Label("Trukket tilbage", "Withdrawn"),
    "restored": Label("Genoprettet", "Restored"),
}
# The card's fields by name, for "what changed" and for forms.
CARD_FIELDS: Mapping[str, Label] = {
    "external_id": Label("Eget projektnummer", "Own project number"),
    "title": Label("Titel", "Title"),
    "description": Label("Beskrivelse", "Description"),
    "stage": Label("Fase", "Stage"),
    "themes": Label("Temaer", "Themes"),
    "target_groups": Label("Målgrupper", "Target groups"),
    "areas": Label("Områder", "Areas"),
    "start_date": Label("Startdato", "Start date"),
    "end_date": Label("Slutdato", "End date"),
    "budget_dkk": Label("Budget", "Budget"),
    "funding_sources": Label("Finansiering", "Funding"),
    "funding_ends": Label("Finansieringen slutter", "Funding ends"),
    "implementation_owner": Label("Driftsejer efter projektet", "Owner after the project"),
    "operation_plan": Label("Plan for drift", "Plan for operation"),
    "value_score": Label("Værdi", "Value"),
    "value_rationale": Label("Begrundelse for værdi", "Why this value"),
    "risk_score": Label("Risiko", "Risk"),
    "risk_rationale": Label("Begrundelse for risiko", "Why this risk"),
    "goals": Label("Mål", "Goals"),
    "partners": Label("Partnere", "Partners"),
    "evidence": Label("Evidens", "Evidence"),
    "contact": Label("Kontakt", "Contact"),
    "visibility": Label("Hvem må se det", "Who may see it"),
    "disclose_when_private": Label("Antydning når privat", "Hint when private"),
    "care_level": Label("Del af sundhedsvæsenet", "Part of the health service"),
    "development_type": Label("Udvikling eller drift", "Development or operations"),
    "links": Label("Forbindelser til andre projekter", "Links to other projects"),
    "last_reviewed": Label("Senest gennemgået", "Last reviewed"),
    "demo": Label("Demoprojekt", "Demo project"),
}
