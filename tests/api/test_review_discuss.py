"""What to discuss over HTTP: the pack's 3–7 items with reasons, shown first on the pack and
the group overview, full lists by importance behind "Se alle", and since last review by name."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from tests.api.test_reviews import FALLS, GROUP, kol, project_id
from tests.builders import project, publish

pytestmark = pytest.mark.usefixtures("reference_data")


def open_review(client: Any, token_for: Any, date: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/groups/kronikere-aarhus/reviews",
        json={"meeting_date": date},
        headers=token_for("kommune-aarhus"),
    )
    assert response.status_code == 201, response.json
    return dict(response.json)


def falls(stage: str) -> dict[str, Any]:
    return project(
        "F-1",
        title="Faldforebyggelse for ældre",
        description=FALLS,
        target_groups=["aeldre"],
        areas=["0710"],
        stage=stage,
    )


@pytest.fixture
def two_reviews(client, token_for, db):
    """Two reviews of one group; between them Favrskov's only project (an idea, so its gap
    was low) is withdrawn (the gap becomes high) and Aarhus University starts P-1's idea."""
    publish(client, token_for, "kommune-aarhus", kol("P-1", stage="implementation"))
    publish(client, token_for, "auh", kol("H-1"))
    publish(client, token_for, "kommune-favrskov", falls("idea"))
    created = client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True))
    assert created.status_code == 201
    first = open_review(client, token_for, "2026-03-15")
    withdrawn = client.delete(
        "/api/v1/organisations/kommune-favrskov/projects/F-1",
        headers=token_for("kommune-favrskov"),
    )
    assert withdrawn.status_code == 204
    publish(client, token_for, "au", kol("U-1", stage="idea"))
    second = open_review(client, token_for, "2026-06-15")
    ids = {
        "P-1": project_id(db, "kommune-aarhus", "P-1"),
        "H-1": project_id(db, "auh", "H-1"),
        "U-1": project_id(db, "au", "U-1"),
    }
    return first, second, ids


def pair(a: int, b: int) -> str:
    return f"overlap:{min(a, b)}-{max(a, b)}"


def test_the_pack_opens_with_three_to_seven_items_each_with_a_reason(two_reviews, client):
    _, second, ids = two_reviews
    pack = client.get(f"/api/v1/reviews/{second['id']}/pack").json
    items = pack["to_discuss"]
    assert 3 <= len(items) <= 7
    for item in items:
        assert item["kind"] in {"overlap", "gap", "scaling_candidate", "decision"}
        for text in (item["reason"], item["reason_en"]):
            assert text.endswith(".") and not re.search(r"[.!?] [A-ZÆØÅ]", text[:-1]), text
        assert item["title"] and item["kind_label"]
    keys = [i["key"] for i in items]
    # The new overlap (P-1 × U-1) is raised; the old one (P-1 × H-1) is not: it is not new.
    new = next(i for i in items if i["key"] == pair(ids["P-1"], ids["U-1"]))
    assert "nyt overlap siden sidste møde" in new["reason"]
    assert "Aarhus Kommune" in new["reason"] and "Aarhus Universitet" in new["reason"]
    assert pair(ids["P-1"], ids["H-1"]) not in keys
    # Favrskov's gap became high: raised with the change in its reason.
    gap = next(i for i in items if i["kind"] == "gap" and "Favrskov" in i["reason"])
    assert "skærpet fra lav" in gap["reason"] and "up from low" in gap["reason_en"]
    kinds = [i["kind"] for i in items]
    order = ["overlap", "gap", "scaling_candidate", "decision"]
    assert kinds == sorted(kinds, key=order.index)


def test_the_packs_full_lists_go_by_importance_never_by_id(two_reviews, client):
    _, second, _ = two_reviews
    pack = client.get(f"/api/v1/reviews/{second['id']}/pack").json
    scores = [o["score"] for o in pack["overlaps_to_discuss"]]
    assert scores == sorted(scores, reverse=True) and len(scores) >= 2
    severity = {"high": 0, "medium": 1, "low": 2}
    ranks = [severity[g["severity"]] for g in pack["gaps"]]
    assert ranks == sorted(ranks)
    candidate_ranks = [c["rank"] for c in pack["scaling_candidates"]]
    assert candidate_ranks == sorted(candidate_ranks)


def test_the_pack_page_shows_what_to_discuss_first_and_the_rest_behind_see_all(two_reviews, client):
    _, second, _ = two_reviews
    pack = client.get(f"/api/v1/reviews/{second['id']}/pack").json
    html = unescape(client.get(f"/reviews/{second['id']}").get_data(as_text=True))
    discuss = html.index("Det skal vi tale om")
    assert discuss < html.index("Dagsorden") < html.index("Overlap at drøfte")
    for item in pack["to_discuss"]:
        assert item["reason"] in html[discuss : html.index("Dagsorden")]
    assert f"Se alle ({len(pack['overlaps_to_discuss'])})" in html
    assert f"Se alle ({len(pack['gaps'])})" in html
    client.get("/language/en")
    english = unescape(client.get(f"/reviews/{second['id']}").get_data(as_text=True))
    assert "To discuss" in english and pack["to_discuss"][0]["reason_en"] in english


def test_the_group_overview_opens_with_what_to_discuss_since_the_last_review(two_reviews, client):
    _, second, _ = two_reviews
    html = unescape(client.get("/groups/kronikere-aarhus").get_data(as_text=True))
    discuss = html.index("Det skal vi tale om")
    assert discuss < html.index('id="value-risk-title"')
    assert f"Nyt betyder siden gennemgangen {second['title']}" in html
    assert "Se alle (" in html
    # The last review already holds P-1 × U-1: nothing is new now, so the old overlaps and
    # Favrskov's gap (high since the last review, not new) still make up the three.
    section = html[discuss : html.index('id="value-risk-title"')]
    assert 3 <= section.count('class="discuss-item') <= 7
    assert "Favrskov" in section


def test_the_first_review_counts_every_overlap_as_new(client, token_for, db):
    publish(client, token_for, "kommune-aarhus", kol("P-1"))
    publish(client, token_for, "auh", kol("H-1"))
    assert client.post("/api/v1/groups", json=GROUP, headers=token_for(admin=True)).status_code
    html = client.get("/groups/kronikere-aarhus").get_data(as_text=True)
    assert "Gruppen har endnu ingen gennemgang" in html
    first = open_review(client, token_for, "2026-03-15")
    items = client.get(f"/api/v1/reviews/{first['id']}/pack").json["to_discuss"]
    p1, h1 = project_id(db, "kommune-aarhus", "P-1"), project_id(db, "auh", "H-1")
    overlap = next(i for i in items if i["key"] == pair(p1, h1))
    assert "første gennemgang" in overlap["reason"]


def test_since_last_names_each_new_overlap_and_each_gap_whose_severity_changed(two_reviews, client):
    _, second, ids = two_reviews
    changes = client.get(f"/api/v1/reviews/{second['id']}/since-last").json["changes"]
    appeared = next(
        c for c in changes["overlap_changes"] if c["key"] == pair(ids["P-1"], ids["U-1"])
    )
    assert appeared["change"] == "appeared"
    assert {appeared["a"]["id"], appeared["b"]["id"]} == {ids["P-1"], ids["U-1"]}
    assert appeared["text"].startswith("Nyt overlap: «Telemedicinsk hjemmemonitorering")
    assert "(Aarhus Universitet)" in appeared["text"] and "(Aarhus Kommune)" in appeared["text"]
    changed = next(
        c for c in changes["gap_changes"] if c["change"] == "severity" and "0710" in c["areas"]
    )
    assert (changed["severity_before"], changed["severity_after"]) == ("low", "high")
    assert changed["theme"] == "T2" and "Favrskov" in changed["where"]
    assert changed["text"].startswith("Hul ændret fra lav til høj: ")
    assert "Gap changed from low to high: " in changed["text_en"]
    # The pack page names them too, not only the counts.
    html = unescape(client.get(f"/reviews/{second['id']}").get_data(as_text=True))
    since = html[html.index('id="since-title"') : html.index('id="balance-title"')]
    assert appeared["text"] in since and changed["text"] in since
