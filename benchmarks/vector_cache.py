"""Vectors for benchmark texts, cached on disk by text hash (which names the model)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ecosystem.semantic import Embedder, text_hash

CACHE = Path(__file__).resolve().parent / ".cache" / "vectors.npz"
BATCH = 16


def _load() -> dict[str, npt.NDArray[np.float32]]:
    if not CACHE.exists():
        return {}
    with np.load(CACHE) as stored:
        return dict(zip((str(k) for k in stored["keys"]), stored["vectors"], strict=True))


def _save(cache: dict[str, npt.NDArray[np.float32]]) -> None:
    CACHE.parent.mkdir(exist_ok=True)
    partial = CACHE.with_suffix(".partial.npz")
    np.savez(partial, keys=np.array(list(cache)), vectors=np.stack(list(cache.values())))
    os.replace(partial, CACHE)


def embed_cached(embedder: Embedder, texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """The vectors of ``texts``, embedding only those the cache does not hold yet."""
    cache = _load()
    todo = [t for t in dict.fromkeys(texts) if text_hash(embedder.model_id, t) not in cache]
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        for text, vector in zip(batch, embedder.passages(batch), strict=True):
            cache[text_hash(embedder.model_id, text)] = vector
        if start % (BATCH * 50) == 0:
            print(f"  embedded {start + len(batch):,} of {len(todo):,}", file=sys.stderr)
            _save(cache)
    if todo:
        _save(cache)
    return np.stack([cache[text_hash(embedder.model_id, t)] for t in texts])
