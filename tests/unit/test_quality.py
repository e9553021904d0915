"""The data quality of one portfolio, on hand-built cards: each part can fail on its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ecosystem.groups import Group
from ecosystem.model import ProjectRecord
from ecosystem.quality import (
    MIN_WORDS,
    WEIGHTS,
    GroupReview,
    QualityReport,
    assess_quality,
    placeholder_of,
)
from tests.unit.group_builders import mandate, reference

TODAY = dt.date(2026, 6, 1)
CHANGED = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
LONG = (
    "Borgere med svær KOL får måleudstyr med hjem og følges dagligt af hjemmesygeplejen, "
    "som ringer op ved faldende iltmætning og aftaler besøg med lægen i almen praksis."
)


def card(number: int = 1, **fields: Any) -> ProjectRecord:
    """A card that passes every check; keyword arguments change (None removes) fields."""
    data: dict[str, Any] = {
        "external_id": f"P-{number}",
        "title": f"Hjemmemonitorering af KOL, spor {number}",
        "description": LONG,
        "stage": "pilot",
        "themes": ["T2.1"],
        "target_groups": ["kol"],
        "areas": ["0751"],
        "start_date": "2025-01-01",
        "end_date": "2027-01-01",
        "value_score": 4,
        "risk_score": 2,
        "contact": {"name": "Projektleder", "email": "kol@example.dk"},
        "goals": ["NM2"],
    }
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}
    return ProjectRecord(number, "kommune-aarhus", f"P-{number}", data, 1, False, CHANGED, CHANGED)


def assess(
    *records: ProjectRecord,
    reviews: tuple[GroupReview, ...] = (),
    groups: tuple[Group, ...] = (),
) -> QualityReport:
    return assess_quality(list(records), reference(), list(reviews), list(groups), today=TODAY)


def group(group_id: str = "kol", **fields: Any) -> Group:
    return Group(group_id, f"Gruppe {group_id}", mandate(**fields), ("kommune-aarhus",))


def field(report: QualityReport, key: str) -> Any:
    return next(f for f in report.fields if f.key == key)


def part(report: QualityReport, key: str) -> Any:
    return next(p for p in report.parts if p.key == key)


def test_a_complete_current_card_scores_full_marks_and_needs_nothing():
    report = assess(card(1), card(2))
    assert report.score == 100
    assert report.suggestions == ()
    assert [p.weight for p in report.parts] == list(WEIGHTS.values())
    assert sum(WEIGHTS.values()) == 100


def test_an_empty_portfolio_has_no_score_and_is_asked_to_publish():
    report = assess()
    assert report.score is None
    assert [s.key for s in report.suggestions] == ["publish"]


@pytest.mark.parametrize(
    ("key", "change"),
    [
        ("target_groups", {"target_groups": None}),
        ("areas", {"areas": None}),
        ("dates", {"start_date": None}),
        ("dates", {"stage": "completed", "end_date": None, "evidence": {"outcome": "positive"}}),
        ("stage", {"end_date": "2026-03-01"}),  # still a pilot three months after its end
        ("contact", {"contact": None}),
        ("contact", {"contact": {"name": "Nogen"}}),  # a name alone reaches nobody
        ("value_risk", {"risk_score": None}),
        ("evidence", {"stage": "operation"}),
    ],
)
def test_each_field_can_be_missing(key, change):
    report = assess(card(1), card(2, **change))
    missing = field(report, key)
    assert [p.id for p in missing.missing] == [2]
    assert missing.share == pytest.approx(0.5 if missing.applies == 2 else 0)
    others = [f for f in report.fields if f.key != key]
    assert all(f.share == 1.0 for f in others), [f.key for f in others if f.share < 1]
    assert report.score is not None and report.score < 100
    assert report.suggestions[0].key == key
    assert "«Hjemmemonitorering af KOL, spor 2»" in report.suggestions[0].text.da


def test_evidence_is_asked_only_of_mature_projects():
    report = assess(card(1, stage="idea"), card(2, stage="operation", evidence={"summary": "Godt"}))
    evidence = field(report, "evidence")
    assert evidence.applies == 1 and evidence.missing == ()


def test_a_field_no_project_has_to_fill_is_left_out_of_the_mean():
    report = assess(card(1, target_groups=None))  # a pilot: evidence does not apply
    completeness = part(report, "completeness")
    assert field(report, "evidence").applies == 0
    assert completeness.share == pytest.approx(5 / 6)  # target groups missing, 6 fields checked
    assert "6" in completeness.explanation.da


@pytest.mark.parametrize(
    ("title", "description", "same"),
    [
        ("Tele-KOL", "Tele-KOL i Aarhus.", False),  # short
        ("Hjemmemonitorering af KOL", "Hjemmemonitorering af KOL", True),  # the title again
        ("Tele-KOL", "", True),
    ],
)
def test_placeholder_descriptions_are_found(title, description, same):
    found = placeholder_of(card(1, title=title, description=description))
    assert found is not None and found.same_as_title is same
    report = assess(card(1, title=title, description=description), card(2))
    assert part(report, "descriptions").share == pytest.approx(0.5)


def test_twenty_words_that_are_not_the_title_are_a_description():
    words = " ".join(f"ord{i}" for i in range(MIN_WORDS))
    assert placeholder_of(card(1, description=words)) is None
    assert placeholder_of(card(1, description=" ".join(words.split()[1:]))) is not None


def test_a_card_not_confirmed_since_a_covering_groups_review_is_stale():
    held = GroupReview(group(themes=["T2"]), dt.date(2026, 3, 15))
    elsewhere = GroupReview(group("psyk", themes=["T4"]), dt.date(2026, 5, 1))
    report = assess(
        card(1),  # changed in January, never confirmed
        card(2, last_reviewed="2026-04-01"),  # confirmed after the review
        reviews=(held, elsewhere),
    )
    assert [(s.project.id, s.group_id, s.review_date) for s in report.stale] == [
        (1, "kol", dt.date(2026, 3, 15))
    ]
    assert part(report, "current").share == pytest.approx(0.5)
    assert report.suggestions[0].key == "current"


def test_without_a_covering_review_nothing_is_stale():
    report = assess(card(1), reviews=(GroupReview(group(themes=["T4"]), dt.date(2026, 5, 1)),))
    assert report.stale == () and part(report, "current").share == 1.0
    no_reviews = assess(card(1))
    assert "Ingen gruppe" in part(no_reviews, "current").explanation.da


def test_a_change_after_the_review_counts_as_confirmed():
    record = card(1)
    changed = ProjectRecord(
        1,
        record.organisation_id,
        "P-1",
        record.data,
        2,
        False,
        CHANGED,
        dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
    )
    held = GroupReview(group(themes=["T2"]), dt.date(2026, 3, 15))
    assert assess(changed, reviews=(held,)).stale == ()


@pytest.mark.parametrize(
    ("fieldname", "codes"),
    [
        ("themes", ["T99"]),
        ("target_groups", ["ukendt-gruppe"]),
        ("areas", ["9999"]),
        ("goals", ["NM99"]),
    ],
)
def test_codes_unknown_to_the_reference_data_are_named(fieldname, codes):
    report = assess(card(1, **{fieldname: codes}), card(2))
    assert [(c.project.id, c.field, c.code) for c in report.codes] == [(1, fieldname, codes[0])]
    assert part(report, "codes").share == pytest.approx(0.5)


def test_a_main_theme_is_too_broad_only_where_a_group_works_on_a_sub_theme():
    broad = card(1, themes=["T2"])
    assert assess(broad, groups=(group(themes=["T2"]),)).codes == ()
    assert assess(broad, groups=(group(themes=["T9.1"]),)).codes == ()  # another theme
    found = assess(broad, groups=(group(themes=["T2.1"]),)).codes
    assert [(c.field, c.code) for c in found] == [("themes", "T2")]
    assert "Gruppe kol" in found[0].reason.da
    # outside the group's area it would not be seen anyway: nothing to fix
    far = group(themes=["T2.1"], areas=["0851"])
    assert assess(broad, groups=(far,)).codes == ()
    assert assess(card(1, themes=["T2", "T2.1"]), groups=(group(themes=["T2.1"]),)).codes == ()


def test_at_most_three_suggestions_largest_gain_first_each_naming_projects():
    records = [
        card(i, target_groups=None, contact=None, description="Kort.", risk_score=None)
        for i in range(1, 6)
    ]
    report = assess(*records)
    assert len(report.suggestions) == 3
    gains = [s.gain for s in report.suggestions]
    assert gains == sorted(gains, reverse=True)
    assert report.suggestions[0].key == "descriptions"  # 20 points against 40/6 per field
    first = report.suggestions[0]
    assert len(first.projects) == 5 and first.text.da.count("«") == 3  # three named, e.g.
    assert "fx" in first.text.da and "e.g." in first.text.en


def test_the_score_is_the_sum_of_the_parts():
    report = assess(card(1, target_groups=None, description="Kort."), card(2, areas=["9999"]))
    assert report.score == round(sum(p.points for p in report.parts))
    assert part(report, "descriptions").points == pytest.approx(10)
    assert part(report, "codes").points == pytest.approx(10)
