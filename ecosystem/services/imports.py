"""Spreadsheet and IATI imports: the template, upload → stored preview → publish, the CLI run.

An upload is read against the current reference data and stored as a *preview* (a dry
run: what every row becomes) that any worker can show and publish. Publishing applies
exactly the previewed change in one transaction, or refuses when the organisation's data
changed since (:class:`~ecosystem.errors.StaleData`). The command line reads, plans and
publishes in one go. The DAC sector → theme mapping that IATI imports use is here too.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from ecosystem import previews
from ecosystem import publishing as core
from ecosystem.errors import Conflict, NotFound, StaleData
from ecosystem.iati import parse_activities, sectors
from ecosystem.model import Principal, PublishResult
from ecosystem.previews import DEFAULT_PREVIEW_TTL, Preview
from ecosystem.publishing import ImportPlan
from ecosystem.services.permissions import actor_name, may_publish_for, require_admin
from ecosystem.services.publishing import plan_publish
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.spreadsheet import (
    DEFAULT_WORKBOOK_LIMITS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    FileRejected,
    ParsedImport,
    Progress,
    WorkbookLimits,
    detect_format,
    parse_spreadsheet,
    template_csv,
    template_xlsx,
    too_large,
)
from ecosystem.store import goals as goal_store
from ecosystem.store import imports as import_store
from ecosystem.store import previews as preview_store
from ecosystem.store import publishing as publish_store
from ecosystem.store import sector_themes as sector_store

__all__ = [
    "ImportLimits",
    "ImportRun",
    "get_preview",
    "publish_preview",
    "reset_sector_themes",
    "run_import",
    "sector_themes",
    "set_sector_themes",
    "template",
    "upload",
]


@dataclass(frozen=True)
class ImportLimits:
    """How large a file may be, how many rows it may have, and how long a preview lasts.

    ``workbook`` bounds what an XLSX may unpack to and how many cells are read from it.
    """

    max_bytes: int = MAX_FILE_BYTES
    max_rows: int = MAX_ROWS
    preview_ttl: dt.timedelta = DEFAULT_PREVIEW_TTL
    workbook: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS


@dataclass(frozen=True)
class ImportRun:
    """A file read and planned by the command line, and what publishing it did (if it did)."""

    parsed: ParsedImport
    planned: ImportPlan
    result: PublishResult | None


def template(uow: UnitOfWork, fmt: str) -> bytes:
    """The import template: CSV headers, or XLSX with a guide and the codes in use."""
    if fmt == "csv":
        return template_csv()
    return template_xlsx(import_store.vocabularies(uow.session))


def upload(
    uow: UnitOfWork,
    principal: Principal,
    organisation_id: str,
    content: bytes,
    *,
    filename: str | None,
    full: bool,
    limits: ImportLimits = ImportLimits(),
) -> Preview:
    """Read an uploaded file and store its preview; nothing is published yet.

    A file that cannot be read at all raises :class:`~ecosystem.spreadsheet.FileRejected`
    (too large, unsupported or unreadable) and nothing is stored.
    """
    may_publish_for(principal, organisation_id)
    parsed = _read(uow, organisation_id, content, filename=filename, limits=limits)
    now = _now()
    preview_store.delete_expired(uow.session, now)
    planned = _plan(uow, organisation_id, parsed, full=full)
    preview = previews.new_preview(
        secrets.token_hex(16),
        organisation_id,
        parsed,
        planned,
        full=full,
        actor=actor_name(principal),
        filename=filename,
        now=now,
        ttl=limits.preview_ttl,
    )
    preview_store.add(uow.session, preview)
    return preview


def get_preview(
    uow: UnitOfWork, principal: Principal, organisation_id: str, preview_id: str
) -> Preview:
    """A preview of the organisation's, as stored; :class:`NotFound` once it has expired."""
    may_publish_for(principal, organisation_id)
    return _find(uow, organisation_id, preview_id)


def publish_preview(
    uow: UnitOfWork, principal: Principal, organisation_id: str, preview_id: str
) -> PublishResult:
    """Apply exactly the previewed change, or refuse if the data changed since the preview."""
    may_publish_for(principal, organisation_id)
    preview = _find(uow, organisation_id, preview_id)
    if not preview.pending:
        raise _already_published(preview_id)
    if not preview.publishable:
        raise previews.unpublishable(preview)
    # The organisation first, as every publish does (one lock order, no deadlock).
    publish_store.lock_organisation(uow.session, organisation_id)
    # Claim the preview first: a second confirmation waits here, then finds it taken.
    if not preview_store.claim(uow.session, preview.id, _now()):
        raise _already_published(preview_id)
    publish_store.lock_catalogue(uow.session)
    plan = plan_publish(uow, organisation_id, preview.cards(), full=preview.full)
    if not previews.still_as_previewed(preview, plan):
        raise StaleData(
            "Organisationens data er ændret siden forhåndsvisningen; upload filen igen for en ny "
            "forhåndsvisning. / The organisation's data changed since the preview; upload the "
            "file again for a new preview."
        )
    result = publish_store.apply_plan(uow.session, plan, actor=actor_name(principal))
    preview_store.record_result(uow.session, preview.id, previews.result_dict(result))
    return result


def run_import(
    uow: UnitOfWork,
    principal: Principal,
    organisation_id: str,
    content: bytes,
    *,
    filename: str | None,
    full: bool,
    dry_run: bool,
    limits: ImportLimits = ImportLimits(),
    progress: Progress | None = None,
    actor: str | None = None,
) -> ImportRun:
    """Read and plan a file and, unless it is a dry run or has errors, publish it.

    ``actor`` names who the history says made the change (by default, the principal).
    """
    may_publish_for(principal, organisation_id)
    parsed = _read(
        uow, organisation_id, content, filename=filename, limits=limits, progress=progress
    )
    publish_store.lock_organisation(uow.session, organisation_id)
    publish_store.lock_catalogue(uow.session)
    planned = _plan(uow, organisation_id, parsed, full=full)
    if dry_run or not parsed.publishable:
        return ImportRun(parsed, planned, None)
    result = publish_store.apply_plan(
        uow.session, planned.plan, actor=actor or actor_name(principal)
    )
    return ImportRun(parsed, planned, result)


# --- the DAC sector → theme mapping ---------------------------------------------------------


def sector_themes(uow: UnitOfWork) -> list[sectors.SectorThemes]:
    """Every mapped DAC sector with its themes and where the mapping comes from."""
    known = import_store.known_themes(uow.session)
    return sectors.sector_theme_rows(sector_store.overrides(uow.session), known)


def set_sector_themes(
    uow: UnitOfWork, principal: Principal, sector: str, themes: Sequence[str]
) -> sectors.SectorThemes:
    """Map a DAC sector to themes (admins; audited); an empty list maps it to no theme."""
    require_admin(principal)
    sectors.check_sector_code(sector)
    checked = sectors.checked_themes(themes, import_store.known_themes(uow.session))
    sector_store.set_override(uow.session, sector, checked, actor_name(principal))
    return next(row for row in sector_themes(uow) if row.sector == sector)


def reset_sector_themes(uow: UnitOfWork, principal: Principal, sector: str) -> None:
    """Drop the admins' mapping of a sector, so the shipped default applies (admins)."""
    require_admin(principal)
    sector_store.drop_override(uow.session, sector, actor_name(principal))


# --- reading and planning -------------------------------------------------------------------


def _read(
    uow: UnitOfWork,
    organisation_id: str,
    content: bytes,
    *,
    filename: str | None,
    limits: ImportLimits,
    progress: Progress | None = None,
) -> ParsedImport:
    """Read a CSV, XLSX or IATI XML file against the current reference data."""
    publish_store.require_organisation(uow.session, organisation_id)
    if len(content) > limits.max_bytes:
        raise too_large(len(content), limits.max_bytes)
    if not content.strip():
        raise FileRejected("Filen er tom", "The file is empty")
    vocabulary = import_store.vocabularies(uow.session)
    if detect_format(content, filename) == "iati":
        known = import_store.known_themes(uow.session)
        return parse_activities(
            content,
            vocabulary,
            sector_themes=sectors.themes_in_force(sector_store.overrides(uow.session), known),
            organisation_id=organisation_id,
            max_rows=limits.max_rows,
            progress=progress,
        )
    return parse_spreadsheet(
        content,
        vocabulary,
        filename=filename,
        organisation_id=organisation_id,
        max_rows=limits.max_rows,
        max_bytes=limits.max_bytes,
        workbook_limits=limits.workbook,
        progress=progress,
    )


def _plan(uow: UnitOfWork, organisation_id: str, parsed: ParsedImport, *, full: bool) -> ImportPlan:
    """What publishing the file would do to each project, checked against the reference data."""
    valid = [row for row in parsed.rows if row.valid]
    # As in publishing.plan_publish; the rows were just read, so they are rewritten in place.
    goal_store.resolve_own_goals(uow.session, organisation_id, [row.project for row in valid])
    publish_store.check_references(
        uow.session, [row.project for row in valid], lambda index: f"row {valid[index].number}"
    )
    current = publish_store.current_cards(uow.session, organisation_id)
    return core.plan_import(organisation_id, current, parsed, full=full)


def _find(uow: UnitOfWork, organisation_id: str, preview_id: str) -> Preview:
    preview = preview_store.get(uow.session, preview_id)
    if preview is None or preview.organisation_id != organisation_id:
        raise NotFound(
            f"Forhåndsvisningen {preview_id!r} findes ikke for {organisation_id!r}. / "
            f"No import preview {preview_id!r} for {organisation_id!r}."
        )
    if preview.expired(_now()):
        raise NotFound(
            f"Forhåndsvisningen {preview_id!r} er udløbet; upload filen igen. / "
            f"The import preview {preview_id!r} has expired; upload the file again."
        )
    return preview


def _already_published(preview_id: str) -> Conflict:
    return Conflict(
        f"Forhåndsvisningen {preview_id!r} er allerede udgivet. / "
        f"The import preview {preview_id!r} has already been published."
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
