"""The words of "what to discuss": each item's title and its reason, one sentence, da and en.

:mod:`ecosystem.reviews.discuss` chooses the items; this module only says them, naming
values from the one vocabulary (:mod:`ecosystem.labels`) and projects, organisations,
areas and goals by their names, never by code.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecosystem.gaps import Gap, Severity
from ecosystem.labels import DECISIONS, OVERLAP_RELATIONS, SEVERITIES, Label, name_of
from ecosystem.overlap import OverlapPair
from ecosystem.reviews.decisions import Decision, ResponseKind
from ecosystem.reviews.snapshot import Snapshot
from ecosystem.scaling import Candidate, ReasonKind

__all__ = [
    "and_list",
    "candidate",
    "decision",
    "gap",
    "gap_areas",
    "gap_change",
    "gap_where",
    "overlap",
    "overlap_change",
    "project_name",
]


def and_list(items: Sequence[Label]) -> Label:
    """ "A, B og C" / "A, B and C"."""
    if not items:
        return Label("", "")
    if len(items) == 1:
        return items[0]
    head = items[:-1]
    return Label(
        ", ".join(i.da for i in head) + " og " + items[-1].da,
        ", ".join(i.en for i in head) + " and " + items[-1].en,
    )


def project_name(project_id: int, snapshot: Snapshot) -> Label:
    """ "«Title» (Organisation)"; a project the reader may not see is only «#id»."""
    project = snapshot.context.get(project_id)
    if project is None:
        return Label(f"«#{project_id}»", f"«#{project_id}»")
    organisation = snapshot.reference.organisation(project.organisation_id).name
    text = f"«{project.title}» ({organisation})"
    return Label(text, text)


def _organisation(project_id: int, snapshot: Snapshot) -> str:
    project = snapshot.context.get(project_id)
    if project is None:
        return f"#{project_id}"
    return snapshot.reference.organisation(project.organisation_id).name


def _decimal(value: float) -> Label:
    text = f"{value:.2f}"
    return Label(text.replace(".", ","), text)


def _count(n: int, one: Label, many: Label) -> Label:
    word = one if n == 1 else many
    return Label(f"{n} {word.da}", f"{n} {word.en}")


# --- overlaps ------------------------------------------------------------------------------


def overlap(
    pair: OverlapPair, snapshot: Snapshot, *, is_new: bool, first: bool
) -> tuple[Label, Label]:
    """ "«A» (X) og «B» (Y)"; "X og Y har et nyt overlap …: parallel: … (lighed 0,80)."."""
    title_a, title_b = project_name(pair.a, snapshot), project_name(pair.b, snapshot)
    title = Label(f"{title_a.da} og {title_b.da}", f"{title_a.en} and {title_b.en}")
    a, b = _organisation(pair.a, snapshot), _organisation(pair.b, snapshot)
    relation = name_of(OVERLAP_RELATIONS, pair.match.relation.value).lower()
    score = _decimal(pair.match.score)
    if first:
        what = Label("har et overlap ved gruppens første gennemgang", "overlap at the first review")
    elif is_new:
        what = Label(
            "har et nyt overlap siden sidste møde", "have a new overlap since the last review"
        )
    else:
        what = Label(
            "overlapper stadig, som ved sidste møde", "still overlap, as at the last review"
        )
    reason = Label(
        f"{a} og {b} {what.da} – {relation.da} (lighed {score.da}).",
        f"{a} and {b} {what.en} – {relation.en} (similarity {score.en}).",
    )
    return title, reason


# --- gaps ----------------------------------------------------------------------------------


def gap_areas(gap: Gap) -> tuple[str, ...]:
    """The areas a gap names: a grouped line lists ``areas``; a single cell has ``area``."""
    return tuple(gap.areas) or ((gap.area,) if gap.area else ())


def gap_where(gap: Gap, snapshot: Snapshot) -> Label:
    """The theme, target group and areas a gap is about, by name: "Kronisk sygdom × KOL × Aarhus"."""
    reference = snapshot.reference
    parts: list[Label] = []
    if gap.theme:
        parts.append(reference.theme_label(gap.theme))
    if gap.target_group:
        parts.append(reference.target_group_label(gap.target_group))
    if gap.goal:
        parts.append(reference.goal_label(gap.goal))
    areas = [reference.area_label(a) for a in gap_areas(gap)]
    if areas:
        parts.append(and_list(areas))
    return Label(" × ".join(p.da for p in parts), " × ".join(p.en for p in parts))


def gap(gap: Gap, snapshot: Snapshot, *, opened: bool, was: Severity | None) -> tuple[Label, Label]:
    """Its subject; "Høj alvor, nyt siden sidste møde: der mangler … i Aarhus og Samsø."."""
    subject = gap.subject
    title = Label(subject.da[:1].upper() + subject.da[1:], subject.en[:1].upper() + subject.en[1:])
    severity = name_of(SEVERITIES, gap.severity.value)
    head = Label(f"{severity.da} alvor", f"{severity.en} severity")
    if gap.goal:
        head += Label(" mod gruppens eget mål", " against the group's own goal")
    if opened:
        head += Label(", nyt siden sidste møde", ", new since the last review")
    elif was is not None:
        before = name_of(SEVERITIES, was.value).lower()
        head += Label(
            f", skærpet fra {before.da} siden sidste møde",
            f", up from {before.en} since the last review",
        )
    areas = [snapshot.reference.area_label(a) for a in gap_areas(gap)]
    where = and_list(areas)
    place = Label(f" i {where.da}", f" in {where.en}") if areas else Label("", "")
    reason = Label(
        f"{head.da}: der mangler {subject.da}{place.da}.",
        f"{head.en}: {subject.en} are lacking{place.en}.",
    )
    return title, reason


# --- scaling candidates --------------------------------------------------------------------

_WHY = {
    ReasonKind.GAP: (
        Label("hul", "gap"),
        Label("huller", "gaps"),
        Label("kan udfylde ", "could fill "),
    ),
    ReasonKind.STARTING: (
        Label("organisation", "organisation"),
        Label("organisationer", "organisations"),
        Label("starter det samme hos ", "starting the same thing at "),
    ),
    ReasonKind.ABSENT: (
        Label("område", "area"),
        Label("områder", "areas"),
        Label("intet lignende i ", "nothing like it in "),
    ),
}


def candidate(candidate: Candidate, snapshot: Snapshot) -> tuple[Label, Label]:
    """ "«X» (Org)"; "Nr. 1 blandt kandidaterne til skalering (7 point): kan udfylde 2 huller …"."""
    title = project_name(candidate.project_id, snapshot)
    why: list[Label] = []
    for kind, (one, many, lead) in _WHY.items():
        n = sum(1 for r in candidate.reasons if r.kind is kind)
        if n:
            why.append(lead + _count(n, one, many))
    if any(r.kind is ReasonKind.EVIDENCE for r in candidate.reasons):
        why.append(Label("positivt evalueret", "positively evaluated"))
    because = and_list(why)
    points = _count(candidate.score, Label("point", "point"), Label("point", "points"))
    reason = Label(
        f"Nr. {candidate.rank} blandt kandidaterne til skalering ({points.da})"
        + (f": {because.da}." if why else "."),
        f"Number {candidate.rank} among the scaling candidates ({points.en})"
        + (f": {because.en}." if why else "."),
    )
    return title, reason


# --- decisions -----------------------------------------------------------------------------


def decision(decision: Decision, snapshot: Snapshot) -> tuple[Label, Label]:
    """ "Koordinér med: «A» (X) og «B» (Y)"; "Afventer svar fra X siden 1.3.2026 …"."""
    kind = name_of(DECISIONS, decision.kind.value)
    about = and_list([project_name(p, snapshot) for p in decision.project_ids])
    title = Label(f"{kind.da}: {about.da}", f"{kind.en}: {about.en}") if about.da else kind
    latest = decision.latest_responses()
    reference = snapshot.reference

    def names(owners: Sequence[str]) -> Label:
        return and_list([Label(n, n) for n in (reference.organisation(o).name for o in owners)])

    silent = [o for o in decision.owners if o not in latest]
    talking = [
        o for o in decision.owners if o in latest and latest[o].response is ResponseKind.IN_DIALOGUE
    ]
    declined = [
        o for o in decision.owners if o in latest and latest[o].response is ResponseKind.DECLINED
    ]
    day = decision.created_at.date()
    since = Label(f"{day.day}.{day.month}.{day.year}", day.isoformat())
    parts: list[Label] = []
    if silent:
        who = names(silent)
        parts.append(Label(f"afventer svar fra {who.da}", f"awaiting an answer from {who.en}"))
    if talking:
        who = names(talking)
        parts.append(Label(f"i dialog med {who.da}", f"in dialogue with {who.en}"))
    if declined:
        who = names(declined)
        parts.append(Label(f"afvist af {who.da}", f"declined by {who.en}"))
    state = and_list(parts)
    reason = Label(f"Besluttet {since.da}, {state.da}.", f"Decided on {since.en}, {state.en}.")
    return title, reason


# --- since last review, by name ------------------------------------------------------------


def overlap_change(pair: OverlapPair, snapshot: Snapshot, *, appeared: bool) -> Label:
    """ "Nyt overlap: «A» (X) og «B» (Y) – parallel: … ." (or "Overlap ophørt: …")."""
    a, b = project_name(pair.a, snapshot), project_name(pair.b, snapshot)
    relation = name_of(OVERLAP_RELATIONS, pair.match.relation.value).lower()
    head = (
        Label("Nyt overlap", "New overlap") if appeared else Label("Overlap ophørt", "Overlap gone")
    )
    return Label(
        f"{head.da}: {a.da} og {b.da} – {relation.da}.",
        f"{head.en}: {a.en} and {b.en} – {relation.en}.",
    )


def gap_change(
    gap: Gap, snapshot: Snapshot, *, before: Severity | None, after: Severity | None
) -> Label:
    """ "Hul ændret fra lav til høj: projekter om … – Kronisk sygdom (T2) × Favrskov."."""
    where = gap_where(gap, snapshot)
    about = Label(f"{gap.subject.da} – {where.da}", f"{gap.subject.en} – {where.en}")

    def named(severity: Severity) -> Label:
        return name_of(SEVERITIES, severity.value).lower()

    if before is None and after is not None:
        head = Label(f"Nyt hul ({named(after).da})", f"New gap ({named(after).en})")
    elif after is None and before is not None:
        head = Label(f"Hul lukket (var {named(before).da})", f"Gap closed (was {named(before).en})")
    elif before is not None and after is not None:
        head = Label(
            f"Hul ændret fra {named(before).da} til {named(after).da}",
            f"Gap changed from {named(before).en} to {named(after).en}",
        )
    else:
        head = Label("Hul", "Gap")
    return Label(f"{head.da}: {about.da}.", f"{head.en}: {about.en}.")


def gap_opted_out(gap: Gap, snapshot: Snapshot, said_now: Label) -> Label:
    """ "Fravalgt siden sidst: projekter om … – Favrskov. Fravalgt: <grund> (<hvem>, <dato>)." """
    where = gap_where(gap, snapshot)
    return Label(
        f"Fravalgt siden sidst: {gap.subject.da} – {where.da}. {said_now.da}",
        f"Opted out of since last review: {gap.subject.en} – {where.en}. {said_now.en}",
    )
