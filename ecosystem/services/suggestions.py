"""Tag suggestions for a draft or an edited card: never tags, only offers to accept.

The nearest tagged projects the reader may see vote (:mod:`ecosystem.suggest`); they are
found by the overlap engine's lexical index over title and description, the similarity
the suggestions were measured with (``benchmarks/eval_suggestions.py``). Projects the
reader may not see neither vote nor appear as supporters: a suggestion never reveals a
private project. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ecosystem.errors import FieldError, InvalidInput
from ecosystem.groups import Reference
from ecosystem.model import Principal
from ecosystem.references import unknown_codes
from ecosystem.services.overlaps import visible_to
from ecosystem.services.unit_of_work import UnitOfWork
from ecosystem.suggest import DEFAULT_K, DEFAULT_THRESHOLD, Suggestion, Tags, suggest_from

__all__ = ["SuggestionOutcome", "suggest_tags"]


@dataclass(frozen=True)
class SuggestionOutcome:
    """The suggestions, the reference data to label them, and the supporters' titles."""

    suggestions: list[Suggestion]
    reference: Reference
    titles: dict[int, str]


def suggest_tags(
    uow: UnitOfWork,
    principal: Principal,
    title: str,
    description: str,
    *,
    themes: Sequence[str] = (),
    target_groups: Sequence[str] = (),
    exclude: Collection[int] = (),
    k: int = DEFAULT_K,
    threshold: float = DEFAULT_THRESHOLD,
) -> SuggestionOutcome:
    """Themes, sub-themes and target groups to offer for this text, most confident first.

    ``themes`` and ``target_groups``: what the draft has already (not suggested again);
    an unknown code is :class:`InvalidInput` naming its place. ``exclude``: projects
    that must not vote (an edited card itself, whose old tags would suggest themselves).
    """
    reference = uow.reference.reference
    errors = [
        *unknown_codes("themes", "theme", themes, reference.theme_parents.keys()),
        *unknown_codes(
            "target_groups", "target group", target_groups, reference.target_group_labels.keys()
        ),
    ]
    text = f"{title}\n{description}"
    if not any(ch.isalnum() for ch in text):
        errors.append(FieldError("description", "Title and description contain no words."))
    if errors:
        raise InvalidInput("Forslag kræver gyldige koder og en tekst. / Invalid input.", errors)
    engine = uow.overlap_engine()
    visible, facts = visible_to(principal), engine.facts

    def allowed(project_id: int) -> bool:
        found = facts.get(project_id)
        return found is not None and visible(found)

    def nearest(limit: int) -> list[tuple[int, float]]:
        return [(m.doc_id, m.score) for m in engine.index.query(text, limit, allowed=allowed)]

    def tags_of(project_id: int) -> Tags | None:
        found = facts.get(project_id)
        return None if found is None else Tags(found.themes, found.target_groups)

    suggestions = suggest_from(
        nearest,
        tags_of,
        reference.theme_parents,
        k=k,
        threshold=threshold,
        already=Tags.of(themes, target_groups),
        exclude=exclude,
    )
    supporters = {pid for s in suggestions for pid, _ in s.supporters}
    titles = {pid: facts[pid].title for pid in supporters}
    return SuggestionOutcome(suggestions, reference, titles)
