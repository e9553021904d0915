"""`ecosystem embeddings build` and `ecosystem embeddings status`: the vectors of the texts."""

from __future__ import annotations

import json
import os
import socket
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from api.db import new_unit_of_work, transaction, unit_of_work
from ecosystem.services import embeddings


def register(main: click.Group) -> None:
    main.add_command(embeddings_group)


@click.group("embeddings", cls=AppGroup)
def embeddings_group() -> None:
    """Semantic vectors of the project texts (the embedding job)."""


@embeddings_group.command("status")
def status() -> None:
    """The model, and how many projects are embedded or waiting (JSON)."""
    found = embeddings.status(unit_of_work())
    click.echo(
        json.dumps(
            {
                "model": found.model_id,
                "problem": found.problem,
                "embedded": found.embedded,
                "queued": found.queued,
                "in_progress": found.in_progress,
            }
        )
    )


@embeddings_group.command("build")
def build() -> None:
    """Embed every project still waiting (and any without a vector of the current model)."""
    with transaction() as uow:
        found = embeddings.status(uow)
        if not found.available:
            raise click.ClickException(f"No embedder: {found.problem}")
        requested = embeddings.request_missing(uow)
    if requested:
        click.echo(f"{requested} projects had no vector of {found.model_id}; queued.", err=True)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    owner = f"cli:{socket.gethostname()}:{os.getpid()}"
    with _Bar() as bar:
        count = embeddings.drain(lambda: new_unit_of_work(app), owner, progress=bar)
    click.echo(f"{count} texts embedded with {found.model_id}.", err=True)


class _Bar:
    """A progress bar on a terminal, a line per batch in a log."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.done = 0

    def __enter__(self) -> _Bar:
        return self

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            click.echo(f"Embedded {done:,}/{total:,}", err=True)
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Embedding", file=sys.stderr)
            self.bar.__enter__()
        self.bar.length = total
        self.bar.update(done - self.done)
        self.done = done

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
