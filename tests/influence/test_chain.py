"""§3.3 decision chain, KDMs and key departments; account membership."""

from __future__ import annotations

import pytest
from influence_builders import Account

from stakegraph.graph.errors import NotFound
from stakegraph.graph.model import DecisionRole
from stakegraph.influence import (
    account_contacts,
    decision_chain,
    department_membership,
    key_decision_makers,
    key_departments,
)


def test_account_chain_is_the_union_over_open_opportunities_only():
    acct = Account()
    for c in ("c1", "c2", "c3"):
        acct.contact(c)
    acct.opp("o1")
    acct.opp("o2")
    acct.opp("o-won", status="WON")
    acct.role("c1", "o1", "ECONOMIC_BUYER")
    acct.role("c2", "o2", "ECONOMIC_BUYER")
    acct.role("c3", "o-won", "TECHNICAL_EVALUATOR")
    g = acct.graph()
    assert decision_chain(g) == {DecisionRole.ECONOMIC_BUYER: ["c1", "c2"]}
    assert decision_chain(g, opportunity_id="o-won") == {DecisionRole.TECHNICAL_EVALUATOR: ["c3"]}


def test_left_and_moved_contacts_are_not_in_the_chain():
    acct = Account()
    acct.contact("c1", status="LEFT")
    acct.contact("c2", status="MOVED")
    acct.opp("o1")
    acct.role("c1", "o1", "ECONOMIC_BUYER")
    acct.role("c2", "o1", "USER")
    assert decision_chain(acct.graph()) == {}


def test_kdm_is_flagged_or_holds_a_kdm_role_in_an_open_opportunity():
    acct = Account()
    acct.contact("flagged", kdm=True)
    acct.contact("buyer")
    acct.contact("evaluator")
    acct.contact("controller")
    acct.contact("user")
    acct.contact("influencer")
    acct.contact("won-buyer")
    acct.contact("left", kdm=True, status="LEFT")
    acct.opp("o1")
    acct.opp("o2", status="WON")
    acct.role("buyer", "o1", "ECONOMIC_BUYER")
    acct.role("evaluator", "o1", "TECHNICAL_EVALUATOR")
    acct.role("controller", "o1", "FINANCIAL_CONTROLLER")
    acct.role("user", "o1", "USER")
    acct.role("influencer", "o1", "INFLUENCER")
    acct.role("won-buyer", "o2", "ECONOMIC_BUYER")
    g = acct.graph()
    assert key_decision_makers(g) == ["buyer", "controller", "evaluator", "flagged"]
    assert "left" in key_decision_makers(g, active_only=False)


def test_key_departments_are_the_flagged_ones_when_any_is_flagged():
    acct = Account()
    acct.dept("d-key", key=True)
    acct.dept("d-other")
    acct.contact("c1", "d-other", kdm=True)
    assert key_departments(acct.graph()) == ["d-key"]


def test_key_departments_fall_back_to_departments_holding_a_kdm():
    acct = Account()
    acct.dept("d-top")
    acct.dept("d-sub", parent="d-top")
    acct.dept("d-empty")
    acct.contact("c1", "d-sub", kdm=True)
    acct.contact("c2", "d-empty")
    # the KDM's own department only; its parent is not thereby key
    assert key_departments(acct.graph()) == ["d-sub"]


def test_nested_department_members_belong_to_every_ancestor():
    acct = Account()
    acct.dept("d-it", key=True)
    acct.dept("d-ops", parent="d-it")
    acct.dept("d-noc", parent="d-ops")
    acct.contact("c1", "d-it")
    acct.contact("c2", "d-noc")
    members = department_membership(acct.graph())
    assert members == {"d-it": ["c1", "c2"], "d-noc": ["c2"], "d-ops": ["c2"]}


def test_foreign_and_left_contacts_are_not_active_account_contacts():
    acct = Account()
    acct.contact("c1")
    acct.contact("c-left", status="LEFT")
    acct.contact("c-other", foreign=True)
    acct.ally("c1", "c-other")
    g = acct.graph()
    assert account_contacts(g) == ["c1"]
    assert account_contacts(g, active_only=False) == ["c-left", "c1"]


def test_an_opportunity_of_another_account_is_not_found():
    acct = Account()
    acct.company("other")
    acct.opp("o-other", company="other")
    with pytest.raises(NotFound):
        decision_chain(acct.graph(), opportunity_id="o-other")
