"""Matchmaking's rules: consent on both sides (every combination), strength and sight."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from itertools import product

import pytest

from ecosystem.labels import Label
from ecosystem.matchmaking import (
    DigestLine,
    Participant,
    Sighting,
    digest_text,
    hint_of,
    is_strong,
    may_match,
    may_take_part,
    sighting,
)
from ecosystem.model import Principal
from ecosystem.overlap import Geography, OverlapMatch, Relation
from ecosystem.ranking import Confidence

A = Participant(1, "kommune-aarhus", "public", organisation_opted_in=True)
B = Participant(2, "kommune-aalborg", "public", organisation_opted_in=True)


@pytest.mark.parametrize(("a_in", "b_in", "a_out", "b_out"), list(product([True, False], repeat=4)))
def test_a_match_needs_both_organisations_in_and_neither_project_out(a_in, b_in, a_out, b_out):
    a = replace(A, organisation_opted_in=a_in, project_opted_out=a_out)
    b = replace(B, organisation_opted_in=b_in, project_opted_out=b_out)
    expected = a_in and b_in and not a_out and not b_out
    assert may_match(a, b) is expected
    assert may_match(b, a) is expected  # the pair is unordered


def test_the_default_is_off():
    assert not may_take_part(Participant(3, "auh", "public"))
    assert not may_match(Participant(3, "auh", "public"), B)


def test_two_projects_of_one_organisation_are_never_matched():
    assert not may_match(A, replace(A, project_id=9))


@pytest.mark.parametrize(
    ("visibility", "disclose", "expected"),
    [
        ("public", False, True),
        ("ecosystem", False, True),
        ("private", False, False),  # not even hinted at: such a project is never matched
        ("private", True, True),  # its owner allowed a hint
    ],
)
def test_a_private_project_takes_part_only_when_its_owner_allowed_a_hint(
    visibility, disclose, expected
):
    a = replace(A, visibility=visibility, disclose_when_private=disclose)
    assert may_match(a, B) is expected


def test_the_other_side_sees_a_private_project_only_as_a_hint():
    reader = Principal(organisation_id=B.organisation_id)
    assert sighting(reader, A) is Sighting.WHOLE
    assert sighting(reader, replace(A, visibility="ecosystem")) is Sighting.WHOLE
    hinted = replace(A, visibility="private", disclose_when_private=True)
    assert sighting(reader, hinted) is Sighting.HINT
    assert sighting(reader, replace(hinted, disclose_when_private=False)) is None
    assert sighting(Principal(organisation_id=A.organisation_id), hinted) is Sighting.WHOLE


def test_a_hint_names_the_kind_of_owner_and_its_region_never_the_owner():
    hint = hint_of(
        "hospital",
        ["region-midtjylland"],
        {"region-midtjylland": Label("Region Midtjylland", "Central Denmark Region")},
    )
    assert hint.da == "Et ikke-offentligt projekt hos et hospital i Region Midtjylland"
    assert hint.en == "A non-public project at a hospital in Central Denmark Region"
    assert hint_of("municipality", [], {}).da.endswith("hos en kommune i Danmark")


def _match(confidence: Confidence, relation: Relation, link: str | None = None) -> OverlapMatch:
    return OverlapMatch(
        project_id=2,
        score=0.9,
        relation=relation,
        text_score=0.8,
        shared_terms=(),
        shared_themes=(),
        shared_target_groups=(),
        geography=Geography.ELSEWHERE,
        partner_link=None,
        reasons=(),
        confidence=confidence,
        link=link,
    )


def test_only_the_top_band_is_strong_and_not_when_the_projects_are_already_linked():
    assert is_strong(_match(Confidence.SAME, Relation.PARALLEL))
    assert is_strong(_match(Confidence.SAME, Relation.DUPLICATE))
    assert not is_strong(_match(Confidence.POSSIBLE, Relation.PARALLEL))
    assert not is_strong(_match(Confidence.RELATED, Relation.COMPLEMENTARY))
    assert not is_strong(_match(Confidence.SAME, Relation.PART_OF, "merged_into"))


def test_the_digest_is_danish_first_and_names_both_projects_and_the_answer():
    lines = [
        DigestLine(
            "Vores KOL-projekt",
            Label("Deres KOL-projekt (Aalborg)", "Their COPD project (Aalborg)"),
            "same",
            "interested",
        ),
    ]
    since = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    subject, body = digest_text("Aarhus Kommune", lines, since, "http://x/matches")
    assert subject.startswith("1 nye match")
    assert body.index("Kære Aarhus Kommune") < body.index("These projects")
    assert (
        "- Vores KOL-projekt ↔ Deres KOL-projekt (Aalborg) (Sikkert samme indsats); de har svaret: Interesseret"
        in body
    )
    assert (
        "Their COPD project (Aalborg) (Surely the same intervention); they answered: Interested"
        in body
    )
    assert "siden 2026-05-01" in body and "http://x/matches" in body
