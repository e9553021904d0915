"""Gap analysis: what a mandate's slice of the ecosystem does not cover.

Material for a group's conversation, not a verdict: each gap says in plain language
what is missing, how serious it looks, which of the slice's own projects are behind the
finding, and the nearest existing projects elsewhere that the group could learn from.

Counting rules (docs/groups.md):

* Only active projects count (idea to operation), weighted by stage: an idea counts
  0.25, an analysis 0.5, a pilot 0.75, implementation and operation 1. A cell below 1
  is *thin*; a cell with no project is *none*.
* A project counts in an area when one of its places lies inside the area or encloses
  it below the national level (a regional project counts in each of the region's
  municipalities). A nationwide project (``DK``) does not fill a local cell: it is
  listed with the cell as national reach, and lowers the severity of the gap.
* The coverage matrices and public-value checks look at all work on the mandate's
  themes in its areas, whatever its target group (the theme × target group matrix shows
  the target groups). Pipeline and goal checks look at the group's own projects
  (routing, :mod:`ecosystem.groups`).
* Pipeline: *renewal* is a project at idea or analysis; *ready to spread* is a mature
  project (implementation, operation, or completed with a positive evaluation). A pilot
  is neither: it is being tested.

``model`` holds the nouns (kinds, severities, cells, gaps, the report); ``facts`` the
slice with what every check reads about each project; ``coverage``, ``pipeline``,
``goals`` and ``public_value`` the checks; ``nearest`` the existing projects elsewhere
that do what a gap lacks (and ``fits`` whether one does); ``wording`` the sentences
that explain each gap; ``grouping`` makes the cells into lines a group reads;
``inference`` reads the sub-themes a project's text names (counted as "udledt af
teksten", never as tags); ``deliberate`` sets apart the cells an organisation or group
chose not to work on ("fravalgt", :mod:`ecosystem.deliberately_not`); ``report`` runs
them all (:func:`analyse_gaps`).
"""

from ecosystem.gaps.fits import gap_fits
from ecosystem.gaps.inference import SubthemeReader
from ecosystem.gaps.model import (
    NEAREST,
    PUBLIC_VALUE_TAGS,
    RENEWAL_STAGES,
    STAGE_WEIGHTS,
    THIN_BELOW,
    Cell,
    CellStatus,
    Finding,
    Gap,
    GapKind,
    GapReport,
    GoalRow,
    Matrix,
    Nearby,
    OptedOut,
    PipelineRow,
    PublicValue,
    Severity,
    ValueRow,
)
from ecosystem.gaps.report import analyse_gaps

__all__ = [
    "NEAREST",
    "PUBLIC_VALUE_TAGS",
    "RENEWAL_STAGES",
    "STAGE_WEIGHTS",
    "THIN_BELOW",
    "Cell",
    "CellStatus",
    "Finding",
    "Gap",
    "GapKind",
    "GapReport",
    "GoalRow",
    "Matrix",
    "Nearby",
    "OptedOut",
    "PipelineRow",
    "PublicValue",
    "Severity",
    "SubthemeReader",
    "ValueRow",
    "analyse_gaps",
    "gap_fits",
]
