"""Schema migrations: the only way the schema is created or changed (tests included)."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ecosystem.errors import DatabaseUnavailable

__all__ = ["current_revision", "engine_of", "head_revision", "revision_of", "upgrade"]


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("ecosystem") / "migrations"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` up to ``revision``."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def revision_of(session: Session) -> str | None:
    """The schema revision of the session's database; :class:`DatabaseUnavailable` if unreachable."""
    try:
        return current_revision(engine_of(session))
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(str(error)) from error
