"""The ecosystem graph: partner and funding edges, betweenness, communities and bridges."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from ecosystem.graph import FUNDS, PARTNER, build_graph
from ecosystem.model import ProjectRecord

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
ORGS = {o: o.upper() for o in ("a", "b", "c", "d", "e", "f", "g", "hub")} | {
    "fond": "Novo Nordisk Fonden"
}


def record(project_id: int, owner: str, *partners: str, **fields: Any) -> ProjectRecord:
    data = {
        "external_id": f"P{project_id}",
        "title": f"Projekt {project_id}",
        "description": "x",
        "stage": "pilot",
        "partners": [{"organisation": p} for p in partners],
        **fields,
    }
    return ProjectRecord(project_id, owner, f"P{project_id}", data, 1, False, NOW, NOW)


def edges_of(graph: Any) -> dict[tuple[str, str, str], tuple[int, ...]]:
    return {(e.kind, e.source, e.target): e.projects for e in graph.edges}


def test_everyone_on_a_project_works_with_everyone_else_and_edges_name_their_projects() -> None:
    graph = build_graph([record(1, "a", "b", "c"), record(2, "b", "a")], ORGS)
    assert edges_of(graph) == {
        (PARTNER, "a", "b"): (1, 2),
        (PARTNER, "a", "c"): (1,),
        (PARTNER, "b", "c"): (1,),
    }
    assert {n.id: n.projects for n in graph.nodes} == {"a": (1, 2), "b": (1, 2), "c": (1,)}
    assert graph.node("a") is not None and graph.node("a").name == "A"  # type: ignore[union-attr]


def test_a_funder_is_a_registered_organisation_named_by_id_or_name_and_own_money_is_none() -> None:
    funded = record(
        1,
        "a",
        funding_sources=[
            {"name": " novo nordisk fonden ", "kind": "private_foundation"},
            {"name": "b", "kind": "national_pool"},
            {"name": "c", "kind": "own"},  # own money, even if it names someone
            {"name": "TrygFonden", "kind": "private_foundation"},  # not registered
            {"name": "a", "kind": "co_financing"},  # the owner funding itself
        ],
    )
    assert edges_of(build_graph([funded], ORGS)) == {
        (FUNDS, "b", "a"): (1,),
        (FUNDS, "fond", "a"): (1,),
    }


def test_unregistered_partners_and_lone_organisations_make_no_node() -> None:
    alone = record(1, "a")
    free_text = record(2, "b", funding_sources=[])
    free_text.data["partners"] = [{"name": "Lungeforeningen"}, {"organisation": "nobody"}]
    graph = build_graph([alone, free_text], ORGS)
    assert graph.nodes == () and graph.edges == () and graph.communities == 0


def two_triangles_and_a_hub() -> list[ProjectRecord]:
    return [
        record(1, "a", "b", "c"),
        record(2, "e", "f", "g"),
        record(3, "hub", "a"),
        record(4, "hub", "e"),
    ]


def test_the_organisation_joining_two_groups_is_the_bridge_with_the_highest_betweenness() -> None:
    graph = build_graph(two_triangles_and_a_hub(), ORGS)
    betweenness = {n.id: n.betweenness for n in graph.nodes}
    assert max(betweenness, key=lambda k: betweenness[k]) == "hub"
    assert betweenness["b"] == 0.0
    communities = {n.id: n.community for n in graph.nodes}
    assert graph.communities >= 2
    assert communities["b"] == communities["c"] and communities["f"] == communities["g"]
    assert communities["b"] != communities["f"]
    assert graph.bridges[0] == "hub"
    assert "b" not in graph.bridges  # inside its triangle: no betweenness


def test_betweenness_is_networkx_normalised_betweenness() -> None:
    graph = build_graph(two_triangles_and_a_hub(), ORGS)
    reference = nx.Graph([("a", "b"), ("a", "c"), ("b", "c"), ("e", "f"), ("e", "g")])
    reference.add_edges_from([("f", "g"), ("hub", "a"), ("hub", "e")])
    expected = nx.betweenness_centrality(reference)
    assert {n.id: n.betweenness for n in graph.nodes} == expected


def test_the_same_projects_in_any_order_give_the_same_graph() -> None:
    projects = two_triangles_and_a_hub()
    assert build_graph(projects, ORGS) == build_graph(list(reversed(projects)), ORGS)


def test_around_keeps_an_organisation_and_its_neighbours_with_whole_graph_measures() -> None:
    graph = build_graph(two_triangles_and_a_hub(), ORGS)
    near = graph.around("hub")
    assert {n.id for n in near.nodes} == {"hub", "a", "e"}
    assert set(edges_of(near)) == {(PARTNER, "a", "hub"), (PARTNER, "e", "hub")}
    assert near.node("hub") == graph.node("hub")
    assert near.bridges == tuple(b for b in graph.bridges if b in {"hub", "a", "e"})
    assert "hub" in near.bridges
    assert {n.id for n in graph.around("b").nodes} == {"a", "b", "c"}


def test_node_link_json_names_nodes_links_and_the_projects_behind_each_link() -> None:
    data = build_graph([record(7, "a", "b", funding_sources=[{"name": "c", "kind": "eu"}])], ORGS)
    shape = data.node_link()
    assert [n["id"] for n in shape["nodes"]] == ["a", "b", "c"]
    assert shape["links"] == [
        {"kind": FUNDS, "source": "c", "target": "a", "projects": [7]},
        {"kind": PARTNER, "source": "a", "target": "b", "projects": [7]},
    ]
    assert shape["graph"]["communities"] == data.communities
