"""Two-sided matchmaking with consent: who may be told about whom, and what each side sees.

When two organisations' projects are surely the same intervention, their owners can be
told of each other — but only when both organisations have opted in (an organisation's
setting, off until it says otherwise) and neither project is opted out. A *match* is one
record both sides see: the two projects, the reasons and each side's answer.

The rules here are pure functions of plain data:

* **Consent** (:func:`may_match`): both organisations opted in, neither project opted
  out, and a ``private`` project only when its owner allowed that a similar non-public
  project may be mentioned (``disclose_when_private``). A private project whose owner did
  not allow that is never matched: a match is seen by both sides, and such a project may
  not even be hinted at. Consent is asked again at every read, so a withdrawn consent
  hides the match at once (the record stays, nothing is lost).
* **Strength** (:func:`is_strong`): the overlap engine's top band, *sikkert samme indsats*
  (text agreement from ``RankingConfig.same_from``, or near-copies by meaning or by words,
  which the engine lifts into that band — so the rule holds without vectors too), and no
  typed link between the two (merged into, scales, part of: their owners already know).
* **What answers teach** (:func:`lessons_from`, :func:`still_wanted`): a pair is matched
  once, so a *not relevant* answer never brings the same pair back; its reason also
  narrows what that project is matched with from then on. *A different target group*:
  later matches for the project must share a target group with it; *another part of the
  country*: a region. *Not the same intervention* and *other* teach nothing beyond the
  pair (the words alone do not say what would have been the same). The owner's later
  answer to the same match replaces the earlier one's lesson, so changing one's mind
  undoes it.
* **Sight** (:func:`sighting`): a side sees the other project whole when it may see it
  (public, or ``ecosystem`` to any signed-in organisation); a private one only as "a
  non-public project at a <kind> in <region>", with the band and relation, never its
  title, text, owner's name, key terms or sentences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ecosystem.labels import CONFIDENCE, MATCH_ANSWERS, Label, name_of, one_organisation_of_kind
from ecosystem.model import Principal, Visibility
from ecosystem.overlap import STRUCTURAL_LINKS, OverlapMatch, Relation
from ecosystem.ranking import Confidence

__all__ = [
    "Answer",
    "DigestLine",
    "Lesson",
    "MatchedSide",
    "NotRelevantBecause",
    "Participant",
    "SaidOnce",
    "Sighting",
    "digest_text",
    "hint_of",
    "is_strong",
    "lessons_from",
    "may_match",
    "may_take_part",
    "sighting",
    "still_wanted",
    "stored_reasons",
]


class Answer(StrEnum):
    """What an organisation says to a match."""

    INTERESTED = "interested"
    IN_CONTACT = "in_contact"  # already in contact
    NOT_RELEVANT = "not_relevant"


class NotRelevantBecause(StrEnum):
    """Why a side found a match not relevant (optional, with a free-text reason)."""

    DIFFERENT_INTERVENTION = "different_intervention"
    DIFFERENT_TARGET_GROUP = "different_target_group"
    DIFFERENT_PLACE = "different_place"
    OTHER = "other"


@dataclass(frozen=True)
class SaidOnce:
    """One answer as the lessons need it: whose project, to which match, what and why."""

    match_id: int
    project_id: int
    answer: Answer
    because: NotRelevantBecause | None = None


@dataclass(frozen=True)
class Lesson:
    """What a project's owner has taught the matching: what later matches must share."""

    shared_target_group: bool = False
    shared_region: bool = False


@dataclass(frozen=True)
class MatchedSide:
    """A project of a candidate pair, with the facts the lessons test."""

    project_id: int
    target_groups: frozenset[str]
    regions: frozenset[str]


def lessons_from(answers: Sequence[SaidOnce]) -> dict[int, Lesson]:
    """Per project, what its owner's answers (oldest first) ask of later matches.

    Only the latest answer of a project to each match counts, so an answer changed from
    *not relevant* to *interested* takes its lesson back.

    Examples
    --------
    >>> said = [SaidOnce(1, 10, Answer.NOT_RELEVANT, NotRelevantBecause.DIFFERENT_PLACE),
    ...         SaidOnce(2, 10, Answer.NOT_RELEVANT, NotRelevantBecause.DIFFERENT_TARGET_GROUP),
    ...         SaidOnce(3, 11, Answer.NOT_RELEVANT, NotRelevantBecause.DIFFERENT_PLACE),
    ...         SaidOnce(3, 11, Answer.INTERESTED)]
    >>> lessons_from(said)
    {10: Lesson(shared_target_group=True, shared_region=True)}
    """
    latest = {(a.match_id, a.project_id): a for a in answers}
    lessons: dict[int, Lesson] = {}
    for said in latest.values():
        if said.answer is not Answer.NOT_RELEVANT or said.because is None:
            continue
        before = lessons.get(said.project_id, Lesson())
        lesson = Lesson(
            before.shared_target_group or said.because is NotRelevantBecause.DIFFERENT_TARGET_GROUP,
            before.shared_region or said.because is NotRelevantBecause.DIFFERENT_PLACE,
        )
        if lesson != Lesson():
            lessons[said.project_id] = lesson
    return lessons


def still_wanted(a: MatchedSide, b: MatchedSide, lessons: Mapping[int, Lesson]) -> bool:
    """Whether a new match of ``a`` and ``b`` meets what both owners have taught.

    A side that names no target group (or no region) is not held against a lesson: the
    lesson asks for agreement where there is something to agree on.

    Examples
    --------
    >>> aarhus = MatchedSide(1, frozenset({"aeldre"}), frozenset({"1082"}))
    >>> aalborg = MatchedSide(2, frozenset({"boern"}), frozenset({"1081"}))
    >>> still_wanted(aarhus, aalborg, {})
    True
    >>> still_wanted(aarhus, aalborg, {1: Lesson(shared_target_group=True)})
    False
    >>> still_wanted(aarhus, aalborg, {2: Lesson(shared_region=True)})
    False
    """
    for side in (a, b):
        lesson = lessons.get(side.project_id)
        if lesson is None:
            continue
        if lesson.shared_target_group and not _agree(a.target_groups, b.target_groups):
            return False
        if lesson.shared_region and not _agree(a.regions, b.regions):
            return False
    return True


def _agree(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    return not mine or not theirs or bool(mine & theirs)


class Sighting(StrEnum):
    """How much of the other side's project a reader sees."""

    WHOLE = "whole"  # title, owner, reasons: the reader may see the project
    HINT = "hint"  # "a non-public project at a municipality in Region Nordjylland"


@dataclass(frozen=True)
class Participant:
    """One side of a (possible) match, as consent and sight need it."""

    project_id: int
    organisation_id: str
    visibility: str
    disclose_when_private: bool = False
    organisation_opted_in: bool = False
    project_opted_out: bool = False


def may_take_part(side: Participant) -> bool:
    """Whether this side consents: its organisation opted in, the project did not opt out,
    and a private project's owner allowed it to be hinted at."""
    if not side.organisation_opted_in or side.project_opted_out:
        return False
    return side.visibility != Visibility.PRIVATE or side.disclose_when_private


def may_match(a: Participant, b: Participant) -> bool:
    """Whether the two projects may be matched (and the match shown): both sides consent."""
    return a.organisation_id != b.organisation_id and may_take_part(a) and may_take_part(b)


def is_strong(match: OverlapMatch) -> bool:
    """An overlap strong enough to tell both owners of: surely the same intervention,
    and the two not already tied by a typed link."""
    return (
        match.confidence is Confidence.SAME
        and match.relation is not Relation.PART_OF
        and match.link not in STRUCTURAL_LINKS
    )


def sighting(reader: Principal, other: Participant) -> Sighting | None:
    """How much of ``other`` the reader sees; None: not even that it exists."""
    if reader.can_see(other.visibility, other.organisation_id):
        return Sighting.WHOLE
    if other.visibility == Visibility.PRIVATE and other.disclose_when_private:
        return Sighting.HINT
    return None


def hint_of(kind: str, regions: Sequence[str], region_names: Mapping[str, Label]) -> Label:
    """What a side is told of a private project it may not see: the kind of owner and
    its regions, as the overlap check's hint says (never the owner's name)."""
    owner = one_organisation_of_kind(kind)
    names = [region_names.get(r) or Label(r, r) for r in regions] or [Label("Danmark", "Denmark")]
    da = f"Et ikke-offentligt projekt hos {owner.da} i " + ", ".join(n.da for n in names)
    en = f"A non-public project at {owner.en} in " + ", ".join(n.en for n in names)
    return Label(da, en)


def stored_reasons(match: OverlapMatch) -> dict[str, Any]:
    """The engine's reasons for one viewpoint of a match, as stored with it (plain JSON)."""
    return {
        "confidence": str(match.confidence),
        "relation": str(match.relation),
        "score": match.score,
        "reasons": list(match.reasons),
        "reasons_en": list(match.reasons_en),
        "shared_terms": [term for term, _ in match.shared_terms],
        "shared_themes": list(match.shared_themes),
        "shared_target_groups": list(match.shared_target_groups),
        "highlights": list(match.highlights),
    }


@dataclass(frozen=True)
class DigestLine:
    """One new match in an organisation's digest."""

    own_title: str
    other: Label  # the other project and its owner, or the hint at a private one
    confidence: str
    answered: str | None = None  # the other side's answer so far


def digest_text(
    organisation: str, lines: Sequence[DigestLine], since: dt.datetime | None, inbox_url: str
) -> tuple[str, str]:
    """Subject and body of an organisation's digest of new matches, Danish first."""
    subject = (
        f"{len(lines)} nye match med andre organisationers projekter / "
        f"{len(lines)} new matches with other organisations' projects"
    )
    when_da = f" siden {since.date().isoformat()}" if since else ""
    when_en = f" since {since.date().isoformat()}" if since else ""
    body = [f"Kære {organisation},", ""]
    body.append(
        f"Disse af jeres projekter ligner{when_da} andre organisationers projekter så meget, "
        "at det sikkert er samme indsats. Begge organisationer har sagt ja til at blive "
        "gjort opmærksom på det. Svar gerne i indbakken: interesseret, allerede i kontakt "
        "eller ikke relevant."
    )
    body += ["", *(_digest_line(line, 0) for line in lines), ""]
    body.append(
        f"These projects of yours are{when_en} so like other organisations' projects that "
        "they are surely the same intervention; both organisations asked to be told. "
        "Please answer in the inbox: interested, already in contact or not relevant."
    )
    body += ["", *(_digest_line(line, 1) for line in lines), ""]
    body += [f"Indbakke / Inbox: {inbox_url}", "", "Venlig hilsen / Kind regards"]
    return subject, "\n".join(body) + "\n"


def _digest_line(line: DigestLine, english: int) -> str:
    band = name_of(CONFIDENCE, line.confidence)
    other = line.other.en if english else line.other.da
    text = f"- {line.own_title} ↔ {other} ({band.en if english else band.da})"
    if line.answered:
        answer = name_of(MATCH_ANSWERS, line.answered)
        said = answer.en if english else answer.da
        text += f"; {'they answered' if english else 'de har svaret'}: {said}"
    return text
