"""What every page needs: who is asking, reference labels, choices for forms, paging."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import g

from api.db import unit_of_work
from api.pages import auth, csrf, i18n, vocabulary
from ecosystem import labels
from ecosystem.errors import AuthenticationRequired, PermissionDenied
from ecosystem.groups import Group, ProjectInfo, Reference
from ecosystem.model import Principal, Stage
from ecosystem.services import projects
from ecosystem.services.permissions import may_lead_reviews

__all__ = [
    "Choice",
    "Paging",
    "area_choices",
    "area_name",
    "leads_reviews",
    "organisation_choices",
    "organisation_name",
    "partial_portfolio_note",
    "principal",
    "reference",
    "stage_choices",
    "target_group_choices",
    "target_group_name",
    "template_helpers",
    "theme_choices",
    "theme_name",
]

SCHEME_ORDER = ("health_council", "region", "national", "municipality")


@dataclass(frozen=True)
class Choice:
    """One option of a select or checkbox list; ``depth`` indents sub-themes."""

    value: str
    label: str
    depth: int = 0


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_item(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_item(self) -> int:
        return min(self.total, self.page * self.per_page)


def principal() -> Principal:
    """The signed-in organisation (or admin), or anonymous: read once per request."""
    if "page_principal" not in g:
        g.page_principal = auth.page_principal()
    return g.page_principal  # type: ignore[no-any-return]


def leads_reviews(group: Group) -> bool:
    """Whether the signed-in reader may open the group's reviews and record its decisions.

    The same rule as the API (:func:`may_lead_reviews`), asked without raising: the pages
    only offer the forms to those the service would let through.
    """
    try:
        may_lead_reviews(principal(), group)
    except (AuthenticationRequired, PermissionDenied):
        return False
    return True


def reference() -> Reference:
    """Places, taxonomy and organisations, as of the request's unit of work."""
    if "page_reference" not in g:
        g.page_reference = unit_of_work().reference.reference
    return g.page_reference  # type: ignore[no-any-return]


def theme_name(code: str) -> str:
    return i18n.label(reference().theme_labels.get(code)) or code


def target_group_name(code: str) -> str:
    return i18n.label(reference().target_group_labels.get(code)) or code


def area_name(code: str) -> str:
    return i18n.label(reference().area_names.get(code)) or code


def organisation_name(organisation_id: str | None) -> str:
    if not organisation_id:
        return ""
    return reference().organisation(organisation_id).name


def counterpart_names(codes: Iterable[str]) -> str:
    """A decision's counterparts by name: organisations and areas named, project ids as is."""
    known = reference()
    return ", ".join(
        organisation_name(c) if c in known.organisations else area_name(c) for c in codes
    )


def stage_name(stage: str) -> str:
    return i18n.label(vocabulary.stage_label(stage))


def goal_name(code: str) -> str:
    return i18n.label(reference().goal_label(code))


def theme_choices() -> list[Choice]:
    """Themes in taxonomy order, each followed by its sub-themes."""
    ref = reference()
    children: dict[str, list[str]] = {}
    for code, parent in ref.theme_parents.items():
        if parent:
            children.setdefault(parent, []).append(code)
    choices = []
    for top in ref.top_level_themes:
        choices.append(Choice(top, theme_name(top)))
        for sub in sorted(children.get(top, ()), key=_code_order):
            choices.append(Choice(sub, theme_name(sub), depth=1))
    return choices


def _code_order(code: str) -> tuple[int, ...]:
    """T2.2 before T2.10."""
    return tuple(int(part) if part.isdigit() else 0 for part in code.lstrip("T").split("."))


def target_group_choices() -> list[Choice]:
    names = [(target_group_name(code), code) for code in reference().target_group_labels]
    return [Choice(code, name) for name, code in sorted(names)]


def area_choices() -> list[tuple[str, list[Choice]]]:
    """Areas grouped by kind: health councils first (the question is usually "our council")."""
    ref = reference()
    grouped: dict[str, list[Choice]] = {scheme: [] for scheme in SCHEME_ORDER}
    for code in ref.area_schemes:
        grouped.setdefault(ref.scheme(code), []).append(Choice(code, area_name(code)))
    return [
        (str(vocabulary.SCHEMES.get(scheme, scheme)), sorted(choices, key=lambda c: c.label))
        for scheme, choices in grouped.items()
        if choices
    ]


def organisation_choices(kinds: Iterable[str] | None = None) -> list[tuple[str, list[Choice]]]:
    """Organisations grouped by kind, in the order of the kinds' names."""
    grouped: dict[str, list[Choice]] = {}
    wanted = set(kinds) if kinds is not None else None
    for organisation in reference().organisations.values():
        if wanted is None or organisation.kind in wanted:
            grouped.setdefault(organisation.kind, []).append(
                Choice(organisation.id, organisation.name)
            )
    order = list(vocabulary.KINDS)
    return [
        (str(vocabulary.KINDS.get(kind, kind)), sorted(choices, key=lambda c: c.label))
        for kind, choices in sorted(
            grouped.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
        )
    ]


def stage_choices() -> list[Choice]:
    return [Choice(stage.value, stage_name(stage.value)) for stage in Stage]


def name_filters() -> dict[str, Any]:
    """Code → name in the reader's language, as Jinja filters (``codes|map('theme_name')``)."""
    return {
        "theme_name": theme_name,
        "target_group_name": target_group_name,
        "area_name": area_name,
        "organisation_name": organisation_name,
        "stage_name": stage_name,
        "goal_name": goal_name,
        "counterpart_names": counterpart_names,
    }


def template_helpers() -> dict[str, Any]:
    """Functions and values every page template may use."""
    current = principal()
    return {
        "principal": current,
        "signed_in_as": organisation_name(current.organisation_id)
        if current.organisation_id
        else None,
        "csrf_token": csrf.token,
        "theme_name": theme_name,
        "target_group_name": target_group_name,
        "area_name": area_name,
        "organisation_name": organisation_name,
        "stage_name": stage_name,
        "goal_name": goal_name,
        "stage_colour": lambda stage: vocabulary.STAGE_COLOURS.get(stage, "#999999"),
        "vocabulary": vocabulary,
        **i18n.template_globals(),
    }


def partial_portfolio_note(organisation_ids: Iterable[str]) -> str | None:
    """ "Selected projects, not exhaustive" for counts over these organisations' projects
    (naming or counting the partial ones), or None when every one of them has declared its
    portfolio complete. Pages show it with the ``partial_note`` macro."""
    counted = set(organisation_ids)
    partial = projects.partial_portfolios(unit_of_work(), counted)
    note = labels.partial_portfolio_note(sorted(map(organisation_name, partial)), len(counted))
    return i18n.label(note) if note is not None else None


def project_ref(project: ProjectInfo) -> dict[str, Any]:
    """What a template's ``project_ref`` macro shows of a project of an analysis' slice."""
    return {
        "id": project.id,
        "title": project.title,
        "organisation": {
            "id": project.organisation_id,
            "name": organisation_name(project.organisation_id),
        },
        "stage": project.stage.value,
        "demo": project.record.card.demo,
    }
