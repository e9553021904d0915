"""Tag suggestions by similarity-weighted voting of the nearest tagged projects."""

from __future__ import annotations

import numpy as np
import pytest

from ecosystem.similarity import SimilarityIndex
from ecosystem.suggest import (
    AGREEMENT_SCALE,
    Neighbour,
    Suggestion,
    Tags,
    agreement_neighbours,
    suggest,
    suggest_from,
)

PARENTS: dict[str, str | None] = {"T2": None, "T2.1": "T2", "T2.1.1": "T2.1", "T6": None}


def codes(found: list[Suggestion]) -> list[tuple[str, str]]:
    return [(s.kind, s.code) for s in found]


def test_confidence_is_the_weighted_share_with_a_prior() -> None:
    near = [Neighbour(1, 0.5, Tags.of(["T6"])), Neighbour(2, 0.3, Tags.of(["T2"]))]
    found = {s.code: s for s in suggest(near, PARENTS, threshold=0.0, prior=0.2)}
    assert found["T6"].confidence == pytest.approx(0.5)
    assert found["T2"].confidence == pytest.approx(0.3)
    assert found["T6"].supporters == ((1, 0.5),)


def test_one_faint_neighbour_gives_a_low_confidence() -> None:
    faint = suggest([Neighbour(1, 0.05, Tags.of(["T6"]))], PARENTS, threshold=0.0)
    strong = suggest([Neighbour(1, 0.8, Tags.of(["T6"]))], PARENTS, threshold=0.0)
    assert faint[0].confidence < 0.3 < strong[0].confidence <= 1.0


def test_a_subtheme_votes_for_itself_and_its_top_level_theme() -> None:
    near = [Neighbour(1, 0.9, Tags.of(["T2.1.1"]))]
    assert set(codes(suggest(near, PARENTS))) == {
        ("subtheme", "T2.1.1"),
        ("theme", "T2"),
    }


def test_threshold_drops_weak_votes_and_results_are_most_confident_first() -> None:
    near = [
        Neighbour(1, 0.6, Tags.of(["T6"], ["kol"])),
        Neighbour(2, 0.5, Tags.of(["T6"], ["aeldre"])),
        Neighbour(3, 0.1, Tags.of(["T2"])),
    ]
    found = suggest(near, PARENTS, threshold=0.3, prior=0.2)
    assert codes(found) == [("theme", "T6"), ("target_group", "kol"), ("target_group", "aeldre")]
    confidences = [s.confidence for s in found]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)


def test_tags_the_text_already_has_are_not_suggested() -> None:
    near = [Neighbour(1, 0.9, Tags.of(["T6"], ["kol"]))]
    assert codes(suggest(near, PARENTS, already=Tags.of(["T6"]))) == [("target_group", "kol")]


def test_no_neighbours_or_zero_scores_suggest_nothing() -> None:
    assert suggest([], PARENTS, prior=0.0) == []
    assert suggest([Neighbour(1, 0.0, Tags.of(["T6"]))], PARENTS, prior=0.0) == []


@pytest.mark.parametrize(("threshold", "prior"), [(-0.1, 0.2), (1.1, 0.2), (0.3, -1.0)])
def test_bad_parameters_are_refused(threshold: float, prior: float) -> None:
    with pytest.raises(ValueError):
        suggest([], PARENTS, threshold=threshold, prior=prior)


def test_suggest_from_skips_untagged_and_excluded_projects_without_losing_places() -> None:
    ranked = [(1, 0.9), (2, 0.8), (3, 0.7), (4, 0.6)]
    tags = {1: Tags.of(["T2"]), 2: Tags(), 4: Tags.of(["T6"])}
    asked: list[int] = []

    def nearest(limit: int) -> list[tuple[int, float]]:
        asked.append(limit)
        return ranked[:limit]

    found = suggest_from(nearest, tags.get, PARENTS, k=1, threshold=0.0, exclude={1})
    assert codes(found) == [("theme", "T6")]
    assert found[0].supporters == ((4, 0.6),)
    assert suggest_from(nearest, tags.get, PARENTS, k=0) == []


def test_suggestions_from_the_lexical_index_follow_the_text() -> None:
    index = SimilarityIndex()
    docs = {
        1: ("Telemedicin til borgere med KOL i eget hjem", Tags.of(["T2.1"], ["kol"])),
        2: ("Hjemmemonitorering af KOL-patienter efter udskrivning", Tags.of(["T2.1"], ["kol"])),
        3: ("Screening for brystkræft i Region Nord", Tags.of(["T6"], ["kraeftpatienter"])),
    }
    index.build((pid, text) for pid, (text, _) in docs.items())
    tags = {pid: t for pid, (_, t) in docs.items()}

    def nearest(limit: int) -> list[tuple[int, float]]:
        return [(m.doc_id, m.score) for m in index.query("KOL-borgere måler selv i hjemmet", limit)]

    found = codes(suggest_from(nearest, tags.get, PARENTS, threshold=0.3))
    assert ("target_group", "kol") in found and ("subtheme", "T2.1") in found
    assert ("target_group", "kraeftpatienter") not in found


IDS = np.array([11, 12, 13, 14, 15, 16], np.int64)


def test_agreement_neighbours_are_best_first_weighted_by_the_share_of_the_same_intervention() -> (
    None
):
    agreement = np.array([1.0, 9.0, 2.25, 2.25, 0.5, 3.0])
    everyone = np.ones(len(IDS), bool)
    found = agreement_neighbours(IDS, agreement, everyone, 4)
    assert found == [(12, 1.0), (16, 3.0 / AGREEMENT_SCALE), (13, 0.5), (14, 0.5)]
    assert agreement_neighbours(IDS, agreement, everyone, 0) == []
    assert len(agreement_neighbours(IDS, agreement, everyone, 100)) == len(IDS)


def test_agreement_neighbours_leave_out_the_unallowed_the_ordinary_and_the_uncompared() -> None:
    agreement = np.array([4.0, 9.0, 0.0, -2.0, np.nan, 1.0])
    allowed = np.array([True, False, True, True, True, True])
    found = agreement_neighbours(IDS, agreement, allowed, 10)
    assert [pid for pid, _ in found] == [11, 16]  # 12 unallowed, 13-14 not above ordinary, 15 NaN
    assert all(0.0 < weight <= 1.0 for _, weight in found)


def test_a_project_the_reader_may_not_see_never_votes_however_alike() -> None:
    tags = {11: Tags.of(["T6"]), 12: Tags.of(["T2"], ["kol"])}
    agreement = np.array([2.0, 9.0])
    allowed = np.array([True, False])

    def nearest(limit: int) -> list[tuple[int, float]]:
        return agreement_neighbours(IDS[:2], agreement, allowed, limit)

    found = suggest_from(nearest, tags.get, PARENTS, threshold=0.0)
    assert codes(found) == [("theme", "T6")]
    assert {pid for s in found for pid, _ in s.supporters} == {11}
