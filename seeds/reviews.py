"""Two past reviews of a demo group, so a newcomer sees the whole cycle at once.

``data/demo/reviews.json`` tells a short fictional story in steps: a spring review with
its decisions and the owners' answers, a republish of two cards, an autumn review whose
"since last review" names those changes. Each write is stamped with the story's own
moment (:func:`ecosystem.store.tables.recorded_at`), after the demo portfolio was
published (``published_at``), so every review reads a history consistent with its date.

Loading is idempotent: a group that already has reviews gets none, and neither does a
database whose demo projects were published after the first review's moment (seeded
before the story existed): their history could not be read as of those dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ecosystem.errors import NotFound
from ecosystem.model import ProjectRecord
from ecosystem.portfolio import ProjectSchema
from ecosystem.reviews import DecisionKind, ResponseKind
from ecosystem.services import decisions, projects, reviews, seeding
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store.tables import recorded_at

__all__ = ["load_demo_reviews", "published_at", "story"]


def story() -> dict[str, Any]:
    import seeds

    document: dict[str, Any] = seeds.read_json("demo/reviews.json")
    return document


def published_at() -> dt.datetime:
    """The moment the demo portfolio is published at: before the story's first review."""
    return _moment(story()["published_at"])


def load_demo_reviews(uow: UnitOfWork) -> int:
    """Record the story's reviews, decisions, answers and republish; how many reviews.

    Commits what ``uow`` holds first and then each step: opening a review asks the
    overlap engine, which reads only committed data, so the demo portfolio and the
    republish must be committed before the review that should see them.
    """
    told = story()
    group_id, steps = told["group"], told["steps"]
    if not _may_tell(uow, group_id, steps):
        return 0
    uow.commit()
    added = 0
    for step in steps:
        if "review" in step:
            _review(uow, group_id, step["review"])
            added += 1
        else:
            _republish(uow, step["republish"])
        uow.commit()
    return added


def _may_tell(uow: UnitOfWork, group_id: str, steps: list[dict[str, Any]]) -> bool:
    try:
        if reviews.list_reviews(uow, group_id):
            return False
        first = min(_moment(s["review"]["opened_at"]) for s in steps if "review" in s)
        named = {ref for step in steps for ref in _references(step)}
        found = [_record(uow, ref) for ref in named]
    except NotFound:  # the group or a project of the story is not there
        return False
    # Only over the demo's own projects, as published before the story's first review.
    return all(r.card.demo and r.created_at <= first for r in found)


def _review(uow: UnitOfWork, group_id: str, told: dict[str, Any]) -> None:
    from seeds import SEEDER

    with recorded_at(_moment(told["opened_at"])):
        review = reviews.open_review(
            uow,
            SEEDER,
            group_id,
            meeting_date=dt.date.fromisoformat(told["meeting_date"]),
            participants=told["participants"],
            title=told["title"],
        )
    for decision in told["decisions"]:
        with recorded_at(_moment(decision["at"])):
            recorded = decisions.record_decision(
                uow,
                SEEDER,
                review.id,
                finding=_finding(uow, decision["finding"]),
                kind=DecisionKind(decision["kind"]),
                counterparts=decision.get("counterparts", []),
                rationale=decision["rationale"],
            )
        for answer in decision.get("responses", []):
            with recorded_at(_moment(answer["at"])):
                decisions.respond(
                    uow,
                    SEEDER,
                    recorded.id,
                    response=ResponseKind(answer["response"]),
                    comment=answer["comment"],
                    organisation=answer["organisation"],
                )


def _republish(uow: UnitOfWork, told: dict[str, Any]) -> None:
    """Publish changed demo cards, as their organisations would between two meetings."""
    from seeds import SEEDER, demo_portfolios

    portfolios, schema = demo_portfolios(), ProjectSchema()
    with recorded_at(_moment(told["at"])):
        for change in told["cards"]:
            organisation, external_id = change["project"].split(":", 1)
            card = next(c for c in portfolios[organisation] if c["external_id"] == external_id)
            changed = schema.load({**card, **change["changes"]})
            seeding.publish_demo(uow, SEEDER, organisation, [changed])


def _finding(uow: UnitOfWork, told: dict[str, Any]) -> dict[str, Any]:
    """The finding with its projects' ids in place of their organisation:external ids."""
    if "projects" not in told:
        return dict(told)
    return {**told, "projects": [_record(uow, ref).id for ref in told["projects"]]}


def _references(step: dict[str, Any]) -> list[str]:
    if "republish" in step:
        return [change["project"] for change in step["republish"]["cards"]]
    return [ref for d in step["review"]["decisions"] for ref in d["finding"].get("projects", [])]


def _record(uow: UnitOfWork, reference: str) -> ProjectRecord:
    from seeds import SEEDER

    organisation, external_id = reference.split(":", 1)
    return projects.find_project(uow, SEEDER, organisation, external_id).project


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
