"""CLI commands for groups (filled in by its issue)."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add this module's commands to the `ecosystem` command."""
