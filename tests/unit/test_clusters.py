"""Clusters of the same intervention: communities, bounded, labelled by their own words."""

from __future__ import annotations

import itertools

from ecosystem.clusters import MAX_SIZE, clusters
from ecosystem.overlap import Geography, OverlapMatch, OverlapPair, Relation


def pair(a: int, b: int, score: float = 0.8, relation: Relation = Relation.PARALLEL) -> OverlapPair:
    match = OverlapMatch(b, score, relation, 0.5, (), (), (), Geography.ELSEWHERE, None, ())
    return OverlapPair(a, b, match)


def test_one_loose_pair_does_not_chain_two_interventions_into_one_cluster():
    copd = [pair(a, b, 0.9) for a, b in itertools.combinations(range(1, 7), 2)]
    smoking = [pair(a, b, 0.9) for a, b in itertools.combinations(range(11, 17), 2)]
    bridge = [pair(6, 11, 0.3)]
    texts = {i: "KOL telemedicin hjemmemonitorering" for i in range(1, 7)}
    texts |= {i: "rygestop gravide jordemoder" for i in range(11, 17)}
    found = clusters(copd + smoking + bridge, texts.get)
    assert sorted(c.project_ids for c in found) == [tuple(range(1, 7)), tuple(range(11, 17))]
    labels = {c.project_ids[0]: c.label for c in found}
    assert "rygestop" in labels[11] and "KOL" in labels[1]


def test_no_cluster_grows_past_its_bound_even_when_everything_overlaps():
    everything = [pair(a, b) for a, b in itertools.combinations(range(60), 2)]
    found = clusters(everything, lambda _id: "samme tekst")
    assert max(len(c.project_ids) for c in found) <= MAX_SIZE
    assert sum(len(c.project_ids) for c in found) == 60


def test_complementary_pairs_form_no_cluster_and_labels_avoid_generic_words():
    found = clusters(
        [pair(1, 2), pair(3, 4, relation=Relation.COMPLEMENTARY)],
        {1: "borgere kommune projekt demens", 2: "borgere kommunen projektet demens"}.get,
    )
    assert [c.project_ids for c in found] == [(1, 2)]
    assert "borger" not in found[0].label.casefold() and "demens" in found[0].label
