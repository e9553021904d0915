"""Whether a project does what a gap lacks, and which projects carry a public value."""

from __future__ import annotations

from ecosystem.gaps.model import PUBLIC_VALUE_TAGS, Gap, GapKind, PublicValue
from ecosystem.groups import ProjectInfo, Scope


def gap_fits(gap: Gap, project: ProjectInfo, scope: Scope) -> bool:
    """Whether a project does what the gap lacks (its place aside)."""
    if gap.kind in (GapKind.GOAL_UNCOVERED, GapKind.GOAL_SINGLE_KIND):
        return gap.goal in project.goals
    if gap.kind is GapKind.PUBLIC_VALUE:
        assert gap.dimension is not None
        return bool(scope.themes_of(project)) and has_value(project, gap.dimension, scope)
    assert gap.theme is not None
    if not scope.in_row(project, gap.theme):
        return False
    if gap.kind is GapKind.THEME_TARGET_GROUP:
        return gap.target_group in project.target_groups
    return scope.target_group_fits(project)


def has_value(project: ProjectInfo, dimension: PublicValue, scope: Scope) -> bool:
    themes, target_groups = value_tags(dimension, scope)
    return bool(project.target_groups & target_groups or project.themes & themes)


def value_tags(dimension: PublicValue, scope: Scope) -> tuple[frozenset[str], frozenset[str]]:
    """The theme codes (with sub-themes) and target groups that tag a dimension."""
    key = ("public value", dimension)
    if key not in scope.memo:
        themes, target_groups = PUBLIC_VALUE_TAGS[dimension]
        codes = frozenset().union(*(scope.reference.theme_and_subthemes(t) for t in themes))
        scope.memo[key] = (codes, frozenset(target_groups))
    tags: tuple[frozenset[str], frozenset[str]] = scope.memo[key]
    return tags
