"""What changed in a group's slice between two snapshots: the meeting's first page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ecosystem.groups import ProjectInfo
from ecosystem.reviews.decisions import Decision
from ecosystem.reviews.snapshot import Snapshot


@dataclass(frozen=True)
class StageChange:
    project_id: int
    before: str
    after: str


@dataclass(frozen=True)
class ScoreChange:
    project_id: int
    field: str  # value_score or risk_score
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Diff:
    """What changed in a group's slice between two snapshots: the meeting's first page."""

    new_projects: tuple[int, ...]
    withdrawn: tuple[int, ...]  # withdrawn by their owner since
    left_mandate: tuple[int, ...]  # still live, but no longer under the mandate
    stage_changes: tuple[StageChange, ...]
    score_changes: tuple[ScoreChange, ...]
    overlaps_appeared: tuple[str, ...]
    overlaps_disappeared: tuple[str, ...]
    gaps_opened: tuple[str, ...]
    gaps_closed: tuple[str, ...]
    new_candidates: tuple[int, ...]
    decisions: tuple[int, ...] = field(default=())
    gaps_changed: tuple[tuple[str, str, str], ...] = ()  # (gap id, severity before, after)
    # Open at the old moment, fravalgt at the new: not closed, chosen not to work on.
    gaps_opted_out: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.new_projects,
                self.withdrawn,
                self.left_mandate,
                self.stage_changes,
                self.score_changes,
                self.overlaps_appeared,
                self.overlaps_disappeared,
                self.gaps_opened,
                self.gaps_closed,
                self.new_candidates,
                self.decisions,
                self.gaps_changed,
                self.gaps_opted_out,
            )
        )


def since_last(old: Snapshot, new: Snapshot, decisions: Iterable[Decision] = ()) -> Diff:
    """Every kind of difference between two snapshots of one group, old first.

    ``decisions`` are the group's decisions; those made from the old review's moment up
    to the new one's are listed.
    """
    before, after = old.projects, new.projects
    gone = sorted(before.keys() - after.keys())
    left = sorted(old.gap_ids.keys() - new.gap_ids.keys())
    opted = tuple(g for g in left if new.opted_out_for(old.gap_ids[g]) is not None)
    kept = sorted(before.keys() & after.keys())
    return Diff(
        new_projects=tuple(sorted(after.keys() - before.keys())),
        withdrawn=tuple(i for i in gone if i in new.withdrawn),
        left_mandate=tuple(i for i in gone if i not in new.withdrawn),
        stage_changes=tuple(
            StageChange(i, before[i].stage.value, after[i].stage.value)
            for i in kept
            if before[i].stage != after[i].stage
        ),
        score_changes=tuple(_score_changes(before, after, kept)),
        overlaps_appeared=tuple(sorted(new.pair_keys.keys() - old.pair_keys.keys())),
        overlaps_disappeared=tuple(sorted(old.pair_keys.keys() - new.pair_keys.keys())),
        gaps_opened=tuple(sorted(new.gap_ids.keys() - old.gap_ids.keys())),
        gaps_closed=tuple(g for g in left if g not in opted),
        new_candidates=tuple(sorted(new.candidate_ids - old.candidate_ids)),
        decisions=tuple(
            d.id for d in decisions if old.as_of <= d.created_at <= max(new.as_of, old.as_of)
        ),
        gaps_changed=tuple(_severity_changes(old, new)),
        gaps_opted_out=opted,
    )


def _severity_changes(old: Snapshot, new: Snapshot) -> Iterable[tuple[str, str, str]]:
    """Gaps open at both moments whose severity moved (e.g. thin work became none)."""
    before, after = old.gap_ids, new.gap_ids
    for gap_id in sorted(before.keys() & after.keys()):
        was, now = before[gap_id].severity.value, after[gap_id].severity.value
        if was != now:
            yield gap_id, was, now


def _score_changes(
    before: Mapping[int, ProjectInfo], after: Mapping[int, ProjectInfo], kept: Sequence[int]
) -> Iterable[ScoreChange]:
    for project_id in kept:
        was, now = before[project_id].record.card, after[project_id].record.card
        if was.value_score != now.value_score:
            yield ScoreChange(project_id, "value_score", was.value_score, now.value_score)
        if was.risk_score != now.risk_score:
            yield ScoreChange(project_id, "risk_score", was.risk_score, now.risk_score)
