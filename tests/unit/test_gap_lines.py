"""The lines a group reads: coverage cells grouped per theme (× target group), severity in words."""

from __future__ import annotations

from ecosystem.gaps import CellStatus, GapKind, PublicValue, Severity, analyse_gaps, wording
from tests.unit.group_builders import mandate, project, reference

REF = reference()
NORTH = mandate(themes=["T9"], areas=["region-nordjylland"])


def lines_of(report, kind):
    return [g for g in report.gaps if g.kind is kind]


def test_one_theme_missing_in_several_municipalities_is_one_line_listing_them():
    # Aalborg has a prevention project; Morsø has none. Aarhus's project is elsewhere.
    report = analyse_gaps(
        mandate(themes=["T9"], areas=["sundhedsraad-limfjorden", "sundhedsraad-aarhus"]),
        [
            project(1, "kommune-aalborg", themes=("T9",)),
            project(2, "kommune-samsoe", stage="idea", themes=("T9",)),
        ],
        REF,
    )
    (line,) = lines_of(report, GapKind.THEME_AREA)
    assert set(line.areas) == {"0773", "0751", "0741"}
    assert {cell.id for cell in line.cells} == {
        "theme_area:T9:0773:-",
        "theme_area:T9:0751:-",
        "theme_area:T9:0741:-",
    }
    assert line.severity is Severity.HIGH  # the worst of its cells
    assert line.explanation.da.startswith(
        "Ingen igangværende projekter om Forebyggelse (T9) i Morsø og Aarhus."
    )
    assert "Spinkel dækning i Samsø: kun tidlige faser (idé)." in line.explanation.da
    assert "Thin coverage in Samsø" in line.explanation.en
    assert line.nearest and line.nearest[0].project_id == 1


def test_a_single_cell_stays_a_line_of_its_own_with_its_wording():
    report = analyse_gaps(
        mandate(themes=["T9"], areas=["sundhedsraad-aarhus"]),
        [project(1, "kommune-aarhus", themes=("T9",))],
        REF,
    )
    (line,) = lines_of(report, GapKind.THEME_AREA)
    assert line.id == "theme_area:T9:0741:-" and line.parts == ()
    assert line.cells == (line,)


def test_a_region_lacking_a_target_group_is_one_line_with_the_regions_listed():
    psychiatry = mandate(themes=["T4"], target_groups=["voksne-psykisk"], areas=["DK"])
    report = analyse_gaps(
        psychiatry,
        [
            project(1, "region-midtjylland", themes=("T4",), target_groups=("voksne-psykisk",)),
            project(2, "kommune-aalborg", themes=("T4",), target_groups=("aeldre",)),
            project(
                3, "kommune-morsoe", stage="idea", themes=("T4",), target_groups=("voksne-psykisk",)
            ),
        ],
        REF,
    )
    (line,) = lines_of(report, GapKind.THEME_TARGET_GROUP)
    # Nordjylland has only thin (idea) work here: still a single region, so a single cell.
    assert line.areas == () and line.area == "region-nordjylland"
    assert line.severity is Severity.LOW


def test_a_target_group_absent_under_every_theme_is_one_line_with_its_public_value():
    two_themes = mandate(
        themes=["T2", "T9"],
        target_groups=["socialt-udsatte", "aeldre"],
        areas=["sundhedsraad-aarhus"],
    )
    report = analyse_gaps(
        two_themes,
        [
            project(1, "kommune-aarhus", themes=("T2",), target_groups=("aeldre",)),
            project(2, "kommune-aarhus", themes=("T9",), target_groups=("aeldre",)),
        ],
        REF,
    )
    lines = [g for g in report.gaps if g.target_group == "socialt-udsatte"]
    assert len(lines) == 1
    (line,) = lines
    assert line.theme is None
    assert {(c.kind, c.theme) for c in line.cells} == {
        (GapKind.THEME_TARGET_GROUP, "T2"),
        (GapKind.THEME_TARGET_GROUP, "T9"),
        (GapKind.PUBLIC_VALUE, None),
    }
    assert line.explanation.da.startswith(
        "Ingen igangværende projekter for socialt udsatte borgere i Sundhedsråd Aarhus under "
        "nogen af mandatets temaer (Kronisk sygdom og ældre (T2) og Forebyggelse (T9))."
    )
    assert "Heller intet projekt om ulighed i sundhed (T10.1)." in line.explanation.da
    # The inequality dimension is not reported a second time.
    assert not [
        g
        for g in report.gaps
        if g.kind is GapKind.PUBLIC_VALUE and g.dimension is PublicValue.INEQUALITY
    ]


def test_target_groups_served_under_another_theme_make_one_line_for_the_theme():
    two_themes = mandate(
        themes=["T2", "T9"], target_groups=["kol", "aeldre"], areas=["sundhedsraad-aarhus"]
    )
    report = analyse_gaps(
        two_themes,
        [
            project(1, "kommune-aarhus", themes=("T9",), target_groups=("kol", "aeldre")),
            project(2, "region-midtjylland", themes=("T2",), target_groups=()),  # T2 is there
        ],
        REF,
    )
    (line,) = lines_of(report, GapKind.THEME_TARGET_GROUP)
    assert line.theme == "T2" and line.target_group is None
    assert {c.target_group for c in line.cells} == {"kol", "aeldre"}
    assert line.id == "theme_target_group:T2:sundhedsraad-aarhus:aeldre+kol"
    assert "for borgere med KOL og ældre medicinske patienter" in line.explanation.da
    assert line.severity is Severity.MEDIUM
    assert "målgruppen har projekter under andre af mandatets temaer" in line.severity_reason.da


def test_every_line_says_why_it_has_its_severity_in_both_languages():
    report = analyse_gaps(
        mandate(themes=["T2"], areas=["sundhedsraad-aarhus"], goals=["NM7"]),
        [project(1, "kommune-samsoe", stage="idea"), project(2, "danske-regioner", areas=("DK",))],
        REF,
    )
    assert report.gaps
    for gap in report.gaps:
        assert gap.severity_reason.da and gap.severity_reason.en, gap.id
        assert gap.severity_reason.da != gap.severity_reason.en
        word = {"high": "Høj", "medium": "Middel", "low": "Lav"}[gap.severity.value]
        assert gap.severity_reason.da.startswith(word), (gap.id, gap.severity_reason.da)


def test_the_severity_reason_names_what_softened_the_gap():
    none_at_all = wording.cell_severity_reason(CellStatus.NONE, national=False)
    assert none_at_all.da.startswith("Høj, fordi intet lokalt projekt gør det")
    national = wording.cell_severity_reason(CellStatus.NONE, national=True)
    assert (
        national.da
        == "Middel: intet lokalt projekt gør det, men landsdækkende projekter når dertil."
    )
    both = wording.cell_severity_reason(CellStatus.NONE, national=True, served_elsewhere=True)
    assert both.da.startswith("Lav:") and " og målgruppen har projekter" in both.da
    alone = wording.cell_severity_reason(CellStatus.NONE, national=False, served_elsewhere=False)
    assert "heller ingen projekter under mandatets andre temaer" in alone.da
    assert wording.cell_severity_reason(CellStatus.THIN, national=True).en.startswith(
        "Low, because"
    )


def test_area_lists_read_as_sentences():
    names = [
        wording.Label("Morsø", "Morsø"),
        wording.Label("Læsø", "Læsø"),
        wording.Label("Thy", "Thy"),
    ]
    assert wording.area_list(names).da == "Morsø, Læsø og Thy"
    assert wording.area_list(names).en == "Morsø, Læsø and Thy"
    assert wording.area_list(names[:1]).da == "Morsø"
