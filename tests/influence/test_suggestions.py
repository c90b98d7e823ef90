"""§3.15 activity-derived level suggestions, with the 180-day boundary."""

from __future__ import annotations

import pytest
from influence_builders import AS_OF, Account, days_ago

from stakegraph.graph.model import Interaction
from stakegraph.influence import AnalysisSettings, LevelSuggestion, level_suggestions


def _meet(acct: Account, iid: str, days: int, kind: str = "MEETING", rep: str = "r1", c: str = "c"):
    acct._add(Interaction(id=iid, at=days_ago(days), kind=kind))
    acct.rep(rep)
    acct.rel("ATTENDED", "Rep", rep, "Interaction", iid)
    acct.rel("ATTENDED", "Contact", c, "Interaction", iid)


def _suggested(acct: Account, **kw) -> list[tuple[str, str, int | None, int]]:
    return [
        (s.rep_id, s.contact_id, s.current_level, s.suggested_level)
        for s in level_suggestions(acct.graph(), as_of=AS_OF, **kw)
    ]


@pytest.mark.parametrize(("days", "suggested"), [(180, True), (181, False), (-1, False)])
def test_one_interaction_in_180_days_and_no_tie_suggests_level_one(days, suggested):
    acct = Account()
    acct.contact("c")
    _meet(acct, "i1", days, kind="EMAIL")
    assert _suggested(acct) == ([("r1", "c", None, 1)] if suggested else [])


def test_an_existing_tie_gets_no_level_one_suggestion():
    acct = Account()
    acct.contact("c")
    acct.knows("r1", "c", 0)
    _meet(acct, "i1", 10, kind="CALL")
    assert _suggested(acct) == []


@pytest.mark.parametrize(("level", "suggested"), [(0, True), (1, True), (2, False), (3, False)])
def test_three_visits_or_meetings_in_180_days_below_level_two_suggest_level_two(level, suggested):
    acct = Account()
    acct.contact("c")
    acct.knows("r1", "c", level)
    _meet(acct, "i1", 180, kind="VISIT")
    _meet(acct, "i2", 90, kind="MEETING")
    _meet(acct, "i3", 0, kind="VISIT")
    assert _suggested(acct) == ([("r1", "c", level, 2)] if suggested else [])


def test_calls_and_emails_and_old_meetings_do_not_count_towards_level_two():
    acct = Account()
    acct.contact("c")
    acct.knows("r1", "c", 1)
    _meet(acct, "i1", 10, kind="VISIT")
    _meet(acct, "i2", 20, kind="MEETING")
    _meet(acct, "i3", 30, kind="CALL")
    _meet(acct, "i4", 181, kind="VISIT")  # outside the window
    assert _suggested(acct) == []


def test_no_tie_and_three_meetings_suggest_the_higher_level_once_with_its_evidence():
    acct = Account()
    acct.contact("c")
    for i, d in enumerate((3, 40, 100)):
        _meet(acct, f"i{i}", d)
    _meet(acct, "i-mail", 1, kind="EMAIL")
    (s,) = level_suggestions(acct.graph(), as_of=AS_OF)
    assert s == LevelSuggestion(
        rep_id="r1",
        contact_id="c",
        current_level=None,
        suggested_level=2,
        interactions=4,
        visits_or_meetings=3,
        last_at=days_ago(1).date(),
        interaction_ids=["i-mail", "i0", "i1", "i2"],
    )


def test_suggestions_are_per_rep_and_contact_and_skip_contacts_who_left():
    acct = Account()
    acct.contact("c")
    acct.contact("gone", status="LEFT")
    _meet(acct, "i1", 5, rep="r1")
    _meet(acct, "i2", 5, rep="r2")
    _meet(acct, "i3", 5, c="gone")
    assert _suggested(acct) == [("r1", "c", None, 1), ("r2", "c", None, 1)]


def test_windows_and_counts_are_settings():
    acct = Account()
    acct.contact("c")
    acct.knows("r1", "c", 1)
    _meet(acct, "i1", 200, kind="VISIT")
    _meet(acct, "i2", 10, kind="VISIT")
    assert _suggested(acct) == []
    wide = AnalysisSettings(suggestion_window_days=200, engaged_min_meetings=2)
    assert _suggested(acct, settings=wide) == [("r1", "c", 1, 2)]
