"""§3.5 decision-chain coverage: role statuses, at risk, ratios, holes and suggestions."""

from __future__ import annotations

import pytest
from influence_builders import AS_OF, Account, days_ago

from stakegraph.graph.model import DecisionRole
from stakegraph.influence import (
    AnalysisSettings,
    HoleKind,
    RoleStatus,
    decision_chain_coverage,
)


def _roles(cov):
    return {r.role: r for r in cov.roles}


def test_role_is_missing_when_no_active_contact_holds_it():
    acct = Account()
    acct.contact("gone", status="LEFT")
    acct.opp("o1")
    acct.role("gone", "o1", "ECONOMIC_BUYER")
    acct.knows("r1", "gone", 4)
    cov = decision_chain_coverage(acct.graph(), as_of=AS_OF)
    assert _roles(cov)[DecisionRole.ECONOMIC_BUYER].status == RoleStatus.MISSING
    assert cov.holes[0].kind == HoleKind.ROLE_MISSING


def test_role_is_uncovered_when_we_can_influence_no_holder():
    acct = Account()
    acct.contact("c1")
    acct.contact("c2")
    acct.opp("o1")
    acct.role("c1", "o1", "TECHNICAL_EVALUATOR")
    acct.role("c2", "o1", "TECHNICAL_EVALUATOR")
    acct.knows("r1", "c1", 1)
    acct.knows("r1", "c2", 3, last=days_ago(366))  # decays to 1
    role = _roles(decision_chain_coverage(acct.graph(), as_of=AS_OF))[
        DecisionRole.TECHNICAL_EVALUATOR
    ]
    assert role.status == RoleStatus.UNCOVERED
    assert role.holder_ids == ["c1", "c2"] and role.influenced_holder_ids == []


def _at_risk_account(override: str | None = None) -> Account:
    acct = Account()
    acct.contact("top", seniority="EXECUTIVE", stance="OPPONENT")  # influence 1.0
    acct.contact("low", seniority="STAFF", stance="SUPPORTER")  # influence 0.2
    acct.opp("o1")
    acct.role("top", "o1", "ECONOMIC_BUYER", stance=override)
    acct.role("low", "o1", "ECONOMIC_BUYER")
    acct.knows("r1", "low", 2)
    return acct


def test_covered_role_is_at_risk_when_its_most_influential_holder_opposes():
    role = _roles(decision_chain_coverage(_at_risk_account().graph(), as_of=AS_OF))[
        DecisionRole.ECONOMIC_BUYER
    ]
    assert role.status == RoleStatus.COVERED
    assert role.top_holder_id == "top"
    assert role.at_risk


def test_at_risk_uses_the_has_role_stance_override_of_the_opportunity():
    g = _at_risk_account(override="SUPPORTER").graph()
    deal = _roles(decision_chain_coverage(g, as_of=AS_OF, opportunity_id="o1"))
    account = _roles(decision_chain_coverage(g, as_of=AS_OF))
    assert not deal[DecisionRole.ECONOMIC_BUYER].at_risk
    assert account[DecisionRole.ECONOMIC_BUYER].at_risk  # account level: own stance


def test_unknown_stance_of_top_holder_is_not_at_risk():
    acct = Account()
    acct.contact("top", seniority="EXECUTIVE")
    acct.opp("o1")
    acct.role("top", "o1", "USER")
    acct.knows("r1", "top", 2)
    role = _roles(decision_chain_coverage(acct.graph(), as_of=AS_OF))[DecisionRole.USER]
    assert role.status == RoleStatus.COVERED and not role.at_risk


def test_ratio_is_covered_required_roles_over_required_roles():
    acct = Account()
    for c in ("eb", "te", "fc"):
        acct.contact(c)
    acct.opp("o1")
    acct.role("eb", "o1", "ECONOMIC_BUYER")
    acct.role("te", "o1", "TECHNICAL_EVALUATOR")
    acct.role("fc", "o1", "FINANCIAL_CONTROLLER")
    acct.knows("r1", "eb", 2)
    acct.knows("r1", "te", 4)
    cov = decision_chain_coverage(acct.graph(), as_of=AS_OF)
    assert cov.ratio == 0.5  # EB, TE covered; FC uncovered; USER missing
    three = AnalysisSettings(
        required_roles=("ECONOMIC_BUYER", "TECHNICAL_EVALUATOR", "FINANCIAL_CONTROLLER")
    )
    assert decision_chain_coverage(acct.graph(), as_of=AS_OF, settings=three).ratio == 2 / 3


def test_influencer_role_counts_in_weighted_ratio_but_is_not_required():
    acct = Account()
    acct.contact("exec", seniority="EXECUTIVE")  # influence 1.0
    acct.contact("staff", seniority="STAFF")  # influence 0.2
    acct.opp("o1")
    acct.role("exec", "o1", "ECONOMIC_BUYER")
    acct.role("staff", "o1", "INFLUENCER")
    acct.knows("r1", "staff", 2)
    cov = decision_chain_coverage(acct.graph(), as_of=AS_OF)
    assert cov.ratio == 0.0
    assert cov.weighted_ratio == pytest.approx(0.2 / 1.2)


def test_no_chain_gives_zero_ratios_and_four_missing_roles():
    acct = Account()
    acct.contact("c1")
    cov = decision_chain_coverage(acct.graph(), as_of=AS_OF)
    assert (cov.ratio, cov.weighted_ratio) == (0.0, 0.0)
    assert [h.kind for h in cov.holes] == [HoleKind.ROLE_MISSING] * 4


def test_key_department_without_a_contact_we_can_influence_is_a_hole():
    acct = Account()
    acct.dept("d-it", key=True)
    acct.dept("d-ops", parent="d-it")
    acct.dept("d-fin", key=True)
    acct.contact("it", "d-it")
    acct.contact("ops", "d-ops")
    acct.contact("fin", "d-fin")
    acct.knows("r1", "ops", 2)  # nested member covers d-it
    cov = decision_chain_coverage(acct.graph(), as_of=AS_OF)
    dept_holes = [h for h in cov.holes if h.kind == HoleKind.DEPARTMENT_UNCOVERED]
    assert [h.department_id for h in dept_holes] == ["d-fin"]


def test_holes_suggest_up_to_three_contacts_most_probable_path_first():
    acct = Account()
    acct.dept("d-it", key=True)
    acct.dept("d-main")
    for m in ("m1", "m2", "m3", "m4"):
        acct.contact(m, "d-it")
    acct.contact("helper", "d-main")
    acct.knows("r1", "m1", 1)  # p 0.25
    acct.knows("r1", "helper", 4)  # p 1
    acct.ally("helper", "m2")  # 0.6
    acct.reports_to("m3", "helper")  # 0.5, either way
    cov = decision_chain_coverage(acct.graph(), as_of=AS_OF)
    (hole,) = [h for h in cov.holes if h.kind == HoleKind.DEPARTMENT_UNCOVERED]
    got = [(s.contact_id, s.probability) for s in hole.suggestions]
    assert got == [("m2", pytest.approx(0.6)), ("m3", pytest.approx(0.5)), ("m1", 0.25)]
    path = hole.suggestions[0].path
    assert [(s.from_key, s.to_key, s.type) for s in path.steps] == [
        ("Rep:r1", "Contact:helper", "KNOWS"),
        ("Contact:helper", "Contact:m2", "ALLY_OF"),
    ]


def test_suggestions_without_any_path_are_ranked_by_influence():
    acct = Account()
    acct.contact("staff", seniority="STAFF")
    acct.contact("vp", seniority="VP")
    acct.opp("o1")
    acct.role("staff", "o1", "USER")
    acct.role("vp", "o1", "USER")
    cov = decision_chain_coverage(acct.graph(), as_of=AS_OF)
    (hole,) = [h for h in cov.holes if h.role == DecisionRole.USER]
    assert hole.kind == HoleKind.ROLE_UNCOVERED
    assert [(s.contact_id, s.path) for s in hole.suggestions] == [("vp", None), ("staff", None)]


def test_missing_role_suggests_contacts_of_the_matching_department():
    acct = Account()
    acct.dept("d-fin", function="FINANCE_PROCUREMENT")
    acct.dept("d-biz", function="BUSINESS")
    acct.contact("fin", "d-fin", seniority="STAFF")
    acct.contact("biz", "d-biz", seniority="STAFF")
    acct.contact("vp", "d-biz", seniority="VP")
    cov = decision_chain_coverage(acct.graph(), as_of=AS_OF)
    by_role = {h.role: [s.contact_id for s in h.suggestions] for h in cov.holes}
    assert by_role[DecisionRole.FINANCIAL_CONTROLLER] == ["fin"]
    assert by_role[DecisionRole.ECONOMIC_BUYER] == ["vp"]
    assert by_role[DecisionRole.TECHNICAL_EVALUATOR] == []
    assert sorted(by_role[DecisionRole.USER]) == ["biz", "vp"]


def test_max_suggestions_is_configurable():
    acct = Account()
    acct.dept("d-it", key=True)
    for m in ("m1", "m2", "m3", "m4"):
        acct.contact(m, "d-it")
    settings = AnalysisSettings(max_suggestions=1)
    cov = decision_chain_coverage(acct.graph(), as_of=AS_OF, settings=settings)
    assert all(len(h.suggestions) <= 1 for h in cov.holes)
