"""What a project listing asks for, and the same test applied to plain records."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ecosystem.card import ProjectCard
from ecosystem.model import ProjectRecord
from ecosystem.text import default_analyzer

__all__ = ["ProjectQuery", "matches"]


@dataclass(frozen=True)
class ProjectQuery:
    """Filters for a project listing: OR within a dimension, AND across dimensions.

    ``areas`` and ``themes`` are expanded to everything they contain before use, so a
    health council matches the projects of its municipalities.
    """

    organisations: tuple[str, ...] = ()
    organisation_kinds: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    text: str | None = None
    updated_since: dt.datetime | None = None
    as_of: dt.datetime | None = None
    include_withdrawn: bool = False
    demo: bool | None = None
    # Only these projects, in this order (a free-text search ranked by relevance).
    ids: tuple[int, ...] | None = None

    def with_expanded(self, *, areas: set[str], themes: set[str]) -> ProjectQuery:
        return dataclasses.replace(
            self,
            areas=tuple(sorted(areas)) if areas else self.areas,
            themes=tuple(sorted(themes)) if themes else self.themes,
        )

    def coded_filters(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(project field, wanted codes) for each coded dimension that is filtered on."""
        for field in ("themes", "target_groups", "areas", "goals"):
            codes: tuple[str, ...] = getattr(self, field)
            if codes:
                yield field, codes

    def words(self) -> list[str]:
        """The free-text query's terms (stems and synonyms), each of which must occur."""
        return default_analyzer().terms(self.text) if self.text else []


def matches(record: ProjectRecord, query: ProjectQuery, kinds: Mapping[str, str]) -> bool:
    """Whether a plain record satisfies ``query`` (hierarchies already expanded).

    Examples
    --------
    >>> import datetime as dt
    >>> now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    >>> record = ProjectRecord(1, "kommune-aarhus", "P1",
    ...     {"title": "Tele-KOL", "description": "...", "stage": "pilot", "themes": ["T2"]},
    ...     1, False, now, now)
    >>> matches(record, ProjectQuery(themes=("T2",), text="kol"), {"kommune-aarhus": "municipality"})
    True
    >>> matches(record, ProjectQuery(stages=("operation",)), {})
    False
    """
    card = record.card
    checks = (
        query.include_withdrawn or not record.withdrawn,
        not query.organisations or record.organisation_id in query.organisations,
        not query.organisation_kinds
        or kinds.get(record.organisation_id) in query.organisation_kinds,
        not query.stages or card.stage in query.stages,
        query.demo is None or card.demo == query.demo,
        query.updated_since is None or record.updated_at >= query.updated_since,
        # the coded dimensions are named as the card's fields (ProjectQuery.coded_filters)
        all(set(getattr(card, field)) & set(codes) for field, codes in query.coded_filters()),
        _has_words(card, query.words()),
    )
    return all(checks)


def _has_words(card: ProjectCard, words: list[str]) -> bool:
    """Every term of the query among the text's terms: "KOL" is never "Kolding"."""
    if not words:
        return True
    text = f"{card.title}\n{card.description}"
    return set(words) <= set(default_analyzer().terms(text))
