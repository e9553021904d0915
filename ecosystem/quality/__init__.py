"""Data quality of one organisation's portfolio: what would make its cards more useful.

The analyses (gaps, balance, scaling candidates, overlaps, reviews) read certain fields of
a card; where a card leaves them out, the analysis quietly counts the project less or not
at all. This module says, for one portfolio, which cards those are and what to do about
it. It helps one organisation with its own cards and compares no organisation with
another.

Four parts make one score from 0 to 100; each part is the share of projects (or, for
completeness, of project × field pairs) that pass, times its weight:

* **Completeness, 40 points.** The mean over the checked fields of the share of the
  projects a field applies to that fill it in: target groups, areas, dates, a stage that
  agrees with the dates, a contact one can reach, value *and* risk scores, and evidence on
  mature projects. It weighs most because nearly every analysis reads these fields, and a
  missing one drops the project from that analysis without a word. (The card has no field
  for an implementation owner, so none is checked.)
* **Descriptions, 20 points.** The share of cards whose description is not a placeholder:
  at least 20 words and not just the title again. The description is what the overlap
  engine compares; a placeholder finds no overlaps and shows none of the others.
* **Up to date, 20 points.** The share of cards reviewed (``last_reviewed``) or changed
  since the last review held by a group whose mandate covers them. A group judges from
  the cards; one not looked at since its last meeting may be judged on old facts. Where no
  covering group has met yet, nothing can be stale and the part counts in full.
* **Usable codes, 20 points.** The share of cards whose codes the analyses can use: none
  unknown to the reference data (a code removed since publishing, say), and no theme only
  at the top level where a group works on one of its sub-themes and so cannot see the card.

Descriptions, currency and codes each concern one thing an owner can fix per card;
completeness concerns seven, hence its larger weight. Weights are whole points so that a
reader can add the parts up by hand.

``model`` holds the results, ``checks`` the four kinds of finding (fields, descriptions,
currency, codes), and ``score`` the score, its parts and the suggestions.
"""

from ecosystem.quality.checks import CHECKS, MIN_WORDS, placeholder_of
from ecosystem.quality.model import (
    CodeProblem,
    FieldCompleteness,
    GroupReview,
    Named,
    Placeholder,
    QualityReport,
    ScorePart,
    StaleProject,
    Suggestion,
)
from ecosystem.quality.score import WEIGHTS, assess_quality

__all__ = [
    "CHECKS",
    "MIN_WORDS",
    "WEIGHTS",
    "CodeProblem",
    "FieldCompleteness",
    "GroupReview",
    "Named",
    "Placeholder",
    "QualityReport",
    "ScorePart",
    "StaleProject",
    "Suggestion",
    "assess_quality",
    "placeholder_of",
]
