"""Admins' mappings of DAC sectors to themes (the defaults are data, see ecosystem.iati.sectors)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecosystem.errors import NotFound
from ecosystem.iati.sectors import SectorOverride
from ecosystem.store.tables import AuditEntry, Base, UTCDateTime, utcnow

__all__ = ["SectorThemeMapping", "drop_override", "overrides", "set_override"]


class SectorThemeMapping(Base):
    """An admin's mapping of one DAC sector to themes, overriding the default."""

    __tablename__ = "iati_sector_themes"
    sector_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    themes: Mapped[list[str]] = mapped_column(JSON())
    actor: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


def overrides(session: Session) -> dict[str, SectorOverride]:
    """Every sector an admin has mapped, by sector code."""
    return {
        row.sector_code: SectorOverride(list(row.themes), row.actor, row.updated_at)
        for row in session.scalars(select(SectorThemeMapping))
    }


def set_override(session: Session, sector: str, themes: Sequence[str], actor: str) -> None:
    """Map one sector to ``themes`` (checked by the caller), audited."""
    row = session.get(SectorThemeMapping, sector)
    if row is None:
        row = SectorThemeMapping(
            sector_code=sector, themes=list(themes), actor=actor, updated_at=utcnow()
        )
        session.add(row)
    else:
        row.themes, row.actor, row.updated_at = list(themes), actor, utcnow()
    _audit(session, sector, "updated", list(themes), actor)
    session.flush()


def drop_override(session: Session, sector: str, actor: str) -> None:
    """Drop an admin's mapping of one sector, so the shipped default applies again."""
    row = session.get(SectorThemeMapping, sector)
    if row is None:
        raise NotFound(
            f"Sektor {sector!r} har ingen administratortilknytning. / "
            f"No admin mapping for sector {sector!r}."
        )
    session.delete(row)
    _audit(session, sector, "reset", list(row.themes), actor)
    session.flush()


def _audit(session: Session, sector: str, action: str, themes: list[str], actor: str) -> None:
    session.add(
        AuditEntry(
            entity="iati_sector_theme",
            key=sector,
            action=action,
            data={"themes": themes},
            actor=actor,
        )
    )
