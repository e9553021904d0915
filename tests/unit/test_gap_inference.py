"""The text rule: sub-themes a project's text names count, shown as inferred, never as tags."""

from __future__ import annotations

from ecosystem.gaps import Finding, PublicValue, SubthemeReader, analyse_gaps
from ecosystem.text.analyzer import default_analyzer
from tests.unit.group_builders import mandate, project, reference

REF = reference()
READER = SubthemeReader(REF, default_analyzer())
PSYCHIATRY = mandate(themes=["T4"], areas=["sundhedsraad-aarhus"])


def test_a_text_names_a_sub_theme_when_it_has_every_word_of_its_name():
    team = "Opsøgende psykiatrisk team. Teamet tilbyder udredning og behandling på gaden."
    assert READER.read(team) == {"T10.3"}  # Opsøgende behandling: opsøg + behandl
    assert READER.read("Opsøgende arbejde på gaden") == frozenset()  # half a name is not enough


def test_synonyms_and_english_names_are_read_too():
    assert READER.read("Telemonitoring of patients with COPD") == {"T2.1"}  # COPD reads as KOL
    assert READER.read("Kronisk obstruktiv lungesygdom i hjemmet") == {"T2.1"}
    assert READER.read("Outreach treatment for homeless people") == {"T10.3"}


def test_top_level_themes_and_what_the_card_tags_are_never_inferred():
    assert "T2" not in READER.read("Kronisk sygdom og ældre")  # whole themes: tags only
    assert READER.read("Borgere med KOL", tagged=["T2", "T2.1"]) == frozenset()
    found = READER.read_all({1: "KOL i hjemmet", 2: "Hofteoperationer"}, {1: frozenset({"T2"})})
    assert found == {1: frozenset({"T2.1"})}


def test_an_untagged_outreach_project_counts_for_outreach_as_inferred():
    team = project(1, "kommune-aarhus", themes=("T4",))
    without = analyse_gaps(PSYCHIATRY, [team], REF)
    gap = next(g for g in without.findings() if g.dimension is PublicValue.OUTREACH)
    assert gap.finding is Finding.NOT_FOUND
    assert "Intet projekt fundet, heller ikke i projekternes tekst." in gap.explanation.da

    read = analyse_gaps(PSYCHIATRY, [team], REF, inferred={1: frozenset({"T10.3"})})
    row = next(r for r in read.public_value if r.dimension is PublicValue.OUTREACH)
    assert row.projects == (1,) and row.inferred == (1,)
    assert not [g for g in read.findings() if g.dimension is PublicValue.OUTREACH]


def test_thin_work_found_only_in_texts_says_no_project_is_tagged_and_names_it():
    idea = project(1, "kommune-aarhus", stage="idea", themes=("T4",))
    report = analyse_gaps(PSYCHIATRY, [idea], REF, inferred={1: frozenset({"T9.1"})})
    gap = next(g for g in report.findings() if g.dimension is PublicValue.OUTREACH)
    assert gap.finding is Finding.NOT_TAGGED and gap.inferred == (1,)
    assert "Intet projekt er mærket med det. Udledt af teksten: «Projekt 1»." in gap.explanation.da
    assert "Inferred from the text: «Projekt 1»." in gap.explanation.en


def test_a_sub_theme_row_counts_projects_by_their_text_and_marks_them():
    copd = mandate(themes=["T2.1", "T4"], areas=["sundhedsraad-aarhus"])
    tagged = project(1, "kommune-aarhus", themes=("T2.1",))
    read = project(2, "kommune-samsoe", stage="idea", themes=("T4",))  # its text names KOL
    report = analyse_gaps(copd, [tagged, read], REF, inferred={2: frozenset({"T2.1"})})
    samsoe = report.theme_area.cell("T2.1", "0741")
    assert samsoe.projects == (2,) and samsoe.inferred == (2,) and samsoe.tagged == ()
    gap = next(g for g in report.findings() if g.id == "theme_area:T2.1:0741:-")
    assert gap.finding is Finding.NOT_TAGGED and gap.inferred == (2,)
    assert "Udledt af teksten: «Projekt 2»." in gap.explanation.da
    # Without the text, Samsø has nothing: a sub-theme is read from texts, so "not found".
    plain = analyse_gaps(copd, [tagged, read], REF)
    gap = next(g for g in plain.findings() if g.id == "theme_area:T2.1:0741:-")
    assert gap.finding is Finding.NOT_FOUND
