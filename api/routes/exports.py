"""HTTP routes for exports (filled in by its issue)."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("exports", __name__, url_prefix="/api/v1", description="exports")
