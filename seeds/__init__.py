"""The data the service starts with, and the functions that load it.

Reference data (areas, organisations, taxonomy, goals) comes from public sources listed
in ``data/SOURCES.md``. The demo portfolio under ``data/demo`` is fictional and every
project in it carries ``"demo": true``.

Loading is idempotent and never overwrites: a record that already exists is left as it
is (an admin may have changed it), and a demo project is never written over a project
an organisation published itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from marshmallow import Schema

from ecosystem.portfolio import ProjectSchema
from ecosystem.reference_schemas import (
    AreaSchema,
    GoalSchema,
    GoalSetSchema,
    OrganisationSchema,
    TargetGroupSchema,
    ThemeSchema,
)
from ecosystem.services import embeddings, reference, seeding
from ecosystem.services.permissions import Operator
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store.tables import recorded_at

__all__ = [
    "SeedReport",
    "answer_key",
    "data_file",
    "demo_portfolios",
    "load_demo",
    "load_reference",
    "read_json",
]

# The loader may add what an admin may; the history names its changes "seed".
SEEDER = Operator(name="seed")


@dataclass
class SeedReport:
    """How many records each load added (existing ones are skipped, never changed)."""

    added: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, added: bool) -> None:
        target = self.added if added else self.skipped
        target[kind] = target.get(kind, 0) + 1


def data_file(name: str) -> Traversable:
    return files("seeds") / "data" / name


def read_json(name: str) -> Any:
    return json.loads(data_file(name).read_text(encoding="utf-8"))


def load_reference(uow: UnitOfWork) -> SeedReport:
    """Add the areas, organisations, taxonomy and goal sets that are not there yet."""
    report = SeedReport()
    areas = read_json("areas.json")
    # Parents are linked in a second pass so an area may name a parent listed after it.
    _add_all(uow, "area", AreaSchema(), [{**a, "parents": []} for a in areas], report)
    _link_area_parents(uow, areas)
    organisations = sorted(
        read_json("organisations.json"), key=lambda o: o.get("parent") is not None
    )
    _add_all(uow, "organisation", OrganisationSchema(), map(_organisation, organisations), report)
    themes = sorted(read_json("themes.json"), key=lambda t: t.get("parent") is not None)
    _add_all(uow, "theme", ThemeSchema(), map(_theme, themes), report)
    _add_all(uow, "target_group", TargetGroupSchema(), read_json("target_groups.json"), report)
    for goal_set in read_json("goal_sets.json"):
        goals = goal_set.pop("goals", [])
        _add_all(uow, "goal_set", GoalSetSchema(), [goal_set], report)
        _add_all(
            uow, "goal", GoalSchema(), [{**g, "goal_set_id": goal_set["id"]} for g in goals], report
        )
    return report


def _add_all(
    uow: UnitOfWork, entity: str, schema: Schema, records: Iterable[Any], report: SeedReport
) -> None:
    values = (schema.load(record) for record in records)
    for is_new in seeding.add_missing(uow, SEEDER, entity, values):
        report.count(entity, is_new)


def _link_area_parents(uow: UnitOfWork, areas: list[dict[str, Any]]) -> None:
    for area in areas:
        current = reference.get(uow, "area", area["code"])
        if not current["parents"] and area.get("parents"):
            reference.update(uow, SEEDER, "area", area["code"], {"parents": area["parents"]})


def _organisation(record: dict[str, Any]) -> dict[str, Any]:
    renamed = {**record, "parent_id": record.get("parent")}
    renamed.pop("parent", None)
    return renamed


def _theme(record: dict[str, Any]) -> dict[str, Any]:
    renamed = {**record, "parent_code": record.get("parent")}
    renamed.pop("parent", None)
    return renamed


def demo_portfolios() -> dict[str, list[dict[str, Any]]]:
    """All demo projects by organisation, merged from the parts under ``data/demo``."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for part in _demo_parts("portfolios.json"):
        for organisation, items in part["portfolios"].items():
            merged.setdefault(organisation, []).extend(items)
    return merged


def answer_key() -> dict[str, list[Any]]:
    """The planted overlaps, gaps, scaling candidates and groups, merged across parts."""
    merged: dict[str, list[Any]] = {}
    for part in _demo_parts("answer_key.json"):
        for kind, entries in part.items():
            merged.setdefault(kind, []).extend(entries)
    return merged


def _demo_parts(name: str) -> Iterator[Any]:
    demo = data_file("demo")
    for part in sorted(demo.iterdir(), key=lambda p: p.name):
        candidate = part / name
        if part.is_dir() and candidate.is_file():
            yield json.loads(candidate.read_text(encoding="utf-8"))


def load_demo(
    uow: UnitOfWork, progress: Callable[[str], None] = lambda _organisation: None
) -> SeedReport:
    """Publish the demo groups, their goal pictures and the fictional demo portfolio.

    The groups and goal pictures come first: demo cards link to the groups' goals, which
    must be registered before a card may name them (``seeds/goals.py``). Demo projects
    are published one organisation at a time without withdrawing anything, and a demo
    project whose external id an organisation already uses for its own project is
    skipped. Their history starts at the demo story's ``published_at``, in the past.
    """
    from seeds.goals import known_goals_only, load_demo_goals
    from seeds.groups import load_demo_groups
    from seeds.reviews import published_at

    report = SeedReport()
    report.added["group"] = load_demo_groups(uow)
    report.added["goal_picture"] = load_demo_goals(uow)
    schema = ProjectSchema()
    for organisation, items in sorted(demo_portfolios().items()):
        progress(organisation)
        cards = known_goals_only(uow, [schema.load(item) for item in items])
        # Stamped with the demo story's moment, before its first review (seeds/reviews.py).
        with recorded_at(published_at()):
            result = seeding.publish_demo(uow, SEEDER, organisation, cards)
        report.added["project"] = report.added.get("project", 0) + len(result.created)
        report.skipped["project"] = (
            report.skipped.get("project", 0) + len(items) - len(result.created)
        )
    _store_demo_vectors(uow)
    return report


def _store_demo_vectors(uow: UnitOfWork) -> None:
    """The shipped vectors of the demo texts, so no model run is needed for them."""
    from seeds import vectors

    if uow.embedder is not None:
        embeddings.store_known(uow, vectors.load(uow.embedder.model_id))
