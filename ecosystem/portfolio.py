"""The portfolio document (v1): its schema and its normal form.

One schema validates every way in: the HTTP API, the CLI, the seed loader and the
spreadsheet import. It checks shape only; whether a code exists is checked against the
database by :mod:`ecosystem.store.publish`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from ecosystem.model import (
    CareLevel,
    DevelopmentType,
    EvidenceOutcome,
    FundingKind,
    LinkRelation,
    Stage,
    Visibility,
)
from ecosystem.safe_text import Text, TextEmail, TextUrl

__all__ = [
    "DESCRIPTION_MAX",
    "TITLE_MAX",
    "PortfolioSchema",
    "ProjectSchema",
    "normalise_project",
]

TITLE_MAX = 300
DESCRIPTION_MAX = 20_000
RATIONALE_MAX = 2_000
CODE_MAX = 64
MAX_CODES = 50
OWNER_MAX = 300
OPERATION_PLAN_MAX = 1_000

_external_id = validate.And(
    validate.Length(min=1, max=100),
    validate.Regexp(r"^\S+$", error="Must not contain whitespace."),
)


def _choice(enum: type[Any]) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum])


def _text(max_length: int, *, required: bool = False) -> Text:
    return Text(
        required=required,
        allow_none=not required,
        validate=validate.Length(min=1 if required else 0, max=max_length),
    )


def _codes() -> fields.List[str]:
    return fields.List(
        Text(validate=validate.Length(min=1, max=CODE_MAX)),
        validate=validate.Length(max=MAX_CODES),
    )


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class FundingSourceSchema(_Strict):
    name = _text(300, required=True)
    kind = Text(load_default="other", validate=_choice(FundingKind))


class PartnerSchema(_Strict):
    organisation = Text(validate=validate.Length(min=1, max=CODE_MAX))
    name = Text(validate=validate.Length(min=1, max=300))

    @validates_schema
    def _one_of_organisation_or_name(self, data: dict[str, Any], **_: Any) -> None:
        if ("organisation" in data) == ("name" in data):
            raise ValidationError("Give either 'organisation' (an id) or 'name' (free text).")


class EvidenceSchema(_Strict):
    summary = _text(RATIONALE_MAX)
    url = TextUrl(allow_none=True)
    outcome = Text(allow_none=True, validate=_choice(EvidenceOutcome))


class ContactSchema(_Strict):
    name = _text(200)
    email = TextEmail(allow_none=True)
    phone = _text(50)
    url = TextUrl(allow_none=True)


class LinkSchema(_Strict):
    organisation = Text(required=True, validate=validate.Length(min=1, max=CODE_MAX))
    external_id = Text(required=True, validate=_external_id)
    relation = Text(load_default="related", validate=_choice(LinkRelation))


class ProjectSchema(_Strict):
    """One project card. Only external_id, title, description, stage and a theme are required."""

    external_id = Text(required=True, validate=_external_id)
    title = _text(TITLE_MAX, required=True)
    description = _text(DESCRIPTION_MAX, required=True)
    stage = Text(required=True, validate=_choice(Stage))
    themes = fields.List(
        Text(validate=validate.Length(min=1, max=CODE_MAX)),
        required=True,
        validate=validate.Length(min=1, max=MAX_CODES),
    )
    target_groups = _codes()
    areas = _codes()
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    budget_dkk = fields.Float(
        allow_none=True, allow_nan=False, validate=validate.Range(min=0, max=1e13)
    )
    funding_sources = fields.List(
        fields.Nested(FundingSourceSchema), validate=validate.Length(max=20)
    )
    # After the pool (P19): the day the current money runs out, who runs the work then, and
    # how. The owner is free text, not an organisation id: the receiving operation is most
    # often a unit inside an organisation ("Hjemmeplejen, Aarhus Kommune") or one that is
    # not registered here (a GP cooperative), and an id would force a coarser answer.
    funding_ends = fields.Date(allow_none=True)
    implementation_owner = _text(OWNER_MAX)
    operation_plan = _text(OPERATION_PLAN_MAX)
    value_score = fields.Integer(allow_none=True, strict=True, validate=validate.Range(1, 5))
    value_rationale = _text(RATIONALE_MAX)
    risk_score = fields.Integer(allow_none=True, strict=True, validate=validate.Range(1, 5))
    risk_rationale = _text(RATIONALE_MAX)
    goals = _codes()
    partners = fields.List(fields.Nested(PartnerSchema), validate=validate.Length(max=MAX_CODES))
    evidence = fields.Nested(EvidenceSchema, allow_none=True)
    contact = fields.Nested(ContactSchema, allow_none=True)
    visibility = Text(load_default=Visibility.PUBLIC.value, validate=_choice(Visibility))
    disclose_when_private = fields.Boolean(load_default=False)
    care_level = Text(allow_none=True, validate=_choice(CareLevel))
    development_type = Text(allow_none=True, validate=_choice(DevelopmentType))
    links = fields.List(fields.Nested(LinkSchema), validate=validate.Length(max=MAX_CODES))
    last_reviewed = fields.Date(allow_none=True)
    demo = fields.Boolean(load_default=False)

    @validates_schema(skip_on_field_errors=False)
    def _end_not_before_start(self, data: dict[str, Any], **_: Any) -> None:
        start = data.get("start_date")
        errors = {
            name: ["Must not be before start_date."]
            for name in ("end_date", "funding_ends")
            if start and data.get(name) and data[name] < start
        }
        if errors:
            raise ValidationError(errors)

    @validates_schema(skip_on_field_errors=False)
    def _text_not_blank(self, data: dict[str, Any], **_: Any) -> None:
        for name in ("title", "description"):
            if isinstance(data.get(name), str) and not data[name].strip():
                raise ValidationError("Must not be blank.", field_name=name)

    @post_load
    def _normalise(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return normalise_project(data)


class PortfolioSchema(_Strict):
    """A whole portfolio: ``{"organisation": id, "projects": [...]}``."""

    organisation = Text(required=True, validate=validate.Length(min=1, max=CODE_MAX))
    projects = fields.List(fields.Nested(ProjectSchema), required=True)
    version = fields.Integer(load_default=1, validate=validate.Equal(1))
    # P2: partial portfolios are normal. Only an organisation that says so is taken to have
    # published all its projects; pages say "selected, not exhaustive" otherwise.
    complete = fields.Boolean(load_default=False)

    @validates_schema(skip_on_field_errors=False)
    def _external_ids_unique(self, data: dict[str, Any], **_: Any) -> None:
        seen: dict[str, int] = {}
        errors: dict[int, dict[str, list[str]]] = {}
        for index, project in enumerate(data.get("projects") or []):
            external_id = project.get("external_id")
            if external_id in seen:
                message = (
                    f"Duplicate external_id {external_id!r} (also projects[{seen[external_id]}])."
                )
                errors[index] = {"external_id": [message]}
            else:
                seen[external_id] = index
        if errors:
            raise ValidationError({"projects": errors})


class LenientProjectSchema(ProjectSchema):
    """Used where extra keys must be ignored rather than refused (stored revisions)."""

    class Meta:
        unknown = EXCLUDE


def normalise_project(data: dict[str, Any]) -> dict[str, Any]:
    """Return the canonical stored form: JSON types only, no empty values, codes de-duplicated.

    Two documents that mean the same thing normalise to equal dicts, which is what makes a
    republish of an unchanged portfolio a no-op.

    Examples
    --------
    >>> normalise_project({"title": " Tele-KOL ", "themes": ["T2", "T2"], "areas": []})
    {'title': 'Tele-KOL', 'themes': ['T2']}
    """
    normal: dict[str, Any] = {}
    for key, value in data.items():
        value = _normal_value(value)
        if value is None or value == [] or value == {}:
            continue
        normal[key] = value
    return normal


def _normal_value(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return normalise_project(value) or None
    if isinstance(value, list):
        items = [_normal_value(item) for item in value]
        unique: list[Any] = []
        for item in items:
            if item not in unique and item not in (None, {}, ""):
                unique.append(item)
        return unique
    return value
