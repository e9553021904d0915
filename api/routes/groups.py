"""HTTP routes for groups (filled in by its issue)."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("groups", __name__, url_prefix="/api/v1", description="groups")
