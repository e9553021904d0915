"""The quarterly review: a group's slice frozen at a moment, what changed since, the agenda.

A review snapshot copies nothing that history can reproduce. It is the moment (``as_of``
and the catalogue version), the group's document as it was, and the overlap pairs found
then: the overlap engine only knows the current catalogue, so its pairs are the one
thing stored. Everything else — the projects as of the moment, their gaps, scaling
candidates and balance — is recomputed from project history each time the review is
read, so an old review reads the same after later publishes (docs/reviews.md).

Everything here is pure: the store reads the history, the API turns results into views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ecosystem.balance import Balance, analyse_balance
from ecosystem.gaps import Gap, GapReport, analyse_gaps
from ecosystem.groups import Group, Label, ProjectInfo, Reference, Scope
from ecosystem.model import Principal, ProjectRecord
from ecosystem.overlap import Geography, OverlapMatch, OverlapPair, Relation
from ecosystem.scaling import Candidate, rank_candidates

__all__ = [
    "DECISION_LABELS",
    "PUBLIC_VALUE_QUESTIONS",
    "RESPONSE_LABELS",
    "SETTLING_KINDS",
    "AgendaItem",
    "Decision",
    "DecisionKind",
    "Diff",
    "FindingKind",
    "Response",
    "ResponseKind",
    "ScoreChange",
    "Snapshot",
    "StageChange",
    "Stale",
    "agenda",
    "build_snapshot",
    "finding_key",
    "not_reviewed_since",
    "pair_from_json",
    "pair_key",
    "pair_to_json",
    "reminder_text",
    "settled_keys",
    "since_last",
]


class FindingKind(StrEnum):
    """What a decision is about."""

    OVERLAP = "overlap"  # a pair of overlapping projects
    CLUSTER = "cluster"  # several projects doing the same thing
    GAP = "gap"
    SCALING_CANDIDATE = "scaling_candidate"
    PROJECT = "project"


class DecisionKind(StrEnum):
    """What the group recommends; it never changes another organisation's data."""

    CONTINUE = "continue"
    COORDINATE = "coordinate"  # coordinate with … (counterparts)
    MERGE = "merge"  # merge with … (counterparts)
    SCALE = "scale"  # scale to … (counterparts: areas or organisations)
    STOP = "stop"
    ACCEPT_DUPLICATION = "accept_duplication"  # accept the duplication because … (rationale)
    NOTE = "note"


class ResponseKind(StrEnum):
    """How an owning organisation answers a decision about its project."""

    AGREED = "agreed"
    DECLINED = "declined"
    IN_DIALOGUE = "in_dialogue"


# A decision of these kinds settles its finding: it is shown as settled, not raised again.
SETTLING_KINDS = frozenset({DecisionKind.ACCEPT_DUPLICATION})

DECISION_LABELS = {
    DecisionKind.CONTINUE: Label("Fortsæt", "Continue"),
    DecisionKind.COORDINATE: Label("Koordinér med", "Coordinate with"),
    DecisionKind.MERGE: Label("Slå sammen med", "Merge with"),
    DecisionKind.SCALE: Label("Skalér til", "Scale to"),
    DecisionKind.STOP: Label("Stop", "Stop"),
    DecisionKind.ACCEPT_DUPLICATION: Label(
        "Accepter overlappet, fordi", "Accept the duplication because"
    ),
    DecisionKind.NOTE: Label("Note", "Note"),
}

RESPONSE_LABELS = {
    ResponseKind.AGREED: Label("Enig", "Agreed"),
    ResponseKind.DECLINED: Label("Afvist", "Declined"),
    ResponseKind.IN_DIALOGUE: Label("I dialog", "In dialogue"),
}

# The public-value questions every agenda asks (DOMAIN.md P16), whatever the data says.
PUBLIC_VALUE_QUESTIONS = (
    Label(
        "Mindsker porteføljen ulighed i sundhed – eller øger den?",
        "Does the portfolio reduce inequality in health – or increase it?",
    ),
    Label(
        "Når indsatserne ud i yderområderne, eller samler de sig i byerne?",
        "Do the initiatives reach outlying areas, or gather in the cities?",
    ),
    Label(
        "Er der nok opsøgende og forebyggende arbejde?",
        "Is there enough outreach and prevention?",
    ),
    Label(
        "Er kerneopgaverne sikret, mens vi udvikler (kontinuitet i driften)?",
        "Are the core tasks secured while we develop (continuity of operations)?",
    ),
)


# --- findings ------------------------------------------------------------------------------


def pair_key(a: int, b: int) -> str:
    low, high = sorted((a, b))
    return f"overlap:{low}-{high}"


def finding_key(kind: FindingKind, *, projects: Sequence[int] = (), gap: str | None = None) -> str:
    """A stable key for a finding, so a decision about it is found at later reviews."""
    if kind is FindingKind.OVERLAP:
        return pair_key(projects[0], projects[1])
    if kind is FindingKind.CLUSTER:
        return "cluster:" + "-".join(str(p) for p in sorted(set(projects)))
    if kind is FindingKind.GAP:
        return f"gap:{gap}"
    if kind is FindingKind.SCALING_CANDIDATE:
        return f"scaling:{projects[0]}"
    return f"project:{projects[0]}"


def pair_to_json(pair: OverlapPair) -> dict[str, Any]:
    """An overlap pair as stored with a review (the engine cannot recompute the past)."""
    m = pair.match
    return {
        "a": pair.a,
        "b": pair.b,
        "project_id": m.project_id,
        "score": m.score,
        "relation": m.relation.value,
        "text_score": m.text_score,
        "shared_terms": [[term, weight] for term, weight in m.shared_terms],
        "shared_themes": list(m.shared_themes),
        "shared_target_groups": list(m.shared_target_groups),
        "geography": m.geography.value,
        "partner_link": m.partner_link,
        "reasons": list(m.reasons),
        "reasons_en": list(m.reasons_en),
    }


def pair_from_json(data: Mapping[str, Any]) -> OverlapPair:
    match = OverlapMatch(
        project_id=int(data["project_id"]),
        score=float(data["score"]),
        relation=Relation(data["relation"]),
        text_score=float(data["text_score"]),
        shared_terms=tuple((str(t), float(w)) for t, w in data["shared_terms"]),
        shared_themes=tuple(data["shared_themes"]),
        shared_target_groups=tuple(data["shared_target_groups"]),
        geography=Geography(data["geography"]),
        partner_link=data["partner_link"],
        reasons=tuple(data["reasons"]),
        reasons_en=tuple(data["reasons_en"]),
    )
    return OverlapPair(int(data["a"]), int(data["b"]), match)


# --- decisions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    organisation_id: str
    response: ResponseKind
    comment: str
    actor: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Decision:
    id: int
    review_id: int
    group_id: str
    finding_key: str
    finding: Mapping[str, Any]
    project_ids: tuple[int, ...]
    kind: DecisionKind
    counterparts: tuple[str, ...]
    rationale: str
    actor: str
    created_at: dt.datetime
    responses: tuple[Response, ...] = ()
    owners: tuple[str, ...] = ()  # organisations owning the projects concerned

    @property
    def settles(self) -> bool:
        return self.kind in SETTLING_KINDS

    def latest_responses(self) -> dict[str, Response]:
        """Each organisation's latest answer (earlier ones stay in the history)."""
        latest: dict[str, Response] = {}
        for response in sorted(self.responses, key=lambda r: r.created_at):
            latest[response.organisation_id] = response
        return latest


def settled_keys(decisions: Iterable[Decision]) -> set[str]:
    """Findings that a decision has settled (the latest decision on a finding counts)."""
    latest: dict[str, Decision] = {}
    for decision in sorted(decisions, key=lambda d: (d.created_at, d.id)):
        latest[decision.finding_key] = decision
    return {key for key, decision in latest.items() if decision.settles}


# --- the snapshot --------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A group's slice as it was at ``as_of``, as one reader may see it."""

    as_of: dt.datetime
    group: Group
    reference: Reference
    projects: Mapping[int, ProjectInfo]  # covered by the mandate, live at the moment
    context: Mapping[int, ProjectInfo]  # every live project the reader may see (pair partners)
    withdrawn: frozenset[int]  # withdrawn as of the moment
    pairs: tuple[OverlapPair, ...]
    gaps: GapReport
    candidates: tuple[Candidate, ...]
    balance: Balance

    @property
    def pair_keys(self) -> dict[str, OverlapPair]:
        return {pair_key(p.a, p.b): p for p in self.pairs}

    @property
    def gap_ids(self) -> dict[str, Gap]:
        return {g.id: g for g in self.gaps.gaps}

    @property
    def candidate_ids(self) -> frozenset[int]:
        return frozenset(c.project_id for c in self.candidates)


def build_snapshot(
    group: Group,
    reference: Reference,
    records: Iterable[ProjectRecord],
    pairs: Iterable[OverlapPair],
    *,
    as_of: dt.datetime,
    principal: Principal,
) -> Snapshot:
    """Recompute the slice from the records as of the moment, seen by ``principal``.

    ``records`` are every project as its last revision before ``as_of`` left it
    (withdrawn ones included); ``pairs`` are the overlaps stored with the review. A pair
    is kept only when the reader may see both projects, so nothing private leaks.
    """
    scope = Scope(group.mandate, reference)
    context: dict[int, ProjectInfo] = {}
    withdrawn: set[int] = set()
    for record in records:
        if not principal.can_see(record.visibility, record.organisation_id):
            continue
        if record.withdrawn:
            withdrawn.add(record.id)
            continue
        context[record.id] = ProjectInfo.of(record, reference)
    covered = {i: p for i, p in sorted(context.items()) if scope.covers(p)}
    visible_pairs = tuple(
        p for p in pairs if p.a in context and p.b in context and (p.a in covered or p.b in covered)
    )
    themed = _on_mandate_themes(context.values(), group, reference)
    gaps = analyse_gaps(group.mandate, themed, reference, nearest=False)
    pool = {p.id: p for p in themed}
    for pair in visible_pairs:
        pool.setdefault(pair.a, context[pair.a])
        pool.setdefault(pair.b, context[pair.b])
    candidates, _ = rank_candidates(
        group.mandate, list(pool.values()), gaps, list(visible_pairs), reference
    )
    return Snapshot(
        as_of=as_of,
        group=group,
        reference=reference,
        projects=covered,
        context=context,
        withdrawn=frozenset(withdrawn),
        pairs=visible_pairs,
        gaps=gaps,
        candidates=tuple(candidates),
        balance=analyse_balance(covered.values(), group.ambition),
    )


def _on_mandate_themes(
    projects: Iterable[ProjectInfo], group: Group, reference: Reference
) -> list[ProjectInfo]:
    """What the gap analysis reads: the projects on the mandate's themes, anywhere."""
    themes = group.mandate.themes
    if not themes:
        return sorted(projects, key=lambda p: p.id)
    wanted = frozenset().union(*(reference.theme_and_subthemes(t) for t in themes))
    return sorted((p for p in projects if p.themes & wanted), key=lambda p: p.id)


# --- since last review ---------------------------------------------------------------------


@dataclass(frozen=True)
class StageChange:
    project_id: int
    before: str
    after: str


@dataclass(frozen=True)
class ScoreChange:
    project_id: int
    field: str  # value_score or risk_score
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Diff:
    """What changed in a group's slice between two snapshots: the meeting's first page."""

    new_projects: tuple[int, ...]
    withdrawn: tuple[int, ...]  # withdrawn by their owner since
    left_mandate: tuple[int, ...]  # still live, but no longer under the mandate
    stage_changes: tuple[StageChange, ...]
    score_changes: tuple[ScoreChange, ...]
    overlaps_appeared: tuple[str, ...]
    overlaps_disappeared: tuple[str, ...]
    gaps_opened: tuple[str, ...]
    gaps_closed: tuple[str, ...]
    new_candidates: tuple[int, ...]
    decisions: tuple[int, ...] = field(default=())
    gaps_changed: tuple[tuple[str, str, str], ...] = ()  # (gap id, severity before, after)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.new_projects,
                self.withdrawn,
                self.left_mandate,
                self.stage_changes,
                self.score_changes,
                self.overlaps_appeared,
                self.overlaps_disappeared,
                self.gaps_opened,
                self.gaps_closed,
                self.new_candidates,
                self.decisions,
                self.gaps_changed,
            )
        )


def since_last(old: Snapshot, new: Snapshot, decisions: Iterable[Decision] = ()) -> Diff:
    """Every kind of difference between two snapshots of one group, old first.

    ``decisions`` are the group's decisions; those made from the old review's moment up
    to the new one's are listed.
    """
    before, after = old.projects, new.projects
    gone = sorted(before.keys() - after.keys())
    kept = sorted(before.keys() & after.keys())
    return Diff(
        new_projects=tuple(sorted(after.keys() - before.keys())),
        withdrawn=tuple(i for i in gone if i in new.withdrawn),
        left_mandate=tuple(i for i in gone if i not in new.withdrawn),
        stage_changes=tuple(
            StageChange(i, before[i].stage.value, after[i].stage.value)
            for i in kept
            if before[i].stage != after[i].stage
        ),
        score_changes=tuple(_score_changes(before, after, kept)),
        overlaps_appeared=tuple(sorted(new.pair_keys.keys() - old.pair_keys.keys())),
        overlaps_disappeared=tuple(sorted(old.pair_keys.keys() - new.pair_keys.keys())),
        gaps_opened=tuple(sorted(new.gap_ids.keys() - old.gap_ids.keys())),
        gaps_closed=tuple(sorted(old.gap_ids.keys() - new.gap_ids.keys())),
        new_candidates=tuple(sorted(new.candidate_ids - old.candidate_ids)),
        decisions=tuple(
            d.id for d in decisions if old.as_of <= d.created_at <= max(new.as_of, old.as_of)
        ),
        gaps_changed=tuple(_severity_changes(old, new)),
    )


def _severity_changes(old: Snapshot, new: Snapshot) -> Iterable[tuple[str, str, str]]:
    """Gaps open at both moments whose severity moved (e.g. thin work became none)."""
    before, after = old.gap_ids, new.gap_ids
    for gap_id in sorted(before.keys() & after.keys()):
        was, now = before[gap_id].severity.value, after[gap_id].severity.value
        if was != now:
            yield gap_id, was, now


def _score_changes(
    before: Mapping[int, ProjectInfo], after: Mapping[int, ProjectInfo], kept: Sequence[int]
) -> Iterable[ScoreChange]:
    for project_id in kept:
        for name in ("value_score", "risk_score"):
            was = before[project_id].record.data.get(name)
            now = after[project_id].record.data.get(name)
            if was != now:
                yield ScoreChange(project_id, name, was, now)


# --- the agenda ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    """One point on the meeting's agenda, with what it is about."""

    key: str
    title: Label
    prompt: Label
    findings: tuple[str, ...] = ()


def agenda(
    snapshot: Snapshot,
    diff: Diff | None,
    decisions: Collection[Decision],
) -> list[AgendaItem]:
    """The agenda of a review: a conversation about balances and choices, not status reading.

    Settled findings (e.g. an accepted duplication) are left out of the points to
    discuss; pending decisions are those an owning organisation has not yet agreed to.
    """
    settled = settled_keys(decisions)
    open_pairs = tuple(k for k in snapshot.pair_keys if k not in settled)
    open_gaps = tuple(f"gap:{g.id}" for g in snapshot.gaps.gaps if f"gap:{g.id}" not in settled)
    pending = tuple(f"decision:{d.id}" for d in decisions if _is_pending(d))
    items = [
        AgendaItem(
            "since_last",
            Label("Siden sidste møde", "Since last review"),
            Label(
                "Hvad er nyt, stoppet eller modnet – og ændrer det vores billede?",
                "What is new, stopped or matured – and does it change our picture?",
            )
            if diff is not None
            else Label(
                "Første gennemgang: der er intet tidligere møde at sammenligne med.",
                "First review: there is no earlier review to compare with.",
            ),
        ),
        AgendaItem(
            "balance",
            Label("Balancer", "Balances"),
            Label(
                "Passer blandingen af tidlige og modne, sikre og risikable projekter til ambitionen?",
                "Does the mix of early and mature, safe and risky projects fit the ambition?",
            ),
        ),
        AgendaItem(
            "overlaps",
            Label("Overlap at drøfte", "Overlaps to discuss"),
            Label(
                "Skal vi koordinere, slå sammen eller bevidst acceptere overlappet?",
                "Should we coordinate, merge or deliberately accept the overlap?",
            ),
            open_pairs,
        ),
        AgendaItem(
            "gaps",
            Label("Huller", "Gaps"),
            Label(
                "Hvilke huller er vigtige for borgerne – og hvem kunne fylde dem?",
                "Which gaps matter to citizens – and who could fill them?",
            ),
            open_gaps,
        ),
        AgendaItem(
            "scaling",
            Label("Kandidater til skalering", "Scaling candidates"),
            Label(
                "Hvad er modnet andre steder, som vi kan tage i brug i stedet for at opfinde det igen?",
                "What has matured elsewhere that we can adopt instead of reinventing it?",
            ),
            tuple(f"scaling:{c.project_id}" for c in snapshot.candidates),
        ),
        AgendaItem(
            "public_value",
            Label("Offentlig værdi", "Public value"),
            Label(
                " ".join(q.da for q in PUBLIC_VALUE_QUESTIONS),
                " ".join(q.en for q in PUBLIC_VALUE_QUESTIONS),
            ),
        ),
        AgendaItem(
            "decisions",
            Label("Beslutninger der afventer svar", "Decisions awaiting a response"),
            Label(
                "Hvor er vi i dialog med de ejende organisationer?",
                "Where are we in dialogue with the owning organisations?",
            ),
            pending,
        ),
    ]
    return items


def _is_pending(decision: Decision) -> bool:
    if decision.kind is DecisionKind.NOTE:
        return False
    latest = decision.latest_responses()
    return any(
        owner not in latest or latest[owner].response is not ResponseKind.AGREED
        for owner in decision.owners
    )


# --- before the meeting: cards to refresh --------------------------------------------------


@dataclass(frozen=True)
class Stale:
    """A project in the mandate its owner has not confirmed since the last review."""

    project: ProjectInfo
    last_reviewed: dt.date | None


def not_reviewed_since(
    projects: Iterable[ProjectInfo], since: dt.date | None
) -> dict[str, list[Stale]]:
    """Per organisation, its projects whose ``last_reviewed`` is missing or before ``since``.

    ``since`` is the last review's meeting date; without an earlier review, only cards
    never confirmed are listed. Asked once per cycle, before the meeting — not a
    continuous status chase (DOMAIN.md P4, §2.2).
    """
    found: dict[str, list[Stale]] = {}
    for project in sorted(projects, key=lambda p: (p.organisation_id, p.title, p.id)):
        reviewed = _date(project.record.data.get("last_reviewed"))
        if reviewed is None or (since is not None and reviewed < since):
            found.setdefault(project.organisation_id, []).append(Stale(project, reviewed))
    return found


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def reminder_text(
    organisation: str, group: str, stale: Sequence[Stale], since: dt.date | None
) -> tuple[str, str]:
    """Subject and body of the once-per-cycle request to refresh cards, Danish first."""
    subject = (
        f"{group}: {len(stale)} projektkort at bekræfte før næste møde / "
        f"{len(stale)} project cards to confirm before the next review"
    )
    when_da = f"siden {since.isoformat()}" if since else "endnu"
    when_en = f"since {since.isoformat()}" if since else "yet"
    lines = [f"Kære {organisation},", ""]
    lines.append(
        f"{group} holder snart sit næste møde. Disse af jeres projekter i gruppens mandat "
        f"er ikke bekræftet {when_da} (feltet last_reviewed). Se dem venligst igennem, ret "
        "det der har ændret sig, og markér dem som gennemgået:"
    )
    lines += ["", *(_stale_line(s) for s in stale), ""]
    lines.append(
        f"{group} meets soon. These projects of yours in the group's mandate have not been "
        f"confirmed {when_en} (last_reviewed). Please look them over, correct what changed "
        "and mark them as reviewed."
    )
    lines += ["", "Venlig hilsen / Kind regards", group]
    return subject, "\n".join(lines) + "\n"


def _stale_line(stale: Stale) -> str:
    data = stale.project.record.data
    last = stale.last_reviewed.isoformat() if stale.last_reviewed else "aldrig / never"
    return f"- {data.get('title', '')} ({stale.project.record.external_id}, {last})"
