"""The one vocabulary names every value of every enumeration, in Danish and English."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

import pytest

from ecosystem import labels
from ecosystem.gaps.model import Severity
from ecosystem.goal_pictures import Direction, Fulfilment, MeasureType, PictureKind, TaskType
from ecosystem.goals_followup import Trend, Variation
from ecosystem.labels import Label
from ecosystem.model import (
    CareLevel,
    DevelopmentType,
    EvidenceOutcome,
    FundingKind,
    LinkRelation,
    OrgKind,
    Stage,
    Visibility,
)
from ecosystem.overlap import Geography, Relation
from ecosystem.ranking import Confidence
from ecosystem.reviews.decisions import DecisionKind, ResponseKind

VOCABULARIES: list[tuple[type[StrEnum], Mapping[str, Label]]] = [
    (Stage, labels.STAGES),
    (Visibility, labels.VISIBILITY),
    (Visibility, labels.VISIBILITY_EXPLAINED),
    (CareLevel, labels.CARE_LEVELS),
    (DevelopmentType, labels.DEVELOPMENT_TYPES),
    (EvidenceOutcome, labels.EVIDENCE_OUTCOMES),
    (FundingKind, labels.FUNDING_KINDS),
    (LinkRelation, labels.LINK_RELATIONS),
    (OrgKind, labels.ORGANISATION_KINDS),
    (OrgKind, labels.ORGANISATION_KINDS_PLURAL),
    (Geography, labels.GEOGRAPHY),
    (Relation, labels.OVERLAP_RELATIONS),
    (Confidence, labels.CONFIDENCE),
    (Severity, labels.SEVERITIES),
    (DecisionKind, labels.DECISIONS),
    (ResponseKind, labels.RESPONSES),
    (Fulfilment, labels.FULFILMENT),
    (Trend, labels.TRENDS),
    (Variation, labels.VARIATIONS),
    (Direction, labels.GOAL_DIRECTIONS),
    (TaskType, labels.GOAL_TASK_TYPES),
    (MeasureType, labels.GOAL_MEASURE_TYPES),
    (PictureKind, labels.PICTURE_KINDS),
]


@pytest.mark.parametrize(("enum", "names"), VOCABULARIES, ids=lambda v: getattr(v, "__name__", ""))
def test_every_value_has_a_danish_and_an_english_name(
    enum: type[StrEnum], names: Mapping[str, Label]
) -> None:
    assert set(names) == {member.value for member in enum}
    for member in enum:
        name = names[member]
        assert name.da.strip() and name.en.strip(), member
        assert name.da != member.value, f"{member}: a code is not a Danish name"


def test_names_are_told_apart_within_a_vocabulary() -> None:
    for enum, names in VOCABULARIES:
        danish = [names[m].da for m in enum]
        assert len(set(danish)) == len(danish), enum.__name__


def test_the_sentence_form_lowers_words_but_keeps_acronyms() -> None:
    assert labels.STAGES["pilot"].lower() == Label("afprøvning/pilot", "pilot")
    assert labels.ORGANISATION_KINDS["ngo"].lower().en == "NGO"
