"""`ecosystem import` and `ecosystem export`: spreadsheets and IATI from the command line.

``import`` reads the file exactly as the API does, prints the preview (what each row
becomes and every problem with its row and column) and, unless ``--dry-run`` or the file
has errors, publishes it in one transaction.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from api.db import transaction, unit_of_work
from api.presenters.exports import cards_document
from ecosystem import iati
from ecosystem.errors import EcosystemError, InvalidInput
from ecosystem.model import Principal
from ecosystem.query import ProjectQuery
from ecosystem.services import exports, imports
from ecosystem.services.exports import Export
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.spreadsheet import ParsedImport
from ecosystem.tabular import table_bytes

ACTOR = "cli"
# The command line acts for the operator, who may import for and export anything.
OPERATOR = Principal(is_admin=True)
SHOWN_PROBLEMS = 200


def register(main: click.Group) -> None:
    """Add this module's commands to the `ecosystem` command."""
    main.add_command(import_command)
    main.add_command(export_command)


@click.command("import")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "organisation", required=True, help="The organisation it is for.")
@click.option("--dry-run", is_flag=True, help="Only show what would change.")
@click.option("--full", is_flag=True, help="Whole portfolio: withdraw projects not in the file.")
@click.option("--rows", "shown_rows", default=0, show_default=True, help="List this many rows.")
def import_command(
    path: Path, organisation: str, dry_run: bool, full: bool, shown_rows: int
) -> None:
    """Import a CSV, XLSX or IATI activity file for ORG (preview first; --dry-run stops there)."""
    content = path.read_bytes()
    click.echo(f"Reading {path.name} ({len(content) / 1e6:.1f} MB) …", err=True)
    try:
        with _progress() as progress, transaction() as uow:
            run = imports.run_import(
                uow,
                OPERATOR,
                organisation,
                content,
                filename=path.name,
                full=full,
                dry_run=dry_run,
                progress=progress,
                actor=ACTOR,
            )
    except InvalidInput as error:
        lines = [str(error)] + [f"  {e.field}: {e.message}" for e in error.errors]
        raise click.ClickException("\n".join(lines)) from error
    except EcosystemError as error:
        raise click.ClickException(str(error)) from error
    parsed, planned = run.parsed, run.planned
    _show_rows(planned.rows, shown_rows)
    _show_problems(parsed)
    summary = {"organisation": organisation, **planned.summary}
    summary["published"] = run.result is not None
    click.echo(json.dumps(summary))
    if parsed.error_count:
        raise click.ClickException(
            f"{parsed.error_count} fejl; intet er udgivet / "
            f"{parsed.error_count} error(s); nothing was published."
        )
    if dry_run:
        click.echo("Tørkørsel: intet er udgivet / Dry run: nothing was published.", err=True)


class _progress:
    """Progress on stderr once the reader knows how many rows there are (a bar on a terminal)."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.done = 0

    def __enter__(self) -> _progress:
        return self

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            # A bar means nothing in a log file; a line per step does.
            click.echo(f"Rows {done:,}/{total:,}", err=True)
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Rows", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _show_rows(rows: list[dict[str, Any]], count: int) -> None:
    for row in rows[:count]:
        where = f"række {row['row']}" if row["row"] is not None else "—"
        changed = f" ({', '.join(row['changed_fields'])})" if row["changed_fields"] else ""
        click.echo(f"{where:>12}  {row['action']:<9} {row['external_id']}{changed}", err=True)


def _show_problems(parsed: ParsedImport) -> None:
    problems = list(parsed.all_problems())
    for problem in problems[:SHOWN_PROBLEMS]:
        marker = "FEJL/ERROR" if problem.severity == "error" else "advarsel/warning"
        click.echo(f"{marker}: {problem.text}", err=True)
    if len(problems) > SHOWN_PROBLEMS:
        click.echo(f"… and {len(problems) - SHOWN_PROBLEMS} more.", err=True)


@click.command("export")
@with_appcontext
@click.option("--org", "organisation", default=None, help="One organisation's portfolio.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "json", "iati"]),
    default="csv",
    show_default=True,
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--validate", is_flag=True, help="Check IATI output against the IATI schema.")
@click.option(
    "--base-url",
    default=None,
    help="Where the service runs (IATI files name our code lists by URL); "
    "by default PUBLIC_BASE_URL.",
)
def export_command(
    organisation: str | None, fmt: str, output: Path | None, validate: bool, base_url: str | None
) -> None:
    """Export a portfolio (--org) or every project, including non-public ones."""
    base_url = base_url or current_app.config["PUBLIC_BASE_URL"]
    uow = unit_of_work()
    try:
        export = (
            exports.portfolio(uow, OPERATOR, organisation)
            if organisation is not None
            else exports.listing(uow, OPERATOR, ProjectQuery())
        )
    except EcosystemError as error:
        raise click.ClickException(str(error)) from error
    body = _export_body(uow, export, fmt, base_url)
    if fmt == "iati" and validate:
        errors = iati.schema_errors(body)
        if errors:
            raise click.ClickException("Not valid IATI:\n  " + "\n  ".join(errors))
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(body)
    else:
        output.write_bytes(body)
        click.echo(f"{len(export.records)} projects written to {output}.", err=True)


def _export_body(uow: UnitOfWork, export: Export, fmt: str, base_url: str) -> bytes:
    if fmt == "iati":
        return exports.iati_activities(uow, export, base_url=base_url)
    if fmt == "json":
        return json.dumps(cards_document(export), ensure_ascii=False, indent=1).encode()
    return table_bytes(exports.table(export), fmt)
