"""Which "fravalgt" entries make a gap cell fravalgt: the rule, over plain data."""

from __future__ import annotations

import datetime as dt

from ecosystem.deliberately_not import OptOut, OptOuts, covering
from ecosystem.groups import Reference

REFERENCE = Reference(
    area_parents={"0751": ["sr"], "0710": ["sr"], "sr": ["DK"], "DK": []},
    area_schemes={"0751": "municipality", "0710": "municipality", "sr": "health_council"},
    theme_parents={"T2": None, "T2.1": "T2", "T4": None},
)
TODAY = dt.date(2025, 6, 1)


def entry(entry_id: int, owner: str, **scope: object) -> OptOut:
    return OptOut(
        id=entry_id,
        owner_kind="organisation",
        owner_id=owner,
        reason="Andre gør det bedre.",
        decided_by="Byrådet",
        decided_on=dt.date(2025, 1, 1),
        **scope,  # type: ignore[arg-type]
    )


def chosen(choices: OptOuts, theme: str = "T2.1", target_group: str | None = None) -> set[int]:
    found = covering(
        choices,
        REFERENCE,
        theme=theme,
        target_group=target_group,
        areas=("sr",),
        concerned=("aarhus", "favrskov"),
    )
    return {e.id for e in found}


def test_every_organisation_concerned_must_opt_out_and_a_theme_covers_its_sub_themes():
    aarhus = entry(1, "aarhus", themes=("T2",))
    favrskov = entry(2, "favrskov", themes=("T2",), areas=("sr",))
    assert chosen(OptOuts(TODAY, organisations={"aarhus": [aarhus]})) == set()
    both = OptOuts(TODAY, organisations={"aarhus": [aarhus], "favrskov": [favrskov]})
    assert chosen(both) == {1, 2}
    assert chosen(both, theme="T4") == set()


def test_the_groups_own_choice_is_enough_and_a_lapsed_or_withdrawn_one_counts_not():
    own = entry(3, "gruppe", target_groups=("kol",))
    assert chosen(OptOuts(TODAY, group=[own]), target_group="kol") == {3}
    assert chosen(OptOuts(TODAY, group=[own])) == set()  # a cell without that target group
    lapsed = entry(4, "gruppe", themes=("T2",), until=dt.date(2025, 5, 31))
    withdrawn = entry(5, "gruppe", themes=("T2",), withdrawn=True)
    assert chosen(OptOuts(TODAY, group=[lapsed, withdrawn])) == set()
