"""The typed project card: read once from the stored dict, and back again without loss."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from marshmallow import ValidationError

import seeds
from ecosystem.card import (
    Contact,
    Evidence,
    FundingSource,
    Link,
    Partner,
    ProjectCard,
)
from ecosystem.draft import ProjectDraft
from ecosystem.model import (
    CareLevel,
    DevelopmentType,
    EvidenceOutcome,
    FundingKind,
    LinkRelation,
    ProjectRecord,
    Stage,
    Visibility,
)
from ecosystem.portfolio import ProjectSchema

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

# The complete example of docs/portfolio-format.md, with a link added: every field is set.
FULL = {
    "external_id": "SUND-2026-014",
    "title": "Telemedicinsk hjemmemonitorering af borgere med KOL",
    "description": "Borgere med svær KOL får tablet og måleudstyr.",
    "stage": "pilot",
    "themes": ["T2", "T13"],
    "target_groups": ["kol"],
    "areas": ["0751"],
    "start_date": "2026-02-01",
    "end_date": "2027-06-30",
    "budget_dkk": 2400000,
    "funding_sources": [{"name": "Egne midler", "kind": "own"}],
    "funding_ends": "2027-06-30",
    "implementation_owner": "Hjemmeplejen, Aarhus Kommune",
    "operation_plan": "Overgår til hjemmeplejens driftsbudget.",
    "value_score": 4,
    "value_rationale": "Kan reducere genindlæggelser betydeligt.",
    "risk_score": 3,
    "risk_rationale": "Afhænger af stabil teknologi.",
    "goals": ["NM2"],
    "partners": [{"organisation": "auh"}, {"name": "Lungeforeningen"}],
    "evidence": {"summary": "Færre indlæggelser.", "url": None, "outcome": "positive"},
    "contact": {"name": "Projektsekretariatet", "email": "sundhed@aarhus.example"},
    "visibility": "ecosystem",
    "disclose_when_private": True,
    "care_level": "cross_sector",
    "development_type": "development",
    "links": [{"organisation": "auh", "external_id": "AUH-7", "relation": "builds_on"}],
    "last_reviewed": "2026-10-01",
    "demo": False,
}


def stored(item: dict[str, object]) -> dict[str, object]:
    """A card as the database gives it back: validated, normalised, through JSON."""
    return json.loads(json.dumps(ProjectSchema().load(item)))


def demo_cards() -> list[tuple[str, dict[str, object]]]:
    return [
        (f"{organisation}:{item['external_id']}", item)
        for organisation, items in sorted(seeds.demo_portfolios().items())
        for item in items
    ]


def test_there_are_the_expected_429_demo_cards():
    assert len(demo_cards()) == 429


def test_every_demo_card_round_trips_exactly():
    broken = [
        key
        for key, item in demo_cards()
        if ProjectCard.from_data(data := stored(item)).to_data() != data
    ]
    assert broken == []


def test_every_demo_card_round_trips_with_its_keys_in_the_same_order():
    # Dict equality ignores order; a card written back should also read the same.
    for key, item in demo_cards()[:50]:
        data = stored(item)
        assert list(ProjectCard.from_data(data).to_data()) == list(data), key


def test_a_card_with_every_field_round_trips_and_reads_as_typed_values():
    data = stored(FULL)
    card = ProjectCard.from_data(data)
    assert card.to_data() == data
    assert card.stage is Stage.PILOT
    assert card.themes == ("T2", "T13")
    assert card.start_date == dt.date(2026, 2, 1)
    assert card.last_reviewed == dt.date(2026, 10, 1)
    assert card.budget_dkk == 2_400_000
    assert card.funding_sources == (FundingSource("Egne midler", FundingKind.OWN),)
    assert card.funding_ends == dt.date(2027, 6, 30)
    assert card.implementation_owner == "Hjemmeplejen, Aarhus Kommune"
    assert card.operation_plan == "Overgår til hjemmeplejens driftsbudget."
    assert card.partners == (Partner(organisation="auh"), Partner(name="Lungeforeningen"))
    assert card.partner_organisations == ("auh",)
    assert card.evidence == Evidence("Færre indlæggelser.", None, EvidenceOutcome.POSITIVE)
    assert card.evidence_outcome is EvidenceOutcome.POSITIVE
    assert card.contact == Contact(name="Projektsekretariatet", email="sundhed@aarhus.example")
    assert card.visibility is Visibility.ECOSYSTEM
    assert card.disclose_when_private is True
    assert card.care_level is CareLevel.CROSS_SECTOR
    assert card.development_type is DevelopmentType.DEVELOPMENT
    assert card.links == (Link("auh", "AUH-7", LinkRelation.BUILDS_ON),)
    assert card.demo is False
    assert card.extra == {}


def test_a_minimal_card_has_empty_optional_fields():
    card = ProjectCard.from_data(
        stored(
            {
                "external_id": "P1",
                "title": "T",
                "description": "D",
                "stage": "idea",
                "themes": ["T2"],
            }
        )
    )
    assert (card.areas, card.partners, card.links) == ((), (), ())
    assert card.start_date is None and card.evidence is None and card.contact is None
    assert card.value_score is None and card.care_level is None
    assert card.funding_ends is None and card.implementation_owner is None
    assert card.operation_plan is None
    assert card.visibility is Visibility.PUBLIC


def test_unknown_keys_are_kept_in_extra_and_written_back():
    data = {**stored(FULL), "sub_programme": "Nord", "weights": {"a": 1}}
    card = ProjectCard.from_data(data)
    assert card.extra == {"sub_programme": "Nord", "weights": {"a": 1}}
    assert card.to_data() == data


def test_a_card_is_immutable():
    card = ProjectCard.from_data(stored(FULL))
    with pytest.raises(AttributeError):
        card.title = "Andet"  # type: ignore[misc]
    with pytest.raises(TypeError):
        card.extra["x"] = 1  # type: ignore[index]


def test_an_empty_optional_text_is_kept_apart_from_a_missing_one():
    data = {**stored(FULL), "value_rationale": ""}
    card = ProjectCard.from_data(data)
    assert card.value_rationale == ""
    assert card.to_data() == data


def test_a_record_builds_its_card_once():
    record = ProjectRecord(1, "kommune-aarhus", "SUND-2026-014", stored(FULL), 1, False, NOW, NOW)
    assert record.card is record.card
    assert record.stage is Stage.PILOT
    assert record.visibility == "ecosystem"


def test_a_draft_reads_dates_given_as_dates_and_knows_no_stage():
    draft = ProjectDraft.from_data(
        {"title": "Tele-KOL", "description": "Hjemme.", "start_date": dt.date(2026, 3, 1)}
    )
    assert draft.stage is None
    assert draft.start_date == dt.date(2026, 3, 1)
    assert draft.partners == ()


def test_a_value_outside_a_vocabulary_is_refused_not_kept():
    with pytest.raises(ValueError, match="'someday'"):
        ProjectCard.from_data({**stored(FULL), "stage": "someday"})
    with pytest.raises(ValueError, match="'grant'"):
        ProjectCard.from_data({**stored(FULL), "funding_sources": [{"name": "X", "kind": "grant"}]})


def test_the_full_card_sets_every_field_of_the_schema_and_keeps_their_order():
    # A field added to the schema but not to the card would land in ``extra``; this names it.
    data = stored(FULL)
    assert set(ProjectSchema().fields) == set(data)
    assert list(ProjectCard.from_data(data).to_data()) == list(data)
    assert ProjectCard.from_data(data).extra == {}


def test_the_after_the_pool_fields_are_checked_by_the_schema():
    with pytest.raises(ValidationError) as raised:
        ProjectSchema().load(
            {
                **FULL,
                "start_date": "2026-02-01",
                "funding_ends": "2025-12-31",
                "implementation_owner": "x" * 301,
                "operation_plan": "y" * 1001,
            }
        )
    assert set(raised.value.messages) == {"funding_ends", "implementation_owner", "operation_plan"}
    assert raised.value.messages["funding_ends"] == ["Must not be before start_date."]
    with pytest.raises(ValidationError, match="Not a valid date"):
        ProjectSchema().load({**FULL, "funding_ends": "snart"})


def test_a_card_without_the_after_the_pool_fields_still_loads_and_round_trips():
    minimal = {
        k: v
        for k, v in FULL.items()
        if k not in {"funding_ends", "implementation_owner", "operation_plan"}
    }
    data = stored(minimal)
    assert "funding_ends" not in data
    assert ProjectCard.from_data(data).to_data() == data
