"""Fuzzing the API from its own OpenAPI document: every answer must be below 500.

Shared by ``tests/api/test_fuzz.py`` (short, fixed seed) and ``benchmarks/fuzz_api.py``
(long runs with a table). Schemathesis generates requests for each operation, valid ones
(``positive``) and ones that break the document (``negative``); Hypothesis drives it with
a fixed seed, without shrinking or an example database, so a run is repeatable and a
failure is reported as the request that caused it rather than minimised at length.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as fixed_seed
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure as CheckFailure
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

__all__ = ["Failure", "FuzzRun", "fuzz"]

OPENAPI = "/api/v1/openapi.json"


@dataclass(frozen=True)
class Failure:
    """A request answered with 5xx (or an exception, which a testing app raises), or an
    answer the OpenAPI document does not describe (status, media type or body)."""

    operation: str
    status: int | str
    detail: str
    request: str


@dataclass
class FuzzRun:
    """Requests made, by operation and status class (``2xx`` … ``5xx``), and the failures."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.counts.values())

    def by_class(self) -> Counter[str]:
        totals: Counter[str] = Counter()
        for (_operation, status_class), count in self.counts.items():
            totals[status_class] += count
        return totals


class _OutOfTime(Exception):
    """Raised inside a Hypothesis run to end it when the time budget is spent."""


def fuzz(
    app: Flask,
    *,
    headers: dict[str, str] | None = None,
    seed: int = 20260504,
    seconds: float = 20.0,
    max_requests: int | None = None,
    per_operation: int = 10,
    path_parameters: dict[str, str] | None = None,
    modes: Iterable[GenerationMode] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
) -> FuzzRun:
    """Round after round over every operation and mode, until the time or count is spent.

    ``path_parameters`` pins path parameters by name where an operation has them (the
    token's own organisation as ``org``, so its writes get past the permission check).
    Each round gives each operation ``per_operation`` examples per mode, so short runs
    still reach every operation; a later round uses another seed for new examples.
    """
    schema = schemathesis.openapi.from_wsgi(OPENAPI, app)
    run = FuzzRun()
    operations = []
    for result in schema.get_all_operations():
        try:
            operations.append(result.ok())
        except Exception as error:  # an operation schemathesis cannot read
            run.skipped.append(str(error)[:200])
    deadline = time.monotonic() + seconds
    modes = tuple(modes)

    def spent() -> bool:
        over_count = max_requests is not None and run.requests >= max_requests
        return over_count or time.monotonic() >= deadline

    round_number = 0
    while not spent():
        for operation in operations:
            for mode in modes:
                if spent():
                    return run
                pinned = {
                    name: value
                    for name, value in (path_parameters or {}).items()
                    if f"{{{name}}}" in operation.path
                }
                _fuzz_operation(
                    app,
                    operation,
                    mode,
                    headers,
                    seed + round_number,
                    run,
                    spent,
                    per_operation,
                    pinned,
                )
        round_number += 1
    return run


def _fuzz_operation(
    app: Flask,
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str] | None,
    seed: int,
    run: FuzzRun,
    spent: Any,
    examples: int,
    pinned: dict[str, str],
) -> None:
    label = f"{operation.method.upper()} {operation.path}"

    def one(case: Any) -> None:
        if spent():
            raise _OutOfTime
        _send(app, case, label, headers, run)

    test = fixed_seed(seed)(
        settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )(
            given(case=operation.as_strategy(generation_mode=mode, path_parameters=pinned or None))(
                one
            )
        )
    )
    try:
        test()
    except _OutOfTime:
        pass
    except Unsatisfiable:  # e.g. no negative example exists for an operation without input
        run.skipped.append(f"{label} ({mode.value}): nothing to generate")


def _send(app: Flask, case: Any, label: str, headers: dict[str, str] | None, run: FuzzRun) -> None:
    try:
        response = case.call(app=app, headers=headers)
    except Exception as error:  # a testing app raises what would have been a 500
        run.counts[(label, "5xx")] += 1
        run.failures.append(
            Failure(label, type(error).__name__, str(error)[:300], _request_of(case))
        )
        return
    status = int(response.status_code)
    run.counts[(label, f"{status // 100}xx")] += 1
    if status >= 500:
        run.failures.append(Failure(label, status, response.text[:300], _request_of(case)))
        return
    try:
        case.validate_response(response, checks=DOCUMENTED)
    except (CheckFailure, FailureGroup) as error:  # a group is a BaseException, not Exception
        detail = f"{status} not as documented: {error}"[:400]
        run.failures.append(Failure(label, "undocumented", detail, _request_of(case)))


# Every answer must be one the document promises: a documented status, its media type and
# a body that matches its schema (clients are generated from the document).
DOCUMENTED = [status_code_conformance, content_type_conformance, response_schema_conformance]


def _request_of(case: Any) -> str:
    try:
        return str(case.as_curl_command())[:600]
    except Exception:
        return repr(case)[:600]
