"""Wording: the Danish and English sentences that explain a gap, and its subject.

The checks decide what is missing and how serious it is; this module only says it.
Every function takes what a sentence names (labels, and the projects whose titles or
stages it lists) and returns :class:`~ecosystem.groups.Label` texts, Danish first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ecosystem.gaps.model import PUBLIC_VALUE_TAGS, CellStatus, Finding, PublicValue
from ecosystem.groups import ProjectInfo
from ecosystem.labels import ORGANISATION_KINDS_PLURAL, STAGES, Label, name_of

EMPTY = Label("", "")
NOWHERE_ELSE = Label(
    " Heller ikke andre steder i økosystemet er der et projekt, som gør det.",
    " Nowhere else in the ecosystem does a project do it either.",
)

# -- coverage


def projects_on(subject: Label, who: Label = EMPTY) -> Label:
    """What is missing, in a few words: "projekter om Kronisk sygdom (T2)"."""
    return Label(f"projekter om {subject.da}{who.da}", f"projects on {subject.en}{who.en}")


def projects_for(who: Label) -> Label:
    """What is missing for a target group: "projekter for borgere i yderområder"."""
    return Label(f"projekter{who.da}", f"projects{who.en}")


def for_target_group(group: Label) -> Label:
    """The target group a cell is about, as in «projekter om T2 for borgere med KOL»."""
    return Label(f" for {_lower_first(group.da)}", f" for {_lower_first(group.en)}")


def cell_explanation(
    status: CellStatus,
    theme: Label,
    who: Label,
    where: Label,
    local: Sequence[ProjectInfo],
    national: Sequence[ProjectInfo],
) -> Label:
    """Why a coverage cell is a gap: nothing, or thin early work, and who reaches it anyway."""
    if status is CellStatus.NONE:
        text = Label(
            f"Ingen igangværende projekter om {theme.da}{who.da} i {where.da}.",
            f"No active projects on {theme.en}{who.en} in {where.en}.",
        )
    else:
        text = thin(theme + who, where, local)
    return text + national_note(national)


def target_group_note(served_elsewhere: bool) -> Label:
    """Whether the target group of an empty cell has projects under other themes."""
    if served_elsewhere:
        return Label(
            " Målgruppen har projekter under andre af mandatets temaer.",
            " The target group has projects under other themes of the mandate.",
        )
    return Label(
        " Målgruppen har ingen projekter i mandatet.",
        " The target group has no project in the mandate.",
    )


def thin(subject: Label, where: Label, local: Sequence[ProjectInfo]) -> Label:
    """Thin coverage is always early work: anything in implementation would weigh 1."""
    stages = stage_list(local)
    count = Label(
        f"{len(local)} projekt" + ("er" if len(local) > 1 else ""),
        f"{len(local)} project" + ("s" if len(local) > 1 else ""),
    )
    return Label(
        f"Spinkel dækning af {subject.da} i {where.da}: kun {count.da}, i tidlige faser "
        f"({stages.da}).",
        f"Thin coverage of {subject.en} in {where.en}: only {count.en}, at early stages "
        f"({stages.en}).",
    )


def national_note(national: Sequence[ProjectInfo]) -> Label:
    """The nationwide projects that reach a place without local work (the first three)."""
    if not national:
        return Label("", "")
    titles = _titles(national)
    return Label(
        f" Kun landsdækkende projekter når dertil: {titles}.",
        f" Only nationwide projects reach it: {titles}.",
    )


def stage_list(projects: Iterable[ProjectInfo]) -> Label:
    """The stages the projects are at, earliest first: "idé, analyse"."""
    stages = sorted({p.stage for p in projects}, key=lambda s: s.rank)
    names = [STAGES[s].lower() for s in stages]
    return Label(", ".join(n.da for n in names), ", ".join(n.en for n in names))


# -- pipeline


def no_renewal(theme: Label, where: Label, projects: Sequence[ProjectInfo]) -> tuple[Label, Label]:
    """(explanation, subject) of a theme with nothing at idea or analysis."""
    stages = stage_list(projects)
    explanation = Label(
        f"Intet projekt om {theme.da} i {where.da} er på idé- eller analysestadiet: "
        f"intet nyt er på vej (fornyelse). De {len(projects)} projekter er i "
        f"faserne {stages.da}.",
        f"No project on {theme.en} in {where.en} is at the idea or analysis "
        f"stage: nothing new is coming (renewal). The {len(projects)} projects "
        f"are at {stages.en}.",
    )
    subject = Label(f"nye idéer og analyser om {theme.da}", f"new ideas and analyses on {theme.en}")
    return explanation, subject


def nothing_ready(
    theme: Label, where: Label, projects: Sequence[ProjectInfo]
) -> tuple[Label, Label]:
    """(explanation, subject) of a theme with nothing in implementation or operation."""
    stages = stage_list(projects)
    explanation = Label(
        f"Intet projekt om {theme.da} i {where.da} er i implementering eller drift: "
        f"intet er klar til at blive udbredt. De {len(projects)} projekter er i "
        f"faserne {stages.da}.",
        f"No project on {theme.en} in {where.en} is in implementation or "
        f"operation: nothing is ready to spread. The {len(projects)} projects "
        f"are at {stages.en}.",
    )
    subject = Label(
        f"projekter om {theme.da}, der er klar til at blive udbredt",
        f"projects on {theme.en} ready to spread",
    )
    return explanation, subject


# -- goals


def goal_uncovered(goal: Label, where: Label) -> tuple[Label, Label]:
    """(explanation, subject) of a goal no active project of the group contributes to."""
    explanation = Label(
        f"Intet igangværende projekt i gruppens portefølje ({where.da}) bidrager "
        f"til målet {goal.da}.",
        f"No active project in the group's portfolio ({where.en}) contributes "
        f"to the goal {goal.en}.",
    )
    return explanation, Label(f"bidrag til målet {goal.da}", f"contributions to {goal.en}")


def goal_single_kind(
    goal: Label, where: Label, kind: str, contributors: Sequence[ProjectInfo]
) -> tuple[Label, Label]:
    """(explanation, subject) of a goal only one kind of organisation contributes to."""
    plural = name_of(ORGANISATION_KINDS_PLURAL, kind).lower()
    titles = _titles(contributors)
    explanation = Label(
        f"Kun {plural.da} bidrager til målet {goal.da} i gruppens portefølje "
        f"({where.da}): {titles}. Ingen andre slags organisationer er med.",
        f"Only {plural.en} contribute to the goal {goal.en} in the group's "
        f"portfolio ({where.en}): {titles}. No other kind of organisation "
        f"takes part.",
    )
    subject = Label(
        f"bidrag til målet {goal.da} fra andre end {plural.da}",
        f"contributions to {goal.en} from others than {plural.en}",
    )
    return explanation, subject


# -- public value


def value_explanation(
    status: CellStatus,
    dimension: PublicValue,
    mandate_themes: Sequence[str],
    where: Label,
    local: Sequence[ProjectInfo],
    national: Sequence[ProjectInfo],
) -> Label:
    """Why a public-value dimension is a gap under the mandate's themes."""
    value = dimension.label
    tag_themes, tag_groups = PUBLIC_VALUE_TAGS[dimension]
    tags = ", ".join((*tag_themes, *tag_groups))
    if status is CellStatus.NONE:
        themes = ", ".join(mandate_themes) or "alle"
        themes_en = ", ".join(mandate_themes) or "all"
        text = Label(
            f"Ingen igangværende projekter om {value.da} ({tags}) under mandatets temaer "
            f"({themes}) i {where.da}.",
            f"No active projects on {value.en} ({tags}) under the mandate's themes "
            f"({themes_en}) in {where.en}.",
        )
    else:
        text = thin(value + Label(f" ({tags})", f" ({tags})"), where, local)
    return text + national_note(national)


def _titles(projects: Sequence[ProjectInfo]) -> str:
    """The first three titles, quoted: «A»; «B»; «C»."""
    return "; ".join(f"«{p.title}»" for p in projects[:3])


def _lower_first(text: str) -> str:
    """'Borgere med KOL' → 'borgere med KOL' (acronyms keep their capitals)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


# -- what was found: tags, texts


def finding_note(finding: Finding | None, inferred: Sequence[ProjectInfo]) -> Label:
    """Whether nothing is tagged or nothing is found, and the projects read from their text."""
    read = inferred_note(inferred)
    if finding is Finding.NOT_FOUND:
        return Label(
            " Intet projekt fundet, heller ikke i projekternes tekst.",
            " No project found, not in the projects' texts either.",
        )
    if finding is Finding.NOT_TAGGED and not inferred:
        return Label(
            " Intet projekt er mærket med temaet (teksterne læses kun for undertemaer).",
            " No project is tagged with the theme (texts are read for sub-themes only).",
        )
    if finding is Finding.NOT_TAGGED:
        return Label(" Intet projekt er mærket med det.", " No project is tagged with it.") + read
    return read


def inferred_note(inferred: Sequence[ProjectInfo]) -> Label:
    """The projects counted from their text (the first three)."""
    if not inferred:
        return Label("", "")
    titles = _titles(inferred)
    return Label(
        f" Udledt af teksten: {titles}.",
        f" Inferred from the text: {titles}.",
    )


# -- severity, in words


def cell_severity_reason(
    status: CellStatus, national: bool, served_elsewhere: bool | None = None
) -> Label:
    """Why a coverage cell (or a public-value dimension) has the severity it has.

    ``served_elsewhere`` is None where the target group does not matter (theme × area).
    """
    if status is CellStatus.THIN:
        return Label(
            "Lav, fordi der er lokale projekter, men kun i tidlige faser "
            "(tilsammen under ét projekt i implementering eller drift).",
            "Low, because there are local projects, but only at early stages "
            "(together less than one project in implementation or operation).",
        )
    softer: list[Label] = []
    if national:
        softer.append(Label("landsdækkende projekter når dertil", "nationwide projects reach it"))
    if served_elsewhere:
        softer.append(
            Label(
                "målgruppen har projekter under andre af mandatets temaer",
                "the target group has projects under other themes of the mandate",
            )
        )
    if not softer:
        why = Label(
            "Høj, fordi intet lokalt projekt gør det, og intet landsdækkende projekt når dertil",
            "High, because no local project does it and no nationwide project reaches it",
        )
        if served_elsewhere is False:
            why += Label(
                "; målgruppen har heller ingen projekter under mandatets andre temaer",
                "; nor does the target group have projects under the mandate's other themes",
            )
        return why + Label(".", ".")
    level = Label("Middel", "Medium") if len(softer) == 1 else Label("Lav", "Low")
    reasons = Label(" og ".join(s.da for s in softer), " and ".join(s.en for s in softer))
    return Label(
        f"{level.da}: intet lokalt projekt gør det, men {reasons.da}.",
        f"{level.en}: no local project does it, but {reasons.en}.",
    )


PIPELINE_SEVERITY = Label(
    "Middel, fordi der er arbejde på temaet, men pipelinen er skæv: noget mangler før eller efter.",
    "Medium, because there is work on the theme, but the pipeline is lopsided: something is "
    "missing before or after.",
)
GOAL_UNCOVERED_SEVERITY = Label(
    "Høj, fordi gruppen selv har sat målet, og intet af dens igangværende projekter bidrager.",
    "High, because the group set the goal itself and none of its active projects contributes.",
)
GOAL_SINGLE_KIND_SEVERITY = Label(
    "Middel, fordi der er bidrag til målet, men kun fra én slags organisation.",
    "Medium, because the goal has contributions, but only from one kind of organisation.",
)


# -- grouped lines


def area_list(areas: Sequence[Label]) -> Label:
    """«Morsø, Thisted og Læsø» / «Morsø, Thisted and Læsø»."""
    return Label(_joined([a.da for a in areas], "og"), _joined([a.en for a in areas], "and"))


def grouped_explanation(
    subject: Label,
    empty: Sequence[Label],
    thin_areas: Sequence[Label],
    thin_projects: Sequence[ProjectInfo],
    national: Sequence[ProjectInfo],
) -> Label:
    """One line for a theme (× target group) over several areas: where none, where thin."""
    parts: list[Label] = []
    if empty:
        where = area_list(empty)
        parts.append(
            Label(
                f"Ingen igangværende projekter om {subject.da} i {where.da}.",
                f"No active projects on {subject.en} in {where.en}.",
            )
        )
    if thin_areas:
        where, stages = area_list(thin_areas), stage_list(thin_projects)
        # After the empty areas the subject is already named.
        of = Label("", "") if empty else Label(f" af {subject.da}", f" of {subject.en}")
        parts.append(
            Label(
                f"{' ' if empty else ''}Spinkel dækning{of.da} i {where.da}: "
                f"kun tidlige faser ({stages.da}).",
                f"{' ' if empty else ''}Thin coverage{of.en} in {where.en}: "
                f"only early stages ({stages.en}).",
            )
        )
    line = Label("".join(p.da for p in parts), "".join(p.en for p in parts))
    return line + national_note(national)


def missing_under_every_theme(who: Label, themes: Sequence[Label], where: Label) -> Label:
    """A target group (``who``: " for ...") without a project under any of the mandate's themes."""
    listed = area_list(themes)
    return Label(
        f"Ingen igangværende projekter{who.da} i {where.da} under nogen af mandatets "
        f"temaer ({listed.da}).",
        f"No active projects{who.en} in {where.en} under any of the mandate's themes "
        f"({listed.en}).",
    )


def nor_public_value(dimension: PublicValue) -> Label:
    """The public-value dimension a missing target group also leaves empty."""
    value = dimension.label
    themes, _ = PUBLIC_VALUE_TAGS[dimension]
    tags = ", ".join(themes)
    return Label(
        f" Heller intet projekt om {value.da} ({tags}).",
        f" Nor any project on {value.en} ({tags}).",
    )


def theme_lacks_groups(
    theme: Label, groups: Label, where: Label, elsewhere: Sequence[ProjectInfo]
) -> Label:
    """A theme without projects for several target groups that other themes serve."""
    return Label(
        f"Ingen igangværende projekter om {theme.da} for {groups.da} i {where.da}. "
        "Målgrupperne har projekter under andre af mandatets temaer.",
        f"No active projects on {theme.en} for {groups.en} in {where.en}. "
        "The target groups have projects under other themes of the mandate.",
    )


def _joined(items: Sequence[str], conjunction: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
