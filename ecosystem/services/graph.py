"""The ecosystem graph as a reader may see it: the whole catalogue, a group's slice, or
one organisation and its neighbours.

The graph is built only from projects the reader may see (the catalogue's slice, then the
full cards read again under the same visibility rule), so a private project never makes
an edge, a node or a count for a reader who may not see it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ecosystem.errors import FieldError, InvalidInput, NotFound
from ecosystem.graph import EcosystemGraph, build_graph
from ecosystem.groups import Mandate, Scope
from ecosystem.model import Principal
from ecosystem.services.catalogue import Lifetime
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store import catalogue as catalogue_store
from ecosystem.store import groups as group_store

__all__ = ["GraphProject", "GraphView", "ecosystem_graph"]


@dataclass(frozen=True)
class GraphProject:
    id: int
    organisation_id: str
    external_id: str
    title: str


@dataclass(frozen=True)
class GraphView:
    graph: EcosystemGraph
    projects: dict[int, GraphProject]  # every project behind an edge, by id
    organisation: str | None
    group: str | None
    group_name: str | None


def ecosystem_graph(
    uow: UnitOfWork,
    principal: Principal,
    *,
    organisation: str | None = None,
    group: str | None = None,
) -> GraphView:
    """The graph over the visible projects (those the group's mandate covers, if
    ``group``: its themes, target groups and places), cut to ``organisation`` and its
    neighbours if given.

    An unknown organisation or group is :class:`InvalidInput` naming the argument.
    """
    if organisation is not None and organisation not in uow.reference.reference.organisations:
        raise _unknown("organisation", organisation)
    mandate, group_name = _mandate(uow, group)
    whole, projects = uow.remember(
        ("ecosystem-graph", principal, mandate),
        lambda: _built(uow, principal, mandate),
        lasts=Lifetime.UNTIL_PUBLISH,
    )
    graph = whole.around(organisation) if organisation is not None else whole
    behind = {i for edge in graph.edges for i in edge.projects}
    return GraphView(
        graph, {i: projects[i] for i in sorted(behind)}, organisation, group, group_name
    )


def _mandate(uow: UnitOfWork, group: str | None) -> tuple[Mandate | None, str | None]:
    if group is None:
        return None, None
    try:
        found = group_store.get_group(uow.session, group)
    except NotFound:
        raise _unknown("group", group) from None
    return found.mandate, found.name


def _built(
    uow: UnitOfWork, principal: Principal, mandate: Mandate | None
) -> tuple[EcosystemGraph, dict[int, GraphProject]]:
    visible = uow.catalogue.slice(principal, mandate)
    chosen: Collection[int] = visible.by_id.keys()
    if mandate is not None:
        # the group's slice as its overview has it: themes, target groups and places
        scope = Scope(mandate, visible.reference)
        chosen = {p.id for p in visible.projects if scope.covers(p)}
    # The catalogue leaves partners out; the full cards are read under the same rule.
    records = catalogue_store.projects_by_id(uow.session, principal, chosen, full=True)
    records.sort(key=lambda r: r.id)
    names = {o.id: o.name for o in visible.reference.organisations.values()}
    projects = {
        r.id: GraphProject(r.id, r.organisation_id, r.external_id, r.card.title) for r in records
    }
    return build_graph(records, names), projects


def _unknown(field: str, value: str) -> InvalidInput:
    message = f"Ukendt / Unknown {field}: {value!r}"
    return InvalidInput(message, [FieldError(field, message)])
