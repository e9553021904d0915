"""A small, hand-built slice of Denmark for the group analyses (real codes, invented projects).

Two regions, each with one health council of two municipalities:

    DK ── region-midtjylland ── sundhedsraad-aarhus ── 0751 Aarhus, 0741 Samsø
       └─ region-nordjylland ── sundhedsraad-limfjorden ── 0851 Aalborg, 0773 Morsø
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ecosystem.groups import Mandate, OrganisationInfo, ProjectInfo, Reference
from ecosystem.labels import Label
from ecosystem.model import ProjectRecord
from ecosystem.overlap import Geography, OverlapMatch, OverlapPair, Relation

AREAS = {
    "DK": ("national", [], "Danmark", "Denmark"),
    "region-midtjylland": ("region", ["DK"], "Region Midtjylland", "Central Denmark Region"),
    "region-nordjylland": ("region", ["DK"], "Region Nordjylland", "North Denmark Region"),
    "sundhedsraad-aarhus": (
        "health_council",
        ["region-midtjylland"],
        "Sundhedsråd Aarhus",
        "Health Council Aarhus",
    ),
    "sundhedsraad-limfjorden": (
        "health_council",
        ["region-nordjylland"],
        "Sundhedsråd Limfjorden",
        "Health Council Limfjorden",
    ),
    "0751": ("municipality", ["region-midtjylland", "sundhedsraad-aarhus"], "Aarhus", "Aarhus"),
    "0741": ("municipality", ["region-midtjylland", "sundhedsraad-aarhus"], "Samsø", "Samsø"),
    "0851": (
        "municipality",
        ["region-nordjylland", "sundhedsraad-limfjorden"],
        "Aalborg",
        "Aalborg",
    ),
    "0773": ("municipality", ["region-nordjylland", "sundhedsraad-limfjorden"], "Morsø", "Morsø"),
}
THEMES = {
    "T2": (None, "Kronisk sygdom og ældre", "Chronic disease and the elderly"),
    "T2.1": ("T2", "KOL", "COPD"),
    "T4": (None, "Psykiatri", "Psychiatry"),
    "T9": (None, "Forebyggelse", "Prevention"),
    "T9.1": ("T9", "Opsøgende forebyggelse", "Outreach prevention"),
    "T10": (None, "Ulighed i sundhed og geografi", "Health inequality and geography"),
    "T10.1": ("T10", "Ulighed i sundhed", "Inequality in health"),
    "T10.2": ("T10", "Yderområder", "Outlying areas"),
    "T10.3": ("T10", "Opsøgende behandling", "Outreach treatment"),
}
TARGET_GROUPS = {
    "kol": ("Borgere med KOL", "People with COPD"),
    "aeldre": ("Ældre medicinske patienter", "Elderly medical patients"),
    "yderomraader": ("Borgere i yderområder", "People in outlying areas"),
    "socialt-udsatte": ("Socialt udsatte borgere", "Socially vulnerable people"),
    "voksne-psykisk": ("Voksne med psykisk sygdom", "Adults with mental illness"),
}
ORGANISATIONS = [
    OrganisationInfo("kommune-aarhus", "Aarhus Kommune", "municipality", ("0751",)),
    OrganisationInfo("kommune-samsoe", "Samsø Kommune", "municipality", ("0741",)),
    OrganisationInfo("kommune-aalborg", "Aalborg Kommune", "municipality", ("0851",)),
    OrganisationInfo("kommune-morsoe", "Morsø Kommune", "municipality", ("0773",)),
    OrganisationInfo("region-midtjylland", "Region Midtjylland", "region", ("region-midtjylland",)),
    OrganisationInfo("region-nordjylland", "Region Nordjylland", "region", ("region-nordjylland",)),
    OrganisationInfo("auh", "Aarhus Universitetshospital", "hospital", ("0751",)),
    OrganisationInfo("aauh", "Aalborg Universitetshospital", "hospital", ("0851",)),
    OrganisationInfo("danske-regioner", "Danske Regioner", "joint_regional_body", ("DK",)),
    OrganisationInfo("au", "Aarhus Universitet", "university", ()),
]
GOALS = {
    "NM2": "Styrket indsats for kronikere og ældre patienter",
    "NM5": "Hurtig udredning og behandling",
    "NM7": "Flere sunde leveår",
}


def reference() -> Reference:
    return Reference(
        area_parents={code: parents for code, (_, parents, _, _) in AREAS.items()},
        area_schemes={code: scheme for code, (scheme, _, _, _) in AREAS.items()},
        area_names={code: Label(da, en) for code, (_, _, da, en) in AREAS.items()},
        theme_parents={code: parent for code, (parent, _, _) in THEMES.items()},
        theme_labels={code: Label(da, en) for code, (_, da, en) in THEMES.items()},
        target_group_labels={code: Label(da, en) for code, (da, en) in TARGET_GROUPS.items()},
        organisations={o.id: o for o in ORGANISATIONS},
        goal_sets={"nationale-maal": list(GOALS)},
        goal_labels={code: Label(title, title) for code, title in GOALS.items()},
    )


NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def project(
    project_id: int,
    organisation: str,
    *,
    stage: str = "operation",
    themes: tuple[str, ...] = ("T2",),
    target_groups: tuple[str, ...] = (),
    areas: tuple[str, ...] | None = None,
    goals: tuple[str, ...] = (),
    outcome: str | None = None,
    withdrawn: bool = False,
    **fields: Any,
) -> ProjectInfo:
    """A project as the analyses see it; ``areas`` default to the organisation's."""
    data: dict[str, Any] = {
        "external_id": f"P-{project_id}",
        "title": f"Projekt {project_id}",
        "description": "…",
        "stage": stage,
        "themes": list(themes),
        "target_groups": list(target_groups),
        "goals": list(goals),
        **fields,
    }
    if areas is not None:
        data["areas"] = list(areas)
    if outcome is not None:
        data["evidence"] = {"summary": f"Evaluering af {project_id}", "outcome": outcome}
    record = ProjectRecord(
        project_id, organisation, f"P-{project_id}", data, 1, withdrawn, NOW, NOW
    )
    return ProjectInfo.of(record, reference())


def mandate(**fields: Any) -> Mandate:
    return Mandate(**{key: tuple(value) for key, value in fields.items()})


def pair(a: int, b: int, relation: Relation) -> OverlapPair:
    """An overlap the engine could have found between projects ``a`` and ``b``."""
    low, high = sorted((a, b))
    match = OverlapMatch(
        project_id=high,
        score=0.8,
        relation=relation,
        text_score=0.5,
        shared_terms=(("hjemmemonitorering", 0.3),),
        shared_themes=("T2",),
        shared_target_groups=(),
        geography=Geography.ELSEWHERE,
        partner_link=None,
        reasons=("Samme indsats",),
    )
    return OverlapPair(low, high, match)
