"""Danish/English text pipeline: normalisation, tokens, synonyms, stems and char n-grams.

``tokens`` normalises text and splits it into words and character n-grams;
``language`` holds each language's stop words, the guess between them and stemming;
``synonyms`` maps phrases in either language to canonical tokens; ``analyzer`` runs
the whole pipeline on one text for the similarity index.
"""

from ecosystem.text.analyzer import Analysis, Analyzer, default_analyzer, display_term
from ecosystem.text.language import LANGS, Lang, guess_language, load_stopwords
from ecosystem.text.synonyms import SynonymTable, load_synonyms
from ecosystem.text.tokens import cached_char_ngrams, char_ngrams, normalise, tokenize

__all__ = [
    "LANGS",
    "Analysis",
    "Analyzer",
    "Lang",
    "SynonymTable",
    "cached_char_ngrams",
    "char_ngrams",
    "default_analyzer",
    "display_term",
    "guess_language",
    "load_stopwords",
    "load_synonyms",
    "normalise",
    "tokenize",
]
