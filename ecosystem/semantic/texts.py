"""Which text of a project is embedded, and its fingerprint.

The title and the target groups say what a project is and for whom; together with the
beginning of the description they carry the intervention, in whatever language. The
target-group line matters most across languages: a Danish card and an English abstract
of the same intervention share few words but the same population. Long descriptions are
cut, because the model reads in 512-token windows and the cost grows with the length
while the first paragraph already says what is done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

__all__ = ["EMBEDDED_CHARACTERS", "embedding_text", "text_hash"]

EMBEDDED_CHARACTERS = 1_200  # of the description: about 250-350 tokens


def embedding_text(title: str, description: str, target_groups: Iterable[str] = ()) -> str:
    """The text a project (or a draft) is embedded by.

    Examples
    --------
    >>> embedding_text("Tele-KOL", "Borgere måler selv.", ["Borgere med KOL"])
    'Tele-KOL\\nMålgruppe: Borgere med KOL\\nBorgere måler selv.'
    """
    lines = [" ".join(title.split())]
    groups = [g for g in target_groups if g]
    if groups:
        lines.append("Målgruppe: " + ", ".join(groups))
    body = " ".join(description.split())
    if len(body) > EMBEDDED_CHARACTERS:
        cut = body.rfind(" ", 0, EMBEDDED_CHARACTERS)
        body = body[: cut if cut > EMBEDDED_CHARACTERS // 2 else EMBEDDED_CHARACTERS]
    lines.append(body)
    return "\n".join(line for line in lines if line)


def text_hash(model_id: str, text: str) -> str:
    """A stored vector is current while this is unchanged (same model, same text)."""
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()[:32]
