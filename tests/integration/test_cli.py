"""The `ecosystem` command line, through the app, on both databases."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from api.cli import main
from ecosystem.store import migrate
from ecosystem.store.tables import Organisation, Project
from ecosystem.store.tokens import principal_for
from tests.builders import portfolio, project


def invoke(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_db_upgrade_is_safe_to_run_again(runner):
    result = invoke(runner, "db", "upgrade")
    assert result.exit_code == 0
    assert migrate.head_revision() in result.stderr


def test_org_add_then_token_issue_prints_only_a_working_token(runner, db):
    assert (
        invoke(
            runner, "org", "add", "kommune-test", "--name", "Testkommune", "--kind", "municipality"
        ).exit_code
        == 0
    )
    result = invoke(runner, "token", "issue", "kommune-test")
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert result.stdout == token + "\n"
    assert principal_for(db, token).organisation_id == "kommune-test"
    admin = invoke(runner, "token", "issue", "--admin").stdout.strip()
    assert principal_for(db, admin).is_admin


def test_token_issue_needs_exactly_one_of_organisation_or_admin(runner):
    assert runner.invoke(main, ["token", "issue"]).exit_code != 0
    assert runner.invoke(main, ["token", "issue", "x", "--admin"]).exit_code != 0
    unknown = runner.invoke(main, ["token", "issue", "kommune-atlantis"])
    assert unknown.exit_code != 0
    assert "kommune-atlantis" in unknown.output


@pytest.mark.usefixtures("reference_data")
def test_publish_uses_the_same_validation_as_the_api(runner, tmp_path, db):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(portfolio("kommune-aarhus", project("P-1"), project("P-2"))))
    result = invoke(runner, "publish", str(good))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "organisation": "kommune-aarhus",
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "withdrawn": 0,
    }
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(portfolio("kommune-aarhus", project("P-3", themes=["T77"]))))
    failed = runner.invoke(main, ["publish", str(bad)])
    assert failed.exit_code == 1
    assert "projects[0].themes[0]" in failed.output
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Project)) == 2


def test_seed_loads_reference_data_once_and_changes_nothing_the_second_time(runner, db):
    assert invoke(runner, "seed").exit_code == 0
    count = db.scalar(select(func.count()).select_from(Organisation))
    db.execute(
        Organisation.__table__.update()
        .where(Organisation.id == "kl")
        .values(name="KL (renamed by admin)")
    )
    db.commit()
    again = invoke(runner, "seed")
    assert "nothing new" in again.stderr
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Organisation)) == count
    assert db.get(Organisation, "kl").name == "KL (renamed by admin)"
