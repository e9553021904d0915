"""IATI activity XML: import mapping, refusal of unsafe XML, schema-valid export (no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ecosystem import iati
from ecosystem.model import ProjectRecord
from ecosystem.portfolio import ProjectSchema
from ecosystem.spreadsheet import FileRejected, ParsedImport, Term, Vocabularies
from tests.unit.test_spreadsheet import vocabularies

SECTOR_THEMES = {"12220": ["T2"], "122": ["T2"], "12340": ["T4"], "22040": ["T13"]}

ACTIVITY = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity xml:lang="en" default-currency="DKK">
  <iati-identifier>DK-CVR-29189919-TELE-1</iati-identifier>
  <reporting-org ref="DK-CVR-29189919" type="11"><narrative>Aarhus Kommune</narrative></reporting-org>
  <title>
   <narrative>Telemedicine for people with COPD</narrative>
   <narrative xml:lang="da">Telemedicin til borgere med KOL</narrative>
  </title>
  <description type="2"><narrative>Objectives only</narrative></description>
  <description type="1"><narrative xml:lang="da">Borgere med KOL følges hjemme.</narrative></description>
  <participating-org role="2" ref="DK-CVR-29189919"><narrative>Aarhus Kommune</narrative></participating-org>
  <participating-org role="4"><narrative>Aarhus Universitetshospital</narrative></participating-org>
  <participating-org role="4"><narrative>Lungeforeningen</narrative></participating-org>
  <participating-org role="1"><narrative>Novo Nordisk Fonden</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2026-01-01"/>
  <activity-date type="2" iso-date="2026-02-01"/>
  <activity-date type="3" iso-date="2027-06-30"/>
  <contact-info>
   <person-name><narrative>Projektsekretariatet</narrative></person-name>
   <email>sundhed@aarhus.example</email>
  </contact-info>
  <recipient-country code="DK"/>
  <sector vocabulary="1" code="12220" percentage="60"/>
  <sector code="12261" percentage="20"/>
  <sector vocabulary="1" code="99810" percentage="20"/>
  <budget type="1"><period-start iso-date="2026-01-01"/><period-end iso-date="2026-12-31"/>
   <value value-date="2026-01-01">1000000</value></budget>
  <budget type="1"><period-start iso-date="2027-01-01"/><period-end iso-date="2027-06-30"/>
   <value currency="DKK" value-date="2027-01-01">400000</value></budget>
  <related-activity ref="DK-CVR-29189919-TELE-0" type="1"/>
  <related-activity ref="XM-DAC-41114-OTHER" type="3"/>
 </iati-activity>
 <iati-activity>
  <iati-identifier>DK-CVR-29189919-TELE-0</iati-identifier>
  <reporting-org ref="DK-CVR-29189919" type="11"><narrative>Aarhus Kommune</narrative></reporting-org>
  <title><narrative>Telemedicinsk program</narrative></title>
  <description><narrative>Det samlede program.</narrative></description>
  <participating-org role="2"><narrative>Aarhus Kommune</narrative></participating-org>
  <activity-status code="6"/>
  <activity-date type="1" iso-date="2025-01-01"/>
  <recipient-country code="SE"/>
  <sector vocabulary="1" code="12340"/>
  <budget><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/>
   <value currency="EUR" value-date="2025-01-01">5000</value></budget>
 </iati-activity>
</iati-activities>
"""


def parse(content: str | bytes, **options: Any) -> ParsedImport:
    data = content.encode() if isinstance(content, str) else content
    return iati.parse_activities(
        data,
        vocabularies(),
        sector_themes=options.pop("sector_themes", SECTOR_THEMES),
        organisation_id="kommune-aarhus",
        **options,
    )


def test_an_activity_becomes_a_project_card_through_the_documented_mapping():
    parsed = parse(ACTIVITY)
    first = parsed.rows[0]
    assert first.valid, [p.text for p in first.problems]
    assert first.project == {
        "external_id": "DK-CVR-29189919-TELE-1",
        "title": "Telemedicin til borgere med KOL",
        "description": "Borgere med KOL følges hjemme.",
        "stage": "implementation",
        "start_date": "2026-02-01",  # the actual start wins over the planned one
        "end_date": "2027-06-30",
        "themes": ["T2"],  # 12220 directly; 12261 through its category 122
        "areas": ["DK"],
        "partners": [{"organisation": "auh"}, {"name": "Lungeforeningen"}],
        "funding_sources": [{"name": "Novo Nordisk Fonden", "kind": "other"}],
        "contact": {"name": "Projektsekretariatet", "email": "sundhed@aarhus.example"},
        "budget_dkk": 1400000.0,
        "links": [
            {
                "organisation": "kommune-aarhus",
                "external_id": "DK-CVR-29189919-TELE-0",
                "relation": "part_of",
            }
        ],
        "visibility": "public",
        "disclose_when_private": False,
        "demo": False,
    }
    warnings = {p.column: p.message_en for p in first.problems}
    assert set(warnings) == {"sector", "related-activity"}
    assert "99810" in warnings["sector"]
    assert all(p.severity == "warning" and p.unit == "activity" for p in first.problems)


def test_an_unknown_country_is_an_error_that_says_how_an_admin_can_add_it():
    second = parse(ACTIVITY).rows[1]
    errors = [p for p in second.problems if p.severity == "error"]
    assert [(p.row, p.column) for p in errors] == [(2, "recipient-country")]
    assert "'SE' is not a known area" in errors[0].message_en
    assert "POST /api/v1/areas" in errors[0].message_en
    assert errors[0].text.startswith("Aktivitet 2, element recipient-country:")
    warnings = {p.column for p in second.problems if p.severity == "warning"}
    assert warnings == {"activity-status", "budget"}  # suspended → stopped; EUR not converted
    assert second.project["stage"] == "stopped" and "budget_dkk" not in second.project


def test_once_the_country_exists_as_an_area_the_activity_imports():
    words = vocabularies()
    with_sweden = Vocabularies(
        themes=words.themes,
        target_groups=words.target_groups,
        areas=(*words.areas, Term("SE", "Sverige", "Sweden")),
        goals=words.goals,
        organisations=words.organisations,
    )
    parsed = iati.parse_activities(
        ACTIVITY.encode(),
        with_sweden,
        sector_themes=SECTOR_THEMES,
        organisation_id="kommune-aarhus",
    )
    assert parsed.publishable
    assert parsed.rows[1].project["areas"] == ["SE"]


def test_an_activity_whose_sectors_map_to_no_theme_cannot_be_imported():
    parsed = parse(ACTIVITY, sector_themes={})
    problem = next(p for p in parsed.rows[0].problems if p.column == "sector")
    assert problem.severity == "error"
    assert "sector-theme mapping" in problem.message_en
    assert not parsed.publishable


def test_required_fields_missing_from_an_activity_are_reported_at_their_element():
    content = ACTIVITY.replace(
        '<description type="1"><narrative xml:lang="da">Borgere med KOL følges hjemme.</narrative></description>',
        "",
    ).replace('<description type="2"><narrative>Objectives only</narrative></description>', "")
    problems = [p for p in parse(content).rows[0].problems if p.severity == "error"]
    assert [(p.column, p.message_da) for p in problems] == [("description", "Skal udfyldes")]


@pytest.mark.parametrize(
    "content",
    [
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<iati-activities version='2.03'><iati-activity><title>&x;</title></iati-activity></iati-activities>",
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        "<iati-activities version='2.03'>&b;</iati-activities>",
        '<!DOCTYPE iati-activities SYSTEM "http://example.org/evil.dtd"><iati-activities version="2.03"/>',
    ],
    ids=["external-entity", "entity-expansion", "external-dtd"],
)
def test_xml_with_a_dtd_or_entities_is_refused(content):
    with pytest.raises(FileRejected) as rejected:
        parse(content)
    assert "DTD" in str(rejected.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("<iati-activities version='2.03'><iati-activity>", "not well-formed"),
        ("<iati-organisations version='2.03'/>", "not an IATI activity file"),
        ("<iati-activities version='1.05'><iati-activity/></iati-activities>", "only 2.x"),
        ("<iati-activities version='2.03'></iati-activities>", "no activities"),
    ],
)
def test_files_that_are_not_iati_2_activities_are_refused(content, expected):
    with pytest.raises(FileRejected) as rejected:
        parse(content)
    assert expected in str(rejected.value)


def test_more_activities_than_the_limit_are_refused():
    with pytest.raises(FileRejected):
        parse(ACTIVITY, max_rows=1)


# --- export ----------------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
NAMES = iati.ExportNames(
    organisations={
        "kommune-aarhus": ("Aarhus Kommune", "municipality"),
        "auh": ("Aarhus Universitetshospital", "hospital"),
    },
    areas={
        "DK": ("Danmark", "national"),
        "0751": ("Aarhus", "municipality"),
        "sundhedsraad-aarhus": ("Sundhedsråd Aarhus", "health_council"),
        "SE": ("Sverige", "country"),
    },
    themes={"T2": "Kronisk sygdom og ældre", "T13": "Digitalisering"},
    target_groups={"kol": "Borgere med KOL"},
    goals={"NM2": "Styrket indsats for kronikere"},
)


def record(external_id: str, **card: Any) -> ProjectRecord:
    data = ProjectSchema().load(
        {
            "external_id": external_id,
            "title": "Telemedicin til borgere med KOL",
            "description": "Borgere med KOL følges hjemme.",
            "stage": "implementation",
            "themes": ["T2"],
            **card,
        }
    )
    return ProjectRecord(1, "kommune-aarhus", external_id, data, 1, False, NOW, NOW)


RICH = record(
    "SUND-1",
    themes=["T2", "T13"],
    target_groups=["kol"],
    goals=["NM2"],
    areas=["0751", "sundhedsraad-aarhus", "SE"],
    start_date="2026-02-01",
    end_date="2027-06-30",
    budget_dkk=2400000,
    funding_sources=[{"name": "Egne midler", "kind": "own"}],
    partners=[{"organisation": "auh"}, {"name": "Lungeforeningen"}],
    contact={
        "name": "Sekretariatet",
        "email": "a@b.example",
        "phone": "+45 1234",
        "url": "https://x.example",
    },
    links=[{"organisation": "kommune-aarhus", "external_id": "SUND-0", "relation": "part_of"}],
)
MINIMAL = record("SUND-2", stage="idea")


def test_the_export_validates_against_the_official_iati_activity_schema():
    document = iati.activities_xml(
        [RICH, MINIMAL], NAMES, base_url="https://eco.example/", generated=NOW
    )
    assert iati.schema_errors(document) == []
    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_the_schema_check_really_finds_errors():
    document = iati.activities_xml([MINIMAL], NAMES, base_url="https://eco.example/", generated=NOW)
    broken = document.replace(b"<activity-status", b"<activity-state")
    assert iati.schema_errors(broken)


def test_an_export_without_dates_says_which_date_it_gives_instead():
    document = iati.activities_xml([MINIMAL], NAMES, base_url="https://eco.example/", generated=NOW)
    assert b'<activity-date type="1" iso-date="2026-11-01">' in document
    assert b"No start date given" in document


def test_an_exported_activity_imports_back_to_the_same_card():
    document = iati.activities_xml([RICH], NAMES, base_url="https://eco.example/", generated=NOW)
    words = vocabularies()
    with_sweden = Vocabularies(
        themes=words.themes,
        target_groups=words.target_groups,
        areas=(*words.areas, Term("SE", "Sverige", "Sweden")),
        goals=words.goals,
        organisations=words.organisations,
    )
    parsed = iati.parse_activities(
        document, with_sweden, sector_themes={}, organisation_id="kommune-aarhus"
    )
    assert [p.text for p in parsed.all_problems()] == []
    expected = {**RICH.data, "funding_sources": [{"name": "Egne midler", "kind": "other"}]}
    expected["contact"] = {k: v for k, v in RICH.data["contact"].items()}
    assert parsed.rows[0].project == expected
