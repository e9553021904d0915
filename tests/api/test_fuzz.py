"""A bounded fuzz of the whole API from its OpenAPI document: no request may get a 5xx.

Fixed seed, about 20 seconds with an organisation's token and 20 without, on each
database. benchmarks/fuzz_api.py runs the same fuzz for longer and prints a table.
"""

from __future__ import annotations

import pytest

from tests.fuzzing import fuzz

pytestmark = pytest.mark.usefixtures("reference_data")

SECONDS = 20.0


@pytest.mark.parametrize("signed_in", [True, False], ids=["organisation", "anonymous"])
def test_no_generated_request_gets_a_server_error(app, token_for, signed_in):
    headers = token_for("kommune-aarhus") if signed_in else None
    pinned = {"org": "kommune-aarhus"} if signed_in else None
    run = fuzz(app, headers=headers, seconds=SECONDS, path_parameters=pinned)
    report = "\n".join(
        f"{f.operation} -> {f.status}: {f.detail}\n    {f.request}" for f in run.failures[:10]
    )
    assert not run.failures, f"{len(run.failures)} server error(s):\n{report}"
    assert run.requests > 100  # the fuzz really ran
    assert run.by_class()["2xx"] > 0  # and some requests were valid enough to succeed
