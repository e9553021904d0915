"""Running the service and access to it: health, tokens."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import CODE

__all__ = ["HealthSchema", "TokenRequestSchema", "TokenSchema"]


class SemanticSchema(Schema):
    available = fields.Boolean(metadata={"description": "Whether checks compare by meaning"})
    model = fields.String(allow_none=True)
    problem = fields.String(
        allow_none=True, metadata={"description": "Why not, when no model could be loaded"}
    )
    embedded = fields.Integer(metadata={"description": "Projects with a current vector"})
    queued = fields.Integer(metadata={"description": "Projects waiting for the embedding job"})
    in_progress = fields.Integer()


class HealthSchema(Schema):
    status = fields.String()
    database = fields.String()
    schema_revision = fields.String(allow_none=True)
    schema_head = fields.String(allow_none=True)
    catalog_version = fields.Integer()
    semantic = fields.Nested(SemanticSchema)


class TokenRequestSchema(Schema):
    organisation = fields.String(validate=CODE)
    admin = fields.Boolean(load_default=False)
    label = fields.String(validate=validate.Length(max=200))


class TokenSchema(Schema):
    token = fields.String(metadata={"description": "Shown once; only its hash is stored."})
    organisation = fields.String(allow_none=True)
    admin = fields.Boolean()
