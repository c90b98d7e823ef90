"""On the demo dataset every analytic gives identical results from both stores."""

from __future__ import annotations

from datetime import date

import networkx as nx

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.influence import analyze_account, branch_whitespace
from stakegraph.seeds import DEMO_TODAY, load_demo
from stakegraph.service.portfolio import rep_grade
from stakegraph.service.reports import portfolio_report
from tests.conftest import operator_scope

AS_OF: date = DEMO_TODAY


def _load(*stores: GraphStore) -> list[str]:
    demo = load_demo()
    for s in stores:
        import_dataset(s, demo)
    return [c["id"] for c in demo["companies"]]


def test_every_account_analysis_is_identical_on_both_stores(
    embedded_store: GraphStore, neo4j_store: GraphStore
) -> None:
    ids = _load(embedded_store, neo4j_store)
    ga, gb = embedded_store.account_subgraphs(ids), neo4j_store.account_subgraphs(ids)
    for cid in ids:
        assert analyze_account(ga[cid], as_of=AS_OF) == analyze_account(gb[cid], as_of=AS_OF), cid
    # the demo is not trivially empty: the manufacturer has a graded, covered chain
    orient = analyze_account(ga["co-orient"], as_of=AS_OF)
    assert orient.grade.grade != "NONE"
    assert orient.health.status == "RED"


def test_whitespace_portfolio_and_rep_grades_are_identical_on_both_stores(
    embedded_store: GraphStore, neo4j_store: GraphStore
) -> None:
    ids = _load(embedded_store, neo4j_store)
    group = ["co-hx-hq", "co-hx-sh", "co-hx-sz", "co-hx-cd"]
    wa = branch_whitespace(
        nx.compose_all(list(embedded_store.account_subgraphs(group).values())), as_of=AS_OF
    )
    wb = branch_whitespace(
        nx.compose_all(list(neo4j_store.account_subgraphs(group).values())), as_of=AS_OF
    )
    assert wa == wb
    assert wa.items, "the demo has branch whitespace"
    pa = portfolio_report(operator_scope(embedded_store), as_of=AS_OF)
    pb = portfolio_report(operator_scope(neo4j_store), as_of=AS_OF)
    assert pa == pb and {r.company_id for r in pa.rows} == set(ids)
    reps = [r["id"] for r in load_demo()["reps"]]
    for rep in reps:
        assert rep_grade(operator_scope(embedded_store), rep, AS_OF) == rep_grade(
            operator_scope(neo4j_store), rep, AS_OF
        ), rep
