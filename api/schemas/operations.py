"""Running the service and access to it: health, tokens."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.parsing import UtcDateTime
from api.schemas.common import CODE
from ecosystem.safe_text import Text

__all__ = ["HealthSchema", "IssuedTokenSchema", "TokenRequestSchema", "TokenSchema"]


class SemanticSchema(Schema):
    available = fields.Boolean(metadata={"description": "Whether checks compare by meaning"})
    model = Text(allow_none=True)
    problem = Text(
        allow_none=True, metadata={"description": "Why not, when no model could be loaded"}
    )
    embedded = fields.Integer(metadata={"description": "Projects with a current vector"})
    queued = fields.Integer(metadata={"description": "Projects waiting for the embedding job"})
    in_progress = fields.Integer()


class HealthSchema(Schema):
    status = Text()
    database = Text()
    schema_revision = Text(allow_none=True)
    schema_head = Text(allow_none=True)
    catalog_version = fields.Integer()
    semantic = fields.Nested(SemanticSchema)


class TokenRequestSchema(Schema):
    organisation = Text(validate=CODE)
    admin = fields.Boolean(load_default=False)
    label = Text(validate=validate.Length(max=200))
    expires_at = UtcDateTime(
        metadata={"description": "When the token stops working (ISO 8601); none: never."},
    )


class TokenSchema(Schema):
    """A token as listed: never its secret, only the first characters of it."""

    id = fields.Integer()
    prefix = Text(
        allow_none=True,
        metadata={"description": "The token's first characters (none for old tokens)."},
    )
    organisation = Text(allow_none=True, attribute="organisation_id")
    admin = fields.Boolean(attribute="is_admin")
    label = Text(allow_none=True)
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    last_used_at = fields.DateTime(
        allow_none=True, metadata={"description": "Recorded at most once a minute."}
    )
    revoked_at = fields.DateTime(allow_none=True)


class IssuedTokenSchema(TokenSchema):
    token = Text(metadata={"description": "Shown once; only its hash is stored."})
