"""§3.19 how an account moved, on both stores: the timeline of a back-dated history,
drift alerts and what changed since a date (hand-computed from the history of
tests/influence/test_history_on_both_stores.py)."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from stakegraph.graph.model import ChangeEvent
from stakegraph.graph.store import GraphStore
from stakegraph.influence.models import TimelineStep
from stakegraph.influence.settings import AnalysisSettings
from stakegraph.influence.timeline import drift_alert
from stakegraph.service.errors import BadInput, NotFound
from stakegraph.service.scope import AccountView
from stakegraph.service.timeline import changes_since, drift_alerts, mask_events, timeline
from tests.influence.test_history_on_both_stores import ACCOUNT, _loaded


def _grades(points: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {p.at.isoformat(): p.grade.value for p in points}


def test_the_monthly_timeline_shows_the_grade_at_each_month_end(store: GraphStore) -> None:
    scope = _loaded(store)
    t = timeline(scope, ACCOUNT, date(2025, 1, 1), date(2025, 6, 30))
    assert [p.at.isoformat() for p in t.points] == [
        "2025-01-31",
        "2025-02-28",
        "2025-03-31",
        "2025-04-30",
        "2025-05-31",
        "2025-06-30",
    ]
    grades = _grades(t.points)
    # Feb: only Li is reached (Bob, level 2), no role yet → BASIC; Apr: Amy raised to 3
    # with Wang (SUPPORTER since March, the key department's only KDM) → STRONG;
    # May: Wang turned OPPONENT → INTERMEDIATE.
    assert (grades["2025-02-28"], grades["2025-04-30"], grades["2025-05-31"]) == (
        "BASIC",
        "STRONG",
        "INTERMEDIATE",
    )
    moved = {p.at.isoformat(): [(e.field, e.old, e.new) for e in p.events] for p in t.points}
    assert moved["2025-02-28"] == []
    assert moved["2025-03-31"] == [("stance", "NEUTRAL", "SUPPORTER")]
    assert sorted(moved["2025-04-30"], key=str) == sorted(
        [("level", 1, 3), ("role", None, "TECHNICAL_EVALUATOR")], key=str
    )
    assert sorted(moved["2025-05-31"], key=str) == sorted(
        [("stance", "SUPPORTER", "OPPONENT"), ("level", 2, None)], key=str
    )
    may, apr = t.points[4], t.points[3]
    assert apr.balance is not None and may.balance is not None and may.balance < apr.balance
    assert apr.coverage_ratio == 0.5  # EB and TE of four roles; Zhao (FC) not yet entered


def test_weekly_points_and_the_bound_on_points(store: GraphStore) -> None:
    scope = _loaded(store)
    t = timeline(scope, ACCOUNT, date(2025, 4, 21), date(2025, 5, 4), TimelineStep.WEEK)
    assert [p.at.isoformat() for p in t.points] == ["2025-04-27", "2025-05-04"]
    assert [p.grade.value for p in t.points] == ["STRONG", "INTERMEDIATE"]
    with pytest.raises(BadInput, match="timeline_max_points"):
        timeline(scope, ACCOUNT, date(2015, 1, 1), date(2025, 6, 30), TimelineStep.WEEK)
    with pytest.raises(BadInput, match="before it starts"):
        timeline(scope, ACCOUNT, date(2025, 6, 1), date(2025, 5, 1))
    with pytest.raises(NotFound):
        timeline(scope, "co-nowhere", date(2025, 1, 1), date(2025, 6, 30))


def test_a_drift_alert_fires_on_a_grade_fall_and_names_the_events(store: GraphStore) -> None:
    scope = _loaded(store)
    (alert,) = drift_alerts(scope, [ACCOUNT], as_of=date(2025, 6, 30))
    # 90 days back is 1 April: STRONG (Amy's raise and Li's role were written that day)
    assert (alert.before.grade.value, alert.after.grade.value) == ("STRONG", "INTERMEDIATE")
    assert alert.grade_fell is True
    wang = next(e for e in alert.events if e.contact_id == "wang")
    assert (wang.field, wang.old, wang.new, wang.by) == ("stance", "SUPPORTER", "OPPONENT", "crm")
    assert wang.at.date() == date(2025, 5, 1)
    assert all(e.at.date() > date(2025, 4, 1) for e in alert.events)
    # Before May nothing fell (grade rose to STRONG), so no alert on 30 April
    assert drift_alerts(scope, [ACCOUNT], as_of=date(2025, 4, 30)) == []


def test_a_balance_drop_alone_fires_by_the_setting(store: GraphStore) -> None:
    scope = _loaded(store)
    (alert,) = drift_alerts(scope, [ACCOUNT], as_of=date(2025, 6, 30))
    assert alert.balance_drop is not None and alert.balance_drop >= 0.25


def test_what_changed_since_lists_the_events_and_before_and_after(store: GraphStore) -> None:
    scope = _loaded(store)
    (found,) = changes_since(scope, date(2025, 4, 15), as_of=date(2025, 6, 30))
    assert found.company_id == ACCOUNT
    assert sorted((e.contact_id, e.field) for e in found.events) == [
        ("li", "level"),
        ("wang", "stance"),
    ]
    assert (found.before.grade.value, found.after.grade.value) == ("STRONG", "INTERMEDIATE")
    assert found.before.at == date(2025, 4, 15) and found.after.at == date(2025, 6, 30)
    # only accounts with events are listed: nothing changed after 1 June
    assert changes_since(scope, date(2025, 6, 1), as_of=date(2025, 6, 30)) == []
    with pytest.raises(BadInput, match="since"):
        changes_since(scope, date(2025, 7, 1), as_of=date(2025, 6, 30))


def test_events_name_a_hidden_contact_by_its_mask() -> None:
    e = ChangeEvent(
        entity="KNOWS",
        entity_id="amy->x-foreign",
        contact_id="x-foreign",
        field="level",
        old=1,
        new=2,
        at="2025-05-01T10:00:00Z",  # type: ignore[arg-type]
    )
    own = e.model_copy(update={"entity_id": "amy->wang", "contact_id": "wang"})
    view = AccountView(ACCOUNT, nx.MultiDiGraph(), frozenset({"x-foreign"}))
    masked, kept = mask_events(view, [e, own])
    assert (masked.contact_id, masked.entity_id) == ("masked-1", "amy->masked-1")
    assert kept == own
    assert "x-foreign" not in repr(masked)


def test_drift_settings_change_the_window(store: GraphStore) -> None:
    scope = _loaded(store)
    assert AnalysisSettings().drift_window_days == 90
    # a window of 30 days back from 30 June holds no event: no alert
    narrow = scope.analysis_settings.model_copy(update={"drift_window_days": 30})
    g = scope.raw_subgraph(ACCOUNT)
    assert drift_alert(g, date(2025, 6, 30), settings=narrow) is None
    assert drift_alert(g, date(2025, 6, 30), settings=scope.analysis_settings) is not None
