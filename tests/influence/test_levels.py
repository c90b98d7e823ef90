"""§3.1 stance values and §3.2 effective level, recency decay and "can influence"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from influence_builders import AS_OF, Account, days_ago

from stakegraph.graph.model import Stance
from stakegraph.influence import (
    AnalysisSettings,
    can_influence,
    decayed_level,
    effective_level,
    effective_levels,
    stance_of,
    stance_value,
)


def _level_after(days: int, level: int = 3) -> int:
    acct = Account()
    acct.contact("c1")
    acct.knows("r1", "c1", level, last=days_ago(days))
    return effective_level(acct.graph(), "c1", as_of=AS_OF)


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, 3), (180, 3), (181, 2), (365, 2), (366, 1), (2000, 1)],
)
def test_decay_keeps_level_to_180_days_then_minus_one_to_365_then_minus_two(days, expected):
    assert _level_after(days) == expected


def test_decay_floors_at_zero():
    assert _level_after(366, level=1) == 0
    assert _level_after(181, level=0) == 0


def test_no_date_at_all_means_no_decay():
    acct = Account()
    acct.contact("c1")
    acct.knows("r1", "c1", 4)
    assert effective_level(acct.graph(), "c1", as_of=date(2100, 1, 1)) == 4


def test_days_are_counted_between_utc_calendar_dates():
    # 2024-01-02 01:00 at UTC+8 is 2024-01-01 17:00 UTC: 181 days before 2024-06-30.
    local = datetime(2024, 1, 2, 1, 0, tzinfo=timezone(timedelta(hours=8)))
    acct = Account()
    acct.contact("c1")
    acct.knows("r1", "c1", 3, last=local)
    assert effective_level(acct.graph(), "c1", as_of=AS_OF) == 2
    # 23:59 UTC on the 180th day before still counts as that day: no decay.
    late = datetime(2024, 1, 2, 23, 59, tzinfo=UTC)
    acct = Account()
    acct.contact("c1")
    acct.knows("r1", "c1", 3, last=late)
    assert effective_level(acct.graph(), "c1", as_of=AS_OF) == 3


def test_interaction_attended_by_rep_and_contact_refreshes_the_level():
    acct = Account()
    acct.contact("c1")
    acct.knows("r1", "c1", 3, last=days_ago(400))
    acct.interaction("i1", days_ago(10), reps=("r1",), contacts=("c1",))
    assert effective_level(acct.graph(), "c1", as_of=AS_OF) == 3


def test_later_of_last_contact_and_shared_interaction_wins():
    acct = Account()
    acct.contact("c1")
    acct.knows("r1", "c1", 3, last=days_ago(10))
    acct.interaction("i1", days_ago(400), reps=("r1",), contacts=("c1",))
    assert effective_level(acct.graph(), "c1", as_of=AS_OF) == 3


def test_interaction_with_another_rep_does_not_refresh_the_level():
    acct = Account()
    acct.contact("c1")
    acct.knows("r1", "c1", 3, last=days_ago(400))
    acct.interaction("i1", days_ago(10), reps=("r2",), contacts=("c1",))
    acct.interaction("i2", days_ago(10), reps=("r1",), contacts=())
    assert effective_level(acct.graph(), "c1", as_of=AS_OF) == 1


def test_interaction_without_knows_gives_no_level():
    acct = Account()
    acct.contact("c1")
    acct.interaction("i1", days_ago(1), reps=("r1",), contacts=("c1",))
    assert effective_level(acct.graph(), "c1", as_of=AS_OF) == 0


def test_effective_level_is_the_max_over_reps_of_decayed_levels():
    acct = Account()
    acct.contact("c1")
    acct.knows("r1", "c1", 4, last=days_ago(366))  # 2
    acct.knows("r2", "c1", 3, last=days_ago(200))  # 2
    acct.knows("r3", "c1", 3, last=days_ago(5))  # 3
    assert effective_levels(acct.graph(), as_of=AS_OF)["c1"] == 3


def test_can_influence_needs_effective_level_two():
    acct = Account()
    acct.contact("c1")
    acct.contact("c2")
    acct.knows("r1", "c1", 2)
    acct.knows("r1", "c2", 3, last=days_ago(366))
    g = acct.graph()
    assert can_influence(g, "c1", as_of=AS_OF)
    assert not can_influence(g, "c2", as_of=AS_OF)
    assert can_influence(g, "c2", as_of=AS_OF, settings=AnalysisSettings(can_influence_level=1))


def test_decay_windows_are_configurable():
    settings = AnalysisSettings(decay_first_days=30, decay_second_days=60)
    assert [decayed_level(3, d, settings=settings) for d in (30, 31, 60, 61)] == [3, 2, 2, 1]


def test_stance_values_run_from_plus_two_to_minus_two_and_unknown_has_none():
    acct = Account()
    for s in Stance:
        acct.contact(f"c-{s.value.lower()}", stance=s.value)
    g = acct.graph()
    values = {s: stance_value(g, f"c-{s.value.lower()}") for s in Stance}
    assert values == {
        Stance.CHAMPION: 2,
        Stance.SUPPORTER: 1,
        Stance.NEUTRAL: 0,
        Stance.OPPONENT: -1,
        Stance.BLOCKER: -2,
        Stance.UNKNOWN: None,
    }


def test_has_role_stance_overrides_the_contact_stance_for_that_opportunity_only():
    acct = Account()
    acct.contact("c1", stance="SUPPORTER")
    acct.opp("o1")
    acct.opp("o2")
    acct.role("c1", "o1", "ECONOMIC_BUYER", stance="BLOCKER")
    acct.role("c1", "o2", "USER")  # no override
    g = acct.graph()
    assert stance_of(g, "c1", opportunity_id="o1") == Stance.BLOCKER
    assert stance_value(g, "c1", opportunity_id="o1") == -2
    assert stance_value(g, "c1", opportunity_id="o2") == 1
    assert stance_value(g, "c1") == 1
