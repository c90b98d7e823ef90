"""§3.10 coverage-model findings over a portfolio graph."""

from __future__ import annotations

from influence_builders import Account

from stakegraph.graph.model import Rep
from stakegraph.influence import (
    FindingKind,
    RepGradeLevel,
    coverage_model_findings,
    default_owners,
    rep_grades,
)

F = FindingKind


def _portfolio() -> Account:
    p = Account("seed", tier="KEY")  # the builder needs one company; owned below
    p.team("ka", "KEY_ACCOUNT")
    p.team("gov", "GOVERNMENT")
    p.team("strat", "STRATEGIC")
    p.team("east", "REGIONAL", region="east")
    p.team("west", "REGIONAL", region="west")
    p.team("sol", "SOLUTION")
    p.member("amy", "ka")
    p.member("gus", "gov")
    p.member("rita", "east")
    p.covers("Rep", "amy", "seed")
    return p


def _findings(p: Account):
    return [(f.kind, f.company_id or f.rep_id) for f in coverage_model_findings(p.graph())]


def test_well_routed_portfolio_has_no_finding():
    p = _portfolio()
    p.company("gov-acct", tier="STRATEGIC")
    p.covers("Rep", "gus", "gov-acct")
    p.company("shop", tier="SMB", region="east")
    p.covers("Team", "east", "shop")
    p.company("cafe", tier="SMB", region="east")
    p.covers("Rep", "rita", "cafe")
    assert _findings(p) == []


def test_account_without_owner_is_unowned():
    p = _portfolio()
    p.company("orphan", tier="KEY")
    p.company("tiny", region="north")  # untiered: an SMB account; no REGIONAL team there
    p.company("nowhere", tier="SMB")  # no region, so no regional team of its region
    p.covers("Team", "sol", "orphan", kind="SUPPORT")
    assert _findings(p) == [(F.UNOWNED, "nowhere"), (F.UNOWNED, "orphan"), (F.UNOWNED, "tiny")]


def test_smb_account_without_an_owner_is_owned_by_default_by_its_regional_team():
    p = _portfolio()
    p.company("tiny", region="east")  # untiered: SMB; team "east" is REGIONAL of east
    p.company("shop", tier="SMB", region="west")
    p.covers("Team", "sol", "shop", kind="SUPPORT")  # support is no ownership
    p.company("big", tier="KEY", region="east")  # a KEY account never is
    g = p.graph()
    assert default_owners(g, "tiny") == ["Team:east"]
    assert default_owners(g, "shop") == ["Team:west"]
    assert default_owners(g, "big") == []
    assert _findings(p) == [(F.UNOWNED, "big")]


def test_two_regional_teams_of_one_region_conflict_over_its_unowned_smb_account():
    p = _portfolio()
    p.team("east-2", "REGIONAL", region="east")
    p.company("tiny", region="east")
    (f,) = coverage_model_findings(p.graph())
    assert (f.kind, f.company_id, f.sides) == (F.CONFLICT, "tiny", [["Team:east"], ["Team:east-2"]])
    p.covers("Rep", "rita", "tiny")  # an explicit owner ends the default
    assert _findings(p) == []


def test_a_team_and_its_own_member_rep_are_one_owning_side():
    p = _portfolio()
    p.company("shop", tier="SMB", region="east")
    p.covers("Team", "east", "shop")
    p.covers("Rep", "rita", "shop")  # rita is a member of east
    assert _findings(p) == []
    p.member("rob", "west")
    p.covers("Rep", "rob", "shop")  # rob belongs to west: another side (and misrouted)
    findings = coverage_model_findings(p.graph())
    conflict = next(f for f in findings if f.kind == F.CONFLICT)
    assert conflict.sides == [["Rep:rita", "Team:east"], ["Rep:rob"]]
    assert [(f.kind, f.company_id) for f in findings] == [
        (F.CONFLICT, "shop"),
        (F.MISROUTED, "shop"),
    ]


def test_two_owners_conflict():
    p = _portfolio()
    p.member("ann", "ka")
    p.covers("Rep", "ann", "seed")
    findings = coverage_model_findings(p.graph())
    assert [(f.kind, f.company_id) for f in findings] == [(F.CONFLICT, "seed")]
    assert findings[0].owner_keys == ["Rep:amy", "Rep:ann"]


def test_support_coverage_is_never_a_conflict():
    p = _portfolio()
    p.covers("Team", "sol", "seed", kind="SUPPORT")
    p.member("sam", "sol")
    p.covers("Rep", "sam", "seed", kind="SUPPORT")
    assert _findings(p) == []


def test_key_account_owned_by_a_regional_rep_is_misrouted():
    p = _portfolio()
    p.company("big", tier="KEY")
    p.covers("Rep", "rita", "big")
    assert _findings(p) == [(F.MISROUTED, "big")]


def test_key_account_owned_by_a_team_is_misrouted():
    p = _portfolio()
    p.company("big", tier="STRATEGIC")
    p.covers("Team", "strat", "big")
    assert _findings(p) == [(F.MISROUTED, "big")]


def test_smb_account_owned_from_another_region_or_a_key_account_team_is_misrouted():
    p = _portfolio()
    p.company("shop", tier="SMB", region="east")
    p.covers("Team", "west", "shop")
    p.company("cafe", tier="SMB", region="east")
    p.covers("Rep", "amy", "cafe")
    assert _findings(p) == [(F.MISROUTED, "cafe"), (F.MISROUTED, "shop")]


def test_conflicting_owners_are_each_checked_for_routing():
    p = _portfolio()
    p.covers("Rep", "rita", "seed")
    assert _findings(p) == [(F.CONFLICT, "seed"), (F.MISROUTED, "seed")]


def test_rep_owning_more_than_10_key_accounts_is_overloaded():
    p = _portfolio()
    for i in range(9):  # with "seed": 10 KEY accounts
        p.company(f"k{i}", tier="KEY")
        p.covers("Rep", "amy", f"k{i}")
    assert _findings(p) == []
    p.company("k9", tier="KEY")
    p.covers("Rep", "amy", "k9")
    assert _findings(p) == [(F.OVERLOADED, "amy")]


def test_rep_owning_more_than_one_strategic_account_is_overloaded():
    p = _portfolio()
    p.company("s1", tier="STRATEGIC")
    p.covers("Rep", "amy", "s1")
    assert _findings(p) == []
    p.company("s2", tier="STRATEGIC")
    p.covers("Rep", "amy", "s2")
    assert _findings(p) == [(F.OVERLOADED, "amy")]


def test_rep_grades_list_every_rep_novice_when_they_own_nothing():
    p = _portfolio()  # amy owns "seed" (KEY); gus and rita own nothing
    grades = rep_grades(p.graph(), {"seed": "BASIC"})
    assert [(r.rep_id, r.grade) for r in grades] == [
        ("amy", RepGradeLevel.JUNIOR),
        ("gus", RepGradeLevel.NOVICE),
        ("rita", RepGradeLevel.NOVICE),
    ]
    # reps the portfolio graph never saw are listed when given
    listed = rep_grades(
        p.graph(),
        {"seed": "BASIC"},
        reps=[Rep(id="zoe", name="Zoe", industry_expert=True), "amy"],
    )
    assert [(r.rep_id, r.grade, r.industry_expert, r.account_ids) for r in listed] == [
        ("amy", RepGradeLevel.JUNIOR, False, ["seed"]),
        ("zoe", RepGradeLevel.NOVICE, True, []),
    ]
