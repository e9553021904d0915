"""The snapshot: a group's slice recomputed as it was at a moment, as one reader may see it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ecosystem.balance import Balance, analyse_balance
from ecosystem.deliberately_not import OptOuts
from ecosystem.gaps import Gap, GapReport, OptedOut, analyse_gaps
from ecosystem.groups import Group, ProjectInfo, Reference, Scope
from ecosystem.model import Principal, ProjectRecord
from ecosystem.overlap import OverlapPair
from ecosystem.reviews.findings import pair_key
from ecosystem.scaling import Candidate, rank_candidates


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
    def opted_out_ids(self) -> dict[str, OptedOut]:
        """The fravalgt gaps by id: not open, chosen so in the register as it stood then."""
        return {o.gap.id: o for o in self.gaps.deliberately_not}

    def opted_out_for(self, gap: Gap) -> OptedOut | None:
        """The fravalgt line now holding a gap's line or any of its cells (ids may regroup)."""
        cells = {c.id for c in gap.cells} | {gap.id}
        for opted in self.gaps.deliberately_not:
            if opted.gap.id in cells or cells & {c.id for c in opted.gap.cells}:
                return opted
        return None

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
    opted_out: OptOuts | None = None,
) -> Snapshot:
    """Recompute the slice from the records as of the moment, seen by ``principal``.

    ``records`` are every project as its last revision before ``as_of`` left it
    (withdrawn ones included); ``pairs`` are the overlaps stored with the review. A pair
    is kept only when the reader may see both projects, so nothing private leaks.
    ``opted_out``: the "fravalgt" register as of the moment; the gaps it covers are set
    apart (``gaps.deliberately_not``), not raised as open, nor filled by candidates.
    """
    scope = Scope(group.mandate, reference)
    context, withdrawn = _as_seen(records, principal, reference)
    covered = {i: p for i, p in sorted(context.items()) if scope.covers(p)}
    visible_pairs = tuple(
        p for p in pairs if p.a in context and p.b in context and (p.a in covered or p.b in covered)
    )
    themed = _on_mandate_themes(context.values(), group, reference)
    gaps = analyse_gaps(group.mandate, themed, reference, nearest=False, opted_out=opted_out)
    return Snapshot(
        as_of=as_of,
        group=group,
        reference=reference,
        projects=covered,
        context=context,
        withdrawn=frozenset(withdrawn),
        pairs=visible_pairs,
        gaps=gaps,
        candidates=_candidates(group, reference, themed, context, visible_pairs, gaps, opted_out),
        balance=analyse_balance(covered.values(), group.ambition),
    )


def _as_seen(
    records: Iterable[ProjectRecord], principal: Principal, reference: Reference
) -> tuple[dict[int, ProjectInfo], set[int]]:
    """(the live projects the reader may see, by id; the ids of those withdrawn)."""
    context: dict[int, ProjectInfo] = {}
    withdrawn: set[int] = set()
    for record in records:
        if not principal.can_see(record.visibility, record.organisation_id):
            continue
        if record.withdrawn:
            withdrawn.add(record.id)
            continue
        context[record.id] = ProjectInfo.of(record, reference)
    return context, withdrawn


def _candidates(
    group: Group,
    reference: Reference,
    themed: list[ProjectInfo],
    context: Mapping[int, ProjectInfo],
    pairs: tuple[OverlapPair, ...],
    gaps: GapReport,
    opted_out: OptOuts | None,
) -> tuple[Candidate, ...]:
    """Scaling candidates among the themed projects and the partners of the stored pairs."""
    pool = {p.id: p for p in themed}
    for pair in pairs:
        pool.setdefault(pair.a, context[pair.a])
        pool.setdefault(pair.b, context[pair.b])
    candidates, _ = rank_candidates(
        group.mandate, list(pool.values()), gaps, list(pairs), reference, opted_out=opted_out
    )
    return tuple(candidates)


def _on_mandate_themes(
    projects: Iterable[ProjectInfo], group: Group, reference: Reference
) -> list[ProjectInfo]:
    """What the gap analysis reads: the projects on the mandate's themes, anywhere."""
    themes = group.mandate.themes
    if not themes:
        return sorted(projects, key=lambda p: p.id)
    wanted = frozenset().union(*(reference.theme_and_subthemes(t) for t in themes))
    return sorted((p for p in projects if p.themes & wanted), key=lambda p: p.id)
