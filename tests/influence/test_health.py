"""§3.9 account potential (ICP) and health signals and status."""

from __future__ import annotations

import pytest
from influence_builders import AS_OF, Account, days_ago

from stakegraph.influence import (
    AnalysisSettings,
    HealthSignalCode,
    HealthStatus,
    PotentialBand,
    account_health,
    account_potential,
)

S = HealthSignalCode


# ------------------------------------------------------------------------ potential


@pytest.mark.parametrize(
    ("scores", "score", "band"),
    [
        ((4, 4, 4, 4), 4.0, PotentialBand.A),
        ((5, 3, 4, 4), 4.0, PotentialBand.A),
        ((4, 4, 4, 3), 3.8, PotentialBand.B),
        ((3, 3, 3, 3), 3.0, PotentialBand.B),
        ((2, 4, 3, 3), 3.0, PotentialBand.B),
        ((3, 3, 3, 2), 2.8, PotentialBand.C),
        ((1, 1, 1, 1), 1.0, PotentialBand.C),
    ],
)
def test_potential_band_a_from_exactly_4_and_b_from_exactly_3(scores, score, band):
    fit, profit, stability, market = scores
    acct = Account(
        strategic_fit=fit, profit_potential=profit, stability=stability, market_influence=market
    )
    p = account_potential(acct.graph())
    assert p.score == pytest.approx(score)
    assert p.band == band
    assert p.missing == []


def test_potential_is_null_when_any_score_is_missing():
    acct = Account(strategic_fit=5, profit_potential=5, market_influence=5)
    p = account_potential(acct.graph())
    assert (p.score, p.band) == (None, None)
    assert p.missing == ["stability"]


# ------------------------------------------------------------------------- health


def _healthy(**company) -> Account:
    """An account with no signal: its executive was met and verified recently."""
    acct = Account(**company)
    acct.contact("ceo", seniority="EXECUTIVE", last_verified_at=days_ago(1))
    acct.interaction("i-recent", days_ago(10), reps=("r1",), contacts=("ceo",))
    return acct


def _codes(acct: Account) -> list[HealthSignalCode]:
    return account_health(acct.graph(), as_of=AS_OF).codes


def test_healthy_account_is_green():
    h = account_health(_healthy().graph(), as_of=AS_OF)
    assert (h.status, h.signals) == (HealthStatus.GREEN, [])


def test_one_signal_is_yellow():
    h = account_health(_healthy(overdue_invoices=1).graph(), as_of=AS_OF)
    assert h.status == HealthStatus.YELLOW
    assert h.codes == [S.PAYMENT_LATE]


def test_red_by_usage_drop_and_kdm_left():
    acct = _healthy(usage_current=80, usage_prior=100)
    acct.contact("kdm", kdm=True, status="LEFT")
    acct.change("kdm", "status", "ACTIVE", "LEFT", days_ago(30))
    h = account_health(acct.graph(), as_of=AS_OF)
    assert h.codes == [S.KDM_LEFT, S.USAGE_DROP]
    assert h.status == HealthStatus.RED


def test_red_by_three_signals():
    acct = _healthy(tickets_current=10, tickets_prior=5, negative_feedback_90d=2)
    assert account_health(acct.graph(), as_of=AS_OF).status == HealthStatus.YELLOW
    acct = _healthy(
        tickets_current=10, tickets_prior=5, negative_feedback_90d=2, renewal_intent=False
    )
    h = account_health(acct.graph(), as_of=AS_OF)
    assert h.codes == [S.TICKET_SPIKE, S.NEGATIVE_FEEDBACK, S.NO_RENEWAL_INTENT]
    assert h.status == HealthStatus.RED


def test_usage_drop_from_exactly_20_percent():
    assert _codes(_healthy(usage_current=80, usage_prior=100)) == [S.USAGE_DROP]
    assert _codes(_healthy(usage_current=81, usage_prior=100)) == []
    assert _codes(_healthy(usage_current=0, usage_prior=0)) == []
    assert _codes(_healthy(usage_current=50)) == []


def test_ticket_spike_from_exactly_twice_the_prior_period():
    assert _codes(_healthy(tickets_current=10, tickets_prior=5)) == [S.TICKET_SPIKE]
    assert _codes(_healthy(tickets_current=9, tickets_prior=5)) == []
    assert _codes(_healthy(tickets_current=0, tickets_prior=0)) == []
    assert _codes(_healthy(tickets_current=1, tickets_prior=0)) == [S.TICKET_SPIKE]


def test_negative_feedback_from_two_payment_late_from_one_no_renewal_only_when_false():
    assert _codes(_healthy(negative_feedback_90d=2)) == [S.NEGATIVE_FEEDBACK]
    assert _codes(_healthy(negative_feedback_90d=1)) == []
    assert _codes(_healthy(overdue_invoices=0)) == []
    assert _codes(_healthy(renewal_intent=None)) == []
    assert _codes(_healthy(renewal_intent=True)) == []


@pytest.mark.parametrize(("days", "fires"), [(0, True), (90, True), (91, False), (-1, False)])
def test_kdm_left_within_the_last_90_days(days, fires):
    acct = _healthy()
    acct.contact("kdm", kdm=True, status="MOVED")
    acct.change("kdm", "status", "ACTIVE", "MOVED", days_ago(days))
    assert (S.KDM_LEFT in _codes(acct)) is fires


def test_kdm_left_ignores_contacts_who_are_not_kdms():
    acct = _healthy()
    acct.contact("staff", status="LEFT")
    acct.change("staff", "status", "ACTIVE", "LEFT", days_ago(5))
    assert _codes(acct) == []


def test_kdm_left_counts_a_holder_of_a_kdm_role_in_an_open_opportunity():
    acct = _healthy()
    acct.contact("buyer", status="LEFT")
    acct.opp("o1")
    acct.role("buyer", "o1", "ECONOMIC_BUYER")
    acct.change("buyer", "status", "ACTIVE", "LEFT", days_ago(5))
    h = account_health(acct.graph(), as_of=AS_OF)
    assert h.codes == [S.KDM_LEFT]
    assert h.signals[0].contact_ids == ["buyer"]


def test_champion_lost_when_a_champion_stops_being_champion():
    acct = _healthy()
    acct.contact("fan", stance="SUPPORTER")
    acct.change("fan", "stance", "CHAMPION", "SUPPORTER", days_ago(20))
    assert _codes(acct) == [S.CHAMPION_LOST]


def test_champion_lost_when_a_champion_leaves():
    acct = _healthy()
    acct.contact("fan", stance="CHAMPION", status="LEFT")
    acct.change("fan", "status", "ACTIVE", "LEFT", days_ago(20))
    assert _codes(acct) == [S.CHAMPION_LOST]


def test_champion_lost_reads_the_stance_at_the_time_of_leaving():
    acct = _healthy()
    acct.contact("fan", stance="NEUTRAL", status="LEFT")
    acct.change("fan", "stance", "CHAMPION", "NEUTRAL", days_ago(200))
    acct.change("fan", "status", "ACTIVE", "LEFT", days_ago(20))
    assert _codes(acct) == []


def test_champion_lost_only_within_90_days():
    acct = _healthy()
    acct.contact("fan", stance="SUPPORTER")
    acct.change("fan", "stance", "CHAMPION", "SUPPORTER", days_ago(91))
    assert _codes(acct) == []


@pytest.mark.parametrize(
    ("steps", "fires"),
    [
        ([("SUPPORTER", "OPPONENT")], True),
        ([("SUPPORTER", "NEUTRAL")], False),
        ([("CHAMPION", "SUPPORTER"), ("SUPPORTER", "NEUTRAL")], True),
        ([("CHAMPION", "NEUTRAL"), ("NEUTRAL", "CHAMPION")], True),  # a dip counts
        ([("NEUTRAL", "SUPPORTER"), ("SUPPORTER", "NEUTRAL")], False),
        ([("SUPPORTER", "UNKNOWN"), ("UNKNOWN", "OPPONENT")], True),
        ([("UNKNOWN", "BLOCKER")], False),
    ],
)
def test_stance_drop_of_a_kdm_by_two_steps_over_90_days(steps, fires):
    acct = _healthy()
    acct.contact("kdm", kdm=True, stance=steps[-1][1])
    for i, (old, new) in enumerate(steps):
        acct.change("kdm", "stance", old, new, days_ago(50 - i))
    assert (S.STANCE_DROP in _codes(acct)) is fires


def test_stance_drop_fires_on_a_dip_and_names_both_stances_and_dates():
    acct = _healthy()
    acct.contact("kdm", kdm=True, stance="CHAMPION")
    acct.change("kdm", "stance", "SUPPORTER", "CHAMPION", days_ago(60))
    acct.change("kdm", "stance", "CHAMPION", "BLOCKER", days_ago(40))
    acct.change("kdm", "stance", "BLOCKER", "CHAMPION", days_ago(20))
    h = account_health(acct.graph(), as_of=AS_OF)
    (drop,) = [s for s in h.signals if s.code == S.STANCE_DROP]
    assert drop.contact_ids == ["kdm"]
    # 60 and 40 days before 2024-06-30: 2024-05-01 and 2024-05-21
    assert (
        drop.evidence
        == "KDM stance drop: kdm (kdm) fell from CHAMPION on 2024-05-01 to BLOCKER on 2024-05-21"
    )


def test_stance_drop_counts_the_stance_held_when_the_window_opened():
    acct = _healthy()
    acct.contact("kdm", kdm=True, stance="NEUTRAL")
    acct.change("kdm", "stance", "NEUTRAL", "CHAMPION", days_ago(200))  # before the window
    acct.change("kdm", "stance", "CHAMPION", "NEUTRAL", days_ago(30))
    h = account_health(acct.graph(), as_of=AS_OF)
    (drop,) = [s for s in h.signals if s.code == S.STANCE_DROP]
    # the window of 90 days opens on 2024-04-01, CHAMPION then; NEUTRAL from 2024-05-31
    assert drop.evidence.endswith("fell from CHAMPION on 2024-04-01 to NEUTRAL on 2024-05-31")


def test_stance_drop_needs_the_lower_stance_inside_the_window():
    acct = _healthy()
    acct.contact("kdm", kdm=True, stance="BLOCKER")
    acct.change("kdm", "stance", "CHAMPION", "BLOCKER", days_ago(91))  # the day before it
    acct.change("kdm", "stance", "BLOCKER", "CHAMPION", days_ago(-5))  # not yet
    assert S.STANCE_DROP not in _codes(acct)
    acct = _healthy()
    acct.contact("kdm", kdm=True, stance="BLOCKER")
    acct.change("kdm", "stance", "CHAMPION", "BLOCKER", days_ago(90))  # its first day
    assert S.STANCE_DROP in _codes(acct)


def test_stance_drop_steps_is_a_setting():
    acct = _healthy()
    acct.contact("kdm", kdm=True, stance="SUPPORTER")
    acct.change("kdm", "stance", "CHAMPION", "SUPPORTER", days_ago(10))
    g = acct.graph()
    assert S.STANCE_DROP not in account_health(g, as_of=AS_OF).codes
    one = AnalysisSettings(stance_drop_steps=1)
    assert S.STANCE_DROP in account_health(g, as_of=AS_OF, settings=one).codes


def test_stance_drop_ignores_kdms_who_left():
    # §3 preamble: only ACTIVE contacts take part; STANCE_DROP speaks of none who left.
    acct = _healthy()
    acct.contact("kdm", kdm=True, stance="OPPONENT", status="LEFT")
    acct.change("kdm", "stance", "SUPPORTER", "OPPONENT", days_ago(60))
    acct.change("kdm", "status", "ACTIVE", "LEFT", days_ago(30))
    assert _codes(acct) == [S.KDM_LEFT]  # it left (KDM_LEFT), but its drop is no signal
    acct.contact("kdm2", kdm=True, stance="OPPONENT")
    acct.change("kdm2", "stance", "SUPPORTER", "OPPONENT", days_ago(60))
    h = account_health(acct.graph(), as_of=AS_OF)
    assert h.codes == [S.KDM_LEFT, S.STANCE_DROP]
    assert h.signals[1].contact_ids == ["kdm2"]


def test_stance_drop_ignores_non_kdms():
    acct = _healthy()
    acct.contact("staff", stance="BLOCKER")
    acct.change("staff", "stance", "SUPPORTER", "BLOCKER", days_ago(5))
    assert _codes(acct) == []


@pytest.mark.parametrize(("days", "fires"), [(90, False), (91, True)])
def test_no_exec_touch_without_interaction_with_an_executive_in_90_days(days, fires):
    acct = Account()
    acct.contact("ceo", seniority="EXECUTIVE", last_verified_at=days_ago(1))
    acct.interaction("i1", days_ago(days), reps=("r1",), contacts=("ceo",))
    assert (S.NO_EXEC_TOUCH in _codes(acct)) is fires


def test_no_exec_touch_ignores_executives_who_left_or_moved():
    # §3 preamble: only ACTIVE contacts take part; NO_EXEC_TOUCH speaks of none who left.
    acct = Account()
    acct.contact("mgr", last_verified_at=days_ago(1))
    acct.contact("ex-ceo", seniority="EXECUTIVE", status="LEFT")
    acct.contact("moved-cfo", seniority="EXECUTIVE", status="MOVED")
    acct.interaction("i1", days_ago(10), reps=("r1",), contacts=("ex-ceo", "moved-cfo", "mgr"))
    h = account_health(acct.graph(), as_of=AS_OF)
    assert h.codes == [S.NO_EXEC_TOUCH]
    assert h.signals[0].contact_ids == []
    assert h.signals[0].evidence == "no EXECUTIVE contact on the map"
    acct.contact("cto", seniority="EXECUTIVE", last_verified_at=days_ago(1))
    acct.interaction("i2", days_ago(90), reps=("r1",), contacts=("cto",))
    assert _codes(acct) == []


def test_no_exec_touch_when_the_map_has_no_executive():
    acct = Account()
    acct.contact("mgr", last_verified_at=days_ago(1))
    h = account_health(acct.graph(), as_of=AS_OF)
    assert h.codes == [S.NO_EXEC_TOUCH]
    assert h.signals[0].evidence == "no EXECUTIVE contact on the map"


def test_stale_map_when_more_than_half_of_active_contacts_are_stale():
    acct = _healthy()
    acct.contact("old1", last_verified_at=days_ago(181))
    assert _codes(acct) == []  # 1 of 2 stale: exactly half is not more than half
    acct.contact("old2")
    acct.contact("gone", status="LEFT")  # not active: does not count
    h = account_health(acct.graph(), as_of=AS_OF)
    assert h.codes == [S.STALE_MAP]
    assert h.signals[0].contact_ids == ["old1", "old2"]


def test_stale_map_counts_meetings_and_last_contact_within_180_days():
    acct = _healthy()
    acct.contact("met")
    acct.contact("called")
    acct.contact("stale")
    acct.interaction("i2", days_ago(180), reps=("r1",), contacts=("met",))
    acct.knows("r1", "called", 2, last=days_ago(180))
    assert _codes(acct) == []  # 1 of 4 stale
