"""Concurrent publishers, on SQLite (a file database) and PostgreSQL.

Many threads publish through one app, so they share its engine as gunicorn's threads
would. Each request must be answered 200/201, or 409/503 problem+json telling the client
to come back (never a 500), and every acknowledged write must be in the history, with
revision numbers that run 1, 2, 3 … without a gap or a duplicate.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from ecosystem.errors import Busy
from ecosystem.services.catalogue import Catalogue
from ecosystem.services.unit_of_work import ATTEMPTS, UnitOfWork
from ecosystem.store import publishing as publishing_store
from ecosystem.store import reference
from ecosystem.store.tables import Project, ProjectRevision, utcnow
from tests.builders import portfolio, project

pytestmark = pytest.mark.usefixtures("reference_data")

THREADS = 8
ROUNDS = 3
ORG = "kommune-aarhus"
Request = Callable[[FlaskClient], TestResponse]


def run_together(app: Flask, jobs: list[list[Request]]) -> list[list[TestResponse | BaseException]]:
    """Run each list of requests on a thread of its own, all starting at once."""
    start = threading.Barrier(len(jobs))
    answers: list[list[TestResponse | BaseException]] = [[] for _ in jobs]

    def work(index: int) -> None:
        client = app.test_client()
        start.wait()
        for send in jobs[index]:
            try:
                answers[index].append(send(client))
            except BaseException as error:  # a 500 in testing mode is raised, not returned
                answers[index].append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a publisher hung"
    return answers


def check_answer(answer: TestResponse | BaseException) -> bool:
    """Whether the write was acknowledged; fails the test on anything but 2xx, 409 or 503."""
    assert not isinstance(answer, BaseException), f"raised: {answer!r}"
    if answer.status_code in (200, 201):
        return True
    assert answer.status_code in (409, 503), (answer.status_code, answer.get_data(as_text=True))
    assert answer.content_type == "application/problem+json"
    assert answer.json is not None and answer.json["status"] == answer.status_code
    assert answer.headers["Retry-After"].isdigit()
    return False


def history(db: Session, organisation: str, external_id: str) -> list[ProjectRevision]:
    db.expire_all()
    project_id = db.scalar(
        select(Project.id).where(
            Project.organisation_id == organisation, Project.external_id == external_id
        )
    )
    return list(
        db.scalars(
            select(ProjectRevision)
            .where(ProjectRevision.project_id == project_id)
            .order_by(ProjectRevision.number)
        )
    )


def check_history(
    db: Session, organisation: str, external_id: str, acknowledged: list[str]
) -> None:
    """One revision per acknowledged change (after the first), numbered 1..n, the last current."""
    revisions = history(db, organisation, external_id)
    numbers = [revision.number for revision in revisions]
    assert numbers == list(range(1, len(revisions) + 1))
    titles = [revision.data["title"] for revision in revisions[1:]]
    # Refused writes wrote nothing; every acknowledged one is there exactly once.
    assert sorted(titles) == sorted(acknowledged)
    current = db.scalar(
        select(Project.revision).where(
            Project.organisation_id == organisation, Project.external_id == external_id
        )
    )
    assert current == numbers[-1]


def put_title(org: str, headers: dict[str, str], title: str) -> Request:
    card = project("P-1", title=title)
    return lambda client: client.put(
        f"/api/v1/organisations/{org}/projects/P-1", json=card, headers=headers
    )


def publish_title(org: str, headers: dict[str, str], title: str) -> Request:
    document = portfolio(org, project("P-1", title=title))
    return lambda client: client.put(
        f"/api/v1/organisations/{org}/portfolio", json=document, headers=headers
    )


def test_publishers_to_one_organisation_take_turns(app, client, db, token_for):
    headers = token_for(ORG)
    assert publish_title(ORG, headers, "Første udgave")(client).status_code == 200
    # Half the threads put the one project, half publish the whole portfolio: both paths.
    send = [put_title, publish_title]
    jobs = [
        [send[i % 2](ORG, headers, f"Udgave {i}.{r}") for r in range(ROUNDS)]
        for i in range(THREADS)
    ]
    answers = run_together(app, jobs)

    acknowledged = [
        f"Udgave {i}.{r}"
        for i, answered in enumerate(answers)
        for r, answer in enumerate(answered)
        if check_answer(answer)
    ]
    assert acknowledged, "no publish got through"
    check_history(db, ORG, "P-1", acknowledged)


def test_publishers_to_separate_organisations_do_not_block_each_other(app, db, token_for):
    organisations = [f"kommune-test-{i}" for i in range(THREADS)]
    for organisation in organisations:
        reference.create(
            db, "organisation", {"id": organisation, "name": organisation, "kind": "other"}, "t"
        )
    db.commit()
    jobs = [
        [publish_title(org, token_for(org), f"{org} udgave {r}") for r in range(ROUNDS)]
        for org in organisations
    ]
    answers = run_together(app, jobs)

    for org, answered in zip(organisations, answers, strict=True):
        acknowledged = [f"{org} udgave {r}" for r, a in enumerate(answered) if check_answer(a)]
        assert acknowledged, f"nothing got through for {org}"
        # The first acknowledged publish created the project: revision 1 has its title.
        first = history(db, org, "P-1")[0]
        assert first.action == "created"
        check_history(db, org, "P-1", [t for t in acknowledged if t != first.data["title"]])


def test_a_write_that_keeps_clashing_is_refused_after_a_few_attempts(engine: Engine, db):
    """A unit of work is run again on a clash, and finally refused; nothing is written."""
    db.add(Project(**_project_row("P-1")))
    db.commit()
    attempts = []

    def clash(uow: UnitOfWork) -> None:
        attempts.append(1)
        uow.session.add(Project(**_project_row("P-2")))
        uow.session.flush()
        uow.session.add(Project(**_project_row("P-1")))  # taken: a unique violation
        uow.session.flush()

    uow = UnitOfWork(lambda: Session(engine), Catalogue())
    with pytest.raises(Busy):
        uow.run(clash)
    assert len(attempts) == ATTEMPTS
    db.expire_all()
    assert db.scalars(select(Project.external_id)).all() == ["P-1"]


def test_a_publish_that_waits_too_long_for_the_organisation_is_a_409(
    app, client, engine: Engine, token_for, monkeypatch
):
    """Another transaction holds the organisation (PostgreSQL: a lock timeout)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite waits busy_timeout (30 s) for its write lock")
    monkeypatch.setattr(publishing_store, "LOCK_TIMEOUT", "50ms")
    headers = token_for(ORG)
    with engine.connect() as holder:
        holder.execute(text("SELECT id FROM organisations WHERE id = :id FOR UPDATE"), {"id": ORG})
        answer = put_title(ORG, headers, "Venter")(client)
        holder.rollback()
    assert answer.status_code == 409
    assert answer.headers["Retry-After"] == "1"
    assert answer.content_type == "application/problem+json"
    assert client.get(f"/api/v1/organisations/{ORG}/projects/P-1").status_code == 404


def _project_row(external_id: str) -> dict[str, Any]:
    return {
        "organisation_id": ORG,
        "external_id": external_id,
        "title": "T",
        "description": "D",
        "stage": "idea",
        "visibility": "public",
        "data": {},
        "revision": 1,
        "withdrawn": False,
        "demo": False,
        "catalog_version": 0,
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }
