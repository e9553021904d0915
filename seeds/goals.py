"""The demo group's goal picture: a fictional nærsundhedsplan, followed up over three periods.

``data/demo/goal_pictures.json`` holds each picture as the API takes it. It is validated
with ``GoalPictureSchema`` and saved through the goals service, as the pages and the API
do, in two revisions: the plan as adopted, before the demo portfolio is published (its
goals must be registered before the demo cards link to them), and the same plan with
its values, comparable areas and judgements at the moment of its latest follow-up.

Loading is idempotent: an owner that already has a goal picture gets none, and neither
does a group that is not there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import Any

from ecosystem.errors import NotFound
from ecosystem.goal_pictures import GoalPictureSchema
from ecosystem.services import goals, reference
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.store.tables import recorded_at

__all__ = ["demo_pictures", "known_goals_only", "load_demo_goals"]

# What the first revision leaves out: what was only known at the follow-up.
_FOLLOWED_UP = ("values", "areas")


def demo_pictures() -> list[dict[str, Any]]:
    import seeds

    pictures: list[dict[str, Any]] = seeds.read_json("demo/goal_pictures.json")["pictures"]
    return pictures


def load_demo_goals(uow: UnitOfWork) -> int:
    """Save each demo picture whose owner has none yet; how many pictures were added."""
    from seeds import SEEDER

    schema, added = GoalPictureSchema(), 0
    for told in demo_pictures():
        kind, owner = told["owner_kind"], told["owner_id"]
        try:
            if goals.current_or_none(uow, kind, owner) is not None:
                continue
        except NotFound:  # the demo group is not there (removed by an admin)
            continue
        with recorded_at(_moment(told["adopted_at"])):
            adopted = schema.load(_adopted(told["picture"]))
            goals.put_goal_picture(uow, SEEDER, kind, owner, adopted)
        with recorded_at(_moment(told["followed_up_at"])):
            goals.put_goal_picture(uow, SEEDER, kind, owner, schema.load(told["picture"]))
        added += 1
    return added


def known_goals_only(uow: UnitOfWork, cards: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cards without links to demo goals that are not registered.

    A demo goal is missing when its owner wrote a picture of its own before the demo
    one could be added: the demo card then links to the national goals only, rather
    than the whole demo failing on an unknown code.
    """
    wanted = {code for card in cards for code in card.get("goals", ()) if code in _demo_codes()}
    missing = {code for code in wanted if not _registered(uow, code)}
    if not missing:
        return list(cards)
    return [
        {**card, "goals": [c for c in card["goals"] if c not in missing]}
        if "goals" in card
        else card
        for card in cards
    ]


@cache
def _demo_codes() -> frozenset[str]:
    """The demo goals' codes as cards name them (``owner:code``); read once."""
    return frozenset(
        f"{told['owner_id']}:{goal['code']}"
        for told in demo_pictures()
        for goal in told["picture"]["goals"]
    )


def _registered(uow: UnitOfWork, code: str) -> bool:
    try:
        reference.get(uow, "goal", code)
    except NotFound:
        return False
    return True


def _adopted(picture: dict[str, Any]) -> dict[str, Any]:
    """The plan as adopted: its goals and targets, no values or judgements yet."""
    return {
        **picture,
        "goals": [
            {
                **{k: v for k, v in goal.items() if k != "assessments"},
                "indicators": [
                    {k: v for k, v in indicator.items() if k not in _FOLLOWED_UP}
                    for indicator in goal.get("indicators", ())
                ],
            }
            for goal in picture["goals"]
        ],
    }


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
