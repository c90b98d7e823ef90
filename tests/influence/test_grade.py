"""§3.7 relationship grade and score; §3.8 rep grade."""

from __future__ import annotations

import pytest
from influence_builders import AS_OF, Account

from stakegraph.influence import (
    RelationshipGradeLevel,
    RepGradeLevel,
    relationship_grade,
    rep_grade,
    rep_grades,
)

G = RelationshipGradeLevel


def _grade(acct: Account):
    return relationship_grade(acct.graph(), as_of=AS_OF)


def _one_key_department(n: int, influenced: int) -> Account:
    acct = Account()
    acct.dept("d-key", key=True)
    for i in range(n):
        acct.contact(f"k{i}", "d-key", kdm=True, stance="SUPPORTER")
        if i < influenced:
            acct.knows("r1", f"k{i}", 2)
    return acct


@pytest.mark.parametrize(("n", "required"), [(1, 1), (2, 2), (3, 3), (4, 4), (5, 4)])
def test_strong_needs_ceil_80_percent_of_kdms_in_every_key_department(n, required):
    strong = _grade(_one_key_department(n, required))
    assert strong.grade == G.STRONG
    assert strong.key_departments[0].required == required
    short = _grade(_one_key_department(n, required - 1))
    assert short.grade == (G.INTERMEDIATE if required > 1 else G.NONE)


def test_strong_needs_every_key_department_not_just_one():
    acct = _one_key_department(1, 1)
    acct.dept("d-key2", key=True)
    acct.contact("k9", "d-key2", kdm=True)
    assert _grade(acct).grade == G.INTERMEDIATE


def test_strong_needs_a_kdm_in_every_key_department():
    acct = _one_key_department(1, 1)
    acct.dept("d-key2", key=True)
    acct.contact("x", "d-key2")
    acct.knows("r1", "x", 4)
    assert _grade(acct).grade == G.INTERMEDIATE


def test_strong_needs_at_least_one_key_department():
    acct = Account()
    acct.contact("c1", stance="CHAMPION")
    acct.knows("r1", "c1", 4)
    grade = _grade(acct)  # no KDM, so no key department either
    assert grade.key_departments == []
    assert grade.grade == G.BASIC


def test_strong_fails_when_any_kdm_of_the_account_opposes():
    acct = _one_key_department(1, 1)
    acct.dept("d-other")
    acct.contact("opp", "d-other", kdm=True, stance="OPPONENT")
    grade = _grade(acct)
    assert grade.grade == G.INTERMEDIATE
    assert grade.opposing_kdm_ids == ["opp"]


def test_strong_counts_kdms_of_nested_departments():
    acct = Account()
    acct.dept("d-it", key=True)
    acct.dept("d-ops", parent="d-it")
    acct.contact("k1", "d-ops", kdm=True)
    acct.knows("r1", "k1", 2)
    assert _grade(acct).grade == G.STRONG


def test_kdm_by_open_role_counts_and_left_kdms_do_not():
    acct = Account()
    acct.dept("d-key", key=True)
    acct.contact("buyer", "d-key")
    acct.contact("gone", "d-key", kdm=True, status="LEFT")
    acct.opp("o1")
    acct.role("buyer", "o1", "ECONOMIC_BUYER")
    acct.knows("r1", "buyer", 2)
    grade = _grade(acct)
    assert grade.kdm_ids == ["buyer"]
    assert grade.grade == G.STRONG


def test_intermediate_needs_an_influenced_kdm_in_a_key_department():
    acct = Account()
    acct.dept("d-key", key=True)
    acct.dept("d-other")
    acct.contact("x", "d-key")
    acct.contact("k", "d-other", kdm=True)
    acct.knows("r1", "k", 3)
    assert _grade(acct).grade == G.BASIC


def test_basic_needs_an_influenced_active_contact_of_the_account():
    acct = Account()
    acct.contact("gone", status="LEFT")
    acct.contact("ext", foreign=True)
    acct.contact("c1")
    acct.ally("c1", "ext")
    acct.knows("r1", "gone", 4)
    acct.knows("r1", "ext", 4)
    acct.knows("r1", "c1", 1)
    assert _grade(acct).grade == G.NONE


def test_score_weighs_kdms_departments_balance_and_ratio():
    acct = Account()
    acct.dept("d-key1", key=True)
    acct.dept("d-key2", key=True)
    acct.contact("k1", "d-key1", kdm=True, stance="CHAMPION")
    acct.contact("k2", "d-key2", kdm=True, stance="NEUTRAL")
    acct.contact("x", "d-key2", stance="NEUTRAL")
    acct.knows("r1", "k1", 2)
    acct.knows("r1", "x", 2)
    grade = _grade(acct)
    # f_kdm 1/2, f_dept 2/2, balance (2·0.7)/(2·2.1) = 1/3, ratio 0 (no chain)
    assert (grade.f_kdm, grade.f_dept, grade.ratio) == (0.5, 1.0, 0.0)
    assert grade.balance == pytest.approx(1 / 3)
    assert grade.score == pytest.approx(100 * (0.35 * 0.5 + 0.25 * 1 + 0.25 * (4 / 3) / 2))
    assert grade.grade == G.INTERMEDIATE


def test_score_takes_a_null_balance_as_zero():
    acct = Account()
    acct.dept("d-key", key=True)
    acct.contact("k1", "d-key", kdm=True)  # UNKNOWN stance: balance null
    acct.knows("r1", "k1", 2)
    grade = _grade(acct)
    assert grade.balance == 0.0
    assert grade.score == pytest.approx(100 * (0.35 + 0.25 + 0.25 * 0.5))


def test_score_uses_the_account_coverage_ratio():
    acct = Account()
    acct.contact("eb")
    acct.opp("o1")
    acct.role("eb", "o1", "ECONOMIC_BUYER")
    acct.knows("r1", "eb", 2)
    grade = _grade(acct)
    assert grade.ratio == 0.25
    # eb is a KDM in its (fallback key) department d-main
    assert grade.score == pytest.approx(100 * (0.35 + 0.25 + 0.125 + 0.15 * 0.25))


# ------------------------------------------------------------------ §3.8 rep grade


def _owned(b: int, m: int, s: int, tier: str = "KEY") -> dict:
    """b accounts >= BASIC of which m >= INTERMEDIATE of which s STRONG."""
    grades = ["STRONG"] * s + ["INTERMEDIATE"] * (m - s) + ["BASIC"] * (b - m)
    return {f"a{i}": (tier, g) for i, g in enumerate(grades)}


@pytest.mark.parametrize(
    ("b", "m", "s", "expert", "expected"),
    [
        (0, 0, 0, False, RepGradeLevel.NOVICE),
        (1, 0, 0, False, RepGradeLevel.JUNIOR),
        (7, 3, 0, False, RepGradeLevel.JUNIOR),
        (8, 2, 0, False, RepGradeLevel.JUNIOR),
        (8, 3, 0, False, RepGradeLevel.INTERMEDIATE),
        (8, 4, 1, False, RepGradeLevel.INTERMEDIATE),
        (9, 3, 1, False, RepGradeLevel.INTERMEDIATE),
        (9, 4, 0, False, RepGradeLevel.INTERMEDIATE),
        (9, 4, 1, False, RepGradeLevel.SENIOR),
        (9, 4, 1, True, RepGradeLevel.TOP),
        (8, 3, 0, True, RepGradeLevel.INTERMEDIATE),
        (0, 0, 0, True, RepGradeLevel.NOVICE),
    ],
)
def test_rep_grade_thresholds_8_3_and_9_4_1_and_top_needs_industry_expert(
    b, m, s, expert, expected
):
    grade = rep_grade(_owned(b, m, s), industry_expert=expert)
    assert grade.grade == expected
    assert (grade.basic, grade.intermediate, grade.strong) == (b, m, s)


def test_rep_grade_counts_only_strategic_and_key_accounts():
    owned = _owned(9, 4, 1) | {f"smb{i}": ("SMB", "STRONG") for i in range(5)}
    owned |= {"untiered": (None, "STRONG")}
    owned["a0"] = ("STRATEGIC", "STRONG")
    grade = rep_grade(owned)
    assert grade.grade == RepGradeLevel.SENIOR
    assert len(grade.account_ids) == 9
    smb_only = rep_grade({f"smb{i}": ("SMB", "STRONG") for i in range(9)})
    assert smb_only.grade == RepGradeLevel.NOVICE


def test_none_graded_accounts_do_not_count_as_basic():
    owned = {"a": ("KEY", "NONE"), "b": ("KEY", "NONE")}
    assert rep_grade(owned).basic == 0


def test_rep_grades_reads_owned_accounts_and_expert_flag_from_a_portfolio():
    acct = Account("hq", tier="KEY")
    acct.rep("amy", expert=True)
    acct.rep("bob")
    for i in range(9):
        acct.company(f"k{i}", tier="KEY")
        acct.covers("Rep", "amy", f"k{i}")
    acct.covers("Rep", "bob", "k0", kind="SUPPORT")
    grades = {f"k{i}": "BASIC" for i in range(9)}
    grades |= {"k0": "STRONG", "k1": "INTERMEDIATE", "k2": "INTERMEDIATE", "k3": "STRONG"}
    by_rep = {r.rep_id: r for r in rep_grades(acct.graph(), grades)}
    assert by_rep["amy"].grade == RepGradeLevel.TOP
    assert by_rep["bob"].grade == RepGradeLevel.NOVICE  # SUPPORT is not ownership
