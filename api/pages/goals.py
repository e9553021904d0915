"""Goal pictures on the pages: the follow-up a meeting reads, and the editor its owner uses.

A group's (or an organisation's) goal picture shows its 5–10 goals on one level, each with
its indicators' trend arrow, distance to target and to the best comparable area, the
change in variation between areas, the latest narrative judgement (never "failed"), and
the projects linked to it; goals without projects lead as the gaps against the plan. A
health council's group may hold its *nærsundhedsplan* as its goal picture (``kind``).

The editor and the assessment form post the API's document, validated with the core's
``GoalPictureSchema`` and saved by the same service, with the revision the form was
opened at (a later save by someone else is a 409, nothing written). Who may edit is the
service's rule: others get a 403 page.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from api.db import retried_transaction, unit_of_work
from api.pages import common, forms, i18n, site
from api.pages.goal_form import (
    editor_errors,
    error_messages,
    form_slots,
    parse_number,
    path_parts,
    picture_from_form,
)
from api.pages.goal_views import goal_view
from api.pages.i18n import gettext as _
from api.pages.meetings import in_language
from ecosystem import labels
from ecosystem.errors import (
    AuthenticationRequired,
    InvalidInput,
    PermissionDenied,
    StaleData,
)
from ecosystem.goal_pictures import (
    Direction,
    Fulfilment,
    GoalPictureSchema,
    MeasureType,
    PictureKind,
    TaskType,
    goal_warnings,
)
from ecosystem.query import ProjectQuery
from ecosystem.services import goals, projects
from ecosystem.services.permissions import signed_in

__all__ = ["bp", "group_summary"]

bp = Blueprint("goals", __name__)

# The page's path segment → the API's owner kind.
OWNERS = {"groups": "group", "organisations": "organisation"}
OWNER_PATH = "/<any(groups, organisations):owners>/<owner_id>/goals"


@bp.errorhandler(PermissionDenied)
def _refused(error: PermissionDenied) -> ResponseReturnValue:
    return site.error_page(403, in_language(str(error)))


# --- the goal picture and its follow-up -------------------------------------------------------


@bp.get(OWNER_PATH)
def picture(owners: str, owner_id: str) -> ResponseReturnValue:
    return render_picture(owners, owner_id)


def render_picture(owners: str, owner_id: str, *, failed: dict[str, Any] | None = None) -> str:
    """The picture page; ``failed`` is an assessment form to show again with its errors."""
    kind = OWNERS[owners]
    uow, who = unit_of_work(), common.principal()
    name = goals.owner_name(uow, kind, owner_id)
    found = goals.find_follow_up(uow, who, kind, owner_id)
    context: dict[str, Any] = {
        "owners": owners,
        "owner_id": owner_id,
        "owner_name": name,
        "is_demo": goals.owner_is_demo(uow, kind, owner_id),
        "editable": _may_edit(kind, owner_id),
        "failed": failed or {},
        "fulfilments": _fulfilment_choices(),
    }
    if found is None:
        return render_template("pages/goal_picture.html", found=None, **context)
    document = found.picture.document
    linked = _projects({p for status in found.goals for p in status.projects})
    shown = [goal_view(status, found.card_codes, linked) for status in found.goals]
    return render_template(
        "pages/goal_picture.html",
        found=found,
        kind_label=_kind_label(document),
        text=[part for part in re.split(r"\n\s*\n", document["text"]) if part.strip()],
        period=document["period"],
        revision=found.picture,
        saved_by=_actor(found.picture.actor),
        warnings=[i18n.bi(w["message"], w["message_en"]) for w in found.warnings],
        goals=shown,
        without_projects=[goal for goal in shown if goal["without_projects"]],
        uncovered_heading=i18n.label(labels.GAP_KINDS["goal_uncovered"]),
        **context,
    )


def group_summary(group_id: str) -> dict[str, Any]:
    """What the group page shows of the group's goal picture: its name and its gaps."""
    found = goals.find_follow_up(unit_of_work(), common.principal(), "group", group_id)
    if found is None:
        return {
            "exists": False,
            "url": url_for("pages.goals.picture", owners="groups", owner_id=group_id),
        }
    return {
        "exists": True,
        "url": url_for("pages.goals.picture", owners="groups", owner_id=group_id),
        "kind_label": _kind_label(found.picture.document),
        "period": found.picture.document["period"],
        "count": len(found.goals),
        "without_projects": [
            {"code": s.code, "title": s.title} for s in found.goals if s.without_projects
        ],
    }


def _actor(actor: str) -> str:
    """Who saved a revision, by name ("org:kommune-aarhus" → "Aarhus Kommune")."""
    if actor.startswith("org:"):
        return common.organisation_name(actor[4:])
    return _("an administrator") if actor == "admin" else actor


def _kind_label(document: Mapping[str, Any]) -> str:
    kind = document.get("kind", PictureKind.GOAL_PICTURE.value)
    return i18n.label(labels.name_of(labels.PICTURE_KINDS, kind))


def _may_edit(kind: str, owner_id: str) -> bool:
    """Whether to offer the editor: the service's rule, asked without raising."""
    try:
        goals.may_edit_goals(unit_of_work(), common.principal(), kind, owner_id)
    except (AuthenticationRequired, PermissionDenied):
        return False
    return True


def _projects(ids: set[int]) -> dict[int, dict[str, Any]]:
    """The linked projects the reader may see, by id, as the pages name them."""
    if not ids:
        return {}
    found = projects.list_projects(
        unit_of_work(), common.principal(), ProjectQuery(ids=tuple(sorted(ids))), per_page=None
    )
    return {
        record.id: {
            "id": record.id,
            "title": record.card.title,
            "organisation": {
                "id": record.organisation_id,
                "name": common.organisation_name(record.organisation_id),
            },
            "stage": record.card.stage.value,
            "demo": record.card.demo,
        }
        for record in found.items
    }


def _fulfilment_choices() -> list[tuple[str, str]]:
    return [(f.value, i18n.label(labels.FULFILMENT[f])) for f in Fulfilment]


# --- recording an assessment of one goal ------------------------------------------------------


@bp.post(OWNER_PATH + "/assessments")
def assess(owners: str, owner_id: str) -> ResponseReturnValue:
    """Record a period's judgement of one goal, and its indicators' values for the period."""
    kind = OWNERS[owners]
    current = _editable_picture(kind, owner_id)
    code = request.form.get("goal", "").strip()
    failed = {"goal": code, "sent": request.form}
    stale = _stale(current)
    if current is None or stale:
        return render_picture(owners, owner_id, failed={**failed, "errors": _stale_errors()}), 409
    document = copy.deepcopy(dict(current.document))
    index = next((i for i, g in enumerate(document["goals"]) if g["code"] == code), None)
    if index is None:
        return site.error_page(404)
    _record_assessment(document["goals"][index], request.form)
    try:
        loaded = GoalPictureSchema().load(document)
        _save(kind, owner_id, loaded, current.revision)
    except (ValidationError, InvalidInput) as error:
        errors = _assessment_errors(error, index)
        return render_picture(owners, owner_id, failed={**failed, "errors": errors}), 422
    except StaleData:
        return render_picture(owners, owner_id, failed={**failed, "errors": _stale_errors()}), 409
    flash(_("The assessment is saved."))
    anchor = "goal-" + re.sub(r"[^A-Za-z0-9_-]", "-", code)
    return redirect(url_for(".picture", owners=owners, owner_id=owner_id, _anchor=anchor), code=303)


def _record_assessment(goal: dict[str, Any], form: MultiDict[str, str]) -> None:
    """The goal with this period's judgement (replacing one of the same period) and values."""
    period = form.get("period", "").strip()
    assessment: dict[str, Any] = {
        key: written
        for key in ("period", "fulfilment", "narrative", "real_change")
        if (written := form.get(key, "").strip())
    }
    kept = [a for a in goal.get("assessments", ()) if not period or a["period"] != period]
    goal["assessments"] = [*kept, assessment]
    for j, indicator in enumerate(goal.get("indicators", ())):
        raw = form.get(f"indicator.{j}.value", "").strip()
        if not raw:
            continue
        value: dict[str, Any] = {"value": parse_number(raw)}
        if period:
            value["period"] = period
        others = [v for v in indicator.get("values", ()) if not period or v["period"] != period]
        indicator["values"] = [*others, value]


def _assessment_errors(error: ValidationError | InvalidInput, index: int) -> forms.FormErrors:
    """The schema's places in the picture → the assessment form's fields."""
    found: forms.FormErrors = {}
    for path, message in error_messages(error):
        field = forms.FORM_LEVEL
        parts = path_parts(path)
        if parts[:2] == ["goals", str(index)]:
            rest = parts[2:]
            if rest[:1] == ["assessments"] and len(rest) == 3:
                field = rest[2]
            elif rest[:1] == ["indicators"] and len(rest) == 5:
                field = "period" if rest[4] == "period" else f"indicator.{rest[1]}.value"
        if message not in found.setdefault(field, []):
            found[field].append(message)
    return found


# --- the editor ----------------------------------------------------------------------------------


@bp.get(OWNER_PATH + "/edit")
def edit(owners: str, owner_id: str) -> ResponseReturnValue:
    kind = OWNERS[owners]
    current = _editable_picture(kind, owner_id)
    document = dict(current.document) if current else _blank()
    revision = current.revision if current else 0
    return _editor(owners, owner_id, form_slots(document), revision=revision, errors={})


@bp.post(OWNER_PATH + "/edit")
def save(owners: str, owner_id: str) -> ResponseReturnValue:
    """Validate the whole picture and save it as a new revision; errors beside their fields."""
    kind = OWNERS[owners]
    current = _editable_picture(kind, owner_id)
    base = dict(current.document) if current else _blank()
    revision = current.revision if current else 0
    if _stale(current):
        return _editor(
            owners, owner_id, form_slots(base), revision=revision, errors=_stale_errors()
        ), 409
    document, places = picture_from_form(request.form, base)
    try:
        loaded = GoalPictureSchema().load(document)
        saved = _save(kind, owner_id, loaded, revision)
    except (ValidationError, InvalidInput) as error:
        errors = editor_errors(error, places)
        slots = form_slots(base, sent=request.form)
        return _editor(owners, owner_id, slots, revision=revision, errors=errors), 422
    except StaleData:
        fresh = _editable_picture(kind, owner_id)
        again = dict(fresh.document) if fresh else _blank()
        return _editor(
            owners,
            owner_id,
            form_slots(again),
            revision=fresh.revision if fresh else 0,
            errors=_stale_errors(),
        ), 409
    changed = saved.revision != revision
    flash(_("The goal picture is saved.") if changed else _("Nothing was changed."))
    for warning in goal_warnings(saved.document):
        flash(i18n.bi(warning["message"], warning["message_en"]))
    return redirect(url_for(".picture", owners=owners, owner_id=owner_id), code=303)


def _editable_picture(kind: str, owner_id: str) -> goals.GoalPictureRecord | None:
    """The owner's current picture (None: none yet), if the reader may edit it (else raise)."""
    uow = unit_of_work()
    goals.may_edit_goals(uow, signed_in(common.principal()), kind, owner_id)
    return goals.current_or_none(uow, kind, owner_id)


def _stale(current: goals.GoalPictureRecord | None) -> bool:
    """Whether the form was opened at another revision than the current one."""
    sent = request.form.get("revision", "").strip()
    return sent != str(current.revision if current else 0)


def _stale_errors() -> forms.FormErrors:
    message = _(
        "Someone saved the goal picture after you opened it, so your changes were not saved. "
        "The form now shows the picture as it is; make your changes again."
    )
    return {forms.FORM_LEVEL: [message]}


def _save(
    kind: str, owner_id: str, document: dict[str, Any], revision: int
) -> goals.GoalPictureRecord:
    who = common.principal()
    saved = retried_transaction(
        lambda uow: goals.put_goal_picture(
            uow, who, kind, owner_id, document, expected_revision=revision
        )
    )
    return saved.picture


def _blank() -> dict[str, Any]:
    return {"text": "", "period": {}, "goals": []}


# Form fields of one goal and of one indicator, as the document names them.
def _editor(
    owners: str, owner_id: str, slots: dict[str, Any], *, revision: int, errors: forms.FormErrors
) -> str:
    return render_template(
        "pages/goal_picture_edit.html",
        owners=owners,
        owner_id=owner_id,
        owner_name=goals.owner_name(unit_of_work(), OWNERS[owners], owner_id),
        is_demo=goals.owner_is_demo(unit_of_work(), OWNERS[owners], owner_id),
        slots=slots,
        revision=revision,
        errors=errors,
        names=_names(slots),
        kinds=[(k.value, i18n.label(labels.PICTURE_KINDS[k])) for k in PictureKind],
        task_types=[(t.value, i18n.label(labels.GOAL_TASK_TYPES[t])) for t in TaskType],
        measure_types=[(m.value, i18n.label(labels.GOAL_MEASURE_TYPES[m])) for m in MeasureType],
        directions=[(d.value, i18n.label(labels.GOAL_DIRECTIONS[d])) for d in Direction],
    )


def _names(slots: Mapping[str, Any]) -> dict[str, str]:
    """Every field's name for the error summary ("Mål 2: Titel")."""
    names = {
        "kind": _("Kind"),
        "text": _("The strategic goal picture"),
        "period.from": _("From year"),
        "period.to": _("To year"),
        "goals": _("Goals"),
    }
    goal_fields = {
        "code": _("Code"),
        "title": _("Title"),
        "description": _("Description"),
        "task_type": _("Kind of task"),
        "measure_type": _("Measured"),
    }
    indicator_fields = {
        "name": _("Indicator"),
        "unit": _("Unit"),
        "direction": _("Desired direction"),
        "baseline.period": _("Baseline: period"),
        "baseline.value": _("Baseline: value"),
        "target.period": _("Target: period"),
        "target.value": _("Target: value"),
    }
    for number, goal in enumerate([*slots["goals"], slots["new_goal"]], 1):
        which = _("Goal %(number)s", number=number)
        for key, text in goal_fields.items():
            names[f"{goal['prefix']}.{key}"] = f"{which}: {text}"
        for inner, indicator in enumerate([*goal["indicators"], goal["new_indicator"]], 1):
            for key, text in indicator_fields.items():
                names[f"{indicator['prefix']}.{key}"] = (
                    f"{which}, " + _("indicator %(number)s", number=inner) + f": {text}"
                )
    return names
