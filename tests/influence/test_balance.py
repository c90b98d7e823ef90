"""§3.6 supporter / opponent balance, verdict and swing contacts.

Isolated MANAGER contacts without rating all have influence 0.7 (pagerank_n 1), so
the balance reduces to Σ stance / (2·n).
"""

from __future__ import annotations

import pytest
from influence_builders import Account

from stakegraph.graph.model import Stance
from stakegraph.influence import AnalysisSettings, Verdict, supporter_balance, verdict


def _account(*stances: str) -> Account:
    acct = Account()
    for i, s in enumerate(stances):
        acct.contact(f"c{i}", stance=s)
    return acct


def test_balance_is_influence_weighted_stance_over_twice_the_influence():
    acct = Account()
    acct.contact("exec", seniority="EXECUTIVE", stance="CHAMPION")  # influence 1.0
    acct.contact("staff", seniority="STAFF", stance="BLOCKER")  # influence 0.2
    b = supporter_balance(acct.graph())
    assert b.value == pytest.approx((1.0 * 2 + 0.2 * -2) / (2 * 1.2))
    assert (b.supporters, b.opponents) == (1, 1)
    assert b.supporter_influence == pytest.approx(1.0)
    assert b.opponent_influence == pytest.approx(0.2)


def test_verdict_is_favorable_at_exactly_plus_a_quarter():
    b = supporter_balance(_account("CHAMPION", "OPPONENT").graph())  # (2 − 1) / 4
    assert b.value == pytest.approx(0.25)
    assert b.verdict == Verdict.FAVORABLE


def test_verdict_is_unfavorable_at_exactly_minus_a_quarter():
    b = supporter_balance(_account("BLOCKER", "SUPPORTER").graph())  # (−2 + 1) / 4
    assert b.value == pytest.approx(-0.25)
    assert b.verdict == Verdict.UNFAVORABLE


def test_verdict_is_contested_strictly_between():
    b = supporter_balance(_account("SUPPORTER", "NEUTRAL", "NEUTRAL").graph())  # 1/6
    assert b.value == pytest.approx(1 / 6)
    assert b.verdict == Verdict.CONTESTED
    assert verdict(0.2499999) == Verdict.CONTESTED
    assert verdict(-0.2499999) == Verdict.CONTESTED


def test_verdict_threshold_is_configurable():
    assert verdict(0.3, settings=AnalysisSettings(verdict_threshold=0.4)) == Verdict.CONTESTED


def test_unknown_stance_is_excluded_never_neutral():
    b = supporter_balance(_account("CHAMPION", "UNKNOWN").graph())
    assert b.value == pytest.approx(1.0)  # as neutral it would be 0.5
    assert b.known == 1


def test_balance_is_null_when_no_stance_is_known():
    b = supporter_balance(_account("UNKNOWN", "UNKNOWN").graph())
    assert (b.value, b.verdict) == (None, None)


def test_balance_weighs_the_chain_when_there_is_an_open_opportunity():
    acct = _account("CHAMPION", "BLOCKER")  # c0 in the chain, c1 not
    acct.opp("o1")
    acct.role("c0", "o1", "USER")
    assert supporter_balance(acct.graph()).value == pytest.approx(1.0)


def test_balance_weighs_all_active_contacts_without_open_opportunity():
    acct = _account("CHAMPION", "BLOCKER")
    acct.contact("gone", stance="BLOCKER", status="LEFT")
    acct.opp("o-won", status="WON")
    acct.role("c0", "o-won", "USER")
    assert supporter_balance(acct.graph()).value == pytest.approx(0.0)


def test_opportunity_balance_uses_has_role_stance_overrides():
    acct = _account("CHAMPION", "SUPPORTER")
    acct.opp("o1")
    acct.role("c0", "o1", "ECONOMIC_BUYER", stance="BLOCKER")
    acct.role("c1", "o1", "USER")
    g = acct.graph()
    assert supporter_balance(g, opportunity_id="o1").value == pytest.approx(-0.25)
    assert supporter_balance(g).value == pytest.approx(0.75)  # own stances


def test_swing_contacts_are_neutral_or_unknown_with_influence_at_least_half():
    acct = Account()
    acct.contact("ceo", seniority="EXECUTIVE", stance="NEUTRAL")  # 1.0
    acct.contact("vp", seniority="VP", stance="UNKNOWN")  # 0.5·0.8 + 0.24 + 0.16 = 0.8
    acct.contact("staff", seniority="STAFF", stance="NEUTRAL")  # 0.5·0.2 + 0.1 = 0.2
    acct.contact("dir", seniority="DIRECTOR", stance="SUPPORTER")
    b = supporter_balance(acct.graph())
    assert [(s.contact_id, s.stance) for s in b.swing] == [
        ("ceo", Stance.NEUTRAL),
        ("vp", Stance.UNKNOWN),
    ]
