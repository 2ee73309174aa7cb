"""The audience policy: what executives may see of small groups, decided in one place.

Every expected value below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from crm_dash import db
from crm_dash.audience import OTHER, Audience, audience_for, min_group_size
from crm_dash.pages import Role
from crm_dash.settings import set_setting

EXECUTIVE = Audience(Role.EXECUTIVE)
LEAD = Audience(Role.LEAD)


def _options(audience: Audience, sizes: dict[str, int], total: int) -> list[tuple[str, ...]]:
    return [(o.label, *o.members) if o.is_other else (o.label,)
            for o in audience.group_options(sizes, total)]


def test_a_group_and_its_complement_must_both_reach_the_minimum() -> None:
    # 30 people: Sales 6 (24 outside) and Service 24 (6 outside) may both be seen alone.
    assert _options(EXECUTIVE, {"Sales": 6, "Service": 24}, 30) == [("Sales",), ("Service",)]
    # Sales 26 of 30 leaves 4 outside: "everyone minus Sales" would describe those 4. Both
    # values are hidden, and together they are everyone, so nothing is offered.
    assert _options(EXECUTIVE, {"Sales": 26, "Service": 4}, 30) == []


def test_small_values_are_merged_into_other() -> None:
    # Roles in a team of 30: Rep 25, Manager 1, Analyst 4. Manager and Analyst (5 together,
    # 25 outside) are offered only as "Other".
    assert _options(EXECUTIVE, {"Rep": 25, "Manager": 1, "Analyst": 4}, 30) == [
        ("Rep",), (OTHER, "Analyst", "Manager")]


def test_the_hidden_rest_is_never_a_small_group_itself() -> None:
    # A 50, B 47, C 3 of 100: C is hidden; offering A and B would let "everyone - A - B"
    # describe C's 3 people. So the smallest shown value (B) joins C in "Other" (50).
    assert _options(EXECUTIVE, {"A": 50, "B": 47, "C": 3}, 100) == [("A",), (OTHER, "B", "C")]
    hidden = EXECUTIVE.hidden_groups(pd.Series({"A": 50, "B": 47, "C": 3}))
    assert hidden.to_dict() == {"A": False, "B": True, "C": True}


def test_people_without_a_value_count_in_the_complement() -> None:
    # 12 people, 9 in Sales, 3 without a department: Sales' complement is 3, so it is hidden.
    assert _options(EXECUTIVE, {"Sales": 9}, 12) == []


def test_leads_see_every_value_and_every_figure() -> None:
    assert _options(LEAD, {"Rep": 25, "Manager": 1}, 26) == [("Manager",), ("Rep",)]
    frame = pd.DataFrame({"group": ["A", "B"], "people": [1, 30], "share": [0.5, 0.2]})
    assert LEAD.suppress(frame, "people", ["share"]) is frame
    assert not LEAD.too_small(1) and not LEAD.scope_too_small(0)


def test_the_minimum_is_a_setting_with_a_floor_of_five(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "a.duckdb")
    assert min_group_size(conn) == 5
    set_setting(conn, "privacy.min_group_size", 3, actor="admin")
    assert min_group_size(conn) == 5  # never below the floor
    set_setting(conn, "privacy.min_group_size", 8, actor="admin")
    strict = audience_for(conn, Role.EXECUTIVE)
    assert (strict.min_group, strict.hidden) == (8, "<8")
    assert strict.too_small(7) and not strict.too_small(8)
    # Sales 7 of 40 was fine with 5; with 8 it is hidden (with the smallest other value).
    assert _options(strict, {"Sales": 7, "Service": 33}, 40) == []
    assert audience_for(conn, Role.LEAD).sees_people
    conn.close()


def test_tables_hide_small_rows_and_keep_the_hidden_rest_large() -> None:
    frame = pd.DataFrame({"department": ["A", "B", "C"], "licensed": [20, 9, 3],
                          "productive": [10, 4, 1]})
    # C (3) is hidden; the hidden rest would be 3, so B (9, the smallest shown) is hidden too.
    out = EXECUTIVE.suppress(frame, "licensed", ["productive"])
    assert out["licensed"].tolist() == [20, "<5", "<5"]
    assert out["productive"].tolist() == [10, "<5", "<5"]
    assert EXECUTIVE.keep(frame, "licensed")["department"].tolist() == ["A"]


def test_groups_are_judged_per_month() -> None:
    # Rows per (month, department, segment); "licensed" is the department's size that month.
    frame = pd.DataFrame({
        "month": [date(2026, 9, 1)] * 4 + [date(2026, 10, 1)] * 4,
        "department": ["A", "A", "B", "B"] * 2,
        "segment": ["productive", "never"] * 4,
        "licensed": [10, 10, 3, 3, 10, 10, 10, 10],
    })
    kept = EXECUTIVE.keep(frame, "licensed", group="department", within="month")
    # September: B has 3 people and A's complement is 3: both hidden. October: both 10.
    assert sorted({(m.month, d) for m, d in zip(kept["month"], kept["department"],
                                                strict=True)}) == [(10, "A"), (10, "B")]


def test_months_where_the_selection_or_its_complement_was_small_are_hidden() -> None:
    aug, sep, oct_ = date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)
    group = pd.Series({aug: 3, sep: 6, oct_: 6})
    parent = pd.Series({aug: 20, sep: 8, oct_: 20})
    # August: 3 chosen; September: 6 chosen but only 2 outside; October: 6 and 14.
    assert EXECUTIVE.hidden_months(group, parent) == [aug, sep]
    # The whole company chosen: nothing outside, nothing hidden for that reason.
    assert EXECUTIVE.hidden_months(parent, parent) == []
    assert LEAD.hidden_months(group, parent) == []


def test_changes_of_a_few_people_are_not_shown() -> None:
    assert not EXECUTIVE.shows_change([0, 1])  # one person moved
    assert EXECUTIVE.shows_change([0, 5, 12])
    assert EXECUTIVE.count(3, "3") == "<5" and EXECUTIVE.count(0, "0") == "0"
    assert LEAD.shows_change([1])


def test_names_typed_by_leads_read_as_a_role_for_executives() -> None:
    assert EXECUTIVE.person_label("Petra Projekt", "Project lead") == "Project lead"
    assert EXECUTIVE.person_label(None, "Project lead") is None
    assert LEAD.person_label("Petra Projekt", "Project lead") == "Petra Projekt"


def test_the_threshold_is_compared_in_one_place() -> None:
    # A grep for the rule finds one module: no page or section compares sizes on its own.
    root = Path(__file__).resolve().parents[2]
    sources = [*root.glob("crm_dash/**/*.py"), *root.glob("pages/*.py"), root / "app.py"]
    offenders = [
        str(path.relative_to(root)) for path in sources
        if any(needle in path.read_text(encoding="utf-8")
               for needle in ("MIN_GROUP_SIZE", "SUPPRESSED", "min_group <", "< self.min_group",
                              "suppress_small_groups", "MIN_GROUP_FLOOR <"))
        and path.name != "audience.py"
    ]
    assert offenders == []
