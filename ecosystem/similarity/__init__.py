"""Incremental sparse TF-IDF similarity index over words and character n-grams.

:class:`SimilarityIndex` (``index``) is the one object callers use. Behind it:
``vectors`` turns texts into weighted rows of the word and character n-gram spaces
(vocabularies, frozen IDF); ``segments`` keeps those rows in a large base and a small
delta, with tombstones, merges and IDF refreshes; ``search`` scores one query against
them; ``explanation`` names the terms two texts share; ``pairs`` is the exact
all-pairs join; ``sparse`` holds the matrix helpers they share.
"""

from ecosystem.similarity.index import IndexStats, Match, SimilarityIndex
from ecosystem.similarity.sparse import BoolArray, Csc, Csr, FloatArray, IntArray
from ecosystem.similarity.vectors import CHAR_WEIGHT, WORD_WEIGHT

__all__ = [
    "CHAR_WEIGHT",
    "WORD_WEIGHT",
    "BoolArray",
    "Csc",
    "Csr",
    "FloatArray",
    "IndexStats",
    "IntArray",
    "Match",
    "SimilarityIndex",
]
