"""Mark the words two texts share, so a reader sees *why* a project was matched."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from ecosystem.text import default_analyzer, normalise

__all__ = ["highlight"]

_WORD = re.compile(r"([^\W_]+)")


def highlight(text: str, terms: Iterable[str]) -> Markup:
    """``text`` escaped, with each word that stands for one of ``terms`` in ``<mark>``.

    A word counts when the overlap engine's analyser reads it as the same term: its stem
    ("borgere" for "borger") or its synonym ("hjemmemonitorering" for "telemedicin").

    >>> str(highlight("Borgere med KOL <i>", ["kol"]))
    'Borgere med <mark>KOL</mark> &lt;i&gt;'
    """
    analyzer = default_analyzer()
    wanted = {term for shown in terms for term in analyzer.terms(shown)}
    wanted |= {normalise(shown) for shown in terms}
    if not wanted:
        return Markup(escape(text))
    seen: dict[str, bool] = {}
    pieces = []
    for index, piece in enumerate(_WORD.split(text)):
        if index % 2 == 1:
            key = normalise(piece)
            if key not in seen:
                seen[key] = key in wanted or bool(wanted.intersection(analyzer.terms(piece)))
            if seen[key]:
                pieces.append(Markup("<mark>{}</mark>").format(piece))
                continue
        pieces.append(escape(piece))
    return Markup("").join(pieces)
