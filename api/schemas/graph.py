"""The ecosystem graph as node-link JSON (the shape of networkx ``node_link_data``).

``nodes`` are registered organisations; ``links`` are ``partner`` (undirected: the two
work together on the listed projects) or ``funds`` (``source`` funds ``target``'s listed
projects). Every project id in a link is in ``projects`` with its title.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ecosystem.safe_text import Text

__all__ = ["GraphArgs", "GraphSchema"]


class GraphArgs(Schema):
    organisation = Text(
        validate=validate.Length(min=1, max=64),
        metadata={"description": "Only this organisation, its neighbours and the ties among them."},
    )
    group = Text(
        validate=validate.Length(min=1, max=64),
        metadata={
            "description": "Only the projects this thematic group's mandate covers (its themes, target groups and places)."
        },
    )


class GraphMetaSchema(Schema):
    communities = fields.Integer(metadata={"description": "Louvain communities (whole graph)"})
    bridges = fields.List(
        Text(),
        metadata={"description": "Organisations joining communities, highest betweenness first"},
    )
    organisation = Text(allow_none=True)
    group = Text(allow_none=True)


class GraphNodeSchema(Schema):
    id = Text()
    name = Text()
    projects = fields.List(fields.Integer(), metadata={"description": "Visible projects it is in"})
    betweenness = fields.Float(metadata={"description": "Normalised, over the whole graph"})
    community = fields.Integer()
    bridge = fields.Boolean()


class GraphLinkSchema(Schema):
    kind = Text(metadata={"description": "partner or funds"})
    source = Text(metadata={"description": "For funds: the funder"})
    target = Text(metadata={"description": "For funds: the funded organisation"})
    projects = fields.List(fields.Integer(), metadata={"description": "The projects behind it"})


class GraphProjectSchema(Schema):
    id = fields.Integer()
    organisation = Text()
    external_id = Text()
    title = Text()


class GraphSchema(Schema):
    directed = fields.Boolean()
    multigraph = fields.Boolean()
    graph = fields.Nested(GraphMetaSchema)
    nodes = fields.List(fields.Nested(GraphNodeSchema))
    links = fields.List(fields.Nested(GraphLinkSchema))
    projects = fields.List(fields.Nested(GraphProjectSchema))
