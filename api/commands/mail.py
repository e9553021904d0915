"""E-mail from the commands: the SMTP settings and one way to send, shared by every mailing.

The server is ``SMTP_HOST`` / ``SMTP_PORT`` (app config, or the environment variables
``ECOSYSTEM_SMTP_HOST`` / ``ECOSYSTEM_SMTP_PORT``), the sender ``MAIL_FROM`` /
``ECOSYSTEM_MAIL_FROM``. Used by ``ecosystem reviews reminders`` and ``ecosystem matches
digest``.
"""

from __future__ import annotations

import os
import smtplib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage

import click
from flask import current_app

__all__ = ["MailSettings", "Mailer", "mailer", "smtp_settings"]


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    sender: str


def smtp_settings() -> MailSettings | None:
    """The configured SMTP server and sender; None when no server is set up."""
    config = current_app.config
    host = config.get("SMTP_HOST") or os.environ.get("ECOSYSTEM_SMTP_HOST")
    if not host:
        return None
    port = int(config.get("SMTP_PORT") or os.environ.get("ECOSYSTEM_SMTP_PORT") or 25)
    sender = (
        config.get("MAIL_FROM")
        or os.environ.get("ECOSYSTEM_MAIL_FROM")
        or "sekretariat@ecosystem.invalid"
    )
    return MailSettings(str(host), port, str(sender))


class Mailer:
    """One open connection to the SMTP server."""

    def __init__(self, smtp: smtplib.SMTP, sender: str) -> None:
        self._smtp = smtp
        self._sender = sender

    def send(self, recipients: Sequence[str], subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = ", ".join(recipients)
        message["Subject"] = subject
        message.set_content(body)
        self._smtp.send_message(message)


@contextmanager
def mailer() -> Iterator[Mailer]:
    """A connection to the configured server; a clear error when there is none."""
    settings = smtp_settings()
    if settings is None:
        raise click.ClickException(
            "Ingen SMTP-server er sat op (SMTP_HOST) / No SMTP server is configured (SMTP_HOST)."
        )
    with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
        yield Mailer(smtp, settings.sender)
