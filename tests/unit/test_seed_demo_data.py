"""The fictional demo portfolio and its answer key, checked as data."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from marshmallow import ValidationError

import seeds
from ecosystem.portfolio import ProjectSchema


@pytest.fixture(scope="module")
def portfolios():
    return seeds.demo_portfolios()


@pytest.fixture(scope="module")
def organisations():
    return {
        o["id"]: o for o in json.loads(seeds.data_file("organisations.json").read_text("utf-8"))
    }


def keys(portfolios):
    return {f"{org}:{p['external_id']}" for org, items in portfolios.items() for p in items}


def test_every_demo_project_validates_and_is_labelled_demo(portfolios):
    schema = ProjectSchema()
    for organisation, items in portfolios.items():
        for item in items:
            try:
                card = schema.load(item)
            except ValidationError as error:  # pragma: no cover - shows which card is broken
                pytest.fail(f"{organisation}:{item.get('external_id')}: {error.messages}")
            assert card["demo"] is True


def test_the_demo_is_the_size_and_spread_the_issue_asks_for(portfolios, organisations):
    total = sum(len(items) for items in portfolios.values())
    assert 300 <= total <= 600
    kinds = Counter(organisations[org]["kind"] for org in portfolios)
    assert kinds["municipality"] >= 25
    assert kinds["region"] >= 3
    assert kinds["university"] >= 3
    assert kinds["national_body"] + kinds["joint_regional_body"] >= 3
    ids = [f"{org}:{p['external_id']}" for org, items in portfolios.items() for p in items]
    assert len(ids) == len(set(ids))


def test_demo_projects_name_no_real_contact_addresses(portfolios):
    for items in portfolios.values():
        for item in items:
            email = (item.get("contact") or {}).get("email")
            assert email is None or email.endswith(".example"), (
                email
            )  # RFC 2606: reserved, never real


def test_the_answer_key_refers_only_to_existing_projects(portfolios):
    existing = keys(portfolios)
    key = seeds.answer_key()
    referenced = [
        p
        for kind in ("overlaps", "hard_negatives", "clusters")
        for e in key[kind]
        for p in e["projects"]
    ]
    referenced += [e["project"] for e in key["scaling_candidates"]]
    missing = sorted(set(referenced) - existing)
    assert not missing
    assert len(key["overlaps"]) >= 40
    assert len(key["hard_negatives"]) >= 15


def test_planted_overlap_pairs_are_across_different_organisations(portfolios):
    for pair in seeds.answer_key()["overlaps"]:
        first, second = (p.split(":", 1)[0] for p in pair["projects"])
        assert first != second, pair["id"]


def test_the_demo_groups_name_real_codes(organisations):
    areas = {a["code"] for a in json.loads(seeds.data_file("areas.json").read_text("utf-8"))}
    themes = {t["code"] for t in json.loads(seeds.data_file("themes.json").read_text("utf-8"))}
    for group in seeds.answer_key()["groups"]:
        mandate = group["mandate"]
        assert set(mandate["areas"]) <= areas
        assert set(mandate["themes"]) <= themes
        assert {m["organisation"] for m in group["members"]} <= set(organisations)
