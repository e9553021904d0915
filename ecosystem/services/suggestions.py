"""Tag suggestions for a draft or an edited card: never tags, only offers to accept.

The nearest tagged projects the reader may see vote (:mod:`ecosystem.suggest`). They are
found as a check finds overlaps: by the text agreement of the draft's vector and words
with each project's (``hybrid``), which on held-out cards suggested a few hundredths
better than words alone and nowhere worse (``benchmarks/eval_suggestions.py``), and
reads a draft in any language; a project whose vector is not ready takes part by its
words alone. The draft is embedded as a check embeds it (the target groups it already
has included: the publisher's own choice, not what is being suggested). Where nothing can be compared by meaning (no embedder, the draft not
embedded, or no visible project with a vector yet) the overlap engine's lexical index
over title and description finds them (``lexical``), with the parameters measured for it.

Projects the reader may not see neither vote nor appear as supporters, nor count in the
ordinary similarity the agreement is measured against: a suggestion never reveals a
private project. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ecosystem.errors import FieldError, InvalidInput
from ecosystem.groups import Reference
from ecosystem.matching import OverlapEngine, Vector
from ecosystem.model import Principal
from ecosystem.ranking import RankingConfig, text_agreement
from ecosystem.references import unknown_codes
from ecosystem.semantic import embedding_text, text_hash
from ecosystem.services.overlaps import query_vector, visible_to
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.suggest import (
    DEFAULT_K,
    DEFAULT_PRIOR,
    DEFAULT_THRESHOLD,
    HYBRID_SEMANTIC_WEIGHT,
    LEXICAL_K,
    LEXICAL_PRIOR,
    LEXICAL_THRESHOLD,
    Suggestion,
    Tags,
    agreement_neighbours,
    suggest_from,
)

__all__ = ["Method", "SuggestionOutcome", "suggest_tags"]

Method = Literal["hybrid", "lexical"]
Nearest = Callable[[int], Sequence[tuple[int, float]]]
HYBRID = RankingConfig(semantic_weight=HYBRID_SEMANTIC_WEIGHT)


@dataclass(frozen=True)
class SuggestionOutcome:
    """The suggestions, the reference data to label them, the supporters' titles, and how
    the neighbours were found (``k`` of them voted at most; shown from ``threshold``)."""

    suggestions: list[Suggestion]
    reference: Reference
    titles: dict[int, str]
    method: Method = "lexical"
    k: int = LEXICAL_K
    threshold: float = LEXICAL_THRESHOLD


def suggest_tags(
    uow: UnitOfWork,
    principal: Principal,
    title: str,
    description: str,
    *,
    themes: Sequence[str] = (),
    target_groups: Sequence[str] = (),
    exclude: Collection[int] = (),
    vector: Vector | None = None,
    embed: bool = True,
) -> SuggestionOutcome:
    """Themes, sub-themes and target groups to offer for this text, most confident first.

    ``themes`` and ``target_groups``: what the draft has already (not suggested again);
    an unknown code is :class:`InvalidInput` naming its place. ``exclude``: projects
    that must not vote (an edited card itself, whose old tags would suggest themselves).
    ``vector``: the draft's vector if a check already embedded it; else it is embedded
    here unless ``embed`` is false (many rows at once: words only, as embedding each
    would take a tenth of a second).
    """
    reference = uow.reference.reference
    _validate(reference, title, description, themes, target_groups)
    engine = uow.overlap_engine()
    if vector is None and embed:
        labels = [reference.target_group_label(code).da for code in target_groups]
        vector = _draft_vector(uow, engine, embedding_text(title, description, labels), exclude)
    text = f"{title}\n{description}"
    nearest = _by_agreement(engine, principal, text, vector, exclude)
    method: Method = "hybrid" if nearest is not None else "lexical"
    k, threshold, prior = (
        (DEFAULT_K, DEFAULT_THRESHOLD, DEFAULT_PRIOR)
        if nearest is not None
        else (LEXICAL_K, LEXICAL_THRESHOLD, LEXICAL_PRIOR)
    )
    facts = engine.facts

    def tags_of(project_id: int) -> Tags | None:
        found = facts.get(project_id)
        return None if found is None else Tags(found.themes, found.target_groups)

    suggestions = suggest_from(
        nearest or _by_words(engine, principal, text),
        tags_of,
        reference.theme_parents,
        k=k,
        threshold=threshold,
        prior=prior,
        already=Tags.of(themes, target_groups),
        exclude=exclude,
    )
    supporters = {pid for s in suggestions for pid, _ in s.supporters}
    titles = {pid: facts[pid].title for pid in supporters}
    return SuggestionOutcome(suggestions, reference, titles, method, k, threshold)


def _validate(
    reference: Reference,
    title: str,
    description: str,
    themes: Sequence[str],
    target_groups: Sequence[str],
) -> None:
    errors = [
        *unknown_codes("themes", "theme", themes, reference.theme_parents.keys()),
        *unknown_codes(
            "target_groups", "target group", target_groups, reference.target_group_labels.keys()
        ),
    ]
    if not any(ch.isalnum() for ch in f"{title}\n{description}"):
        errors.append(FieldError("description", "Title and description contain no words."))
    if errors:
        raise InvalidInput("Forslag kræver gyldige koder og en tekst. / Invalid input.", errors)


def _draft_vector(
    uow: UnitOfWork, engine: OverlapEngine, text: str, exclude: Collection[int]
) -> Vector | None:
    """The text's vector: an edited card's own stored one while its text is unchanged
    (nothing to embed), else embedded now (None without a model)."""
    if engine.vectors is not None and engine.model_id is not None:
        wanted = text_hash(engine.model_id, text)
        for project_id in exclude:
            if engine.vectors.hash_of(project_id) == wanted:
                return engine.vectors.vector(project_id)
    return query_vector(uow, engine, text)


def _by_agreement(
    engine: OverlapEngine,
    principal: Principal,
    text: str,
    vector: Vector | None,
    exclude: Collection[int],
) -> Nearest | None:
    """Neighbours by text agreement among the projects the reader may see; None when no
    such project can be compared by meaning (then words alone, as measured for them)."""
    if vector is None or engine.vectors is None:
        return None
    columns = engine.columns()
    allowed: npt.NDArray[np.bool_] = columns.visible_to(principal)
    if exclude:
        allowed &= ~np.isin(columns.ids, np.fromiter(exclude, np.int64, len(exclude)))
    semantic, lexical = engine.text_similarities(text, vector)
    if not (allowed & np.isfinite(semantic)).any():
        return None
    agreement = text_agreement(semantic, lexical, allowed, HYBRID)

    def nearest(limit: int) -> list[tuple[int, float]]:
        return agreement_neighbours(columns.ids, agreement, allowed, limit)

    return nearest


def _by_words(engine: OverlapEngine, principal: Principal, text: str) -> Nearest:
    visible, facts = visible_to(principal), engine.facts

    def allowed(project_id: int) -> bool:
        found = facts.get(project_id)
        return found is not None and visible(found)

    def nearest(limit: int) -> list[tuple[int, float]]:
        return [(m.doc_id, m.score) for m in engine.index.query(text, limit, allowed=allowed)]

    return nearest
