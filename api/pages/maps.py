"""The map (``/kort``): projects per municipality for a theme or target group, a mandate outlined.

Counts come from :mod:`ecosystem.services.maps` with the reader's visibility, so a
project the reader may not see is never counted; each municipality links to the project
listing with the same filters, which shows the same number.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue

from api.db import unit_of_work
from api.pages import charts, common, forms, vocabulary
from api.pages.charts.denmark_map import shapes
from api.pages.i18n import gettext as _
from api.pages.i18n import ngettext
from ecosystem.errors import NotFound
from ecosystem.query import ProjectQuery
from ecosystem.services import groups, maps

__all__ = ["bp", "draw"]

bp = Blueprint("maps", __name__)

FILTERS = ("theme", "target_group", "council", "group")
OUTLINE_SCHEMES = ("health_council", "region")


@bp.get("/kort")
def coverage_map() -> ResponseReturnValue:
    """Projects per municipality, filtered on a theme and a target group; a council outlined."""
    chosen = {name: request.args.get(name, "").strip() for name in FILTERS}
    errors = _unknown_codes(chosen)
    outline_name, outlined = "", frozenset[str]()
    if not errors:
        try:
            outline_name, outlined = _outline(chosen)
        except NotFound:
            errors["group"] = [_("There is no thematic group with this id.")]
    if errors:
        return _page(chosen, errors=errors), 400
    query = ProjectQuery(
        themes=(chosen["theme"],) if chosen["theme"] else (),
        target_groups=(chosen["target_group"],) if chosen["target_group"] else (),
    )
    found = maps.municipality_counts(unit_of_work(), common.principal(), query)
    listing: dict[str, Any] = {k: chosen[k] for k in ("theme", "target_group") if chosen[k]}
    drawing = draw(
        found.counts,
        lambda code: url_for("pages.projects.search", area=code, **listing),
        _about(chosen),
        outline_name=outline_name,
        outlined=outlined,
    )
    return _page(
        chosen,
        drawing=drawing,
        total=found.total,
        # The counts span every organisation, as the project list's do.
        partial=common.partial_portfolio_note(common.reference().organisations),
        outline_name=outline_name,
        all_url=url_for("pages.projects.search", **listing),
    )


def _unknown_codes(chosen: dict[str, str]) -> forms.FormErrors:
    """Each filter must name something in the reference data (or be left empty)."""
    ref = common.reference()
    errors: forms.FormErrors = {}
    if chosen["theme"] and chosen["theme"] not in ref.theme_labels:
        errors["theme"] = [_("Unknown theme.")]
    if chosen["target_group"] and chosen["target_group"] not in ref.target_group_labels:
        errors["target_group"] = [_("Unknown target group.")]
    if chosen["council"] and ref.scheme(chosen["council"]) not in OUTLINE_SCHEMES:
        errors["council"] = [_("Choose a health council or a region.")]
    if chosen["council"] and chosen["group"]:
        errors["group"] = [_("Outline either a health council or a thematic group, not both.")]
    return errors


def _outline(chosen: dict[str, str]) -> tuple[str, frozenset[str]]:
    """The name of what is outlined and its municipalities (nothing chosen: nothing)."""
    uow = unit_of_work()
    if chosen["council"]:
        return common.area_name(chosen["council"]), maps.outline(uow, chosen["council"])
    if chosen["group"]:
        return maps.group_outline(uow, chosen["group"])
    return "", frozenset()


def draw(
    counts: Mapping[str, int],
    link: Callable[[str], str],
    about: str,
    *,
    outline_name: str = "",
    outlined: Collection[str] = (),
    only: Collection[str] = (),
    chart_id: str = "denmark-map",
) -> charts.MapDrawing:
    """The municipality map in the reader's language: ``counts`` per municipality, each a
    link to ``link(code)``; ``about`` says what is counted. ``only``: just that part of
    the country, enlarged (its legend is then the page's text legend alone)."""
    return charts.denmark_map(
        counts,
        link,
        _words(about, outline_name, part=bool(only)),
        names=_names(),
        outlined=outlined,
        only=only,
        chart_id=chart_id,
    )


def _about(chosen: Mapping[str, str]) -> str:
    """What the map counts, in words: the theme and target group chosen, or everything."""
    what = [
        common.theme_name(chosen["theme"]) if chosen.get("theme") else "",
        common.target_group_name(chosen["target_group"]) if chosen.get("target_group") else "",
    ]
    return " · ".join(w for w in what if w) or _("all themes and target groups")


def _names() -> dict[str, str]:
    """The municipalities' names in the reader's language, where the gazetteer has them."""
    known = common.reference().area_names
    return {code: common.area_name(code) for code in shapes().paths if code in known}


def _words(about: str, outline_name: str, *, part: bool = False) -> charts.MapWords:
    description = (
        _(
            "A map of the municipalities counted, each shaded by the number of projects tagged with it."
        )
        if part
        else _(
            "A map of Denmark's 98 municipalities, each shaded by the number of projects "
            "tagged with it; Bornholm is drawn in the box at the top right."
        )
    )
    return charts.MapWords(
        title=_("Projects per municipality: %(about)s", about=about),
        description=description,
        legend=_("Number of projects"),
        outlined=outline_name,
        municipality=_("Municipality"),
        count=_("Projects"),
        in_outline=_("In %(name)s", name=outline_name) if outline_name else "",
        yes=_("yes"),
        caption=_("Projects per municipality: %(about)s", about=about),
        count_text=lambda name, count: ngettext(
            "%(name)s: %(num)d project", "%(name)s: %(num)d projects", count, name=name
        ),
    )


def _page(
    chosen: dict[str, str],
    *,
    drawing: charts.MapDrawing | None = None,
    errors: forms.FormErrors | None = None,
    **extra: Any,
) -> str:
    return render_template(
        "pages/map.html",
        chosen=chosen,
        drawing=drawing,
        errors=errors or {},
        themes=common.theme_choices(),
        target_groups=common.target_group_choices(),
        councils=_council_choices(),
        groups=[common.Choice(g.id, g.name) for g in groups.list_groups(unit_of_work())],
        source=shapes().source,
        **extra,
    )


def _council_choices() -> list[tuple[str, list[common.Choice]]]:
    """Health councils, then regions: the areas whose municipalities can be outlined."""
    ref = common.reference()
    return [
        (
            str(vocabulary.SCHEMES.get(scheme, scheme)),
            sorted(
                (
                    common.Choice(code, common.area_name(code))
                    for code in ref.area_schemes
                    if ref.scheme(code) == scheme
                ),
                key=lambda choice: choice.label,
            ),
        )
        for scheme in OUTLINE_SCHEMES
    ]
