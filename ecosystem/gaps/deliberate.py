"""Gaps nobody works on *on purpose*: cells covered by the "fravalgt" register (P12).

Each single finding (a cell, before cells are made into lines) is weighed against the
entries in force (:func:`ecosystem.deliberately_not.covering`): the group's own, or those
of every organisation answering for the cell's place. The cells so chosen are set apart
and made into lines of their own, one set of lines per set of entries, so the report can
say "Fravalgt: <reason> (<who>, <date>)" beside them instead of calling them open gaps.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecosystem.deliberately_not import OptOut, OptOuts, covering
from ecosystem.gaps.facts import SliceFacts
from ecosystem.gaps.grouping import grouped_lines
from ecosystem.gaps.model import Gap, OptedOut

__all__ = ["set_apart"]


def set_apart(
    facts: SliceFacts, cells: Sequence[Gap], choices: OptOuts | None
) -> tuple[list[Gap], list[OptedOut]]:
    """The cells still open, and the fravalgt ones as lines with the entries behind them."""
    if not choices:
        return list(cells), []
    open_cells: list[Gap] = []
    chosen: dict[tuple[int, ...], tuple[tuple[OptOut, ...], list[Gap]]] = {}
    for cell in cells:
        entries = _entries_for(facts, cell, choices)
        if not entries:
            open_cells.append(cell)
            continue
        key = tuple(sorted(e.id for e in entries))
        chosen.setdefault(key, (entries, []))[1].append(cell)
    opted = [
        OptedOut(line, entries)
        for entries, same in chosen.values()
        for line in grouped_lines(facts, same)
    ]
    return open_cells, opted


def _entries_for(facts: SliceFacts, cell: Gap, choices: OptOuts) -> tuple[OptOut, ...]:
    scope = facts.scope
    areas = (cell.area,) if cell.area else scope.areas
    concerned = tuple(
        dict.fromkeys(o for area in areas for o in facts.reference.owners_of(area, scope.units))
    )
    return covering(
        choices,
        facts.reference,
        theme=cell.theme,
        target_group=cell.target_group,
        areas=areas,
        concerned=concerned,
    )
