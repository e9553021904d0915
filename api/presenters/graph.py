"""The ecosystem graph as node-link JSON."""

from __future__ import annotations

from typing import Any

from ecosystem.services.graph import GraphView

__all__ = ["graph_view"]


def graph_view(found: GraphView) -> dict[str, Any]:
    shape = found.graph.node_link()
    shape["graph"] |= {"organisation": found.organisation, "group": found.group}
    shape["projects"] = [
        {
            "id": p.id,
            "organisation": p.organisation_id,
            "external_id": p.external_id,
            "title": p.title,
        }
        for p in found.projects.values()
    ]
    return shape
