"""§3.17 the account as of a past date, on both stores, from the change events the store
records: a back-dated history imported through the application layer, then today's
writes through the use cases (which stamp their events now)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import networkx as nx

from stakegraph.graph.model import DecisionRole, Stance
from stakegraph.graph.store import GraphStore
from stakegraph.influence.history import end_of_day, graph_as_of
from stakegraph.influence.models import StanceBecomes
from stakegraph.service.analysis import paths_to, what_if
from stakegraph.service.datasets import import_dataset
from stakegraph.service.interchange import account_graph
from stakegraph.service.reports import account_report
from stakegraph.service.scope import Scope
from stakegraph.service.writes import (
    assign_role,
    set_relationship_level,
    set_stance,
    upsert_contact,
)
from tests.conftest import operator_scope

ACCOUNT = "co-hengtai"
FEB, APR, JUN = date(2025, 2, 15), date(2025, 4, 15), date(2025, 6, 15)
BORN = "2025-01-01T10:00:00Z"


def _event(entity: str, entity_id: str, contact: str, field: str, old: Any, new: Any, at: str):
    return {
        "entity": entity,
        "entity_id": entity_id,
        "contact_id": contact,
        "field": field,
        "old": old,
        "new": new,
        "at": at,
        "by": "crm",
    }


def hengtai() -> dict[str, Any]:
    """Now: Wang OPPONENT (NEUTRAL until 1 March, SUPPORTER until 1 May), Amy's level with
    Wang 3 (1 until 1 April), Li TECHNICAL_EVALUATOR since 1 April, Bob's level-2 tie to
    Li removed on 1 May, Zhao entered on 1 June, a meeting on 20 June."""
    return {
        "companies": [{"id": ACCOUNT, "name": "Hengtai", "tier": "KEY", "created_at": BORN}],
        "departments": [
            {
                "id": "d-exec",
                "name": "Exec",
                "is_key": True,
                "company_id": ACCOUNT,
                "created_at": BORN,
            },
            {"id": "d-it", "name": "IT", "company_id": ACCOUNT, "created_at": BORN},
        ],
        "contacts": [
            {
                "id": "wang",
                "name": "Wang Wei",
                "seniority": "EXECUTIVE",
                "is_kdm": True,
                "stance": "OPPONENT",
                "department_id": "d-exec",
                "created_at": BORN,
            },
            {
                "id": "li",
                "name": "Li Na",
                "seniority": "VP",
                "stance": "NEUTRAL",
                "department_id": "d-it",
                "created_at": BORN,
            },
            {
                "id": "zhao",
                "name": "Zhao Lei",
                "seniority": "DIRECTOR",
                "department_id": "d-it",
                "created_at": "2025-06-01T09:00:00Z",
            },
        ],
        "reps": [
            {"id": "amy", "name": "Amy", "created_at": BORN},
            {"id": "bob", "name": "Bob", "created_at": BORN},
        ],
        "opportunities": [
            {"id": "o-wms", "name": "WMS upgrade", "company_id": ACCOUNT, "created_at": BORN}
        ],
        "interactions": [
            {
                "id": "i-late",
                "at": "2025-06-20T10:00:00Z",
                "kind": "MEETING",
                "rep_ids": ["amy"],
                "contact_ids": ["wang"],
                "created_at": BORN,
            }
        ],
        "relationships": [
            {"type": "KNOWS", "from": "amy", "to": "wang", "level": 3},
            {"type": "KNOWS", "from": "bob", "to": "wang", "level": 1},
            {"type": "HAS_ROLE", "from": "wang", "to": "o-wms", "role": "ECONOMIC_BUYER"},
            {"type": "HAS_ROLE", "from": "li", "to": "o-wms", "role": "TECHNICAL_EVALUATOR"},
            {"type": "HAS_ROLE", "from": "zhao", "to": "o-wms", "role": "FINANCIAL_CONTROLLER"},
            {"type": "ABOUT", "from": "i-late", "to": ACCOUNT},
        ],
        "changes": [
            _event(
                "Contact", "wang", "wang", "stance", "NEUTRAL", "SUPPORTER", "2025-03-01T10:00:00Z"
            ),
            _event(
                "Contact", "wang", "wang", "stance", "SUPPORTER", "OPPONENT", "2025-05-01T10:00:00Z"
            ),
            _event("KNOWS", "amy->wang", "wang", "level", 1, 3, "2025-04-01T10:00:00Z"),
            _event(
                "HAS_ROLE",
                "li->o-wms",
                "li",
                "role",
                None,
                "TECHNICAL_EVALUATOR",
                "2025-04-01T11:00:00Z",
            ),
            _event("KNOWS", "bob->li", "li", "level", 2, None, "2025-05-01T10:00:00Z"),
        ],
    }


def _loaded(store: GraphStore) -> Scope:
    scope = operator_scope(store)
    import_dataset(scope, hengtai())
    return operator_scope(store)


def _stance(h: nx.MultiDiGraph, c: str) -> Stance:
    return Stance(h.nodes[f"Contact:{c}"]["stance"])


def _level(h: nx.MultiDiGraph, rep: str, c: str) -> int | None:
    edge = h.get_edge_data(f"Rep:{rep}", f"Contact:{c}", "KNOWS")
    return None if edge is None else int(edge["level"])


def _role(h: nx.MultiDiGraph, c: str) -> DecisionRole | None:
    edge = h.get_edge_data(f"Contact:{c}", "Opportunity:o-wms", "HAS_ROLE")
    return None if edge is None else DecisionRole(edge["role"])


def test_stance_level_roles_and_contacts_at_three_past_dates(store: GraphStore) -> None:
    _loaded(store)
    g = store.account_subgraph(ACCOUNT)
    assert len(g.graph["changes"]) == 5  # the events the store recorded, fetched back
    feb, apr, jun = (graph_as_of(g, at=end_of_day(d)) for d in (FEB, APR, JUN))
    assert [_stance(h, "wang") for h in (feb, apr, jun)] == [
        Stance.NEUTRAL,
        Stance.SUPPORTER,
        Stance.OPPONENT,
    ]
    assert [_level(h, "amy", "wang") for h in (feb, apr, jun)] == [1, 3, 3]
    assert [_level(h, "bob", "li") for h in (feb, apr, jun)] == [2, 2, None]
    assert [_role(h, "li") for h in (feb, apr, jun)] == [
        None,
        DecisionRole.TECHNICAL_EVALUATOR,
        DecisionRole.TECHNICAL_EVALUATOR,
    ]
    assert ["Contact:zhao" in h for h in (feb, apr, jun)] == [False, False, True]
    assert all("Interaction:i-late" not in h for h in (feb, apr, jun))


def test_the_analysis_as_of_a_past_date_is_the_account_as_it_was(store: GraphStore) -> None:
    scope = _loaded(store)
    by_day = {d: scope.analysis(ACCOUNT, d) for d in (FEB, APR, JUN)}
    # Feb: only Li is reached (Bob, level 2) and she holds no role yet → BASIC;
    # Apr: Amy at 3 with Wang, SUPPORTER, the key department's only KDM → STRONG;
    # Jun: Wang turned OPPONENT → INTERMEDIATE.
    assert [by_day[d].grade.grade.value for d in (FEB, APR, JUN)] == [
        "BASIC",
        "STRONG",
        "INTERMEDIATE",
    ]
    roles = {d: {r.role.value: r for r in a.coverage.roles} for d, a in by_day.items()}
    assert roles[FEB]["TECHNICAL_EVALUATOR"].status.value == "MISSING"
    assert roles[APR]["TECHNICAL_EVALUATOR"].status.value == "COVERED"
    assert roles[APR]["FINANCIAL_CONTROLLER"].status.value == "MISSING"  # Zhao not yet entered
    assert roles[JUN]["FINANCIAL_CONTROLLER"].holder_ids == ["zhao"]
    assert roles[JUN]["TECHNICAL_EVALUATOR"].status.value == "UNCOVERED"
    assert by_day[APR].balance.supporters == 1 and by_day[JUN].balance.opponents == 1
    assert "zhao" not in by_day[APR].effective_levels
    # a second scope reads the cached analyses: past days do not collide
    again = operator_scope(store)
    assert [again.analysis(ACCOUNT, d).grade.grade.value for d in (FEB, APR, JUN)] == [
        "BASIC",
        "STRONG",
        "INTERMEDIATE",
    ]
    assert paths_to(scope, ACCOUNT, "zhao", as_of=APR) == []
    # the exports and the report of a past date show the account as it was
    assert "Zhao Lei" not in account_graph(scope, ACCOUNT, as_of=APR)
    assert "Zhao Lei" in account_graph(scope, ACCOUNT, as_of=JUN)
    rows = {r.contact_id: r for r in account_report(scope, ACCOUNT, as_of=APR).contacts}
    assert rows["wang"].stance == Stance.SUPPORTER and "zhao" not in rows
    r = what_if(scope, ACCOUNT, [StanceBecomes(contact_id="li", stance=Stance.OPPONENT)], as_of=APR)
    assert (r.before.grade.grade.value, r.after.grade.grade.value) == ("STRONG", "INTERMEDIATE")


def test_todays_writes_are_undone_as_of_yesterday(store: GraphStore) -> None:
    scope = _loaded(store)
    today = datetime.now(UTC).date()
    yesterday = today - timedelta(days=1)
    set_stance(scope, "wang", Stance.CHAMPION)
    set_stance(scope, "wang", Stance.BLOCKER)
    set_relationship_level(scope, "bob", "wang", 4, last_contact_at=datetime.now(UTC))
    upsert_contact(
        scope,
        {"id": "sun", "name": "Sun Hao", "seniority": "MANAGER", "stance": "SUPPORTER"},
        department_id="d-it",
    )
    assign_role(scope, "sun", "o-wms", DecisionRole.USER)
    g = store.account_subgraph(ACCOUNT)
    assert len(g.graph["changes"]) == 5 + 4  # two stances, a level, a new role
    before, now = graph_as_of(g, at=end_of_day(yesterday)), graph_as_of(g, at=end_of_day(today))
    assert (_stance(before, "wang"), _stance(now, "wang")) == (Stance.OPPONENT, Stance.BLOCKER)
    assert (_level(before, "bob", "wang"), _level(now, "bob", "wang")) == (1, 4)
    assert ("Contact:sun" in before, "Contact:sun" in now) == (False, True)
    fresh = operator_scope(store)
    then, current = fresh.analysis(ACCOUNT, yesterday), fresh.analysis(ACCOUNT, today)
    users = {
        d: {r.role.value: r for r in a.coverage.roles}["USER"]
        for d, a in ((yesterday, then), (today, current))
    }
    assert users[yesterday].status.value == "MISSING" and users[today].holder_ids == ["sun"]
    # yesterday Bob's tie to Wang was level 1 (and Amy's had decayed since June 2025)
    assert then.effective_levels["wang"] == 1 and current.effective_levels["wang"] == 4
    assert then.balance.opponents == 1 and current.balance.opponents == 1
    assert then.balance.value != current.balance.value  # OPPONENT then, BLOCKER now
