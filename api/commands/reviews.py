"""`ecosystem reviews reminders GROUP [--send]`: cards to refresh before the group's next review.

Once per cycle the secretariat asks each organisation to confirm its cards in the group's
mandate that were not reviewed since the last meeting. The command prints the list and,
with ``--send``, mails each organisation at the contact addresses on those cards through
the configured SMTP server (:mod:`api.commands.mail`).
"""

from __future__ import annotations

import json
from typing import Any

import click
from flask.cli import AppGroup

from api.commands.mail import Mailer, mailer
from api.db import unit_of_work
from ecosystem.errors import EcosystemError
from ecosystem.model import Principal
from ecosystem.reviews import reminder_text
from ecosystem.services.reviews import RefreshList, refresh_list

# The command runs on the server for the secretariat: an organisation is reminded of all
# its cards in the mandate, whatever their visibility, and only sees its own.
OPERATOR = Principal(is_admin=True)


def register(main: click.Group) -> None:
    """Add this module's commands to the `ecosystem` command."""
    main.add_command(reviews)


@click.group(cls=AppGroup)
def reviews() -> None:
    """Reviews of thematic groups: reminders before the meeting."""


@reviews.command("reminders")
@click.argument("group_id")
@click.option("--send", is_flag=True, help="E-mail each organisation (needs SMTP_HOST).")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def reminders(group_id: str, send: bool, as_json: bool) -> None:
    """List, per organisation, its projects in GROUP's mandate not reviewed since the last review."""
    try:
        found = refresh_list(unit_of_work(), OPERATOR, group_id)
    except EcosystemError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(_as_json(found), ensure_ascii=False, indent=2))
    else:
        _print(found)
    if not send:
        return
    with mailer() as mail:
        sent, missing = _send(found, mail)
    click.echo(f"Sendt / sent: {sent}")
    for organisation in missing:
        click.echo(
            f"Ingen e-mailadresse på kortene / no e-mail address on the cards: {organisation}",
            err=True,
        )


def _send(found: RefreshList, mail: Mailer) -> tuple[int, list[str]]:
    """Mail each organisation at its cards' addresses: how many were sent, who had none."""
    sent, missing = 0, []
    for organisation, items in sorted(found.stale.items()):
        recipients = sorted({e for s in items for e in found.contacts.get(s.project.id, [])})
        if not recipients:
            missing.append(organisation)
            continue
        name = found.reference.organisation(organisation).name
        mail.send(recipients, *reminder_text(name, found.group.name, items, found.since))
        sent += 1
    return sent, missing


def _print(found: RefreshList) -> None:
    when = found.since.isoformat() if found.since else "–"
    click.echo(f"Ikke gennemgået siden sidste møde / not reviewed since the last review ({when})")
    if not found.stale:
        click.echo("Ingen / none")
    for organisation, items in sorted(found.stale.items()):
        click.echo(f"\n{found.reference.organisation(organisation).name} ({organisation})")
        for item in items:
            last = item.last_reviewed.isoformat() if item.last_reviewed else "aldrig / never"
            record = item.project.record
            click.echo(f"  {record.external_id}  {item.project.title}  [{last}]")


def _as_json(found: RefreshList) -> Any:
    return {
        "since": found.since.isoformat() if found.since else None,
        "organisations": {
            organisation: {
                "contacts": sorted(
                    {e for s in items for e in found.contacts.get(s.project.id, [])}
                ),
                "projects": [s.project.record.external_id for s in items],
            }
            for organisation, items in sorted(found.stale.items())
        },
    }
