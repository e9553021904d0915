"""Import previews: the stored dry run of one upload, and whether it may still be published.

An upload is read and planned (:func:`ecosystem.publishing.plan_import`) and kept as a
:class:`Preview` so that any worker can show it and publish it later. Publishing applies
exactly the previewed change, or nothing: a preview is published once, only without
errors, and only while the organisation's projects are as they were (its fingerprint).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ecosystem.errors import FieldError, InvalidInput
from ecosystem.model import PublishResult
from ecosystem.publishing import ImportPlan, PublishPlan, fingerprint
from ecosystem.spreadsheet import MAX_REPORTED_PROBLEMS, ParsedImport, Problem

__all__ = [
    "DEFAULT_PREVIEW_TTL",
    "PENDING",
    "PUBLISHED",
    "Preview",
    "new_preview",
    "result_dict",
    "still_as_previewed",
    "unpublishable",
]

DEFAULT_PREVIEW_TTL = dt.timedelta(hours=2)
PENDING, PUBLISHED = "pending", "published"
# The row actions a publish applies; invalid rows are left out, withdrawals follow from ``full``.
_PUBLISHED_ACTIONS = ("created", "updated", "unchanged")


@dataclass(frozen=True)
class Preview:
    """A stored dry run of one upload: what every row becomes, and what publishing would do.

    ``report`` holds how the file was read (``details``), the file's own ``problems`` and
    every row's report (``rows``, see :func:`ecosystem.publishing.plan_import`).
    """

    id: str
    organisation_id: str
    actor: str
    source: str
    filename: str | None
    full: bool
    fingerprint: str
    publishable: bool
    status: str
    summary: dict[str, Any]
    report: dict[str, Any]
    result: dict[str, Any] | None
    created_at: dt.datetime
    expires_at: dt.datetime
    published_at: dt.datetime | None = None

    @property
    def pending(self) -> bool:
        return self.status == PENDING

    def expired(self, now: dt.datetime) -> bool:
        """A pending preview lasts until it expires; a published one is kept as a record."""
        return self.pending and self.expires_at < now

    def problems(self) -> list[dict[str, Any]]:
        """Every problem of the file, then of each row, in order."""
        rows = self.report["rows"]
        return [*self.report["problems"], *(p for row in rows for p in row["problems"])]

    def cards(self) -> list[dict[str, Any]]:
        """The cards publishing applies: every row that was read without errors."""
        return [
            row["project"] for row in self.report["rows"] if row["action"] in _PUBLISHED_ACTIONS
        ]


def new_preview(
    preview_id: str,
    organisation_id: str,
    parsed: ParsedImport,
    planned: ImportPlan,
    *,
    full: bool,
    actor: str,
    filename: str | None,
    now: dt.datetime,
    ttl: dt.timedelta = DEFAULT_PREVIEW_TTL,
) -> Preview:
    """The preview of a file read as ``parsed`` and planned as ``planned``, made ``now``."""
    return Preview(
        id=preview_id,
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
    )


def still_as_previewed(preview: Preview, plan: PublishPlan) -> bool:
    """Whether ``plan`` does exactly what the preview showed, on the same data."""
    summary = preview.summary
    counts = (len(plan.result.created), len(plan.result.updated), len(plan.result.withdrawn))
    return fingerprint(preview.organisation_id, plan.current) == preview.fingerprint and (
        counts == (summary["created"], summary["updated"], summary["withdrawn"])
    )


def unpublishable(preview: Preview) -> InvalidInput:
    """Why a preview with errors (or without projects) cannot be published, by place."""
    problems = [
        Problem.from_dict(problem)
        for problem in preview.problems()
        if problem.get("severity", "error") == "error"
    ]
    if not preview.report["rows"]:
        problems.append(Problem("Filen har ingen projekter", "The file has no projects"))
    return InvalidInput(
        f"Filen har {len(problems)} fejl; intet er udgivet. / The file has {len(problems)} "
        "problem(s); nothing was published.",
        [FieldError(p.place, p.message) for p in problems[:MAX_REPORTED_PROBLEMS]],
    )


def result_dict(result: PublishResult) -> dict[str, list[str]]:
    """What a published preview did, as it is kept with the preview."""
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "withdrawn": result.withdrawn,
    }
