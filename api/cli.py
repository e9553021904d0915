"""The `ecosystem` command: database, seeds, organisations, tokens, publishing, serving."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from typing import Any, Literal

import click
from flask import current_app
from flask.cli import FlaskGroup
from marshmallow import ValidationError

from api import create_app
from api.db import retried_transaction, transaction, unit_of_work
from api.errors import flatten_messages
from ecosystem.errors import EcosystemError, InvalidInput
from ecosystem.model import OrgKind, TokenInfo
from ecosystem.portfolio import PortfolioSchema
from ecosystem.services import operations, publishing, reference, tokens
from ecosystem.services.permissions import Operator

# The command line runs on the server, for its operators: it may do what an admin may,
# and the history names its changes "cli".
OPERATOR = Operator(name="cli")


@click.group(
    cls=FlaskGroup, create_app=create_app, add_default_commands=False, add_version_option=False
)
def main() -> None:
    """Økosystemportefølje / Ecosystem portfolio service."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema (Alembic)."""
    with transaction() as uow:
        revision = operations.upgrade_schema(uow)
    click.echo(f"Database at revision {revision}.", err=True)


@main.command()
@click.option("--demo", is_flag=True, help="Also publish the fictional demo portfolio.")
@click.option("--if-empty", is_flag=True, help="Do nothing when projects already exist.")
def seed(demo: bool, if_empty: bool) -> None:
    """Load reference data (and the demo portfolio); idempotent, never overwrites."""
    import seeds

    if if_empty and operations.holds_projects(unit_of_work()):
        click.echo("Database already holds projects; seeding skipped.", err=True)
        return
    with _reported(), transaction() as uow:
        report = seeds.load_reference(uow)
        click.echo(f"Reference data added: {report.added or 'nothing new'}", err=True)
        if demo:
            with click.progressbar(
                length=len(seeds.demo_portfolios()), label="Demo portfolios", file=sys.stderr
            ) as bar:
                demo_report = seeds.load_demo(uow, progress=lambda _org: bar.update(1))
            click.echo(f"Demo projects added: {demo_report.added.get('project', 0)}", err=True)
            click.echo(f"Demo groups added: {demo_report.added['group']}", err=True)
            click.echo(f"Demo goal pictures added: {demo_report.added['goal_picture']}", err=True)
            from seeds.reviews import load_demo_reviews

            click.echo(f"Demo reviews added: {load_demo_reviews(uow)}", err=True)


@main.group()
def org() -> None:
    """Organisations."""


@org.command("add")
@click.argument("organisation_id")
@click.option("--name", required=True)
@click.option("--kind", required=True, type=click.Choice([k.value for k in OrgKind]))
@click.option("--area", "areas", multiple=True, help="Area code it serves (repeatable).")
@click.option("--parent", default=None, help="Parent organisation id.")
def org_add(
    organisation_id: str, name: str, kind: str, areas: tuple[str, ...], parent: str | None
) -> None:
    """Register an organisation."""
    values = {
        "id": organisation_id,
        "name": name,
        "kind": kind,
        "areas": list(areas),
        "parent_id": parent,
    }
    with _reported(), transaction() as uow:
        reference.create(uow, OPERATOR, "organisation", values)
    click.echo(f"Organisation {organisation_id} added.", err=True)


@main.group()
def token() -> None:
    """API tokens."""


@token.command("issue")
@click.argument("organisation_id", required=False)
@click.option("--admin", is_flag=True, help="A token for the admin role.")
@click.option("--label", default=None)
@click.option(
    "--expires",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]),
    default=None,
    help="When the token stops working, in UTC (2027-06-30 or 2027-06-30T12:00).",
)
def token_issue(
    organisation_id: str | None, admin: bool, label: str | None, expires: dt.datetime | None
) -> None:
    """Issue a token and print it alone on stdout (it is shown only this once)."""
    if admin == (organisation_id is not None):
        raise click.UsageError("Give an ORGANISATION_ID or --admin, not both.")
    expires_at = expires.replace(tzinfo=dt.UTC) if expires else None
    with _reported(), transaction() as uow:
        issued = tokens.issue_token(
            uow, OPERATOR, organisation_id, admin=admin, label=label, expires_at=expires_at
        )
    click.echo(issued.secret)
    click.echo(f"Token {issued.info.id} issued ({issued.info.prefix}…).", err=True)


@token.command("list")
def token_list() -> None:
    """List the tokens: id, first characters, holder, state (never the secrets)."""
    for info in tokens.list_tokens(unit_of_work(), OPERATOR):
        holder = "admin" if info.is_admin else info.organisation_id
        label = f" {info.label!r}" if info.label else ""
        used = info.last_used_at.isoformat(timespec="minutes") if info.last_used_at else "never"
        click.echo(
            f"{info.id}\t{info.prefix or '-'}…\t{holder}{label}\t{_state(info)}\tlast used {used}"
        )


def _state(info: TokenInfo) -> str:
    if info.revoked_at is not None:
        return f"revoked {info.revoked_at.isoformat(timespec='minutes')}"
    if info.expires_at is None:
        return "active"
    moment = info.expires_at.isoformat(timespec="minutes")
    return f"expired {moment}" if info.is_expired(dt.datetime.now(dt.UTC)) else f"expires {moment}"


@token.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID: it stops working at once, and its page sessions end."""
    with _reported(), transaction() as uow:
        info = tokens.revoke_token(uow, OPERATOR, token_id)
    click.echo(f"Token {info.id} ({info.prefix or '-'}…) revoked.", err=True)


@main.command()
@click.argument("path", type=click.File("rb"))
def publish(path: Any) -> None:
    """Publish a portfolio document (same validation as the API)."""
    click.echo("Reading and validating …", err=True)
    with _reported():
        try:
            document = PortfolioSchema().load(json.loads(path.read()))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise click.ClickException(f"Not a JSON document: {error}") from error
        except ValidationError as error:
            raise InvalidInput(
                "The document is not valid.", flatten_messages(error.messages)
            ) from error
        click.echo(f"Publishing {len(document['projects'])} projects …", err=True)
        result = retried_transaction(
            lambda uow: publishing.publish_portfolio(
                uow, OPERATOR, document["organisation"], document
            )
        )
    summary = {k: len(v) for k, v in vars(result).items()}
    click.echo(json.dumps({"organisation": document["organisation"], **summary}))


@main.command()
@click.option(
    "--workers", default=None, type=int, help="gunicorn workers [env WEB_CONCURRENCY, or 2]"
)
def serve(workers: int | None) -> None:
    """Serve with gunicorn at http://HOST:PORT (env HOST, PORT; default 127.0.0.1:8000).

    The settings (request limits, timeouts, workers) are in :mod:`api.gunicorn_conf`.
    """
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    url = current_app.config["DATABASE_URL"]
    os.environ["DATABASE_URL"] = url
    if workers is not None:
        os.environ["WEB_CONCURRENCY"] = str(workers)
    shown = os.environ.get("WEB_CONCURRENCY", "2")
    click.echo(
        f"Serving on http://{host}:{port} ({shown} workers) …\n"
        f"  Publishers sign in at http://{host}:{port}/sign-in with their organisation's"
        " token:\n  .venv/bin/ecosystem token issue ORGANISATION-ID   (e.g. kommune-aarhus)",
        err=True,
    )
    os.execv(gunicorn, [gunicorn, "--config", "python:api.gunicorn_conf", "api.wsgi:app"])


class _reported:
    """Show domain errors as readable messages with their places, not tracebacks."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: Any, _tb: Any) -> Literal[False]:
        if isinstance(error, InvalidInput):
            lines = [str(error)] + [f"  {e.field}: {e.message}" for e in error.errors]
            raise click.ClickException("\n".join(lines))
        if isinstance(error, EcosystemError):
            raise click.ClickException(str(error))
        return False


def _register_command_groups() -> None:
    from api.commands import embeddings, groups, imports, matches, overlaps, reviews

    for module in (overlaps, groups, imports, reviews, embeddings, matches):
        module.register(main)


_register_command_groups()
