"""`ecosystem groups list|gaps|scaling`: a group's gap and scaling reports on the command line."""

from __future__ import annotations

import json
import sys
from typing import Any, Literal

import click
from flask.cli import AppGroup

from api.db import unit_of_work
from api.presenters.analyses import (
    candidates_table,
    candidates_view,
    gaps_table,
    gaps_view,
)
from ecosystem.errors import EcosystemError
from ecosystem.model import Principal
from ecosystem.services import analyses
from ecosystem.services import groups as group_service
from ecosystem.tabular import to_csv_bytes

# The command line runs on the server, for its operators: it sees what the public sees
# unless told otherwise, so a report pasted into an e-mail never leaks a private project.
PUBLIC = Principal()
ALL = Principal(is_admin=True)

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="text for reading, csv for Excel (';', UTF-8 with BOM), json as the API gives it.",
)
EVERYTHING = click.option(
    "--all", "everything", is_flag=True, help="Include non-public projects (an admin's view)."
)


def register(main: click.Group) -> None:
    """Add this module's commands to the `ecosystem` command."""
    main.add_command(groups)


@click.group(cls=AppGroup)
def groups() -> None:
    """Thematic portfolio groups: gaps and scaling candidates."""


@groups.command("list")
def list_groups() -> None:
    """List the groups with their mandates."""
    for group in group_service.list_groups(unit_of_work()):
        mandate = group.mandate
        demo = " [demo]" if group.demo else ""
        click.echo(f"{group.id}{demo}: {group.name}")
        click.echo(
            f"    themes {', '.join(mandate.themes) or 'all'}; areas "
            f"{', '.join(mandate.areas) or 'DK'}; level {mandate.level.value}"
        )


@groups.command("gaps")
@click.argument("group_id")
@FORMAT
@EVERYTHING
@click.option(
    "--severity",
    "severities",
    multiple=True,
    type=click.Choice(["high", "medium", "low"]),
    help="Only these severities (repeatable).",
)
def gaps(group_id: str, fmt: str, everything: bool, severities: tuple[str, ...]) -> None:
    """The gap report of GROUP_ID: what its mandate does not cover, and where to look."""
    uow = unit_of_work()
    with _reported(group_id):
        group = group_service.get_group(uow, group_id)
        found = analyses.group_gaps(uow, ALL if everything else PUBLIC, group_id)
    if fmt == "csv":
        sys.stdout.buffer.write(to_csv_bytes(gaps_table(found.report, found.found, severities)))
        return
    view = gaps_view(found.report, found.found, severities)
    if fmt == "json":
        click.echo(json.dumps(view, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"{group.name}: {len(view['gaps'])} huller / gaps")
    for gap in view["gaps"]:
        click.echo(f"\n[{gap['severity']}] {gap['explanation']}")
        if gap["severity_reason"]:
            click.echo(f"   Alvor / severity: {gap['severity_reason']}")
        _projects("Egne projekter / own", gap["projects"])
        _projects("Nærmeste / nearest", [n["project"] for n in gap["nearest"]])


@groups.command("scaling")
@click.argument("group_id")
@FORMAT
@EVERYTHING
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 2000))
def scaling(group_id: str, fmt: str, everything: bool, limit: int) -> None:
    """The scaling candidates of GROUP_ID: mature projects others could adopt."""
    uow = unit_of_work()
    with _reported(group_id):
        group = group_service.get_group(uow, group_id)
        found = analyses.group_candidates(uow, ALL if everything else PUBLIC, group_id, limit)
    if fmt == "csv":
        sys.stdout.buffer.write(to_csv_bytes(candidates_table(found.candidates, found.found)))
        return
    view = candidates_view(found.candidates, found.total, found.mandate, found.found)
    if fmt == "json":
        click.echo(json.dumps(view, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"{group.name}: {found.total} skaleringskandidater / scaling candidates")
    for candidate in view["candidates"]:
        project = candidate["project"]
        click.echo(
            f"\n{candidate['rank']}. {project['title']} ({project['organisation']['name']}, "
            f"{project['stage']}, #{project['id']})"
        )
        for reason in candidate["reasons"]:
            click.echo(f"   - {reason['text']}")
        adopters = [
            (a["organisation"] or {}).get("name") or a["areas"][0]["name"]
            for a in candidate["adopters"]
        ]
        click.echo(f"   Mulige modtagere / candidate adopters: {', '.join(adopters)}")


def _projects(label: str, projects: list[dict[str, Any]]) -> None:
    if projects:
        titles = "; ".join(f"{p['title']} ({p['organisation']['name']})" for p in projects)
        click.echo(f"   {label}: {titles}")


class _reported:
    """Domain errors as one readable line naming what was asked for, not a traceback.

    The API's not-found message names nothing (it must not tell hidden from missing);
    on the command line the operator typed the id, so repeating it tells nothing new.
    """

    def __init__(self, subject: str) -> None:
        self.subject = subject

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: Any, _tb: Any) -> Literal[False]:
        if isinstance(error, EcosystemError):
            raise click.ClickException(f"{self.subject}: {error}")
        return False
