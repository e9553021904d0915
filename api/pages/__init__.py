"""Server-rendered pages for the people who coordinate: Danish first, no JavaScript needed.

One parent blueprint (``pages``, in :mod:`api.pages.site`) carries what every page
shares: CSRF checks on posts, security headers, errors as pages. The pages themselves
are split by concern into child blueprints, nested once at import (a blueprint cannot
change after its first registration, and tests create many apps):

* ``check``: the front door, "Før du starter – tjek overlap" (``/``)
* ``projects``, ``edit``: finding projects, one project's page, editing its card
* ``maps``: the municipalities on a map, projects per municipality (``/kort``)
* ``organisations``: an organisation's portfolio, balance and overlaps
* ``graph``: the ecosystem graph of an organisation or a group's slice
* ``groups``: a thematic group's overview with its charts (``charts`` draws the SVG);
  ``group_export`` its meeting workbook
* ``goals``: a group's or an organisation's goal picture (or nærsundhedsplan) with its
  follow-up, the editor and the assessment form
* ``reviews``, ``meetings``: a group's reviews and printable pack; preparing the meeting,
  recording decisions and the owners' answers
* ``deliberately_not``: the "fravalgt" forms of an organisation's and a group's page
  (the section itself is built by ``register``)
* ``matches``: the signed-in organisation's inbox of matches (matchmaking with consent),
  its answers, and its consent form
* ``auth``, ``language``: sign-in with an organisation's token, the language switch
"""

from __future__ import annotations

from flask import Flask, request

from api import config
from api.pages import (
    auth,
    check,
    common,
    deliberately_not,
    edit,
    goals,
    graph,
    group_export,
    groups,
    i18n,
    imports,
    maps,
    matches,
    meetings,
    organisations,
    projects,
    reviews,
    site,
)

__all__ = ["init_app"]

for _child in (
    check.bp,
    projects.bp,
    maps.bp,
    edit.bp,
    organisations.bp,
    groups.bp,
    group_export.bp,
    graph.bp,
    reviews.bp,
    meetings.bp,
    deliberately_not.bp,
    goals.bp,
    matches.bp,
    imports.bp,
    auth.bp,
    i18n.bp,
):
    site.bp.register_blueprint(_child)


def init_app(app: Flask) -> None:
    """Register the pages, i18n and sessions on the app."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.instance_secret_key(app.instance_path)
    i18n.init_app(app)
    app.jinja_env.filters.update(common.name_filters())
    app.register_blueprint(site.bp)
    for status in (404, 405):
        app.register_error_handler(status, site.not_found_outside_the_pages)
    app.context_processor(_template_context)


def _template_context() -> dict[str, object]:
    # Only page templates use these; the API's own page (api_docs.html) has no session.
    if request.blueprint is None or not request.blueprint.startswith("pages"):
        return {}
    return common.template_helpers()
