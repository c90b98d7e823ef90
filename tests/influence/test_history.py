"""§3.17 the account as of a past date: graph_as_of on a hand-built history."""

from __future__ import annotations

from datetime import UTC, date, datetime

import networkx as nx

from stakegraph.graph.model import ChangeEvent, DecisionRole, Stance
from stakegraph.influence import analyze_account
from stakegraph.influence.history import (
    changed_after,
    end_of_day,
    events_between,
    graph_as_of,
    needs_replay,
    state_as_of,
)
from stakegraph.influence.models import StanceBecomes
from stakegraph.influence.paths import paths_to_power
from stakegraph.influence.settings import AnalysisSettings
from stakegraph.influence.whatif import what_if
from tests.influence.influence_builders import Account


def _at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=UTC)


FEB, APR, JUN = date(2025, 2, 15), date(2025, 4, 15), date(2025, 6, 15)


def _rel_event(entity: str, entity_id: str, field: str, old: object, new: object, at: datetime):
    contact = entity_id.partition("->")[2 if entity == "KNOWS" else 0]
    return ChangeEvent(
        entity=entity,
        entity_id=entity_id,
        contact_id=contact,
        field=field,
        old=old,  # type: ignore[arg-type]
        new=new,  # type: ignore[arg-type]
        at=at,
    )


def hengtai_history() -> nx.MultiDiGraph:
    """Today: Wang OPPONENT (was NEUTRAL, SUPPORTER from 1 March, OPPONENT from 1 May),
    Amy knows Wang at 3 (was 1, raised on 1 April), Li became TECHNICAL_EVALUATOR on 1
    April, Bob's level-2 tie to Li was removed on 1 May, Zhao was entered on 1 June, a
    meeting took place on 20 June."""
    a = Account("acme", tier="KEY", created_at=_at(2025, 1, 1))
    a.dept("d-exec", key=True)
    a.dept("d-it")
    a.contact("wang", "d-exec", seniority="EXECUTIVE", kdm=True, stance="OPPONENT")
    a.contact("li", "d-it", seniority="VP", stance="NEUTRAL")
    a.contact("zhao", "d-it", seniority="DIRECTOR", created_at=_at(2025, 6, 1))
    a.opp("o-wms")
    a.role("wang", "o-wms", "ECONOMIC_BUYER")
    a.role("li", "o-wms", "TECHNICAL_EVALUATOR")
    a.role("zhao", "o-wms", "FINANCIAL_CONTROLLER")
    a.knows("amy", "wang", 3)
    a.knows("bob", "wang", 1)
    a.interaction("i-late", _at(2025, 6, 20), reps=("amy",), contacts=("wang",))
    a.change("wang", "stance", "NEUTRAL", "SUPPORTER", _at(2025, 3, 1))
    a.change("wang", "stance", "SUPPORTER", "OPPONENT", _at(2025, 5, 1))
    a.changes += [
        _rel_event("KNOWS", "amy->wang", "level", 1, 3, _at(2025, 4, 1)),
        _rel_event("HAS_ROLE", "li->o-wms", "role", None, "TECHNICAL_EVALUATOR", _at(2025, 4, 1)),
        _rel_event("KNOWS", "bob->li", "level", 2, None, _at(2025, 5, 1)),
    ]
    return a.graph()


def _stance(h: nx.MultiDiGraph, c: str) -> Stance:
    return Stance(h.nodes[f"Contact:{c}"]["stance"])


def _level(h: nx.MultiDiGraph, rep: str, c: str) -> int | None:
    edge = h.get_edge_data(f"Rep:{rep}", f"Contact:{c}", "KNOWS")
    return None if edge is None else int(edge["level"])


def _role(h: nx.MultiDiGraph, c: str) -> DecisionRole | None:
    edge = h.get_edge_data(f"Contact:{c}", "Opportunity:o-wms", "HAS_ROLE")
    return None if edge is None else DecisionRole(edge["role"])


def test_stance_level_role_and_records_at_three_past_dates() -> None:
    g = hengtai_history()
    feb, apr, jun = (graph_as_of(g, at=end_of_day(d)) for d in (FEB, APR, JUN))
    assert [_stance(h, "wang") for h in (feb, apr, jun)] == [
        Stance.NEUTRAL,
        Stance.SUPPORTER,
        Stance.OPPONENT,
    ]
    assert [_level(h, "amy", "wang") for h in (feb, apr, jun)] == [1, 3, 3]
    assert [_role(h, "li") for h in (feb, apr, jun)] == [
        None,
        DecisionRole.TECHNICAL_EVALUATOR,
        DecisionRole.TECHNICAL_EVALUATOR,
    ]
    assert [_level(h, "bob", "li") for h in (feb, apr, jun)] == [2, 2, None]  # restored
    assert ["Contact:zhao" in h for h in (feb, apr, jun)] == [False, False, True]
    assert all("Interaction:i-late" not in h for h in (feb, apr, jun))
    assert [len(h.graph["changes"]) for h in (feb, apr, jun)] == [0, 3, 5]
    # the input graph is the account as it is now, untouched
    assert _stance(g, "wang") == Stance.OPPONENT and _level(g, "bob", "li") is None
    assert "Interaction:i-late" in g and len(g.graph["changes"]) == 5


def test_every_analytic_runs_on_the_account_as_it_was() -> None:
    g = hengtai_history()
    grades = [analyze_account(g, as_of=d).grade.grade.value for d in (FEB, APR, JUN)]
    # Feb: only Li (Bob, level 2) is reached and she holds no role yet → BASIC;
    # Apr: Wang at 3, SUPPORTER, the key department's only KDM → STRONG;
    # Jun: Wang turned OPPONENT → INTERMEDIATE.
    assert grades == ["BASIC", "STRONG", "INTERMEDIATE"]
    roles = {
        d: {r.role.value: r.status.value for r in analyze_account(g, as_of=d).coverage.roles}
        for d in (FEB, APR, JUN)
    }
    assert roles[FEB]["TECHNICAL_EVALUATOR"] == "MISSING"
    assert roles[APR]["TECHNICAL_EVALUATOR"] == "COVERED"  # Bob's tie to Li still stood
    assert roles[APR]["FINANCIAL_CONTROLLER"] == "MISSING"  # Zhao not entered yet
    assert roles[JUN]["FINANCIAL_CONTROLLER"] == "UNCOVERED"
    assert roles[JUN]["TECHNICAL_EVALUATOR"] == "UNCOVERED"
    # replay off: today's records with the windows measured to the date
    today_state = AnalysisSettings(replay_history=False)
    assert analyze_account(g, as_of=APR, settings=today_state).grade.grade.value == "INTERMEDIATE"
    # paths and what-if too
    assert paths_to_power(g, "zhao", as_of=APR) == []
    r = what_if(g, [StanceBecomes(contact_id="li", stance=Stance.CHAMPION)], as_of=APR)
    assert r.before.grade.grade.value == "STRONG"
    assert r.before == analyze_account(g, as_of=APR)


def test_horizon_keeps_what_came_with_a_back_dated_account() -> None:
    """An account imported on 1 July with back-dated history: what was written with it
    existed all along; a contact added the next day did not."""
    a = Account("acme", created_at=_at(2025, 7, 1))
    a.dept("d-main")
    a.contact("wang", stance="SUPPORTER", created_at=_at(2025, 7, 1))
    a.contact("li", created_at=_at(2025, 7, 2))
    a.change("wang", "stance", "NEUTRAL", "SUPPORTER", _at(2025, 3, 1))
    g = a.graph()
    h = graph_as_of(g, at=end_of_day(FEB))
    assert "Contact:wang" in h and _stance(h, "wang") == Stance.NEUTRAL
    assert "Contact:li" not in h
    assert "Contact:li" in graph_as_of(g, at=end_of_day(date(2025, 7, 2)))


def test_a_tie_created_after_the_date_is_gone_and_dates_after_it_are_unknown() -> None:
    a = Account("acme")
    a.contact("wang", last_verified_at=_at(2025, 5, 1))
    a.knows("amy", "wang", 2, last=_at(2025, 5, 2))
    a.changes.append(_rel_event("KNOWS", "amy->wang", "level", None, 2, _at(2025, 5, 2)))
    g = a.graph()
    h = graph_as_of(g, at=end_of_day(APR))
    assert _level(h, "amy", "wang") is None
    assert h.nodes["Contact:wang"]["last_verified_at"] is None
    assert g.nodes["Contact:wang"]["last_verified_at"] == _at(2025, 5, 1)
    k = graph_as_of(g, at=end_of_day(date(2025, 5, 1)))  # verified that day; tie next day
    assert k.nodes["Contact:wang"]["last_verified_at"] == _at(2025, 5, 1)
    assert _level(k, "amy", "wang") is None


def test_nothing_after_the_date_costs_nothing() -> None:
    g = hengtai_history()
    today = date(2025, 7, 1)
    assert not needs_replay(g, end_of_day(today))
    assert state_as_of(g, today) is g
    assert state_as_of(g, FEB, settings=AnalysisSettings(replay_history=False)) is g
    assert state_as_of(g, FEB) is not g


def test_event_helpers() -> None:
    g = hengtai_history()
    events = g.graph["changes"]
    after = changed_after(events, end_of_day(APR))
    assert [(e.entity, e.field, e.new) for e in after] == [
        ("Contact", "stance", "OPPONENT"),
        ("KNOWS", "level", None),
    ]
    between = events_between(events, end_of_day(FEB), end_of_day(APR))
    assert [e.at.date() for e in between] == [date(2025, 3, 1), date(2025, 4, 1), date(2025, 4, 1)]
    assert end_of_day(FEB) == datetime(2025, 2, 15, 23, 59, 59, 999999, tzinfo=UTC)


def test_reports_and_maps_show_the_account_as_it_was() -> None:
    from stakegraph.reports.model import account_report
    from stakegraph.viz.facts import map_facts

    g = hengtai_history()
    report = account_report(g, as_of=APR)
    rows = {r.contact_id: r for r in report.contacts}
    assert rows["wang"].stance == Stance.SUPPORTER and "zhao" not in rows
    assert report.analysis == analyze_account(g, as_of=APR)
    facts = map_facts(g, as_of=APR)
    assert facts.stances["wang"] == "SUPPORTER" and "zhao" not in facts.stances
