"""§3.14 data gaps: each names its record; none fails an analysis."""

from __future__ import annotations

from influence_builders import AS_OF, Account, days_ago

from stakegraph.graph.model import DecisionRole
from stakegraph.influence import DataGap, DataGapKind, analyze_account, data_gaps

K = DataGapKind


def _met(acct: Account, contact: str) -> None:
    acct.interaction(f"i-{contact}", days_ago(400), reps=("r1",), contacts=(contact,))


def test_every_kind_of_gap_names_its_record():
    acct = Account(strategic_fit=4, profit_potential=3)  # stability, market_influence missing
    acct.contact("nosen", seniority=None)
    acct.contact("kdm", kdm=True, stance="UNKNOWN", last_verified_at=days_ago(500))
    acct.contact("eb", stance="SUPPORTER")
    acct.contact("gone", seniority=None, status="LEFT")  # left: not the account's gap
    acct.contact("ext", None, seniority=None, foreign=True)  # another account's
    for c in ("nosen", "eb"):
        _met(acct, c)
    acct.opp("o1")
    acct.role("eb", "o1", "ECONOMIC_BUYER")  # eb is a KDM too, with a known stance
    acct.opp("o-won", status="WON")  # closed: its empty chain is no gap
    gaps = data_gaps(acct.graph())
    assert gaps == [
        DataGap(kind=K.NO_SENIORITY, contact_id="nosen"),
        DataGap(kind=K.UNKNOWN_KDM_STANCE, contact_id="kdm"),
        DataGap(kind=K.ROLE_UNFILLED, opportunity_id="o1", role=DecisionRole.TECHNICAL_EVALUATOR),
        DataGap(kind=K.ROLE_UNFILLED, opportunity_id="o1", role=DecisionRole.FINANCIAL_CONTROLLER),
        DataGap(kind=K.ROLE_UNFILLED, opportunity_id="o1", role=DecisionRole.USER),
        DataGap(kind=K.NO_ICP_SCORE, company_id="acme", fields=["stability", "market_influence"]),
    ]


def test_a_contact_never_verified_nor_met_is_a_gap_however_old_the_record_of_the_other():
    acct = Account(strategic_fit=1, profit_potential=1, stability=1, market_influence=1)
    acct.contact("never")
    acct.contact("verified", last_verified_at=days_ago(900))
    acct.contact("met")
    _met(acct, "met")
    acct.contact("called")
    acct.knows("r2", "called", 1, last=days_ago(700))
    acct.contact("known")
    acct.knows("r2", "known", 2)  # a tie without any date is no meeting
    assert [(d.kind, d.contact_id) for d in data_gaps(acct.graph())] == [
        (K.NEVER_VERIFIED_NOR_MET, "known"),
        (K.NEVER_VERIFIED_NOR_MET, "never"),
    ]


def test_gaps_never_fail_an_analysis_and_sit_beside_its_results():
    acct = Account()
    acct.contact("x", seniority=None, stance="UNKNOWN", kdm=True)
    acct.knows("r1", "x", 3, last=days_ago(5))
    a = analyze_account(acct.graph(), as_of=AS_OF)
    assert a.grade.grade == "STRONG"  # its one KDM, influenced, opposes nothing known
    assert a.influence.get("x").authority == 0.2  # counted as STAFF
    assert a.potential.score is None
    assert [d.kind for d in a.data_gaps] == [K.NO_SENIORITY, K.UNKNOWN_KDM_STANCE, K.NO_ICP_SCORE]
