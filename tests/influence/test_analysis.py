"""``analyze_account``: every per-account analytic at once, influence computed once."""

from __future__ import annotations

from pathlib import Path

import pytest
from influence_builders import AS_OF, Account

from stakegraph import influence
from stakegraph.graph.errors import NotFound
from stakegraph.influence import (
    account_health,
    account_potential,
    analyze_account,
    decision_chain_coverage,
    influence_scores,
    relationship_grade,
    supporter_balance,
)


def _account() -> Account:
    acct = Account(strategic_fit=4, profit_potential=4, stability=4, market_influence=4)
    acct.dept("d-key", key=True)
    acct.contact("k1", "d-key", seniority="EXECUTIVE", kdm=True, stance="CHAMPION")
    acct.contact("k2", "d-key", kdm=True, stance="OPPONENT")
    acct.contact("u", "d-key", seniority="STAFF")
    acct.opp("o1")
    acct.opp("o2")
    acct.opp("o-won", status="WON")
    acct.role("k1", "o1", "ECONOMIC_BUYER")
    acct.role("k2", "o2", "FINANCIAL_CONTROLLER", stance="SUPPORTER")
    acct.role("u", "o-won", "USER")
    acct.influences("k1", "k2", strength=2)
    acct.knows("r1", "k1", 3)
    return acct


def test_analysis_bundles_every_per_account_analytic():
    g = _account().graph()
    a = analyze_account(g, as_of=AS_OF)
    assert a.company_id == "acme" and a.as_of == AS_OF and a.opportunity_id is None
    assert a.influence == influence_scores(g)
    assert a.coverage == decision_chain_coverage(g, as_of=AS_OF)
    assert [c.opportunity_id for c in a.opportunity_coverage] == ["o1", "o2"]
    assert a.balance == supporter_balance(g)
    assert [b.opportunity_id for b in a.opportunity_balance] == ["o1", "o2"]
    assert a.opportunity_balance[1].value == pytest.approx(0.5)  # override: SUPPORTER
    assert a.grade == relationship_grade(g, as_of=AS_OF)
    assert a.potential == account_potential(g)
    assert a.health == account_health(g, as_of=AS_OF)
    assert a.effective_levels == {"k1": 3, "k2": 0, "u": 0}


def test_analysis_for_one_opportunity_restricts_the_per_deal_results():
    g = _account().graph()
    a = analyze_account(g, as_of=AS_OF, opportunity_id="o-won")
    assert [c.opportunity_id for c in a.opportunity_coverage] == ["o-won"]
    assert [b.opportunity_id for b in a.opportunity_balance] == ["o-won"]
    assert a.coverage.opportunity_id is None
    with pytest.raises(NotFound):
        analyze_account(g, as_of=AS_OF, opportunity_id="nope")


def test_analysis_computes_influence_once(monkeypatch):
    calls = []
    real = influence.score.influence_scores

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    def forbidden(*args, **kwargs):
        raise AssertionError("influence recomputed")

    monkeypatch.setattr(influence.analysis, "influence_scores", counting)
    for module in (influence.coverage, influence.balance, influence.grade):
        monkeypatch.setattr(module, "influence_scores", forbidden)
    analyze_account(_account().graph(), as_of=AS_OF)
    assert len(calls) == 1


def test_the_collector_waits_until_an_analysis_ends():
    """An analysis allocates far more than a collection's threshold; the cyclic garbage
    collector starts no collection while an analytic runs (graph/gc_policy.py) and
    collects again after."""
    import gc
    import sys

    from stakegraph.influence import next_best_contacts, what_if
    from stakegraph.influence.models import LevelBecomes

    acct = _account()
    for i in range(60):
        acct.contact(f"s{i}", "d-key", seniority="STAFF")
        acct.influences(f"s{i}", "k1" if i % 2 else "k2", strength=1 + i % 3)
    g = acct.graph()
    package = str(Path(influence.__file__).parent)
    inside: list[str] = []
    outside: list[int] = []

    def record(phase: str, info: dict) -> None:
        if phase != "start":
            return
        frame = sys._getframe(1)
        while frame is not None and not frame.f_code.co_filename.startswith(package):
            frame = frame.f_back
        if frame is None:
            outside.append(info["generation"])
        else:
            inside.append(frame.f_code.co_name)

    gc.collect()
    gc.callbacks.append(record)
    try:
        analyze_account(g, as_of=AS_OF)
        next_best_contacts(g, as_of=AS_OF)
        what_if(g, [LevelBecomes(rep_id="r1", contact_id="u", level=2)], as_of=AS_OF)
        assert gc.isenabled()
        after = [[] for _ in range(gc.get_threshold()[0] * 2)]  # enough for a collection
        assert len(after) > 0
    finally:
        gc.callbacks.remove(record)
    assert inside == [] and outside
