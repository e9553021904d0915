"""A human-readable API reference rendered on the server from the OpenAPI document (no CDN)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")

_METHODS = ("get", "post", "put", "patch", "delete")


@bp.get("/docs")
def api_reference() -> str:
    spec: dict[str, Any] = current_app.extensions["ecosystem.api"].spec.to_dict()
    return render_template(
        "api_docs.html",
        spec=spec,
        operations=_operations_by_tag(spec),
        schemas=spec.get("components", {}).get("schemas", {}),
    )


def _operations_by_tag(spec: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            if method in item:
                operation = item[method]
                tag = (operation.get("tags") or ["other"])[0]
                grouped[tag].append({"method": method.upper(), "path": path, **operation})
    return dict(grouped)
