"""The overlap engine's built state as arrays and JSON-able rows, and an engine made back.

What a worker computes at start from every card, the facts of each project and the
lexical index over their texts, depends only on the cards and the reference data. Saved
once, it is read back by later workers instead of being computed again
(:mod:`ecosystem.services.engine_snapshot` does the files). Facts are plain rows here —
strings, numbers, sorted lists — so that reading them back runs no code named by the
data, and they come back equal to what :func:`~ecosystem.overlap.facts_from_record`
made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ecosystem.matching import OverlapEngine
from ecosystem.model import Stage
from ecosystem.overlap import Gazetteer, OverlapConfig, ProjectFacts
from ecosystem.similarity.state import IndexState, index_state, restored_index

__all__ = ["EngineState", "engine_state", "facts_of_row", "restored_engine", "row_of_facts"]

# The facts' fields in the order a row holds them; a change of fields changes the rows.
FIELDS = (
    "id",
    "organisation_id",
    "text",
    "themes",
    "target_groups",
    "places",
    "stage",
    "start",
    "end",
    "partners",
    "funders",
    "visibility",
    "disclose_when_private",
    "external_id",
    "title",
    "links",
    "embedding_text",
)


@dataclass(frozen=True)
class EngineState:
    """The lexical index's state and one row per project's facts."""

    index: IndexState
    facts: list[list[Any]]


def engine_state(engine: OverlapEngine) -> EngineState:
    """The state of an engine just loaded (see :func:`index_state` for what that means)."""
    return EngineState(index_state(engine.index), [row_of_facts(f) for f in engine.facts.values()])


def restored_engine(
    state: EngineState, gazetteer: Gazetteer, config: OverlapConfig | None = None
) -> OverlapEngine:
    """An engine as :meth:`OverlapEngine.load` left it, without analysing any text.

    Raises
    ------
    ValueError
        If the state does not hold together (the index's documents are not the facts').
    """
    index = restored_index(state.index)
    engine = OverlapEngine(gazetteer, config, index)
    engine.facts = {facts.id: facts for facts in map(facts_of_row, state.facts)}
    if len(engine.facts) != len(index) or any(i not in index for i in engine.facts):
        raise ValueError("the index's documents are not the projects' facts")
    return engine


def row_of_facts(facts: ProjectFacts) -> list[Any]:
    """The facts as a JSON-able row (sets sorted, so equal facts give equal rows)."""
    return [
        facts.id,
        facts.organisation_id,
        facts.text,
        sorted(facts.themes),
        sorted(facts.target_groups),
        {scheme: sorted(codes) for scheme, codes in facts.places.items()},
        None if facts.stage is None else str(facts.stage),
        _day(facts.start),
        _day(facts.end),
        sorted(facts.partners),
        sorted(facts.funders),
        facts.visibility,
        facts.disclose_when_private,
        facts.external_id,
        facts.title,
        sorted(list(link) for link in facts.links),
        facts.embedding_text,
    ]


def facts_of_row(row: list[Any]) -> ProjectFacts:
    """The facts a row of :func:`row_of_facts` holds.

    Raises
    ------
    ValueError
        If the row is not one (wrong length or values of the wrong kind).
    """
    if len(row) != len(FIELDS):
        raise ValueError("a facts row of another shape")
    # One unpacking, no per-field lookups: a worker reads 100,000 of these at start.
    (id_, organisation, text, themes, groups, places, stage, start, end, partners) = row[:10]
    (funders, visibility, disclose, external_id, title, links, embedded) = row[10:]
    try:
        return ProjectFacts(
            id=int(id_),
            organisation_id=organisation,
            text=str(text),
            themes=frozenset(themes),
            target_groups=frozenset(groups),
            places={str(scheme): frozenset(codes) for scheme, codes in places.items()},
            stage=None if stage is None else Stage(stage),
            start=None if start is None else dt.date.fromisoformat(start),
            end=None if end is None else dt.date.fromisoformat(end),
            partners=frozenset(partners),
            funders=frozenset(funders),
            visibility=str(visibility),
            disclose_when_private=bool(disclose),
            external_id=str(external_id),
            title=str(title),
            links=frozenset((str(o), str(e), str(r)) for o, e, r in links),
            embedding_text=str(embedded),
        )
    except (TypeError, AttributeError, ValueError) as error:
        raise ValueError(f"a facts row that does not read back: {error}") from error


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()
