"""Sub-themes a project's text names although its card does not tag them: "udledt af teksten".

Publishers tag broad themes and seldom the sub-themes, so "no project tagged with
outreach" says little about outreach work. The rule, simple enough to explain to a
coordinator:

* A project's text (title and description) *names* a sub-theme when it contains every
  word of the sub-theme's name, Danish or English, read the way the overlap engine reads
  texts: normalised, stop words dropped, stemmed, and with the synonyms of
  ``seeds/data/synonyms.csv`` folded into one term ("COPD" and "kronisk obstruktiv
  lungesygdom" both read as KOL). A name "A og B" or "A, B" is named by A or by B.
* Only sub-themes are read from texts. The names of top-level themes ("Kronisk sygdom og
  ældre") are areas of work, too broad to find in a text, so a theme row is counted from
  tags alone and says "no project tagged", never "no project found".
* What a project already tags is not inferred again; inferred sub-themes are shown as
  "udledt af teksten / inferred from the text" and never as tags.

Examples: «Opsøgende psykiatrisk team … tilbyder udredning og behandling» names T10.3
Opsøgende behandling (opsøg + behandl); «Tele-KOL i hjemmesygeplejen» names T2.1 KOL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ecosystem.groups import Reference
from ecosystem.text.analyzer import Analyzer

# "A og B", "A and B", "A, B": each part is a name of its own.
_ALTERNATIVES = re.compile(r"\s+(?:og|and)\s+|,\s*")


class SubthemeReader:
    """Reads the sub-themes a text names (build once per reference data, then :meth:`read`)."""

    def __init__(self, reference: Reference, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.names: dict[str, tuple[frozenset[str], ...]] = {}
        for code, parent in reference.theme_parents.items():
            label = reference.theme_labels.get(code)
            if not parent or label is None:
                continue  # top-level themes are not read from texts
            self.names[code] = tuple(
                dict.fromkeys(terms for name in (label.da, label.en) for terms in self._parts(name))
            )

    def _parts(self, name: str) -> Iterable[frozenset[str]]:
        for part in _ALTERNATIVES.split(name):
            terms = frozenset(self.analyzer.terms(part))
            if terms:
                yield terms

    def read(self, text: str, tagged: Iterable[str] = ()) -> frozenset[str]:
        """The sub-themes ``text`` names, leaving out those already ``tagged``."""
        words = set(self.analyzer.terms(text))
        skip = set(tagged)
        return frozenset(
            code
            for code, names in self.names.items()
            if code not in skip and any(name <= words for name in names)
        )

    def read_all(
        self, texts: Mapping[int, str], tagged: Mapping[int, frozenset[str]]
    ) -> dict[int, frozenset[str]]:
        """Per project id, the sub-themes its text names (projects naming none are left out)."""
        found = {}
        for project_id, text in texts.items():
            codes = self.read(text, tagged.get(project_id, frozenset()))
            if codes:
                found[project_id] = codes
        return found
