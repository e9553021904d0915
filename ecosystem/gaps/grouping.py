"""Lines a group can read: one coverage gap per theme (× target group), its areas listed.

The coverage checks find gaps cell by cell, and a council with eleven municipalities
would otherwise read eleven near-identical lines about one theme. Grouping rules:

* Theme × area cells of one theme make one line listing the areas with nothing and the
  areas with only thin work.
* Theme × target group cells of one theme and target group make one line listing the
  areas (the mandate's area, or each region of a national mandate).
* A target group with no local project under *any* of the mandate's themes makes one
  line for the target group instead of one per theme: the finding is the target group.
  Its public-value dimension (socially vulnerable → inequality, outlying areas), when
  empty too, is the same finding and is folded into that line.
* Empty target-group cells of one theme that share area and severity reason (the
  target groups have projects under other themes) make one line naming the groups.

A line takes the highest severity of its cells and that cell's reason; its nearest
existing projects are the nearest of all its cells. The cells stay on the line as
``parts`` (the scaling rules fill one area at a time).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ecosystem.gaps import wording
from ecosystem.gaps.facts import SliceFacts, gap_id
from ecosystem.gaps.model import NEAREST, Finding, Gap, GapKind, Nearby
from ecosystem.labels import Label

GROUPED = (GapKind.THEME_AREA, GapKind.THEME_TARGET_GROUP)
PUBLIC = GapKind.PUBLIC_VALUE


def grouped_lines(facts: SliceFacts, gaps: Sequence[Gap]) -> list[Gap]:
    """The gaps with each theme's (× target group's) coverage cells made into one line."""
    lines: list[Gap] = [g for g in gaps if g.kind not in GROUPED and g.kind is not PUBLIC]
    by_key: dict[tuple[GapKind, str | None, str | None], list[Gap]] = {}
    for gap in gaps:
        if gap.kind in GROUPED:
            by_key.setdefault((gap.kind, gap.theme, gap.target_group), []).append(gap)
    values = {g.target_group: g for g in gaps if g.kind is PUBLIC and g.target_group}
    folded: set[str] = set()
    per_group: dict[str, list[Gap]] = {}
    for (kind, _, target_group), cells in by_key.items():
        line = _line(facts, cells)
        if kind is GapKind.THEME_TARGET_GROUP and target_group is not None:
            per_group.setdefault(target_group, []).append(line)
        else:
            lines.append(line)
    rest: list[Gap] = []
    for target_group, per_theme in per_group.items():
        if not _missing_everywhere(facts, per_theme):
            rest.extend(per_theme)
            continue
        value = values.get(target_group)
        if value is not None and not value.projects:
            folded.add(value.id)  # the same finding, said once
        lines.append(_target_group_line(facts, target_group, per_theme, value))
    lines.extend(_by_theme(facts, rest))
    lines.extend(g for g in gaps if g.kind is PUBLIC and g.id not in folded)
    return lines


def _by_theme(facts: SliceFacts, lines: Sequence[Gap]) -> list[Gap]:
    """Empty target-group cells of one theme, area and severity reason made into one line."""
    by_key: dict[tuple[str | None, tuple[str, ...], Label], list[Gap]] = {}
    merged = [line for line in lines if line.projects]  # thin work is named project by project
    for line in lines:
        if line.projects:
            continue
        key = (line.theme, line.areas or (str(line.area),), line.severity_reason)
        by_key.setdefault(key, []).append(line)
    for (theme, areas, _), same in by_key.items():
        if len(same) == 1 or any(len(line.cells) > 1 for line in same):
            merged.extend(same)  # a line over several areas already says enough
            continue
        merged.append(_theme_line(facts, str(theme), areas, same))
    return merged


def _theme_line(facts: SliceFacts, theme: str, areas: tuple[str, ...], same: Sequence[Gap]) -> Gap:
    reference = facts.reference
    cells = [cell for line in same for cell in line.cells]
    groups = [reference.target_group_label(str(c.target_group)).lower() for c in cells]
    where = wording.area_list([reference.area_label(a) for a in areas])
    explanation = wording.theme_lacks_groups(
        reference.theme_label(theme),
        wording.area_list(groups),
        where,
        facts.projects(_union(c.projects for c in cells)),
    ) + wording.national_note(facts.projects(_union(c.national for c in cells)))
    line = _merged(facts, cells, theme, explanation, _union(c.national for c in cells))
    return replace(
        line,
        id=gap_id(
            GapKind.THEME_TARGET_GROUP,
            theme,
            facts.scope.area,
            "+".join(sorted(str(c.target_group) for c in cells)),
        ),
        target_group=None,
        subject=wording.projects_on(
            reference.theme_label(theme), wording.for_target_group(wording.area_list(groups))
        ),
    )


def _line(facts: SliceFacts, cells: Sequence[Gap]) -> Gap:
    """One line for the cells of one theme (× target group)."""
    if len(cells) == 1:
        return cells[0]
    first = cells[0]
    reference = facts.reference
    empty = [c for c in cells if not c.projects]
    thin = [c for c in cells if c.projects]
    national = _union(c.national for c in cells)
    who = (
        wording.for_target_group(reference.target_group_label(first.target_group))
        if first.target_group
        else wording.EMPTY
    )
    explanation = wording.grouped_explanation(
        reference.theme_label(str(first.theme)) + who,
        [reference.area_label(str(c.area)) for c in empty],
        [reference.area_label(str(c.area)) for c in thin],
        facts.projects(_union(c.projects for c in thin)),
        facts.projects(national),
    )
    return _merged(facts, cells, first.theme, explanation, national)


def _missing_everywhere(facts: SliceFacts, per_theme: Sequence[Gap]) -> bool:
    """Whether the target group has no local project under any of several mandate themes."""
    rows = facts.scope.rows
    themes = {line.theme for line in per_theme}
    return (
        len(rows) > 1
        and themes == set(rows)
        and all(not cell.projects for line in per_theme for cell in line.cells)
    )


def _target_group_line(
    facts: SliceFacts, target_group: str, per_theme: Sequence[Gap], value: Gap | None
) -> Gap:
    """One line for a target group absent under every theme, its public value folded in."""
    reference, scope = facts.reference, facts.scope
    cells = [cell for line in per_theme for cell in line.cells]
    areas = tuple(dict.fromkeys(str(c.area) for c in cells))
    where = wording.area_list([reference.area_label(a) for a in areas])
    explanation = wording.missing_under_every_theme(
        wording.for_target_group(reference.target_group_label(target_group)),
        [reference.theme_label(row) for row in scope.rows],
        where,
    )
    if value is not None and not value.projects:
        assert value.dimension is not None
        explanation += wording.nor_public_value(value.dimension)
        cells.append(value)
    national = _union(c.national for c in cells)
    explanation += wording.national_note(facts.projects(national))
    return _merged(facts, cells, None, explanation, national)


def _merged(
    facts: SliceFacts,
    cells: Sequence[Gap],
    theme: str | None,
    explanation: Label,
    national: tuple[int, ...],
) -> Gap:
    worst = min(cells, key=lambda c: c.severity.rank)
    areas = tuple(dict.fromkeys(str(c.area) for c in cells if c.kind in GROUPED))
    scope = facts.scope
    finding = _finding(cells)
    inferred = _union(c.inferred for c in cells)
    explanation += wording.finding_note(finding, facts.projects(inferred))
    nearest = _nearest(cells)
    if not nearest and facts.find_nearest:
        explanation += wording.NOWHERE_ELSE
    who = worst.target_group
    subject = worst.subject
    if theme is None and who is not None:
        subject = wording.projects_for(
            wording.for_target_group(facts.reference.target_group_label(who))
        )
    return Gap(
        id=gap_id(worst.kind, theme, scope.area, who),
        kind=worst.kind,
        severity=worst.severity,
        severity_reason=worst.severity_reason,
        explanation=explanation,
        subject=subject,
        theme=theme,
        area=areas[0] if len(areas) == 1 else scope.area,
        target_group=who,
        projects=_union(c.projects for c in cells),
        national=national,
        nearest=nearest,
        areas=areas,
        parts=tuple(cells),
        finding=finding,
        inferred=inferred,
    )


def _finding(cells: Sequence[Gap]) -> Finding | None:
    """Not found only when no cell found anything; not tagged when none has tagged work."""
    findings = {c.finding for c in cells}
    if findings == {Finding.NOT_FOUND}:
        return Finding.NOT_FOUND
    if None in findings:
        return None
    return Finding.NOT_TAGGED


def _nearest(cells: Sequence[Gap]) -> tuple[Nearby, ...]:
    """The nearest of all the cells' nearest projects, each project once."""
    best: dict[int, tuple[int, int, Nearby]] = {}
    order = 0
    for cell in cells:
        for nearby in cell.nearest:
            key = (nearby.proximity.rank, order, nearby)
            order += 1
            if nearby.project_id not in best or key[:2] < best[nearby.project_id][:2]:
                best[nearby.project_id] = key
    chosen = heapq.nsmallest(NEAREST, best.values(), key=lambda item: item[:2])
    return tuple(nearby for _, _, nearby in chosen)


def _union(groups: Iterable[Iterable[int]]) -> tuple[int, ...]:
    ids: set[int] = set()
    for group in groups:
        ids |= set(group)
    return tuple(sorted(ids))
