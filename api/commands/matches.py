"""`ecosystem matches refresh` and `ecosystem matches digest [--send]`.

``refresh`` finds new matches between consenting organisations' projects (the web
process's background job does the same after each publish's vectors are made).
``digest`` lists, per opted-in organisation, its matches no earlier digest named; with
``--send`` it mails each organisation at the contact addresses on its matched projects
(:mod:`api.commands.mail`) and remembers what was sent, so the next digest — run daily,
e.g. from cron — names only newer matches.
"""

from __future__ import annotations

import json
from typing import Any

import click
from flask.cli import AppGroup

from api.commands.mail import mailer
from api.db import transaction, unit_of_work
from api.pages.matches import INBOX_PATH
from ecosystem.matchmaking import digest_text
from ecosystem.services import match_digests
from ecosystem.services import matches as service


def register(main: click.Group) -> None:
    """Add this module's commands to the `ecosystem` command."""
    main.add_command(matches)


@click.group(cls=AppGroup)
def matches() -> None:
    """Matchmaking between organisations that opted in."""


@matches.command("refresh")
def refresh() -> None:
    """Record new strong overlaps between consenting organisations' projects."""
    added = unit_of_work().run(service.refresh)
    click.echo(f"Nye match / new matches: {added}")


@matches.command("digest")
@click.option("--send", is_flag=True, help="E-mail each organisation (needs SMTP_HOST).")
@click.option("--json", "as_json", is_flag=True, help="Print the digests as JSON.")
@click.option(
    "--base-url",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="Where the pages are served, for the inbox link in the mail.",
)
def digest(send: bool, as_json: bool, base_url: str) -> None:
    """Per organisation, its matches that no earlier digest named."""
    uow = unit_of_work()
    found = match_digests.digests(uow)
    inbox = base_url.rstrip("/") + INBOX_PATH
    texts = [
        (d, digest_text(d.name, match_digests.digest_lines(uow, d), d.since, inbox)) for d in found
    ]
    if as_json:
        click.echo(json.dumps([_as_json(d) for d, _ in texts], ensure_ascii=False, indent=2))
    else:
        for found_digest, (subject, body) in texts:
            click.echo(f"\n== {found_digest.name} ({found_digest.organisation_id}) ==\n{subject}")
            click.echo(body)
        if not texts:
            click.echo("Ingen nye match / no new matches")
    if not send:
        return
    sent = 0
    with mailer() as mail:
        for found_digest, (subject, body) in texts:
            if not found_digest.recipients:
                click.echo(
                    "Ingen e-mailadresse på kortene / no e-mail address on the cards: "
                    f"{found_digest.organisation_id}",
                    err=True,
                )
                continue
            mail.send(found_digest.recipients, subject, body)
            with transaction() as written:  # each sent digest is remembered at once
                match_digests.record_digest(written, found_digest)
            sent += 1
    click.echo(f"Sendt / sent: {sent}")


def _as_json(found: match_digests.Digest) -> Any:
    return {
        "organisation": found.organisation_id,
        "since": found.since.isoformat() if found.since else None,
        "recipients": list(found.recipients),
        "matches": [view.id for view in found.matches],
    }
