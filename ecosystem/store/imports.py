"""Imports: reading an upload against the reference data, previews, and publishing them.

An upload is first turned into a *preview* — what every row becomes and whether it would be
created, updated, left unchanged or (whole-portfolio imports) withdrawn — which is stored
here so any worker can publish it later. Publishing applies exactly the previewed change in
one transaction, and refuses when the organisation's data changed since the preview (its
*fingerprint* differs).

The DAC sector → theme mapping used by IATI imports is data: defaults in
``seeds/data/dac_theme_map.csv``, overridden per sector by admins (audited).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import importlib.util
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecosystem import iati
from ecosystem.errors import Conflict, FieldError, InvalidInput, NotFound, StaleData
from ecosystem.model import PublishResult
from ecosystem.spreadsheet import (
    MAX_FILE_BYTES,
    MAX_REPORTED_PROBLEMS,
    MAX_ROWS,
    FileRejected,
    ParsedImport,
    Problem,
    Progress,
    Term,
    Vocabularies,
    detect_format,
    parse_spreadsheet,
)
from ecosystem.store import projects
from ecosystem.store.tables import (
    Area,
    AuditEntry,
    Base,
    CatalogState,
    Goal,
    Organisation,
    TargetGroup,
    Theme,
    UTCDateTime,
    utcnow,
)

__all__ = [
    "DEFAULT_PREVIEW_TTL",
    "ImportPreview",
    "SectorThemeMapping",
    "create_preview",
    "default_sector_themes",
    "export_names",
    "fingerprint",
    "parse_upload",
    "plan_import",
    "preview_view",
    "publish_preview",
    "reset_sector_themes",
    "run_import",
    "sector_theme_rows",
    "sector_themes",
    "set_sector_themes",
    "vocabularies",
]

DEFAULT_PREVIEW_TTL = dt.timedelta(hours=2)
PENDING, PUBLISHED = "pending", "published"
_PUBLISHED_ACTIONS = ("created", "updated", "unchanged")


class ImportPreview(Base):
    """A stored dry run of one upload (see migration 0002)."""

    __tablename__ = "import_previews"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str | None] = mapped_column(String(300))
    full: Mapped[bool] = mapped_column(Boolean)
    fingerprint: Mapped[str] = mapped_column(String(64))
    publishable: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON())
    report: Mapped[dict[str, Any]] = mapped_column(JSON())
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class SectorThemeMapping(Base):
    """An admin's mapping of one DAC sector to themes, overriding the default."""

    __tablename__ = "iati_sector_themes"
    sector_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    themes: Mapped[list[str]] = mapped_column(JSON())
    actor: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


# --- reference data as plain vocabularies ----------------------------------------------


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


# --- the DAC sector → theme mapping ----------------------------------------------------


def _seeds_data(name: str) -> Path:
    """A file under seeds/data, found without importing the seeds package (and its loaders)."""
    spec = importlib.util.find_spec("seeds")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("The seeds package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / name


@functools.cache
def _default_map() -> tuple[dict[str, list[str]], dict[str, str]]:
    themes: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    with _seeds_data("dac_theme_map.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            themes.setdefault(row["sector_code"], []).append(row["theme_code"])
            names[row["sector_code"]] = row["sector_name"]
    return themes, names


def default_sector_themes() -> dict[str, list[str]]:
    """The shipped defaults: DAC sector code (5 digits, or a 3-digit category) → themes."""
    return {code: list(themes) for code, themes in _default_map()[0].items()}


def sector_themes(session: Session) -> dict[str, list[str]]:
    """The mapping in force: defaults overridden by admins, only themes that exist."""
    mapping = default_sector_themes()
    for row in session.scalars(select(SectorThemeMapping)):
        mapping[row.sector_code] = list(row.themes)
    known = {code for (code,) in session.execute(select(Theme.code))}
    return {sector: [t for t in themes if t in known] for sector, themes in mapping.items()}


def sector_theme_rows(session: Session) -> list[dict[str, Any]]:
    """Every mapped sector with its themes and where the mapping comes from."""
    defaults, names = _default_map()
    overrides = {row.sector_code: row for row in session.scalars(select(SectorThemeMapping))}
    known = {code for (code,) in session.execute(select(Theme.code))}
    rows = []
    for sector in sorted(defaults.keys() | overrides.keys()):
        override = overrides.get(sector)
        themes = list(override.themes) if override else list(defaults[sector])
        rows.append(
            {
                "sector": sector,
                "sector_name": names.get(sector),
                "themes": [theme for theme in themes if theme in known],
                "unknown_themes": [theme for theme in themes if theme not in known],
                "source": "admin" if override else "default",
                "updated_by": override.actor if override else None,
                "updated_at": override.updated_at if override else None,
            }
        )
    return rows


def set_sector_themes(
    session: Session, sector: str, themes: Sequence[str], actor: str
) -> dict[str, Any]:
    """Map one DAC sector to themes (an empty list means: this sector maps to no theme)."""
    known = {code for (code,) in session.execute(select(Theme.code))}
    errors = [
        FieldError(f"themes[{index}]", f"Unknown theme code {code!r}.")
        for index, code in enumerate(themes)
        if code not in known
    ]
    if errors:
        raise InvalidInput(
            "Temaerne findes ikke. / The mapping refers to themes that do not exist.", errors
        )
    unique = list(dict.fromkeys(themes))
    row = session.get(SectorThemeMapping, sector)
    if row is None:
        row = SectorThemeMapping(
            sector_code=sector, themes=unique, actor=actor, updated_at=utcnow()
        )
        session.add(row)
    else:
        row.themes, row.actor, row.updated_at = unique, actor, utcnow()
    session.add(
        AuditEntry(
            entity="iati_sector_theme",
            key=sector,
            action="updated",
            data={"themes": unique},
            actor=actor,
        )
    )
    session.flush()
    return next(item for item in sector_theme_rows(session) if item["sector"] == sector)


def reset_sector_themes(session: Session, sector: str, actor: str) -> None:
    """Drop an admin's mapping of one sector, so the shipped default applies again."""
    row = session.get(SectorThemeMapping, sector)
    if row is None:
        raise NotFound(
            f"Sektor {sector!r} har ingen administratortilknytning. / "
            f"No admin mapping for sector {sector!r}."
        )
    session.delete(row)
    session.add(
        AuditEntry(
            entity="iati_sector_theme",
            key=sector,
            action="reset",
            data={"themes": list(row.themes)},
            actor=actor,
        )
    )
    session.flush()


# --- reading an upload -----------------------------------------------------------------


def parse_upload(
    session: Session,
    content: bytes,
    *,
    organisation_id: str,
    filename: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_rows: int = MAX_ROWS,
    progress: Progress | None = None,
) -> ParsedImport:
    """Read a CSV, XLSX or IATI XML file against the current reference data."""
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(f"No organisation {organisation_id!r}.")
    if len(content) > max_bytes:
        raise FileRejected(
            f"Filen er for stor ({len(content) / 1e6:.1f} MB); højst {max_bytes / 1e6:.0f} MB",
            f"The file is too large ({len(content) / 1e6:.1f} MB); at most {max_bytes / 1e6:.0f} MB",
            reason="too_large",
        )
    if not content.strip():
        raise FileRejected("Filen er tom", "The file is empty")
    vocabulary = vocabularies(session)
    if detect_format(content, filename) == "iati":
        return iati.parse_activities(
            content,
            vocabulary,
            sector_themes=sector_themes(session),
            organisation_id=organisation_id,
            max_rows=max_rows,
            progress=progress,
        )
    return parse_spreadsheet(
        content,
        vocabulary,
        filename=filename,
        organisation_id=organisation_id,
        max_rows=max_rows,
        max_bytes=max_bytes,
        progress=progress,
    )


# --- planning: what the upload would change --------------------------------------------


@dataclass
class ImportPlan:
    """The publish plan for the valid rows, and a report of every row for people."""

    plan: projects.PublishPlan
    rows: list[dict[str, Any]]
    fingerprint: str
    summary: dict[str, Any]


def fingerprint(organisation_id: str, current: Mapping[str, Any]) -> str:
    """A digest of the organisation's projects as they stand: any publish changes it.

    Every change to a project raises its revision, and every new project adds a row, so
    (external id, revision, withdrawn) over all projects identifies the state exactly.
    """
    digest = hashlib.sha256(organisation_id.encode())
    for external_id in sorted(current):
        row = current[external_id]
        digest.update(f"\n{external_id}\t{row.revision}\t{int(bool(row.withdrawn))}".encode())
    return digest.hexdigest()


def plan_import(
    session: Session, organisation_id: str, parsed: ParsedImport, *, full: bool
) -> ImportPlan:
    """What publishing the file would do to each project, without writing anything."""
    valid = [row for row in parsed.rows if row.valid]
    plan = projects.plan_publish(
        session,
        organisation_id,
        [row.project for row in valid],
        full=full,
        path_of=lambda index: f"row {valid[index].number}",
    )
    changed = {row.external_id: (row, action) for row, _data, action in plan.changes}
    created = set(plan.result.created)
    report: list[dict[str, Any]] = []
    for row in parsed.rows:
        external_id = row.external_id
        entry: dict[str, Any] = {
            "row": row.number,
            "external_id": external_id,
            "project": row.project,
            "problems": [problem.as_dict() for problem in row.problems],
            "changed_fields": [],
        }
        if not row.valid:
            entry["action"] = "invalid"
        elif external_id in created:
            entry["action"] = "created"
        elif external_id in changed:
            before, action = changed[external_id]
            entry["action"] = "updated"
            entry["restored"] = action == "restored"
            entry["changed_fields"] = _changed_fields(before.data, row.project)
        else:
            entry["action"] = "unchanged"
        report.append(entry)
    # A row with errors is not withdrawn just because it could not be read.
    unreadable = {row.external_id for row in parsed.rows if not row.valid}
    plan.result.withdrawn = [eid for eid in plan.result.withdrawn if eid not in unreadable]
    plan.changes = [
        change
        for change in plan.changes
        if not (change[2] == "withdrawn" and change[0].external_id in unreadable)
    ]
    for external_id in plan.result.withdrawn:
        report.append(
            {
                "row": None,
                "external_id": external_id,
                "project": plan.current[external_id].data,
                "problems": [],
                "changed_fields": [],
                "action": "withdrawn",
            }
        )
    summary = {
        "rows": len(parsed.rows),
        "created": len(plan.result.created),
        "updated": len(plan.result.updated),
        "unchanged": len(plan.result.unchanged),
        "withdrawn": len(plan.result.withdrawn),
        "invalid": sum(1 for row in parsed.rows if not row.valid),
        "errors": parsed.error_count,
        "warnings": sum(1 for p in parsed.all_problems() if p.severity == "warning"),
    }
    return ImportPlan(plan, report, fingerprint(organisation_id, plan.current), summary)


def _changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


# --- previews --------------------------------------------------------------------------


def create_preview(
    session: Session,
    organisation_id: str,
    parsed: ParsedImport,
    *,
    full: bool,
    actor: str,
    filename: str | None = None,
    ttl: dt.timedelta = DEFAULT_PREVIEW_TTL,
) -> ImportPreview:
    """Store the dry run of an upload so that any worker can show and publish it."""
    now = utcnow()
    session.execute(delete(ImportPreview).where(ImportPreview.expires_at < now))
    planned = plan_import(session, organisation_id, parsed, full=full)
    preview = ImportPreview(
        id=secrets.token_hex(16),
        organisation_id=organisation_id,
        actor=actor,
        source=parsed.source,
        filename=(filename or "")[:300] or None,
        full=full,
        fingerprint=planned.fingerprint,
        publishable=parsed.publishable,
        status=PENDING,
        summary=planned.summary,
        report={
            "details": parsed.details,
            "problems": [problem.as_dict() for problem in parsed.problems],
            "rows": planned.rows,
        },
        result=None,
        created_at=now,
        expires_at=now + ttl,
        published_at=None,
    )
    session.add(preview)
    session.flush()
    return preview


def _find_preview(session: Session, organisation_id: str, preview_id: str) -> ImportPreview:
    preview = session.get(ImportPreview, preview_id)
    if preview is None or preview.organisation_id != organisation_id:
        raise NotFound(
            f"Forhåndsvisningen {preview_id!r} findes ikke for {organisation_id!r}. / "
            f"No import preview {preview_id!r} for {organisation_id!r}."
        )
    if preview.status == PENDING and preview.expires_at < utcnow():
        raise NotFound(
            f"Forhåndsvisningen {preview_id!r} er udløbet; upload filen igen. / "
            f"The import preview {preview_id!r} has expired; upload the file again."
        )
    return preview


def preview_view(
    session: Session,
    organisation_id: str,
    preview: ImportPreview | str,
    *,
    page: int = 1,
    per_page: int = 100,
    action: str | None = None,
) -> dict[str, Any]:
    """The preview for people: summary, problems and one page of rows."""
    if isinstance(preview, str):
        preview = _find_preview(session, organisation_id, preview)
    rows = preview.report["rows"]
    if action is not None:
        rows = [row for row in rows if row["action"] == action]
    start = (page - 1) * per_page
    problems = [
        *preview.report["problems"],
        *(problem for row in preview.report["rows"] for problem in row["problems"]),
    ]
    return {
        "id": preview.id,
        "organisation": preview.organisation_id,
        "status": preview.status,
        "source": preview.source,
        "filename": preview.filename,
        "full": preview.full,
        "publishable": preview.publishable and preview.status == PENDING,
        "created_at": preview.created_at,
        "expires_at": preview.expires_at,
        "published_at": preview.published_at,
        "details": preview.report["details"],
        "summary": preview.summary,
        "problems": problems[:MAX_REPORTED_PROBLEMS],
        "problem_count": len(problems),
        "rows": rows[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total_rows": len(rows),
        "result": preview.result,
    }


def publish_preview(
    session: Session, organisation_id: str, preview_id: str, *, actor: str
) -> PublishResult:
    """Apply exactly the previewed change, or refuse if the data changed since the preview."""
    preview = _find_preview(session, organisation_id, preview_id)
    if preview.status != PENDING:
        raise _already_published(preview_id)
    if not preview.publishable:
        raise _unpublishable(preview)
    # Claim the preview first: a second confirmation waits here, then finds it taken.
    claimed = session.execute(
        update(ImportPreview)
        .where(ImportPreview.id == preview.id, ImportPreview.status == PENDING)
        .values(status=PUBLISHED, published_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise _already_published(preview_id)
    # Serialise with every other publish (PostgreSQL; SQLite has one writer anyway).
    session.execute(select(CatalogState.version).where(CatalogState.id == 1).with_for_update())
    cards = [
        row["project"] for row in preview.report["rows"] if row["action"] in _PUBLISHED_ACTIONS
    ]
    plan = projects.plan_publish(session, organisation_id, cards, full=preview.full)
    summary = preview.summary
    same = fingerprint(organisation_id, plan.current) == preview.fingerprint and (
        len(plan.result.created),
        len(plan.result.updated),
        len(plan.result.withdrawn),
    ) == (summary["created"], summary["updated"], summary["withdrawn"])
    if not same:
        raise StaleData(
            "Organisationens data er ændret siden forhåndsvisningen; upload filen igen for en ny "
            "forhåndsvisning. / The organisation's data changed since the preview; upload the "
            "file again for a new preview."
        )
    result = projects.apply_plan(session, plan, actor=actor)
    session.execute(
        update(ImportPreview)
        .where(ImportPreview.id == preview.id)
        .values(result=_result_dict(result))
        .execution_options(synchronize_session=False)
    )
    session.expire(preview)
    return result


def _already_published(preview_id: str) -> Conflict:
    return Conflict(
        f"Forhåndsvisningen {preview_id!r} er allerede udgivet. / "
        f"The import preview {preview_id!r} has already been published."
    )


def _result_dict(result: PublishResult) -> dict[str, list[str]]:
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "withdrawn": result.withdrawn,
    }


def _unpublishable(preview: ImportPreview) -> InvalidInput:
    problems = [
        Problem.from_dict(problem)
        for problem in (
            *preview.report["problems"],
            *(p for row in preview.report["rows"] for p in row["problems"]),
        )
        if problem.get("severity", "error") == "error"
    ]
    if not preview.report["rows"]:
        problems.append(Problem("Filen har ingen projekter", "The file has no projects"))
    return InvalidInput(
        f"Filen har {len(problems)} fejl; intet er udgivet. / The file has {len(problems)} "
        "problem(s); nothing was published.",
        [FieldError(p.place, p.message) for p in problems[:MAX_REPORTED_PROBLEMS]],
    )


# --- the command line: preview and publish in one go ----------------------------------


def run_import(
    session: Session,
    organisation_id: str,
    parsed: ParsedImport,
    *,
    full: bool,
    actor: str,
    dry_run: bool,
) -> tuple[ImportPlan, PublishResult | None]:
    """Plan an import and, unless it is a dry run or has errors, apply it in this transaction."""
    session.execute(select(CatalogState.version).where(CatalogState.id == 1).with_for_update())
    planned = plan_import(session, organisation_id, parsed, full=full)
    if dry_run or not parsed.publishable:
        return planned, None
    return planned, projects.apply_plan(session, planned.plan, actor=actor)
