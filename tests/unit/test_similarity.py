"""Similarity index: ranking, incremental updates, visibility filter, all pairs, explanations."""

from __future__ import annotations

import itertools
import random

import pytest

from ecosystem.similarity import CHAR_WEIGHT, WORD_WEIGHT, SimilarityIndex

PROJECTS = {
    1: "Telemedicinsk hjemmemonitorering af borgere med KOL. Borgerne får en tablet og måler "
    "saturation og puls, og hjemmesygeplejen følger op sammen med lungemedicinsk afdeling.",
    2: "Genoptræning efter hoftebrud for ældre borgere i kommunen med fysioterapeuter og "
    "træning i eget hjem.",
    3: "Kunstig intelligens skal hjælpe radiologer med at finde lungekræft tidligere på "
    "røntgenbilleder på sygehuset.",
    4: "Forebyggelse af type 2-diabetes gennem kost og motion i almen praksis for borgere "
    "med overvægt.",
    5: "Psykiatrisk udkørende team til unge med angst og depression i samarbejde med "
    "kommunens skoler.",
    6: "Elektronisk patientjournal og bedre deling af medicinlister mellem sygehus, "
    "kommune og praktiserende læge.",
    7: "Kortere ventetid på kræftbehandling gennem bedre planlægning af operationer.",
    8: "Demensvenlige plejehjem med sansehaver og uddannelse af personalet.",
}

SENTENCES = [
    "Borgere med KOL får telemedicinsk udstyr i eget hjem.",
    "Hjemmesygeplejen følger op på målinger af saturation og puls.",
    "Projektet skal reducere antallet af akutte indlæggelser.",
    "Ældre borgere tilbydes genoptræning efter udskrivelse fra sygehuset.",
    "Fysioterapeuter og ergoterapeuter arbejder sammen om et fælles forløb.",
    "Kunstig intelligens analyserer røntgenbilleder for tegn på kræft.",
    "Radiologerne får beslutningsstøtte i den daglige diagnostik.",
    "Almen praksis screener for type 2-diabetes hos borgere med overvægt.",
    "Kommunen tilbyder kurser i kost og motion.",
    "Unge med angst får hurtig hjælp fra et psykiatrisk team.",
    "Skolerne samarbejder med kommunens sundhedsplejersker.",
    "Medicinlister deles mellem sygehus, kommune og praktiserende læge.",
    "Den elektroniske patientjournal bruges af alle sektorer.",
    "Ventetiden på operation skal ned gennem bedre planlægning.",
    "Plejehjemmet indretter sansehaver til beboere med demens.",
    "Personalet uddannes i demensvenlig kommunikation.",
    "Pårørende inddrages i planlægningen af forløbet.",
    "Evalueringen sker med spørgeskemaer til patienter og personale.",
    "Videokonsultationer erstatter en del af de ambulante besøg.",
    "Sygeplejersker på akutmodtagelsen får nye arbejdsgange.",
]


def collection(n: int, seed: int = 7) -> dict[int, str]:
    """Reproducible documents of 4-7 sentences from a shared pool (plenty of overlap)."""
    rng = random.Random(seed)
    return {doc_id: " ".join(rng.sample(SENTENCES, rng.randint(4, 7))) for doc_id in range(n)}


@pytest.fixture()
def index() -> SimilarityIndex:
    built = SimilarityIndex()
    built.build(PROJECTS.items())
    return built


def test_query_ranks_the_matching_project_first(index: SimilarityIndex) -> None:
    matches = index.query("Hjemmemonitorering af KOL-patienter med tablet", k=3)
    assert matches[0].doc_id == 1
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(0.0 < m.score <= 1.0 for m in matches)


def test_a_document_is_most_similar_to_itself(index: SimilarityIndex) -> None:
    best = index.query(PROJECTS[4], k=1)[0]
    assert best.doc_id == 4
    assert best.score == pytest.approx(1.0, abs=1e-5)


def test_english_project_meets_its_danish_counterpart(index: SimilarityIndex) -> None:
    english = (
        "Remote monitoring of patients with chronic obstructive pulmonary disease at home, "
        "followed up by home nursing and the hospital's lung department."
    )
    assert index.query(english, k=1)[0].doc_id == 1
    diabetes = "Prevention of type 2 diabetes through diet and exercise in general practice."
    assert index.query(diabetes, k=1)[0].doc_id == 4


def test_compound_meets_its_split_form_through_char_ngrams() -> None:
    index = SimilarityIndex()
    _, char = index.similarity_parts("hjemmemonitorering", "monitorering i hjemmet")
    _, unrelated = index.similarity_parts("hjemmemonitorering", "kræftbehandling på sygehuset")
    assert char > 0.2 > unrelated
    # a compound the synonym list does not know: only the char space links the two
    word, char = index.similarity_parts(
        "sygeplejerskekonsultationer", "konsultationer hos sygeplejersken"
    )
    assert word == 0.0 < char
    assert index.similarity(
        "sygeplejerskekonsultationer", "konsultationer hos sygeplejersken"
    ) > index.similarity("sygeplejerskekonsultationer", "genoptræning af ældre")


def test_score_is_the_documented_weighted_combination(index: SimilarityIndex) -> None:
    word, char = index.similarity_parts(1, 6)
    assert index.similarity(1, 6) == pytest.approx(WORD_WEIGHT * word + CHAR_WEIGHT * char)
    hits = {m.doc_id: m.score for m in index.query_doc(1, k=8)}
    assert hits[6] == pytest.approx(index.similarity(1, 6), abs=1e-5)


def test_shared_terms_are_readable_and_sorted_by_weight(index: SimilarityIndex) -> None:
    match = index.query("Telemedicin til borgere med kronisk obstruktiv lungesygdom", k=1)[0]
    terms = [term for term, _ in match.shared_terms]
    weights = [weight for _, weight in match.shared_terms]
    assert {"KOL", "telemedicin"} <= set(terms)
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
    # stems are shown as words a coordinator can read
    assert "borger" in terms
    assert not {"borg", "hjemmemonitor"} & set(terms)
    assert sum(weights) <= match.score + 1e-6


def test_explain_lists_shared_terms_of_ids_and_texts(index: SimilarityIndex) -> None:
    terms = dict(index.explain(1, "KOL og hjemmemonitorering i kommunen"))
    assert set(terms) == {"KOL", "telemedicin"}
    # two texts: terms the index has never seen still count, shown as written
    shared = index.explain("Sansehaver og hospice", "hospice med sansehaver og tårnure")
    assert {term for term, _ in shared} == {"palliation", "sansehaver"}
    # both unseen terms get the same IDF: 0.6 * (1/sqrt(2)) * 1
    assert index.explain("Tårnure i kirken", "tårnure") == (
        ("tårnure", pytest.approx(0.4243, abs=1e-4)),
    )
    with pytest.raises(KeyError):
        index.explain(999, 1)


def test_empty_and_whitespace_queries_return_nothing(index: SimilarityIndex) -> None:
    assert index.query("") == []
    assert index.query("   \n\t ") == []
    assert index.query("og i at det") == []  # only stop words
    assert SimilarityIndex().query("KOL") == []  # empty index
    index.upsert(50, "   ")
    assert 50 in index
    assert index.query_doc(50) == []
    assert all(m.doc_id != 50 for m in index.query(PROJECTS[1], k=20))


def test_upsert_changes_results_without_a_rebuild() -> None:
    docs = collection(80)
    index = SimilarityIndex()
    index.build(docs.items())
    query = "Dialyse i eget hjem for borgere med nyresygdom"
    assert all(m.score < 0.3 for m in index.query(query, k=3))
    index.upsert(1000, "Hjemmedialyse: borgere med kronisk nyresygdom får dialyse i eget hjem.")
    assert index.query(query, k=1)[0].doc_id == 1000
    stats = index.stats()
    assert (stats.builds, stats.merges, stats.refreshes) == (1, 0, 0)
    assert (stats.base_rows, stats.delta_rows, stats.documents) == (80, 1, 81)
    # replacing a document's text replaces its rows
    index.upsert(1000, "Plejehjem med sansehaver til beboere med demens.")
    assert index.query(query, k=1)[0].doc_id != 1000
    assert index.stats().documents == 81


def test_upsert_of_an_existing_document_tombstones_its_old_row() -> None:
    index = SimilarityIndex()
    index.build(PROJECTS.items())
    index.upsert(3, "Ventetid på kræftbehandling og planlægning af operationer.")
    assert index.stats().tombstones == 1
    old_text = {m.doc_id: m for m in index.query("kunstig intelligens røntgen lungekræft", k=8)}
    assert 3 not in old_text or old_text[3].score < 0.1
    assert {m.doc_id for m in index.query("kræftbehandling operationer", k=2)} == {3, 7}


def test_remove_excludes_a_document(index: SimilarityIndex) -> None:
    index.remove(1)
    assert 1 not in index and len(index) == len(PROJECTS) - 1
    assert all(m.doc_id != 1 for m in index.query(PROJECTS[1], k=10))
    assert all(1 not in pair[:2] for pair in index.pairs(0.01))
    index.remove(1)  # unknown ids are ignored
    with pytest.raises(KeyError):
        index.query_doc(1)
    index.upsert(1, PROJECTS[1])
    assert index.query(PROJECTS[1], k=1)[0].doc_id == 1


def test_allowed_filter_never_returns_disallowed_and_still_fills_k() -> None:
    index = SimilarityIndex()
    index.build(collection(60).items())
    query = "Borgere med KOL får telemedicinsk udstyr og hjemmesygepleje"
    everything = index.query(query, k=60)
    odd = [m for m in everything if m.doc_id % 2 == 1]
    calls: list[int] = []

    def allowed(doc_id: int) -> bool:
        calls.append(doc_id)
        return doc_id % 2 == 1

    filtered = index.query(query, k=5, allowed=allowed)
    assert len(filtered) == 5
    assert all(m.doc_id % 2 == 1 for m in filtered)
    assert [m.doc_id for m in filtered] == [m.doc_id for m in odd[:5]]
    assert len(calls) < 60  # the filter is applied lazily, best candidates first
    none = index.query(query, k=5, allowed=lambda _doc_id: False)
    assert none == []


def test_exclude_and_query_doc_skip_ids(index: SimilarityIndex) -> None:
    assert all(m.doc_id not in {1, 6} for m in index.query(PROJECTS[1], k=10, exclude={1, 6}))
    assert all(m.doc_id != 2 for m in index.query_doc(2, k=10))


def test_incremental_updates_refresh_idf_and_match_a_fresh_build() -> None:
    docs = collection(60)
    index = SimilarityIndex(refresh_ratio=0.2)
    index.build(itertools.islice(docs.items(), 40))
    base = index.stats()
    for doc_id in range(40, 60):  # 20 changes > 20% of 50: IDF is refreshed on the way
        index.upsert(doc_id, docs[doc_id])
    assert index.stats().refreshes == base.refreshes + 1 and index.stats().builds == 1
    index.refresh()  # what a quiet hour would do: fold the delta in with fresh IDF
    fresh = SimilarityIndex()
    fresh.build(docs.items())
    query = SENTENCES[0] + " " + SENTENCES[5]
    got = [(m.doc_id, round(m.score, 4)) for m in index.query(query, k=10)]
    want = [(m.doc_id, round(m.score, 4)) for m in fresh.query(query, k=10)]
    assert got == want


def test_merging_the_delta_keeps_results() -> None:
    docs = collection(50)
    index = SimilarityIndex(min_merge=3, merge_ratio=0.0, refresh_ratio=10.0)
    index.build(itertools.islice(docs.items(), 45))
    before = None
    for doc_id in range(45, 50):
        index.upsert(doc_id, docs[doc_id])
        if doc_id == 47:  # 3 delta rows, not yet merged
            before = index.query(SENTENCES[3], k=10)
    assert index.stats().merges == 1 and index.stats().delta_rows == 1
    assert before is not None
    after = {m.doc_id: m.score for m in index.query(SENTENCES[3], k=50)}
    for match in before:
        assert after[match.doc_id] == pytest.approx(match.score, abs=1e-5)


def test_pairs_find_planted_near_duplicates() -> None:
    docs = collection(40, seed=3)
    docs.update({200 + i: text for i, text in PROJECTS.items()})
    docs[300] = PROJECTS[3].replace("tidligere", "hurtigere") + " Algoritmen valideres lokalt."
    docs[301] = "Plejehjem for borgere med demens får sansehaver, og personalet uddannes."
    index = SimilarityIndex()
    index.build(docs.items())
    found = {(a, b): score for a, b, score in index.pairs(0.6)}
    assert (203, 300) in found and (208, 301) in found
    assert all(a < b for a, b in found)
    best_for = {
        planted: max((score, pair) for pair, score in found.items() if planted in pair)[1]
        for planted in (300, 301)
    }
    assert best_for == {300: (203, 300), 301: (208, 301)}


@pytest.mark.parametrize("threshold", [0.05, 0.3, 0.6])
def test_pairs_agree_with_brute_force(threshold: float) -> None:
    docs = collection(45, seed=11)
    docs.update({200 + i: PROJECTS[i] for i in PROJECTS})
    index = SimilarityIndex()
    index.build(docs.items())
    index.upsert(300, docs[3] + " " + PROJECTS[1])  # a delta row takes part too
    index.remove(7)  # and a tombstone does not
    ids = sorted(set(docs) - {7} | {300})
    brute = {
        (a, b): index.similarity(a, b)
        for a, b in itertools.combinations(ids, 2)
        if index.similarity(a, b) >= threshold + 1e-5
    }
    found = {(a, b): score for a, b, score in index.pairs(threshold)}
    assert set(brute) <= set(found)
    assert all(score >= threshold for score in found.values())
    for pair, score in brute.items():
        assert found[pair] == pytest.approx(score, abs=1e-4)


def test_pairs_restricted_to_ids() -> None:
    index = SimilarityIndex()
    index.build(collection(30).items())
    everything = {(a, b) for a, b, _ in index.pairs(0.2)}
    some = {(a, b) for a, b, _ in index.pairs(0.2, ids={1, 2, 3, 4, 5, 6})}
    assert some == {(a, b) for a, b in everything if a <= 6 and b <= 6 and a >= 1}
    with pytest.raises(ValueError):
        list(index.pairs(0.0))


def test_an_empty_index_answers_without_errors() -> None:
    index = SimilarityIndex()
    index.build([])
    assert index.query("KOL") == [] and list(index.pairs(0.5)) == [] and len(index) == 0
    index.upsert(1, "KOL i kommunen")
    index.upsert(2, "COPD in the municipality")
    assert [m.doc_id for m in index.query("kol", k=5)] == [1, 2]
    assert [(a, b) for a, b, _ in index.pairs(0.3)] == [(1, 2)]


def test_len_contains_and_stats(index: SimilarityIndex) -> None:
    assert len(index) == len(PROJECTS)
    assert 1 in index and 99 not in index
    stats = index.stats()
    assert stats.documents == len(PROJECTS) and stats.word_terms > 20 and stats.char_grams > 100


def test_documents_that_do_not_count_never_change_anyone_elses_scores():
    public = [
        (1, "Telemedicin til borgere med KOL i eget hjem"),
        (2, "Faldforebyggelse for ældre med styrketræning"),
        (3, "Rygestop for gravide i almen praksis"),
    ]
    index = SimilarityIndex(refresh_ratio=0.0)  # refresh at every change: the hardest case
    index.build(public)
    before = [(m.doc_id, m.score) for m in index.query("KOL telemedicin sukkersyge", k=3)]
    # A private project full of the query's rarest word is added, changed and removed.
    index.upsert(9, "Sukkersyge sukkersyge telemedicin KOL", counted=False)
    index.upsert(9, "Sukkersyge og KOL hjemme hos borgeren", counted=False)
    index.refresh()
    after = [
        (m.doc_id, m.score) for m in index.query("KOL telemedicin sukkersyge", k=4) if m.doc_id != 9
    ]
    assert after == before
