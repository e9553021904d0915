"""Precision and recall of tag suggestions on held-out tagged cards.

Run (from the repository root):

    .venv/bin/python benchmarks/eval_suggestions.py [--sets demo iati] [--iati-queries 1500]

What is measured. Every query card is suggested tags from its title and description only
(never its own tags: the embedded text of a card names its target groups, so the lexical
index is used here, over title and description), by :func:`ecosystem.suggest.suggest_from`
over the *other organisations'* cards: a card's own organisation is never on the training
side, so its near-copies there cannot answer for it (leave-one-organisation-out).

The organisations are split in two halves by a hash of their id. ``k``, the threshold and
the prior are chosen on the *tuning* half (best F1 of themes + target groups), and the
numbers are reported on the *report* half with those values; the tuning half's own
numbers are printed beside them, so the gap shows what the choice overfits.

* ``demo``: the 429 demo cards of 101 organisations; themes (sub-themes rolled up to their
  theme), sub-themes and target groups as the team tagged them.
* ``iati``: real IATI COVID-19 activities (``../shared/corpora/iati_covid``), themes from
  their DAC sector codes through the shipped mapping ``seeds/data/dac_theme_map.csv`` (a
  5-digit code, else its 3-digit category). IATI has no target groups and the mapping
  gives only top-level themes, so only themes are measured. Activities with no mapped
  sector are neither queries nor neighbours.

Per kind: precision and recall of the suggestions kept at the threshold (micro-averaged
over the query cards), and P@1 / R@3 of the ranked suggestions without a threshold.
Lexical only (TF-IDF, :class:`~ecosystem.similarity.SimilarityIndex`): embedding 13,000
texts takes hours on this 2-core machine.

Measured 2026-12-03 (report half; chosen on the tuning half):

* demo, k=20, threshold 0.2, prior 0.5: themes precision 0.64 / recall 0.54 (P@1 0.69);
  target groups 0.72 / 0.57 (P@1 0.68); sub-themes 1.00 / 0.79 on only 14 tags. Always
  suggesting the commonest tag gets P@1 0.21 (themes) and 0.20 (target groups).
* iati, k=30, threshold 0.2, prior 0.0: themes precision 0.30 / recall 0.65, P@1 0.44 —
  *below* always suggesting T21 (COVID-19 control, P@1 0.48): on these COVID activities
  the sectors say little that the texts separate, so the suggestions are not evidence there.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import seeds
from ecosystem.iati.sectors import default_sector_themes
from ecosystem.similarity import SimilarityIndex
from ecosystem.suggest import KINDS, Kind, Tags, suggest_from, tag_keys

# ../shared beside the repository (a git worktree elsewhere passes --iati-dir)
IATI = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "iati_covid"
GRID_K = (3, 5, 10, 20, 30, 50)
GRID_THRESHOLD = (0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
GRID_PRIOR = (0.0, 0.2, 0.5, 1.0)


@dataclass(frozen=True)
class Card:
    project_id: int
    organisation: str
    text: str
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


@dataclass
class Result:
    params: Params
    counts: dict[Kind, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})

    def score(self, kinds: Iterable[Kind]) -> float:
        """What the tuning maximises: mean F1 over the kinds that have gold tags."""
        rows = [self.counts[k].row() for k in kinds if self.counts[k].gold]
        return sum(r["f1"] for r in rows) / len(rows) if rows else 0.0


def half(organisation: str) -> str:
    """A stable split of organisations: "tune" or "report"."""
    digit = hashlib.sha256(organisation.encode()).digest()[0]
    return "tune" if digit % 2 == 0 else "report"


def theme_parents() -> dict[str, str | None]:
    themes = json.loads(seeds.data_file("themes.json").read_text("utf-8"))
    return {t["code"]: t["parent"] for t in themes}


def demo_cards() -> list[Card]:
    cards: list[Card] = []
    for organisation, items in sorted(seeds.demo_portfolios().items()):
        for item in items:
            text = f"{item['title']}\n{item.get('description') or ''}"
            tags = Tags.of(item.get("themes") or (), item.get("target_groups") or ())
            cards.append(Card(len(cards) + 1, organisation, text, tags))
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
                cards.append(Card(len(cards) + 1, row["reporting_org"], text, Tags.of(themes)))
    return cards


def neighbour_lists(
    cards: Sequence[Card], queries: Sequence[Card], depth: int
) -> dict[int, list[tuple[int, float]]]:
    """Each query's ``depth`` most similar cards of *other* organisations, best first."""
    index = SimilarityIndex()
    index.build((c.project_id, c.text) for c in cards)
    organisation = {c.project_id: c.organisation for c in cards}
    found = {}
    for query in queries:

        def elsewhere(pid: int, own: str = query.organisation) -> bool:
            return organisation[pid] != own

        matches = index.query(query.text, depth, allowed=elsewhere)
        found[query.project_id] = [(m.doc_id, m.score) for m in matches]
    return found


def evaluate(
    queries: Sequence[Card],
    near: dict[int, list[tuple[int, float]]],
    tags_of: dict[int, Tags],
    parents: dict[str, str | None],
    params: Params,
) -> Result:
    result = Result(params)
    for query in queries:

        def nearest(
            limit: int, ranked: list[tuple[int, float]] = near[query.project_id]
        ) -> list[tuple[int, float]]:
            return ranked[:limit]

        ranked = suggest_from(
            nearest, tags_of.get, parents, k=params.k, threshold=0.0, prior=params.prior
        )
        gold = tag_keys(query.tags, parents)
        for kind in KINDS:
            mine = [s for s in ranked if s.kind == kind]
            kept = [s.code for s in mine if s.confidence >= params.threshold]
            result.counts[kind].add([s.code for s in mine], kept, {c for k, c in gold if k == kind})
    return result


def run(name: str, cards: list[Card], kinds: Sequence[Kind], limit: int | None) -> None:
    parents = theme_parents()
    tags_of = {c.project_id: c.tags for c in cards}
    queries = {h: [c for c in cards if half(c.organisation) == h] for h in ("tune", "report")}
    if limit is not None:  # a fixed, spread sample: every n-th card of each half
        queries = {h: q[:: max(1, len(q) // limit)][:limit] for h, q in queries.items()}
    started = time.perf_counter()
    depth = max(GRID_K) * 3
    near = neighbour_lists(cards, queries["tune"] + queries["report"], depth)
    seconds = time.perf_counter() - started
    grid = [Params(*p) for p in itertools.product(GRID_K, GRID_THRESHOLD, GRID_PRIOR)]
    tuned = [evaluate(queries["tune"], near, tags_of, parents, p) for p in grid]
    best = max(tuned, key=lambda r: r.score(kinds))
    reported = evaluate(queries["report"], near, tags_of, parents, best.params)
    p = best.params
    print(
        f"\n## {name}: {len(cards):,} tagged cards of {len({c.organisation for c in cards})} "
        f"organisations; {len(queries['tune'])} tuning and {len(queries['report'])} report "
        f"queries; neighbours in {seconds:.0f} s (lexical TF-IDF)"
    )
    print(f"chosen on the tuning half: k={p.k}, threshold={p.threshold}, prior={p.prior}")
    print(
        f"{'split':<7} {'kind':<13} {'prec':>6} {'recall':>6} {'F1':>6} {'P@1':>6} {'R@3':>6} {'gold':>6}"
    )
    for label, result in (("report", reported), ("tune", best)):
        for kind in kinds:
            r = result.counts[kind].row()
            print(
                f"{label:<7} {kind:<13} {r['precision']:6.2f} {r['recall']:6.2f} {r['f1']:6.2f} "
                f"{r['p@1']:6.2f} {r['r@3']:6.2f} {int(r['gold']):6d}"
            )
    baseline = majority(queries["report"], cards, parents, kinds)
    print("report  majority baseline (the most common tag of each kind, always): " + baseline)


def majority(
    queries: Sequence[Card],
    cards: Sequence[Card],
    parents: dict[str, str | None],
    kinds: Sequence[Kind],
) -> str:
    """P@1 of always suggesting the commonest tag: what the suggestions must beat."""
    parts = []
    for kind in kinds:
        counted: dict[str, int] = {}
        for card in cards:
            for k, code in tag_keys(card.tags, parents):
                if k == kind:
                    counted[code] = counted.get(code, 0) + 1
        top = max(counted, key=lambda c: counted[c])
        golds = [{c for k, c in tag_keys(q.tags, parents) if k == kind} for q in queries]
        golds = [g for g in golds if g]
        hit = sum(top in g for g in golds) / len(golds) if golds else 0.0
        parts.append(f"{kind} {top} P@1 {hit:.2f}")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=["demo", "iati"], choices=["demo", "iati"])
    parser.add_argument("--iati-queries", type=int, default=1500, help="per half")
    parser.add_argument("--iati-dir", type=Path, default=IATI)
    args = parser.parse_args()
    sets: dict[str, Callable[[], None]] = {
        "demo": lambda: run("demo", demo_cards(), KINDS, None),
        "iati": lambda: run("iati", iati_cards(args.iati_dir), ("theme",), args.iati_queries),
    }
    for name in args.sets:
        if name == "iati" and not (args.iati_dir / "activities.csv").exists():
            print(f"\n## iati: {args.iati_dir} is not there; skipped", file=sys.stderr)
            continue
        sets[name]()


if __name__ == "__main__":
    main()
