"""The core's one vocabulary (:mod:`ecosystem.labels`) in the reader's language, for pages.

Each mapping here looks a code up in :mod:`ecosystem.labels` when a page reads it, so a
template writes ``vocabulary.VISIBILITY[code]`` and gets Danish or English as chosen;
pages, exports and analyses call a value the same thing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from api.pages import i18n
from ecosystem import labels
from ecosystem.labels import Label, name_of
from ecosystem.model import Stage

__all__ = [
    "ACTIONS",
    "CARE_LEVELS",
    "DEVELOPMENT_TYPES",
    "FIELDS",
    "FUNDING_KINDS",
    "GEOGRAPHY",
    "KINDS",
    "LINK_RELATIONS",
    "OUTCOMES",
    "SCHEMES",
    "STAGE_COLOURS",
    "VISIBILITY",
    "Localised",
    "relation_label",
    "stage_label",
]


class Localised(Mapping[str, str]):
    """A vocabulary of :mod:`ecosystem.labels` read in the current language.

    ``in_sentence`` gives the lower-case form, for names that stand inside a sentence
    ("bygger videre på: …").
    """

    def __init__(self, names: Mapping[str, Label], *, in_sentence: bool = False) -> None:
        self._names = names
        self._in_sentence = in_sentence

    def __getitem__(self, code: str) -> str:
        name = self._names[code]
        return i18n.label(name.lower() if self._in_sentence else name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


VISIBILITY = Localised(labels.VISIBILITY_EXPLAINED)
CARE_LEVELS = Localised(labels.CARE_LEVELS)
DEVELOPMENT_TYPES = Localised(labels.DEVELOPMENT_TYPES)
FUNDING_KINDS = Localised(labels.FUNDING_KINDS)
OUTCOMES = Localised(labels.EVIDENCE_OUTCOMES, in_sentence=True)
LINK_RELATIONS = Localised(labels.LINK_RELATIONS, in_sentence=True)
KINDS = Localised(labels.ORGANISATION_KINDS_PLURAL)
SCHEMES = Localised(labels.AREA_SCHEMES)
GEOGRAPHY = Localised(labels.GEOGRAPHY, in_sentence=True)
ACTIONS = Localised(labels.REVISION_ACTIONS, in_sentence=True)
# Names of the card's fields, for "what changed" in the history and for forms.
FIELDS = Localised(labels.CARD_FIELDS)

# Okabe–Ito colours: told apart with the common colour-vision deficiencies, and each
# bubble also says its stage in words (title and the data table).
STAGE_COLOURS: Mapping[str, str] = {
    Stage.IDEA: "#E69F00",
    Stage.ANALYSIS: "#56B4E9",
    Stage.PILOT: "#009E73",
    Stage.IMPLEMENTATION: "#0072B2",
    Stage.OPERATION: "#D55E00",
    Stage.COMPLETED: "#CC79A7",
    Stage.STOPPED: "#999999",
}


def stage_label(stage: str) -> Label:
    """The name of a stage, inside a sentence ("afprøvning/pilot")."""
    return name_of(labels.STAGES, stage).lower()


def relation_label(relation: str) -> Label:
    """The name of an overlap relation, with what it means."""
    return name_of(labels.OVERLAP_RELATIONS, relation)
