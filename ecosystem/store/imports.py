"""Reference data as imports and exports see it: plain vocabularies and export names.

A sheet may name any theme, target group, area, goal or organisation by code, label or a
common spelling (:class:`~ecosystem.spreadsheet.Vocabularies`); an IATI export writes
names and kinds next to codes (:class:`~ecosystem.iati.ExportNames`). The stored previews
are in :mod:`ecosystem.store.previews`, the sector mapping in
:mod:`ecosystem.store.sector_themes`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecosystem import iati
from ecosystem.spreadsheet import Term, Vocabularies
from ecosystem.store.tables import Area, Goal, Organisation, TargetGroup, Theme

__all__ = ["export_names", "known_themes", "vocabularies"]


def vocabularies(session: Session) -> Vocabularies:
    """Everything a sheet may name, with the extra spellings people use for places."""
    return Vocabularies(
        themes=tuple(
            Term(code, da, en)
            for code, da, en in session.execute(
                select(Theme.code, Theme.label_da, Theme.label_en).order_by(Theme.code)
            )
        ),
        target_groups=tuple(
            Term(code, da, en)
            for code, da, en in session.execute(
                select(TargetGroup.code, TargetGroup.label_da, TargetGroup.label_en).order_by(
                    TargetGroup.code
                )
            )
        ),
        areas=tuple(
            Term(code, da, en, _area_aliases(scheme, da, en))
            for code, da, en, scheme in session.execute(
                select(Area.code, Area.name_da, Area.name_en, Area.scheme).order_by(Area.code)
            )
        ),
        goals=tuple(
            Term(code, da, en)
            for code, da, en in session.execute(
                select(Goal.code, Goal.title_da, Goal.title_en).order_by(Goal.code)
            )
        ),
        organisations=tuple(
            Term(code, name)
            for code, name in session.execute(
                select(Organisation.id, Organisation.name).order_by(Organisation.id)
            )
        ),
    )


def _area_aliases(scheme: str, name_da: str, name_en: str) -> tuple[str, ...]:
    if scheme == "municipality":
        # "Aarhus Kommune", and the genitive of the capital: "Københavns Kommune".
        return (f"{name_da} Kommune", f"{name_da}s Kommune", f"{name_en} Municipality")
    if scheme == "national":
        return ("Hele landet", "Nationalt", "National", "Nationwide")
    return ()


def export_names(session: Session) -> iati.ExportNames:
    """The names and kinds an IATI export writes next to codes."""
    return iati.ExportNames(
        organisations={
            code: (name, kind)
            for code, name, kind in session.execute(
                select(Organisation.id, Organisation.name, Organisation.kind)
            )
        },
        areas={
            code: (name, scheme)
            for code, name, scheme in session.execute(select(Area.code, Area.name_da, Area.scheme))
        },
        themes={code: label for code, label in session.execute(select(Theme.code, Theme.label_da))},
        target_groups={
            code: label
            for code, label in session.execute(select(TargetGroup.code, TargetGroup.label_da))
        },
        goals={code: title for code, title in session.execute(select(Goal.code, Goal.title_da))},
    )


def known_themes(session: Session) -> set[str]:
    """Every theme code (sub-themes included)."""
    return set(session.scalars(select(Theme.code)))
