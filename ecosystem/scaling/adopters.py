"""Who could adopt a candidate: the places of the mandate that lack it and need it.

A place is a column of the mandate's coverage matrix (a municipality; a region in a
national mandate), the area of a gap finer than those columns, or the area of a wider
gap whose own municipality or region answers for it. It is a **suggested adopter** of
candidate P when all three hold:

1. **inside the mandate**: it is one of those places;
2. **it lacks P's intervention**: P does not work there locally, and no project there
   does the same thing beyond an idea, analysis or pilot. Where the overlap engine's pairs are given, they say which do
   (duplicate, parallel, sequential): the engine reads the texts, which tell apart
   interventions no code does. Without the engine, a mature project there on one of
   P's themes for one of P's target groups counts as the same thing;
3. **it has the need**: P fills a gap of the place itself ("Samsø mangler projekter om
   T2"), or of a wider area it lies in (the council, the region, the mandate); or,
   when others are starting the same thing, the place works with P's target group.

Organisations starting the same thing (the engine pairs their early project with P)
are adopters wherever they are: they could build on P instead of starting over. The
adopters of a place are the organisations that answer for it
(:meth:`ecosystem.groups.Reference.owners_of`); a place without one is an adopter by
itself. Adopters are listed strongest need first (starting, own gap, wider gap,
nothing like it), and among those of a wider gap, those that work with P's target
group first. Each gets one sentence, in Danish and English, saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ecosystem.gaps import Gap
from ecosystem.groups import ProjectInfo, Reference, Scope
from ecosystem.groups.reference import Reach
from ecosystem.labels import STAGES, Label
from ecosystem.model import EARLY_STAGES
from ecosystem.overlap import OverlapPair, Relation


class Need(StrEnum):
    """Why a place needs the candidate, strongest first."""

    STARTING = "starting"  # it is starting the same thing
    OWN_GAP = "own_gap"  # the gap is the place's own
    WIDER_GAP = "wider_gap"  # a gap of a wider area, for people the place works with
    ABSENT = "absent"  # nothing like it there, for people the place works with


NEED_ORDER = {need: rank for rank, need in enumerate(Need)}


@dataclass(frozen=True)
class Suggestion:
    """One suggested adopter of one candidate, before it is written out."""

    key: str  # an organisation id, or ``area:CODE`` for a place without one
    need: Need
    places: tuple[str, ...]
    gaps: tuple[Gap, ...] = ()
    starting: tuple[tuple[ProjectInfo, OverlapPair], ...] = ()
    shared_target_groups: frozenset[str] = frozenset()

    @property
    def organisation(self) -> str | None:
        return None if self.key.startswith("area:") else self.key


class Places:
    """What is going on in each place of a mandate, read once for every candidate."""

    def __init__(
        self, scope: Scope, projects: Iterable[ProjectInfo], *, engine: bool = True
    ) -> None:
        self.scope = scope
        self.engine = engine  # whether the overlap engine's pairs say what is alike
        self.projects = [p for p in projects if not p.record.withdrawn]
        self._local: dict[str, list[ProjectInfo]] = {}
        self._target_groups: dict[str, frozenset[str]] = {}

    @classmethod
    def of(cls, scope: Scope, projects: Iterable[ProjectInfo], *, engine: bool = True) -> Places:
        """The scope's places, remembered on the scope (one per analysis)."""
        key = ("scaling places", engine)
        if key not in scope.memo:
            scope.memo[key] = cls(scope, projects, engine=engine)
        places: Places = scope.memo[key]
        return places

    def local(self, place: str) -> list[ProjectInfo]:
        """The projects that work in the place itself (not only through a nationwide one)."""
        if place not in self._local:
            self._local[place] = [
                p
                for p in self.projects
                if (reach := self.scope.reach(p.places, place)) is not None and reach.is_local
            ]
        return self._local[place]

    def target_groups(self, place: str) -> frozenset[str]:
        """The target groups the place works with: those of the projects in it, any theme.

        A region's projects reach each of its municipalities, but say nothing about the
        people a municipality itself works with, so only projects placed in the place
        (or inside it) count.
        """
        if place not in self._target_groups:
            found: set[str] = set()
            for project in self.local(place):
                if self.scope.reach(project.places, place) is Reach.INSIDE:
                    found |= project.target_groups
            self._target_groups[place] = frozenset(found)
        return self._target_groups[place]

    def works_on(self, project: ProjectInfo, place: str) -> bool:
        """Whether a local project of the place shares a theme of the mandate with ``project``."""
        rows = [row for row in self.scope.rows if self.scope.in_row(project, row)]
        return any(self.scope.in_row(other, row) for other in self.local(place) for row in rows)

    def of_area(self, area: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The places whose own gap an area's gap is, and those it is a wider gap of.

        A gap of a municipality is its own; a gap of a region is the region's own and a
        wider gap of its municipalities; a health council is a forum, so its gap is
        only a wider gap of its municipalities.
        """
        if area is None:
            return (), self.scope.units
        inside = self.scope.reference.inside(area)
        inner = tuple(u for u in self.scope.units if u != area and u in inside)
        if not inner:
            return (area,), ()
        answered = bool(self.scope.reference.owners_of(area))
        return ((area,) if answered else ()), inner

    def has_it(self, project: ProjectInfo, place: str, alike: Sequence[ProjectInfo]) -> bool:
        """Whether the place already has the candidate's intervention (rule 2)."""
        if any(p.id == project.id for p in self.local(place)):
            return True
        if self.engine:
            # An idea, analysis or pilot of the same thing is not having it: its
            # organisation is starting it, and so an adopter itself.
            alike_ids = {p.id for p in alike if p.stage not in EARLY_STAGES}
            return any(other.id in alike_ids for other in self.local(place))
        rows = [row for row in self.scope.rows if self.scope.in_row(project, row)]
        return any(
            other.is_mature
            and (not project.target_groups or bool(project.target_groups & other.target_groups))
            and any(self.scope.in_row(other, row) for row in rows)
            for other in self.local(place)
            if other.id != project.id
        )


def suggest(
    project: ProjectInfo,
    gaps: Sequence[Gap],
    starters: Sequence[tuple[ProjectInfo, OverlapPair]],
    alike: Sequence[ProjectInfo],
    places: Places,
) -> list[Suggestion]:
    """The suggested adopters of one candidate, best first (see the module's rule)."""
    scope, reference = places.scope, places.scope.reference
    found: dict[str, Suggestion] = {}
    doing_it = {p.organisation_id for p in alike} | {project.organisation_id}

    def add(suggestion: Suggestion) -> None:
        known = found.get(suggestion.key)
        if known is None or NEED_ORDER[suggestion.need] < NEED_ORDER[known.need]:
            found[suggestion.key] = suggestion

    by_starter: dict[str, list[tuple[ProjectInfo, OverlapPair]]] = {}
    for other, pair in starters:
        by_starter.setdefault(other.organisation_id, []).append((other, pair))
    for organisation, started in by_starter.items():
        areas = tuple(sorted({a for other, _ in started for a in other.places}))
        add(Suggestion(organisation, Need.STARTING, areas, starting=tuple(started)))

    wanted = project.target_groups
    for place in _candidate_places(gaps, starters, places):
        if places.has_it(project, place, alike):
            continue
        shared = places.target_groups(place) & wanted
        works_with = bool(shared) or (not wanted and places.works_on(project, place))
        need, filled = _need(place, gaps, places, works_with, bool(starters))
        if need is None:
            continue
        for key in _owners(place, scope, reference, doing_it):
            add(Suggestion(key, need, (place,), tuple(filled), (), frozenset(shared)))
    return sorted(
        found.values(),
        key=lambda s: (
            NEED_ORDER[s.need],
            not s.shared_target_groups,
            -len(s.gaps),
            s.places,
            s.key,
        ),
    )


def _candidate_places(gaps: Sequence[Gap], starters: Sequence[object], places: Places) -> list[str]:
    """The places where a gap the candidate fills lies, or every place if others start it."""
    found: dict[str, None] = {}
    for gap in gaps:
        own, wider = places.of_area(gap.area)
        found.update(dict.fromkeys((*own, *wider)))
    if starters:
        found.update(dict.fromkeys(places.scope.units))
    return list(found)


def _need(
    place: str, gaps: Sequence[Gap], places: Places, works_with: bool, others_start: bool
) -> tuple[Need | None, list[Gap]]:
    """Why the place needs the candidate (rule 3), and the gaps of its it fills."""
    own: list[Gap] = []
    wider: list[Gap] = []
    for gap in gaps:
        its_own, wider_of = places.of_area(gap.area)
        if place in its_own:
            own.append(gap)
        elif place in wider_of:
            wider.append(gap)
    if own:
        return Need.OWN_GAP, own
    if wider:
        return Need.WIDER_GAP, wider
    if others_start and works_with:
        return Need.ABSENT, []
    return None, []


def _owners(place: str, scope: Scope, reference: Reference, excluded: set[str]) -> list[str]:
    # Only those whose own area it is: the places inside it are places of their own.
    owners = reference.owners_of(place)
    if not owners:
        return [f"area:{place}"]
    return [o for o in owners if o not in excluded]


def reason(suggestion: Suggestion, reference: Reference) -> Label:
    """One sentence, in Danish and English, saying why this adopter could take it up."""
    if suggestion.need is Need.STARTING:
        other, pair = suggestion.starting[0]
        stage = STAGES[other.stage].lower()
        how = (
            Label("i forlængelse af dette", "after this one")
            if pair.match.relation is Relation.SEQUENTIAL
            else Label("sideløbende", "alongside")
        )
        return Label(
            f"Starter selv det samme {how.da} («{other.title}», {stage.da}) og kan bygge "
            "videre på dette i stedet for at begynde forfra.",
            f"Is starting the same thing {how.en} («{other.title}», {stage.en}) and could "
            "build on this instead of starting over.",
        )
    place = reference.area_label(suggestion.places[0])
    people = _people(suggestion.shared_target_groups, reference)
    if suggestion.need is Need.OWN_GAP:
        subject = suggestion.gaps[0].subject
        return Label(
            f"{place.da} mangler {subject.da}, og intet lignende findes der.",
            f"{place.en} lacks {subject.en}, and nothing like it exists there.",
        )
    if suggestion.need is Need.WIDER_GAP:
        gap = suggestion.gaps[0]
        wide = reference.area_label(gap.area) if gap.area else Label("mandatet", "the mandate")
        if not suggestion.shared_target_groups:
            return Label(
                f"{wide.da} mangler {gap.subject.da}, og {place.da} har intet lignende.",
                f"{wide.en} lacks {gap.subject.en}, and {place.en} has nothing like it.",
            )
        return Label(
            f"{wide.da} mangler {gap.subject.da}; {place.da} arbejder med {people.da} "
            "og har intet lignende.",
            f"{wide.en} lacks {gap.subject.en}; {place.en} works with {people.en} "
            "and has nothing like it.",
        )
    return Label(
        f"Intet lignende i {place.da}, der arbejder med {people.da}.",
        f"Nothing like it in {place.en}, which works with {people.en}.",
    )


def _people(target_groups: frozenset[str], reference: Reference) -> Label:
    if not target_groups:
        return Label("samme tema", "the same theme")
    labels = [reference.target_group_label(t) for t in sorted(target_groups)]
    return Label(
        " og ".join(x.da.lower() for x in labels), " and ".join(x.en.lower() for x in labels)
    )
