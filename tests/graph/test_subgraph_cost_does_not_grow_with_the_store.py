"""Fetching an account's subgraph touches only what is near it: the work of the one
query does not grow when the rest of the store grows around the same rep, team and
competitor (they KNOWS, ATTENDED, COVERS and COMPETES_FOR across the portfolio).

Work is counted, not timed: SQLite virtual-machine steps (a progress handler) for the
embedded store, database hits of the profiled query for Neo4j.
"""

from __future__ import annotations

from datetime import UTC, datetime

from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.model import (
    Company,
    Competitor,
    Contact,
    Department,
    Interaction,
    Opportunity,
    Relationship,
    Rep,
    Team,
)
from stakegraph.graph.neo4j_store import Neo4jStore
from stakegraph.graph.store import GraphBatch, GraphStore


def rel(t: str, fl: str, f: str, tl: str, to: str, **props: object) -> Relationship:
    return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to, properties=props)


def accounts(first: int, last: int) -> GraphBatch:
    """Accounts a<first> … a<last - 1>, all worked by rep r1 of team t1, all contested
    by competitor k1: each with a department, 3 contacts r1 knows, an opportunity and
    2 visits r1 attended."""
    nodes: list = []
    rels: list[Relationship] = []
    if first == 0:
        nodes += [Rep(id="r1", name="R1"), Team(id="t1", name="T1", kind="KEY_ACCOUNT")]
        nodes += [Competitor(id="k1", name="K1")]
        rels.append(rel("MEMBER_OF", "Rep", "r1", "Team", "t1"))
    for a in range(first, last):
        c, d, o = f"a{a}", f"a{a}-d", f"a{a}-o"
        nodes += [Company(id=c, name=c), Department(id=d, name=d), Opportunity(id=o, name=o)]
        rels += [
            rel("PART_OF", "Department", d, "Company", c),
            rel("FOR", "Opportunity", o, "Company", c),
            rel("COMPETES_FOR", "Competitor", "k1", "Opportunity", o),
            rel("COVERS", "Rep", "r1", "Company", c),
            rel("COVERS", "Team", "t1", "Company", c, kind="SUPPORT"),
        ]
        for i in range(3):
            p = f"{c}-p{i}"
            nodes.append(Contact(id=p, name=p))
            rels += [
                rel("WORKS_IN", "Contact", p, "Department", d),
                rel("KNOWS", "Rep", "r1", "Contact", p, level=2),
            ]
        for i in range(2):
            iid = f"{c}-i{i}"
            nodes.append(Interaction(id=iid, at=datetime(2026, 1, 1 + i, tzinfo=UTC), kind="VISIT"))
            rels += [
                rel("ABOUT", "Interaction", iid, "Opportunity", o),
                rel("ATTENDED", "Rep", "r1", "Interaction", iid),
                rel("ATTENDED", "Contact", f"{c}-p{i}", "Interaction", iid),
            ]
    return GraphBatch(nodes=nodes, relationships=rels)


def work(store: GraphStore, company_id: str) -> int:
    """How much the store does to fetch one subgraph (deterministic, not a time)."""
    if isinstance(store, EmbeddedStore):
        steps = 0

        def tick() -> int:
            nonlocal steps
            steps += 1
            return 0

        store._conn.set_progress_handler(tick, 10)
        try:
            store.account_subgraph(company_id)
        finally:
            store._conn.set_progress_handler(None, 0)
        return steps
    from stakegraph.graph import neo4j_reads
    from stakegraph.graph.selection import DEFAULT_PATH_DEPTH

    assert isinstance(store, Neo4jStore)
    query = neo4j_reads.account_subgraphs_query(DEFAULT_PATH_DEPTH - 1)
    with store._driver.session(database=store.database) as session:
        summary = session.run("PROFILE " + query, ids=[company_id]).consume()
    return _db_hits(summary.profile)


def _db_hits(plan: dict) -> int:
    return int(plan.get("dbHits", 0)) + sum(_db_hits(c) for c in plan.get("children", []))


def test_fetching_a_subgraph_costs_the_same_in_a_store_forty_times_larger(
    store: GraphStore,
) -> None:
    store.write(accounts(0, 5))
    small = work(store, "a0")
    g = store.account_subgraph("a0")
    store.write(accounts(5, 200))
    large = work(store, "a0")
    print(f"{store.backend}: work {small} in the small store, {large} in the large one")
    assert set(store.account_subgraph("a0")) == set(g)
    assert len(g) == 11 and "Competitor:k1" in g and "Rep:r1" in g
    # a little for deeper indexes; fetching the rep's, team's and competitor's other
    # edges would cost about forty times more
    assert large < small * 1.5, (small, large)
