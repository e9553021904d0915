"""The layering rules, checked rather than only written down (docs/architecture.md)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "ecosystem"
API = ROOT / "api"

# Only these may talk to the database library directly.
DATABASE_HOMES = ("ecosystem/store/", "ecosystem/services/unit_of_work.py")
DATABASE_LIBRARIES = ("sqlalchemy", "psycopg", "alembic")


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _modules(folder: Path, *, skip: tuple[str, ...] = ()) -> list[Path]:
    return [
        path
        for path in sorted(folder.rglob("*.py"))
        if not any(path.relative_to(ROOT).as_posix().startswith(s) for s in skip)
    ]


def _imported_roots(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imports(path)}


@pytest.mark.parametrize(
    "path",
    _modules(CORE, skip=(*DATABASE_HOMES, "ecosystem/migrations/")),
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_only_the_store_and_the_unit_of_work_import_the_database_library(path):
    assert not _imported_roots(path) & set(DATABASE_LIBRARIES)


@pytest.mark.parametrize("path", _modules(CORE), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_core_imports_neither_flask_nor_the_http_layer(path):
    assert not _imported_roots(path) & {"flask", "flask_smorest", "werkzeug", "api"}


@pytest.mark.parametrize(
    "path",
    _modules(API / "pages") + _modules(API / "commands") + [API / "cli.py"],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_pages_and_commands_call_services_never_routes_or_the_store(path):
    imported = set(_imports(path))
    assert not {n for n in imported if n.startswith(("api.routes", "ecosystem.store"))}


@pytest.mark.parametrize(
    "path",
    [p for p in _modules(API) if p.name != "db.py"],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_the_http_layer_reaches_the_store_only_through_services(path):
    assert not {n for n in _imports(path) if n.startswith("ecosystem.store")}
