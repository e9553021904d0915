"""The nouns of the gap analysis: kinds, severities, cells and matrices, gaps and the report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from ecosystem.deliberately_not import OptOut
from ecosystem.groups import Mandate, Proximity
from ecosystem.labels import SEVERITIES, Label
from ecosystem.model import Stage

STAGE_WEIGHTS: Mapping[Stage, float] = {
    Stage.IDEA: 0.25,
    Stage.ANALYSIS: 0.5,
    Stage.PILOT: 0.75,
    Stage.IMPLEMENTATION: 1.0,
    Stage.OPERATION: 1.0,
}
THIN_BELOW = 1.0  # less than one project's worth of implementation is thin
RENEWAL_STAGES = frozenset({Stage.IDEA, Stage.ANALYSIS})
NEAREST = 3  # nearest existing projects shown per gap
UNEXPLAINED = Label("", "")  # a gap built without a severity reason (tests, old snapshots)


class GapKind(StrEnum):
    THEME_AREA = "theme_area"
    THEME_TARGET_GROUP = "theme_target_group"
    GOAL_UNCOVERED = "goal_uncovered"
    GOAL_SINGLE_KIND = "goal_single_kind"
    PIPELINE_NO_EARLY = "pipeline_no_early"
    PIPELINE_NO_LATE = "pipeline_no_late"
    PUBLIC_VALUE = "public_value"

    @property
    def rank(self) -> int:
        return list(GapKind).index(self)  # sorting a few dozen gaps


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @property
    def label(self) -> Label:
        return SEVERITIES[self].lower()


class Finding(StrEnum):
    """What a gap without tagged local work honestly says (docs: ecosystem.gaps.inference)."""

    NOT_TAGGED = "not_tagged"  # no project is tagged with it; texts were not (or could not be) read
    NOT_FOUND = "not_found"  # nothing tagged, and no project text names it either

    @property
    def label(self) -> Label:
        return {
            Finding.NOT_TAGGED: Label("Intet projekt mærket", "No project tagged"),
            Finding.NOT_FOUND: Label("Intet projekt fundet", "No project found"),
        }[self]


class CellStatus(StrEnum):
    NONE = "none"
    THIN = "thin"
    COVERED = "covered"


class PublicValue(StrEnum):
    """The public-value questions of the source article (DOMAIN.md §1.8)."""

    INEQUALITY = "inequality"
    OUTLYING_AREAS = "outlying_areas"
    OUTREACH = "outreach"
    PREVENTION = "prevention"

    @property
    def label(self) -> Label:
        return {
            PublicValue.INEQUALITY: Label("ulighed i sundhed", "health inequality"),
            PublicValue.OUTLYING_AREAS: Label("yderområder", "outlying areas"),
            PublicValue.OUTREACH: Label("opsøgende indsats", "outreach"),
            PublicValue.PREVENTION: Label("forebyggelse", "prevention"),
        }[self]


# dimension → (themes, each with its sub-themes; target groups) that tag a project with it.
# The broad theme T10 alone is not attributed to a dimension: it does not say which.
PUBLIC_VALUE_TAGS: Mapping[PublicValue, tuple[tuple[str, ...], tuple[str, ...]]] = {
    PublicValue.INEQUALITY: (("T10.1",), ("socialt-udsatte",)),
    PublicValue.OUTLYING_AREAS: (("T10.2",), ("yderomraader",)),
    PublicValue.OUTREACH: (("T9.1", "T10.3"), ()),
    PublicValue.PREVENTION: (("T9",), ()),
}


@dataclass(frozen=True)
class Cell:
    """One cell of a coverage matrix: a theme in an area, or a theme for a target group."""

    theme: str
    column: str
    weight: float
    projects: tuple[int, ...]
    national: tuple[int, ...]
    inferred: tuple[int, ...] = ()  # of ``projects``: counted from their text, not their tags

    @property
    def tagged(self) -> tuple[int, ...]:
        return tuple(i for i in self.projects if i not in self.inferred)

    @property
    def status(self) -> CellStatus:
        if not self.projects:
            return CellStatus.NONE
        return CellStatus.THIN if self.weight < THIN_BELOW else CellStatus.COVERED


@dataclass(frozen=True)
class Matrix:
    """Themes × areas, or themes × target groups within ``area`` (None: the whole mandate)."""

    kind: GapKind
    area: str | None
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[Cell, ...]

    def cell(self, theme: str, column: str) -> Cell:
        return next(c for c in self.cells if c.theme == theme and c.column == column)


@dataclass(frozen=True)
class Nearby:
    project_id: int
    proximity: Proximity


@dataclass(frozen=True)
class Gap:
    """One thing missing, why it matters, and where to look.

    A coverage gap is one line per theme (× target group) with every area where it
    shows listed in ``areas``; ``parts`` are the single cells behind such a line (the
    scaling rules read those, one area at a time).
    """

    id: str
    kind: GapKind
    severity: Severity
    explanation: Label
    subject: Label  # what is missing, in a few words: "projekter om Kronisk sygdom (T2)"
    theme: str | None = None
    area: str | None = None
    target_group: str | None = None
    goal: str | None = None
    dimension: PublicValue | None = None
    projects: tuple[int, ...] = ()  # the slice's own projects behind the finding
    national: tuple[int, ...] = ()  # nationwide projects that reach the place
    nearest: tuple[Nearby, ...] = ()
    severity_reason: Label = UNEXPLAINED  # why the severity, in words
    finding: Finding | None = None  # without tagged local work: not tagged, or not found
    inferred: tuple[int, ...] = ()  # of ``projects``: counted from their text (udledt af teksten)
    areas: tuple[str, ...] = ()  # every area the line lists (empty: ``area`` alone)
    parts: tuple[Gap, ...] = ()  # the cells a grouped line stands for

    @property
    def cells(self) -> tuple[Gap, ...]:
        """The single findings behind the line: its parts, or the gap itself."""
        return self.parts or (self,)


@dataclass(frozen=True)
class PipelineRow:
    theme: str
    renewal: tuple[int, ...]
    testing: tuple[int, ...]
    ready: tuple[int, ...]


@dataclass(frozen=True)
class GoalRow:
    goal: str
    projects: tuple[int, ...]
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class ValueRow:
    dimension: PublicValue
    weight: float
    projects: tuple[int, ...]
    national: tuple[int, ...]
    inferred: tuple[int, ...] = ()  # of ``projects``: counted from their text


@dataclass(frozen=True)
class OptedOut:
    """A gap nobody works on *on purpose*: the line, and the entries that chose so (P12)."""

    gap: Gap
    entries: tuple[OptOut, ...]


@dataclass(frozen=True)
class GapReport:
    mandate: Mandate
    areas: tuple[str, ...]
    units: tuple[str, ...]
    gaps: tuple[Gap, ...]
    theme_area: Matrix
    theme_target_group: tuple[Matrix, ...]
    pipeline: tuple[PipelineRow, ...]
    goals: tuple[GoalRow, ...]
    public_value: tuple[ValueRow, ...]
    # Gaps in cells the group, or every organisation answering for them, chose not to
    # work on ("fravalgt"): kept apart from ``gaps``, never dropped.
    deliberately_not: tuple[OptedOut, ...] = ()

    def findings(self) -> tuple[Gap, ...]:
        """Every single finding, one per cell (the lines' parts), for rules that need areas."""
        return tuple(cell for gap in self.gaps for cell in gap.cells)
