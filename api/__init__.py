"""The HTTP layer: a thin Flask app over the domain core."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from api import config, db, errors, limits, pages, parsing, security, throttle
from api.openapi import create_api
from api.routes import (
    analyses,
    decisions,
    deliberately_not,
    docs,
    exports,
    goal_pictures,
    graph,
    groups,
    health,
    imports,
    matches,
    overlaps,
    portfolio,
    projects,
    quality,
    reference,
    reviews,
    suggestions,
    tokens,
)

__all__ = ["create_app"]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then ``test_config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_mapping(config.from_environment())
    app.config.from_prefixed_env("ECOSYSTEM")
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config.setdefault("DATABASE_URL", _default_database(app))
    parsing.init_app(app)  # first: routes bind their converters when added
    db.init_app(app)
    limits.init_app(app)
    security.init_app(app)
    throttle.init_app(app)
    errors.init_app(app)
    api = create_api(app)
    for blueprint in (
        health.blp,
        reference.blp,
        projects.blp,
        portfolio.blp,
        tokens.blp,
        overlaps.blp,
        groups.blp,
        analyses.blp,
        imports.blp,
        exports.blp,
        reviews.blp,
        decisions.blp,
        goal_pictures.blp,
        deliberately_not.blp,
        quality.blp,
        graph.blp,
        suggestions.blp,
        matches.blp,
    ):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
    pages.init_app(app)
    app.extensions["ecosystem.api"] = api
    errors.init_app(app)  # again: flask-smorest registers its own JSON handler in Api()
    return app


def _default_database(app: Flask) -> str:
    """The embedded SQLite database under ``instance/``."""
    os.makedirs(app.instance_path, exist_ok=True)
    return "sqlite:///" + os.path.join(app.instance_path, "ecosystem.db")
