"""Balance of a group's portfolio: value × risk, pipeline, care level, development, funding.

Balances are the object of leadership (DOMAIN.md §1.7, P7); this module lays them out
with the projects behind each share, and compares them with the group's ambition where
one is set. It judges nothing: a portfolio heavy on bread and butter is right when
operations need not move much (DOMAIN.md §1.6).

The four value × risk quadrants are those of Cooper, Edgett & Kleinschmidt (2002),
*Portfolio Management for New Products*: pearls, oysters, bread and butter and white
elephants. The Danish source article (Larsen, Hjortshøj & Wegener, *Strategisk
porteføljeledelse i sundhedsvæsenet*) uses "brød og smør" and "østers"; "perler" and
"hvide elefanter" are our Danish renderings of Cooper's other two names.

On the 1–5 judgement scales, 4 and 5 count as high and 1 to 3 as low: 3 is the
neutral middle, so only a clearly high judgement moves a project up. A project without
both scores is listed as *not assessed*, never placed by guesswork.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ecosystem import labels
from ecosystem.card import ProjectCard
from ecosystem.groups import Ambition, ProjectInfo
from ecosystem.labels import STAGES, Label, name_of
from ecosystem.model import (
    ACTIVE_STAGES,
    EARLY_STAGES,
    LATE_STAGES,
    Stage,
)

__all__ = [
    "ATTRIBUTION",
    "HIGH_FROM",
    "AmbitionCheck",
    "Balance",
    "Quadrant",
    "Share",
    "analyse_balance",
    "quadrant_of",
]

HIGH_FROM = 4  # on the 1–5 scales, 4 and 5 are high
NOT_STATED = "not_stated"
ATTRIBUTION = Label(
    "Kvadranternes navne (perler, østers, brød og smør, hvide elefanter) stammer fra Cooper, "
    "Edgett & Kleinschmidt (2002), Portfolio Management for New Products. Kildeartiklen "
    "(Larsen, Hjortshøj & Wegener) bruger 'brød og smør' og 'østers'.",
    "The quadrant names (pearls, oysters, bread and butter, white elephants) are from Cooper, "
    "Edgett & Kleinschmidt (2002), Portfolio Management for New Products. The Danish source "
    "article (Larsen, Hjortshøj & Wegener) uses 'brød og smør' (bread and butter) and "
    "'østers' (oysters).",
)
# A pipeline is lopsided when one end holds this many times the other (DOMAIN.md §1.6).
LOPSIDED = 3


class Quadrant(StrEnum):
    PEARLS = "pearls"
    OYSTERS = "oysters"
    BREAD_AND_BUTTER = "bread_and_butter"
    WHITE_ELEPHANTS = "white_elephants"

    @property
    def label(self) -> Label:
        return {
            Quadrant.PEARLS: Label("Perler", "Pearls"),
            Quadrant.OYSTERS: Label("Østers", "Oysters"),
            Quadrant.BREAD_AND_BUTTER: Label("Brød og smør", "Bread and butter"),
            Quadrant.WHITE_ELEPHANTS: Label("Hvide elefanter", "White elephants"),
        }[self]

    @property
    def description(self) -> Label:
        return {
            Quadrant.PEARLS: Label("høj værdi, lav risiko", "high value, low risk"),
            Quadrant.OYSTERS: Label(
                "høj værdi, høj risiko: langsigtede satsninger",
                "high value, high risk: long-term bets",
            ),
            Quadrant.BREAD_AND_BUTTER: Label(
                "lavere værdi, lav risiko: sikker, driftsnær udvikling",
                "lower value, low risk: safe development close to operations",
            ),
            Quadrant.WHITE_ELEPHANTS: Label(
                "lavere værdi, høj risiko: værd at drøfte",
                "lower value, high risk: worth discussing",
            ),
        }[self]


def quadrant_of(value_score: int | None, risk_score: int | None) -> Quadrant | None:
    """The quadrant of a project's judgements, or None when either is missing.

    >>> quadrant_of(4, 2), quadrant_of(3, 4), quadrant_of(None, 2)
    (<Quadrant.PEARLS: 'pearls'>, <Quadrant.WHITE_ELEPHANTS: 'white_elephants'>, None)
    """
    if value_score is None or risk_score is None:
        return None
    high_value, high_risk = value_score >= HIGH_FROM, risk_score >= HIGH_FROM
    if high_value:
        return Quadrant.OYSTERS if high_risk else Quadrant.PEARLS
    return Quadrant.WHITE_ELEPHANTS if high_risk else Quadrant.BREAD_AND_BUTTER


@dataclass(frozen=True)
class Share:
    """One slice of a balance: its key, label, projects and share of the whole."""

    key: str
    label: Label
    projects: tuple[int, ...]
    share: float


@dataclass(frozen=True)
class AmbitionCheck:
    dimension: str  # "stage" or "quadrant"
    key: str
    target: float
    actual: float
    note: Label

    @property
    def difference(self) -> float:
        return round(self.actual - self.target, 3)


@dataclass(frozen=True)
class Balance:
    quadrants: tuple[Share, ...]
    not_assessed: tuple[int, ...]
    pipeline: tuple[Share, ...]
    pipeline_notes: tuple[Label, ...]
    care_levels: tuple[Share, ...]
    development_types: tuple[Share, ...]
    funding: tuple[Share, ...]
    ambition: tuple[AmbitionCheck, ...]
    active: tuple[int, ...]


def analyse_balance(projects: Iterable[ProjectInfo], ambition: Ambition | None = None) -> Balance:
    """The balances of a portfolio: the group's own projects, as routing found them."""
    everything = [p for p in projects if not p.record.withdrawn]
    active = [p for p in everything if p.stage in ACTIVE_STAGES]
    placed: dict[Quadrant, list[int]] = {q: [] for q in Quadrant}
    not_assessed: list[int] = []
    for project in active:
        card = project.record.card
        quadrant = quadrant_of(card.value_score, card.risk_score)
        if quadrant is None:
            not_assessed.append(project.id)
        else:
            placed[quadrant].append(project.id)
    assessed = sum(len(ids) for ids in placed.values())
    quadrants = tuple(
        Share(q.value, q.label, tuple(sorted(placed[q])), _share(len(placed[q]), assessed))
        for q in Quadrant
    )
    pipeline = _pipeline(everything, len(active))
    return Balance(
        quadrants=quadrants,
        not_assessed=tuple(sorted(not_assessed)),
        pipeline=pipeline,
        pipeline_notes=tuple(_pipeline_notes(active)),
        care_levels=_by_field(active, lambda card: card.care_level, _CARE_LEVELS),
        development_types=_by_field(active, lambda card: card.development_type, _DEVELOPMENT_TYPES),
        funding=_funding(active),
        ambition=tuple(_compare(ambition, quadrants, pipeline)) if ambition else (),
        active=tuple(sorted(p.id for p in active)),
    )


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _pipeline(projects: Sequence[ProjectInfo], active: int) -> tuple[Share, ...]:
    """Every stage with its projects; shares are of the active projects."""
    shares = []
    for stage in Stage:
        ids = tuple(sorted(p.id for p in projects if p.stage is stage))
        share = _share(len(ids), active) if stage in ACTIVE_STAGES else 0.0
        shares.append(Share(stage.value, STAGES[stage].lower(), ids, share))
    return tuple(shares)


def _pipeline_notes(active: Sequence[ProjectInfo]) -> list[Label]:
    """Plain-language warnings on the early/late balance (DOMAIN.md §1.6)."""
    early = sum(1 for p in active if p.stage in EARLY_STAGES)
    late = sum(1 for p in active if p.stage in LATE_STAGES)
    if not active:
        return [Label("Ingen igangværende projekter.", "No active projects.")]
    if late == 0:
        return [
            Label(
                "Ingen projekter i implementering eller drift: intet er klar til at blive udbredt.",
                "No project in implementation or operation: nothing is ready to spread.",
            )
        ]
    if early == 0:
        return [
            Label(
                "Ingen projekter i idé-, analyse- eller pilotfasen: porteføljen fornyer sig ikke.",
                "No project at idea, analysis or pilot: the portfolio is not renewing itself.",
            )
        ]
    if early >= LOPSIDED * late:
        return [
            Label(
                f"Mange tidlige projekter ({early}) i forhold til sene ({late}): er der "
                "ressourcer til at modne og udbrede dem?",
                f"Many early projects ({early}) against late ones ({late}): are there resources "
                "to mature and spread them?",
            )
        ]
    if late >= LOPSIDED * early:
        return [
            Label(
                f"Mange sene projekter ({late}) i forhold til tidlige ({early}): hvor kommer "
                "fornyelsen fra?",
                f"Many late projects ({late}) against early ones ({early}): where will renewal "
                "come from?",
            )
        ]
    return []


# The vocabularies with a name for "not filled in", which balances count too.
_CARE_LEVELS = {**labels.CARE_LEVELS, NOT_STATED: labels.NOT_STATED}
_DEVELOPMENT_TYPES = {**labels.DEVELOPMENT_TYPES, NOT_STATED: labels.NOT_STATED}
_FUNDING_KINDS = {**labels.FUNDING_KINDS, NOT_STATED: labels.NOT_STATED}


def _by_field(
    projects: Sequence[ProjectInfo],
    field: Callable[[ProjectCard], StrEnum | None],
    labels: Mapping[str, Label],
) -> tuple[Share, ...]:
    groups: dict[str, list[int]] = {key: [] for key in labels}
    for project in projects:
        chosen = field(project.record.card)
        value = chosen.value if chosen else NOT_STATED
        groups.setdefault(value, []).append(project.id)
    return tuple(
        Share(
            key,
            labels.get(key, Label(key, key)),
            tuple(sorted(ids)),
            _share(len(ids), len(projects)),
        )
        for key, ids in groups.items()
    )


def _funding(projects: Sequence[ProjectInfo]) -> tuple[Share, ...]:
    """Projects by kind of funding; a project with several kinds is in each of them."""
    groups: dict[str, set[int]] = {key: set() for key in _FUNDING_KINDS}
    for project in projects:
        kinds = {source.kind.value for source in project.record.card.funding_sources}
        for kind in kinds or {NOT_STATED}:
            groups.setdefault(kind, set()).add(project.id)
    return tuple(
        Share(
            key,
            name_of(_FUNDING_KINDS, key),
            tuple(sorted(ids)),
            _share(len(ids), len(projects)),
        )
        for key, ids in groups.items()
    )


def _compare(
    ambition: Ambition, quadrants: Sequence[Share], pipeline: Sequence[Share]
) -> Iterable[AmbitionCheck]:
    actual = {("quadrant", s.key): s for s in quadrants} | {("stage", s.key): s for s in pipeline}
    targets = [("stage", k, v) for k, v in ambition.stage_shares.items()] + [
        ("quadrant", k, v) for k, v in ambition.quadrant_shares.items()
    ]
    for dimension, key, target in targets:
        share = actual[(dimension, key)]
        yield AmbitionCheck(dimension, key, target, share.share, _ambition_note(share, target))


def _ambition_note(share: Share, target: float) -> Label:
    actual, wanted = round(share.share * 100), round(target * 100)
    name = share.label
    if abs(actual - wanted) < 5:
        return Label(
            f"{name.da}: {actual} % – på linje med ambitionen ({wanted} %).",
            f"{name.en}: {actual} % – in line with the ambition ({wanted} %).",
        )
    more = actual > wanted
    return Label(
        f"{name.da}: {actual} % – {'flere' if more else 'færre'} end ambitionen ({wanted} %).",
        f"{name.en}: {actual} % – {'more' if more else 'fewer'} than the ambition ({wanted} %).",
    )
