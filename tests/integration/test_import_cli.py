"""`ecosystem import` and `ecosystem export`, through the app, on both databases."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from api.cli import main
from ecosystem import iati
from ecosystem.store.tables import Project
from tests.builders import portfolio, project

pytestmark = pytest.mark.usefixtures("reference_data")

HEADER = "Projekt-id;Titel;Beskrivelse;Fase;Temaer"


def write_csv(path, *rows):
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="cp1252")
    return str(path)


def project_count(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Project)) or 0


def test_a_dry_run_shows_the_preview_and_writes_nothing(runner, tmp_path, db):
    path = write_csv(tmp_path / "p.csv", "P-1;Ældrepleje;Beskrivelse;Idé;T2", "P-2;B;C;pilot;T4")
    result = runner.invoke(
        main, ["import", path, "--org", "kommune-aarhus", "--dry-run", "--rows", "5"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["created"], summary["published"]) == (2, False)
    assert "række 2  created   P-1" in result.stderr
    assert "Dry run" in result.stderr
    assert project_count(db) == 0


def test_an_import_publishes_and_a_second_run_changes_nothing(runner, tmp_path, db):
    path = write_csv(tmp_path / "p.csv", "P-1;Ældrepleje;Beskrivelse;Idé;T2")
    first = runner.invoke(main, ["import", path, "--org", "kommune-aarhus"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["published"] is True
    assert project_count(db) == 1
    assert db.scalar(select(Project.title)) == "Ældrepleje"  # Windows-1252 read right
    again = json.loads(runner.invoke(main, ["import", path, "--org", "kommune-aarhus"]).stdout)
    assert (again["unchanged"], again["created"]) == (1, 0)


def test_a_file_with_errors_lists_them_by_row_and_column_and_publishes_nothing(
    runner, tmp_path, db
):
    path = write_csv(tmp_path / "p.csv", "P-1;A;B;pilot;T2", "P-2;A;B;pilot;Kronikere")
    result = runner.invoke(main, ["import", path, "--org", "kommune-aarhus"])
    assert result.exit_code == 1
    assert "Række 3, kolonne Temaer: 'Kronikere' findes ikke som tema" in result.stderr
    assert "nothing was published" in result.stderr
    assert project_count(db) == 0


def test_full_withdraws_what_the_file_leaves_out(runner, tmp_path, db, client, token_for):
    client.put(
        "/api/v1/organisations/kommune-aarhus/portfolio",
        json=portfolio("kommune-aarhus", project("P-1"), project("OLD")),
        headers=token_for("kommune-aarhus"),
    )
    path = write_csv(tmp_path / "p.csv", "P-1;A;B;pilot;T2")
    result = runner.invoke(main, ["import", path, "--org", "kommune-aarhus", "--full"])
    assert json.loads(result.stdout)["withdrawn"] == 1
    db.expire_all()
    assert db.scalar(select(Project.withdrawn).where(Project.external_id == "OLD")) is True


def test_a_file_that_cannot_be_read_is_a_clear_error(runner, tmp_path, db):
    path = tmp_path / "p.xlsx"
    path.write_bytes(b"not a workbook")
    result = runner.invoke(main, ["import", str(path), "--org", "kommune-aarhus"])
    assert result.exit_code == 1
    assert "not an Excel workbook" in result.output
    unknown = runner.invoke(main, ["import", str(path), "--org", "kommune-atlantis"])
    assert "kommune-atlantis" in unknown.output


def test_progress_is_shown_for_big_files(runner, tmp_path):
    rows = [f"P-{i};Titel {i};Beskrivelse;pilot;T2" for i in range(1500)]
    result = runner.invoke(
        main, ["import", write_csv(tmp_path / "p.csv", *rows), "--org", "kommune-aarhus"]
    )
    assert result.exit_code == 0
    assert "Rows 500/1,500" in result.stderr and "Rows 1,500/1,500" in result.stderr


def test_an_exported_portfolio_imports_back_unchanged(runner, tmp_path, client, token_for):
    client.put(
        "/api/v1/organisations/kommune-aarhus/portfolio",
        json=portfolio("kommune-aarhus", project("P-1", areas=["0751"]), project("P-2")),
        headers=token_for("kommune-aarhus"),
    )
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"export.{fmt}"
        exported = runner.invoke(
            main, ["export", "--org", "kommune-aarhus", "--format", fmt, "-o", str(path)]
        )
        assert exported.exit_code == 0, exported.output
        result = runner.invoke(
            main, ["import", str(path), "--org", "kommune-aarhus", "--full", "--dry-run"]
        )
        summary = json.loads(result.stdout)
        assert (summary["unchanged"], summary["updated"], summary["withdrawn"]) == (2, 0, 0)


def test_export_writes_valid_iati_to_stdout(runner, client, token_for):
    client.put(
        "/api/v1/organisations/kommune-aarhus/portfolio",
        json=portfolio("kommune-aarhus", project("P-1", visibility="private")),
        headers=token_for("kommune-aarhus"),
    )
    result = runner.invoke(main, ["export", "--format", "iati", "--validate"])
    assert result.exit_code == 0, result.output
    assert iati.schema_errors(result.stdout_bytes) == []
    assert b"kommune-aarhus-P-1" in result.stdout_bytes  # the CLI sees every project
