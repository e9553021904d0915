"""HTTP routes for imports (filled in by its issue)."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("imports", __name__, url_prefix="/api/v1", description="imports")
