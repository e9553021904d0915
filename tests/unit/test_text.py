"""Danish/English text pipeline: normalisation, stop words, stems, synonyms, n-grams."""

from __future__ import annotations

import csv
import importlib.resources
from pathlib import Path

import pytest

from ecosystem.text import (
    Analyzer,
    char_ngrams,
    default_analyzer,
    display_term,
    load_synonyms,
    normalise,
    tokenize,
)

DATA = Path(str(importlib.resources.files("seeds") / "data"))


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return default_analyzer()


def test_normalise_strips_soft_hyphens_and_unifies_dashes() -> None:
    # soft hyphens as PDF-to-text leaves them, NFKC ligature, en dash, no-break space
    text = "Vidensde\u00adling om hjemme\u00admonitorering \ufb01t type 2\u2013diabetes\u00a0KOL"
    assert normalise(text) == "vidensdeling om hjemmemonitorering fit type 2-diabetes kol"


def test_normalise_joins_words_hyphenated_over_a_line_break() -> None:
    assert normalise("hjemme-\nmonitorering") == "hjemmemonitorering"
    # an upper-case continuation is a real hyphen, not a line-break split
    assert normalise("KOL-\nPatienter") == "kol-patienter"


def test_soft_hyphen_does_not_change_the_terms(analyzer: Analyzer) -> None:
    assert analyzer.terms("sygeplejer\u00adskerne i hjemme\u00adplejen") == analyzer.terms(
        "sygeplejerskerne i hjemmeplejen"
    )
    assert "vidensdeling" in analyzer.terms("vidensde\u00adling")


def test_tokenize_keeps_danish_letters_and_splits_hyphens() -> None:
    assert tokenize("ældre-borgere på sygehuset (2024)") == [
        "ældre",
        "borgere",
        "på",
        "sygehuset",
        "2024",
    ]


def test_stemming_merges_inflections(analyzer: Analyzer) -> None:
    forms = ["kommunen", "kommuner", "kommunerne", "kommunernes"]
    assert len({tuple(analyzer.terms(form)) for form in forms}) == 1
    assert analyzer.terms("patienten") == analyzer.terms("patienterne")
    assert analyzer.terms("løsningen") == analyzer.terms("løsningerne")


def test_stop_words_are_removed(analyzer: Analyzer) -> None:
    assert analyzer.terms("og i at det den til er som på de med") == []
    assert analyzer.terms("the and of to with for is on") == []
    assert analyzer.terms("borgere og sygehuse") == analyzer.terms("borgere sygehuse")


def test_other_languages_stop_words_that_are_content_words_stay(analyzer: Analyzer) -> None:
    # "by" (town) and "it" (IT) are English stop words but Danish content words
    assert analyzer.terms("by og land") == ["by", "land"]
    assert "it" in analyzer.terms("nye it-systemer i kommunen")


def test_kol_copd_and_the_long_form_are_one_term(analyzer: Analyzer) -> None:
    assert analyzer.terms("KOL") == ["kol"]
    assert analyzer.terms("kronisk obstruktiv lungesygdom") == ["kol"]
    assert analyzer.terms("kroniske obstruktive lungesygdomme") == ["kol"]  # inflected
    assert analyzer.terms("COPD") == ["kol"]
    assert analyzer.terms("chronic obstructive pulmonary disease") == ["kol"]


def test_lung_disease_is_deliberately_not_kol(analyzer: Analyzer) -> None:
    assert "kol" not in analyzer.terms("lungesygdom")


def test_type_2_diabetes_variants_are_one_term_and_imply_diabetes(analyzer: Analyzer) -> None:
    expected = ["diabetes", "type2diabetes"]  # emitted canonicals come sorted
    for variant in ("DM2", "type 2-diabetes", "type 2 diabetes", "T2D", "type 2\u2013diabetes"):
        assert analyzer.terms(variant) == expected, variant
    assert analyzer.terms("diabetes") == ["diabetes"]
    assert "type2diabetes" not in analyzer.terms("type 1-diabetes")


def test_multi_word_variants_match_as_phrases_before_stop_words(analyzer: Analyzer) -> None:
    # "i" is a stop word, yet the phrase "monitorering i hjemmet" is matched whole
    assert analyzer.terms("monitorering i hjemmet") == ["telemedicin"]
    assert analyzer.terms("patientansvarlig læge") == ["pal"]
    assert analyzer.terms("elektronisk patientjournal") == analyzer.terms("EPJ") == ["epj"]
    # the words on their own are not the abbreviation
    assert "pal" not in analyzer.terms("patientansvarlig og læge")


def test_one_variant_can_emit_several_canonicals(analyzer: Analyzer) -> None:
    assert analyzer.terms("Tele-KOL") == ["kol", "telemedicin"]


def test_stemmed_homographs_do_not_become_synonyms(analyzer: Analyzer) -> None:
    assert "kræft" not in analyzer.terms("vi sætter kræfter ind")  # forces, not cancer
    assert "læge" not in analyzer.terms("projektet lægger vægt på dialog")


def test_english_and_danish_counterparts_share_terms(analyzer: Analyzer) -> None:
    english = set(
        analyzer.terms(
            "Remote monitoring of elderly patients with COPD reduces hospital admissions "
            "in the municipality"
        )
    )
    danish = set(
        analyzer.terms(
            "Hjemmemonitorering af ældre patienter med KOL skal mindske indlæggelser i kommunen"
        )
    )
    assert {"telemedicin", "ældre", "patient", "kol", "indlæggelse", "kommune"} <= english & danish


def test_language_guess_chooses_the_stemmer(analyzer: Analyzer) -> None:
    assert analyzer.analyze("The nurses visited the patients at home").lang == "en"
    assert analyzer.analyze("Sygeplejersken besøger borgerne i deres hjem").lang == "da"
    # English stemming merges English inflections
    assert analyzer.terms("the planned evaluations") == analyzer.terms("the planned evaluation")


def test_char_ngrams_are_char_wb_style() -> None:
    assert char_ngrams("hjemmet", (4, 4)) == [" hje", "hjem", "jemm", "emme", "mmet", "met "]
    assert char_ngrams("kol", (4, 5)) == [" kol", "kol ", " kol "]


def test_char_words_keep_compound_parts(analyzer: Analyzer) -> None:
    compound = set(analyzer.char_ngrams_of("hjemmemonitorering"))
    split = set(analyzer.char_ngrams_of("monitorering i hjemmet"))
    unrelated = set(analyzer.char_ngrams_of("kræftbehandling på sygehuset"))
    assert {"moni", "itor", " hjem"} <= compound & split
    assert len(compound & split) > len(compound & unrelated)


def test_display_term_is_readable(analyzer: Analyzer) -> None:
    assert display_term("type2diabetes") == "type 2-diabetes"
    assert display_term("kol") == "KOL"
    assert display_term("telemedicin") == "telemedicin"
    surfaces = analyzer.analyze("Sygeplejerskernes og sygeplejerskers arbejde").surface_map()
    stem = analyzer.terms("arbejde")[0]
    assert analyzer.display_term(stem, surfaces) == "arbejde"


def test_empty_and_whitespace_text(analyzer: Analyzer) -> None:
    assert analyzer.terms("") == []
    assert analyzer.terms(" \n\t\u00ad ") == []
    assert analyzer.char_ngrams_of("") == []


def test_synonym_file_is_well_formed() -> None:
    with (DATA / "synonyms.csv").open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    assert list(rows[0]) == ["canonical", "variant", "lang", "note"]
    assert 150 <= len(rows) <= 400
    assert all(row["lang"] in {"da", "en", "any"} for row in rows)
    pairs = [(row["canonical"], normalise(row["variant"])) for row in rows]
    assert len(pairs) == len(set(pairs)), "duplicate canonical/variant rows"
    # no Danish stop word may be a single-word variant: it would hijack common text
    stop = set((DATA / "stopwords_da.txt").read_text(encoding="utf-8").split())
    assert not [variant for _, variant in pairs if variant in stop]


def test_custom_synonym_file(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.csv"
    path.write_text(
        "canonical,variant,lang,note\n# comment\nhjertesvigt,heart failure,en,\n",
        encoding="utf-8",
    )
    table = load_synonyms(path)
    assert table.labels == {"hjertesvigt": "hjertesvigt"}
    analyzer = Analyzer.from_files(synonyms=path)
    assert analyzer.terms("Heart failure clinics") == ["hjertesvigt", "clinic"]


def test_bad_synonym_row_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.csv"
    path.write_text("canonical,variant,lang,note\nkol,copd,xx,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad synonym row"):
        load_synonyms(path)
