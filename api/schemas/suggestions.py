"""Tag suggestions for a draft or an edited card (never tags: the publisher accepts them)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from api.schemas.common import CODE
from ecosystem.portfolio import DESCRIPTION_MAX, TITLE_MAX
from ecosystem.safe_text import Text

__all__ = ["TagSuggestionRequestSchema", "TagSuggestionsSchema"]


class TagSuggestionRequestSchema(Schema):
    """The text to suggest tags for, and the tags it has already (not suggested again)."""

    class Meta:
        unknown = RAISE

    title = Text(required=True, validate=validate.Length(min=1, max=TITLE_MAX))
    description = Text(load_default="", validate=validate.Length(max=DESCRIPTION_MAX))
    themes = fields.List(Text(validate=CODE), load_default=list)
    target_groups = fields.List(Text(validate=CODE), load_default=list)

    @validates_schema
    def _has_words(self, data: dict[str, Any], **_: Any) -> None:
        if not any(ch.isalnum() for ch in data.get("title", "") + data.get("description", "")):
            raise ValidationError("Title and description contain no words.", field_name="title")


class TagSupporterSchema(Schema):
    project_id = fields.Integer(metadata={"description": "A visible project carrying the tag."})
    title = Text()
    similarity = fields.Float(
        metadata={
            "description": "Its vote, 0–1: how alike the texts are (hybrid: 1 from where a "
            "check calls them the same intervention; lexical: the TF-IDF similarity)."
        }
    )


class TagSuggestionSchema(Schema):
    kind = Text(
        validate=validate.OneOf(["theme", "subtheme", "target_group"]),
        metadata={"description": "theme (top level), subtheme or target_group."},
    )
    code = Text()
    label_da = Text()
    label_en = Text()
    confidence = fields.Float(
        metadata={
            "description": "0–1: the similarity-weighted share of the nearest tagged "
            "projects that carry the tag."
        }
    )
    supporters = fields.List(
        fields.Nested(TagSupporterSchema), metadata={"description": "At most three, best first."}
    )


class TagSuggestionsSchema(Schema):
    suggestions = fields.List(fields.Nested(TagSuggestionSchema))
    method = Text(
        metadata={
            "description": "How neighbours were found: 'hybrid' (meaning and words, as a "
            "check compares texts) or 'lexical' (TF-IDF: where nothing has a vector)."
        }
    )
    k = fields.Integer(metadata={"description": "Neighbours that voted (at most)."})
    threshold = fields.Float(metadata={"description": "Lowest confidence shown."})
    note = Text(metadata={"description": "Suggestions are never applied by themselves."})
