"""`ecosystem overlaps check` and `ecosystem overlaps report`."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from flask.cli import AppGroup
from marshmallow import ValidationError

from api.db import unit_of_work
from api.errors import flatten_messages
from api.presenters.overlaps import check_view, report_table, report_view
from api.schemas.overlaps import DraftSchema
from ecosystem.errors import InvalidInput, NotFound
from ecosystem.model import Principal
from ecosystem.services import overlaps as service
from ecosystem.services.overlaps import ReportFilter
from ecosystem.tabular import to_csv_bytes

# The command line runs on the server, for its operators: it sees what the public sees
# unless told otherwise, so a report pasted into an e-mail never leaks a private project.
PUBLIC = Principal()
ALL = Principal(is_admin=True)


def register(main: click.Group) -> None:
    main.add_command(overlaps)


@click.group(cls=AppGroup)
def overlaps() -> None:
    """Overlap: who else is doing this?"""


@overlaps.command("check")
@click.option("--title", required=True)
@click.option("--description", required=True)
@click.option("--theme", "themes", multiple=True)
@click.option("--target-group", "target_groups", multiple=True)
@click.option("--area", "areas", multiple=True)
@click.option("--organisation", default=None, help="Whose draft it is (excluded from matches).")
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def check(
    title: str,
    description: str,
    themes: tuple[str, ...],
    target_groups: tuple[str, ...],
    areas: tuple[str, ...],
    organisation: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Check a draft project against everything published."""
    raw = {"title": title, "description": description, "themes": list(themes)}
    raw |= {"target_groups": list(target_groups), "areas": list(areas)}
    try:
        draft = DraftSchema().load(raw) | ({"organisation": organisation} if organisation else {})
        outcome = service.check_draft(unit_of_work(), PUBLIC, draft, limit=limit)
    except ValidationError as error:
        raise click.ClickException(_problems(flatten_messages(error.messages))) from error
    except InvalidInput as error:
        raise click.ClickException(_problems(error.errors)) from error
    except NotFound as error:
        raise click.ClickException(str(error)) from error
    view = check_view(outcome)
    if as_json:
        click.echo(json.dumps(view, ensure_ascii=False, indent=2, default=str))
        return
    for rank, match in enumerate(view["matches"], start=1):
        project = match["project"]
        click.echo(
            f"{rank}. {project['title']} — {project['organisation'].get('name')} ({match['relation_label']}, {match['score']:.2f})"
        )
        for reason in match["reasons"]:
            click.echo(f"     {reason}")
    if not view["matches"]:
        click.echo("Ingen overlap fundet / no overlaps found.")


@overlaps.command("report")
@click.option(
    "--area", "areas", multiple=True, help="Area code; a council covers its municipalities."
)
@click.option("--theme", "themes", multiple=True)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True
)
@click.option(
    "--all-projects", is_flag=True, help="Include ecosystem and private projects (operators only)."
)
def report(areas: tuple[str, ...], themes: tuple[str, ...], fmt: str, all_projects: bool) -> None:
    """All cross-organisation overlaps, with clusters."""
    principal = ALL if all_projects else PUBLIC
    found = service.overlap_report(unit_of_work(), principal, ReportFilter(areas, themes))
    if fmt == "csv":
        sys.stdout.buffer.write(to_csv_bytes(report_table(found)))
        return
    click.echo(json.dumps(report_view(found), ensure_ascii=False, indent=2, default=str))


def _problems(errors: Any) -> str:
    return "\n".join(f"{e.field}: {e.message}" for e in errors)
