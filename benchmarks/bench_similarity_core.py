"""Benchmark of the text similarity core: build, query latency, upserts, all pairs, memory.

Synthetic documents of ~1,500 characters are made from the real Danish corpus
(``shared/corpora/dk_eu_structural_funds_projects_normalised.csv``, column
``description``): each mixes clauses of four random records, and 2% are near
duplicates (5% of words dropped) of an earlier document. Nothing of the corpus
is copied into the repository.

Run::

    .venv/bin/python benchmarks/bench_similarity_core.py --docs 100000
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import re
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from ecosystem.similarity import SimilarityIndex

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora"
CORPUS_NAME = "dk_eu_structural_funds_projects_normalised.csv"


def load_clauses(path: Path) -> list[list[str]]:
    """Clauses (comma/semicolon pieces of sentences) of each record's description."""
    records = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sentences = re.split(r"(?<=[.!?])\s+", row["description"])
            clauses = [
                c.strip() for s in sentences for c in re.split(r",\s+|;\s+", s) if len(c) > 10
            ]
            if clauses:
                records.append(clauses)
    return records


def synthesise(records: list[list[str]], n: int, seed: int, length: int = 1500) -> list[str]:
    """``n`` documents of about ``length`` characters each (see the module docstring)."""
    rng = random.Random(seed)
    docs: list[str] = []
    for _ in range(n):
        if docs and rng.random() < 0.02:
            words = rng.choice(docs).split()
            for _ in range(len(words) // 20):
                del words[rng.randrange(len(words))]
            docs.append(" ".join(words))
            continue
        pool = [rng.randrange(len(records)) for _ in range(4)]
        parts: list[str] = []
        size = 0
        while size < length:
            record = records[pool[min(int(rng.expovariate(0.8)), 3)]]
            sentence = ", ".join(rng.choice(record) for _ in range(rng.randint(1, 3)))
            sentence = sentence[0].upper() + sentence[1:].rstrip(".") + "."
            parts.append(sentence)
            size += len(sentence) + 1
        docs.append(" ".join(parts))
    return docs


def rss_mb() -> float:
    """Current resident memory of this process in MB."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 1e6


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS / CORPUS_NAME)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--pairs", type=float, nargs="*", default=[0.5])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    records = load_clauses(args.corpus)
    docs = synthesise(records, args.docs + 100 + args.queries, args.seed)
    corpus, updates, queries = (
        docs[: args.docs],
        docs[args.docs : args.docs + 100],
        docs[args.docs + 100 :],
    )
    mean_chars = statistics.mean(len(d) for d in corpus)
    rows: list[tuple[str, str]] = [
        ("documents", f"{args.docs:,} (mean {mean_chars:,.0f} chars)"),
    ]

    gc.collect()
    before = rss_mb()
    index = SimilarityIndex()
    seconds, _ = timed(lambda: index.build(enumerate(corpus)))
    gc.collect()
    stats = index.stats()
    rows += [
        ("build", f"{seconds:.1f} s"),
        ("index matrices", f"{stats.matrix_bytes / 1e6:,.0f} MB"),
        ("process memory growth (RSS)", f"{rss_mb() - before:,.0f} MB"),
        ("vocabulary", f"{stats.word_terms:,} word terms, {stats.char_grams:,} char n-grams"),
    ]

    def run_queries(k: int, allowed: Callable[[int], bool] | None) -> list[float]:
        latencies = []
        for text in queries:
            seconds, _ = timed(lambda text=text: index.query(text, k=k, allowed=allowed))
            latencies.append(seconds * 1000)
        return latencies

    run_queries(10, None)[:5]  # warm caches
    for label, k, allowed in (
        ("query k=10", 10, None),
        ("query k=150, allowed=odd ids", 150, lambda doc_id: doc_id % 2 == 1),
    ):
        latencies = run_queries(k, allowed)
        rows.append(
            (
                label,
                f"p50 {percentile(latencies, 0.5):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms",
            )
        )
    latencies = []
    for doc_id in range(0, args.docs, max(1, args.docs // args.queries)):
        seconds, _ = timed(lambda doc_id=doc_id: index.query_doc(doc_id, k=10))
        latencies.append(seconds * 1000)
    rows.append(("query_doc k=10", f"p95 {percentile(latencies, 0.95):.1f} ms"))

    def upsert_all() -> None:
        for offset, text in enumerate(updates):
            # half new documents, half replacements of existing ones
            index.upsert(args.docs + offset if offset % 2 else offset * 7, text)

    seconds, _ = timed(upsert_all)
    rows.append(("100 upserts", f"{seconds * 1000:.0f} ms total"))
    latencies = run_queries(10, None)
    rows.append(("query k=10 after upserts", f"p95 {percentile(latencies, 0.95):.1f} ms"))

    for threshold in args.pairs:
        gc.collect()
        seconds, count = timed(lambda t=threshold: sum(1 for _ in index.pairs(t)))
        rows.append((f"pairs >= {threshold}", f"{seconds:.1f} s, {count:,} pairs"))
    rows.append(("peak memory (process)", f"{peak_mb():,.0f} MB"))

    width = max(len(label) for label, _ in rows)
    print(f"\n{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
