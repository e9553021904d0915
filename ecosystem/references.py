"""Codes that point nowhere: every unknown code named with its exact place and a suggestion.

One home for the check that a card (or a mapping) refers only to codes that exist; the
store reads which codes exist, this module decides what is wrong and says so.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from ecosystem.errors import FieldError

__all__ = ["CARD_CODE_FIELDS", "card_reference_errors", "unknown_code", "unknown_codes"]

# field of the project card → the noun its codes are named by in messages
CARD_CODE_FIELDS: Mapping[str, str] = {
    "themes": "theme",
    "target_groups": "target group",
    "areas": "area",
    "goals": "goal",
}
# fields of the card whose items may name an organisation
_ORGANISATION_FIELDS = ("partners", "links")


def unknown_code(noun: str, code: str, known: Iterable[str]) -> str:
    """The message for one unknown code, suggesting the closest known one.

    >>> unknown_code("theme", "T22", {"T2", "T13"})
    "Unknown theme code 'T22'. Did you mean 'T2'?"
    >>> unknown_code("goal", "XYZ", {"NM1"})
    "Unknown goal code 'XYZ'."
    """
    close = difflib.get_close_matches(code, list(known), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return f"Unknown {noun} code {code!r}.{hint}"


def unknown_codes(
    place: str, noun: str, codes: Sequence[str], known: Collection[str]
) -> list[FieldError]:
    """One error per code in ``codes`` (found at ``place[i]``) that is not ``known``.

    >>> unknown_codes("themes", "theme", ["T2", "T99"], {"T2", "T9"})
    [FieldError(field='themes[1]', message="Unknown theme code 'T99'. Did you mean 'T9'?")]
    """
    return [
        FieldError(f"{place}[{position}]", unknown_code(noun, code, known))
        for position, code in enumerate(codes)
        if code not in known
    ]


def card_reference_errors(
    cards: Sequence[Mapping[str, Any]],
    known: Mapping[str, Collection[str]],
    organisations: Collection[str],
    path_of: Callable[[int], str],
) -> list[FieldError]:
    """Every unknown code in the cards: ``known`` holds the codes of each coded field.

    ``path_of(index)`` names where card ``index`` is (``projects[3]``, ``row 14``, or ``""``
    for a lone card).
    """
    errors: list[FieldError] = []
    for index, card in enumerate(cards):
        where = path_of(index)
        for field, noun in CARD_CODE_FIELDS.items():
            errors += unknown_codes(_at(where, field), noun, card.get(field, []), known[field])
        for field in _ORGANISATION_FIELDS:
            for position, item in enumerate(card.get(field, [])):
                code = item.get("organisation")
                if code is not None and code not in organisations:
                    errors.append(
                        FieldError(
                            _at(where, f"{field}[{position}].organisation"),
                            unknown_code("organisation", code, organisations),
                        )
                    )
    return errors


def _at(where: str, rest: str) -> str:
    return f"{where}.{rest}" if where else rest
