"""§3.16 deal warnings on each OPEN opportunity, with their 30-day and level boundaries."""

from __future__ import annotations

import pytest
from influence_builders import AS_OF, Account, days_ago

from stakegraph.graph.model import ContactStatus
from stakegraph.influence import (
    AnalysisSettings,
    DealWarningCode,
    analyze_account,
    deal_warnings,
    opportunity_warnings,
)

W = DealWarningCode


def _deal(**levels: int) -> Account:
    """o1 with an economic buyer, a CHAMPION evaluator and a user; levels as given."""
    acct = Account()
    acct.contact("eb", seniority="EXECUTIVE")
    acct.contact("champ", stance="CHAMPION")
    acct.contact("user")
    acct.opp("o1")
    acct.role("eb", "o1", "ECONOMIC_BUYER")
    acct.role("champ", "o1", "TECHNICAL_EVALUATOR")
    acct.role("user", "o1", "USER")
    for contact, level in levels.items():
        acct.knows("r1", contact, level)
    acct.interaction("i-recent", days_ago(5), reps=("r1",), contacts=("user",))
    return acct


def _codes(acct: Account, opp: str = "o1", **kw) -> list[DealWarningCode]:
    return [w.code for w in opportunity_warnings(acct.graph(), opp, as_of=AS_OF, **kw)]


def test_a_well_worked_deal_has_no_warning():
    assert _codes(_deal(eb=2, champ=3, user=1)) == []


def test_single_threaded_when_we_can_influence_at_most_one_chain_contact():
    acct = _deal(eb=2, champ=1, user=1)  # only eb reached; champ not tested either
    assert _codes(acct) == [W.SINGLE_THREADED, W.CHAMPION_UNTESTED]
    (w,) = [
        w
        for w in opportunity_warnings(acct.graph(), "o1", as_of=AS_OF)
        if w.code == W.SINGLE_THREADED
    ]
    assert (w.evidence, w.contact_ids) == ("we can influence 1 of 3 chain contact(s)", ["eb"])


def test_no_power_without_an_economic_buyer_we_can_influence():
    assert _codes(_deal(eb=1, champ=3, user=2)) == [W.NO_POWER]


def test_not_enough_contacts_with_fewer_than_three_active_chain_contacts():
    acct = _deal(eb=2, champ=3, user=1)
    acct.nodes["Contact:user"] = acct.nodes["Contact:user"].model_copy(
        update={"status": ContactStatus.LEFT}
    )
    # user left: 2 active chain contacts; and the only recent interaction was with user
    assert _codes(acct) == [W.NOT_ENOUGH_CONTACTS, W.GONE_COLD]


@pytest.mark.parametrize(("days", "cold"), [(30, False), (31, True), (-1, True)])
def test_gone_cold_without_an_interaction_with_a_chain_contact_in_30_days(days, cold):
    acct = _deal(eb=2, champ=3, user=2)
    acct.rels = [r for r in acct.rels if "i-recent" not in (r.from_id, r.to_id)]
    del acct.nodes["Interaction:i-recent"]
    acct.interaction("i-1", days_ago(days), reps=("r1",), contacts=("eb",))
    assert (W.GONE_COLD in _codes(acct)) is cold


def test_champion_untested_below_level_three_and_judged_by_the_deal_stance():
    assert W.CHAMPION_UNTESTED in _codes(_deal(eb=2, champ=2, user=2))
    acct = _deal(eb=3, champ=2, user=2)
    assert W.CHAMPION_UNTESTED in _codes(acct)
    acct.rels = [
        r.model_copy(update={"properties": {**r.properties, "stance": "CHAMPION"}})
        if r.type == "HAS_ROLE" and r.from_id == "eb"
        else r
        for r in acct.rels
    ]
    assert W.CHAMPION_UNTESTED not in _codes(acct)  # eb champions this deal, at level 3


def test_thresholds_are_settings():
    acct = _deal(eb=2, champ=3, user=1)
    strict = AnalysisSettings(single_threaded_max=2, min_chain_contacts=4, gone_cold_days=4)
    assert _codes(acct, settings=strict) == [
        W.SINGLE_THREADED,
        W.NOT_ENOUGH_CONTACTS,
        W.GONE_COLD,
    ]
    lenient = AnalysisSettings(champion_tested_level=2)
    assert _codes(_deal(eb=2, champ=2, user=2), settings=lenient) == []


def test_closed_deals_get_no_warning_and_the_analysis_carries_each_open_deals():
    acct = _deal(eb=1, champ=1, user=1)
    acct.opp("o-won", status="WON")
    acct.opp("o2")  # open, empty chain: every warning its emptiness implies
    g = acct.graph()
    assert opportunity_warnings(g, "o-won", as_of=AS_OF) == []
    got = [(w.opportunity_id, w.code) for w in deal_warnings(g, as_of=AS_OF)]
    assert got == [
        ("o1", W.SINGLE_THREADED),
        ("o1", W.NO_POWER),
        ("o1", W.CHAMPION_UNTESTED),
        ("o2", W.SINGLE_THREADED),
        ("o2", W.NO_POWER),
        ("o2", W.NOT_ENOUGH_CONTACTS),
        ("o2", W.GONE_COLD),
        ("o2", W.CHAMPION_UNTESTED),
    ]
    a = analyze_account(g, as_of=AS_OF)
    assert [(w.opportunity_id, w.code) for w in a.deal_warnings] == got
    one = analyze_account(g, as_of=AS_OF, opportunity_id="o1")
    assert {w.opportunity_id for w in one.deal_warnings} == {"o1"}
