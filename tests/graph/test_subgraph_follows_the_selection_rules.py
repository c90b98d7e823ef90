"""Both stores' one-query subgraphs are exactly what the selection rules walk gives.

:func:`stakegraph.graph.selection.select_account` is the executable statement of the
rules; on random multi-account graphs (nested departments, contacts without a
department, ties of every kind across accounts, reps and competitors across the
portfolio) each store must return its nodes, its foreign contacts, every relationship
among them and its contacts' change events.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from stakegraph.graph.model import (
    Company,
    Competitor,
    Contact,
    Department,
    Interaction,
    Label,
    Opportunity,
    Relationship,
    RelType,
    Rep,
    Team,
    node_key,
)
from stakegraph.graph.selection import MAX_PATH_DEPTH, select_account
from stakegraph.graph.store import GraphBatch, GraphStore


def rel(t: str, fl: str, f: str, tl: str, to: str, **props: object) -> Relationship:
    return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to, properties=props)


def random_portfolio(seed: int, accounts: int = 5) -> GraphBatch:
    rng = random.Random(seed)
    nodes: list = []
    rels: dict[tuple[str, ...], Relationship] = {}

    def add(r: Relationship) -> None:
        if r.from_key != r.to_key:
            rels.setdefault(r.key, r)

    contacts: list[str] = []
    opps: list[str] = []
    companies = [f"co{a}" for a in range(accounts)]
    for a, cid in enumerate(companies):
        nodes.append(Company(id=cid, name=cid))
        depts = [f"{cid}-d{i}" for i in range(rng.randint(1, 3))]
        for i, d in enumerate(depts):
            nodes.append(Department(id=d, name=d))
            parent = ("Company", cid) if i == 0 else ("Department", rng.choice(depts[:i]))
            add(rel("PART_OF", "Department", d, parent[0], parent[1]))
        for i in range(rng.randint(2, 6)):
            p = f"{cid}-p{i}"
            nodes.append(Contact(id=p, name=p))
            contacts.append(p)
            add(rel("WORKS_IN", "Contact", p, "Department", rng.choice(depts)))
        for i in range(rng.randint(0, 2)):
            o = f"{cid}-o{i}"
            nodes.append(Opportunity(id=o, name=o))
            opps.append(o)
            add(rel("FOR", "Opportunity", o, "Company", cid))
        if a and rng.random() < 0.3:
            add(rel("BRANCH_OF", "Company", cid, "Company", companies[0]))
    for i in range(3):  # contacts of no account
        p = f"loose{i}"
        nodes.append(Contact(id=p, name=p))
        contacts.append(p)
    for _ in range(len(contacts) * 2):
        t = rng.choice(["INFLUENCES", "REPORTS_TO", "ALLY_OF", "RIVAL_OF"])
        a, b = rng.sample(contacts, 2)
        add(rel(t, "Contact", a, "Contact", b))
    reps = [f"r{i}" for i in range(4)]
    teams = ["t0", "t1"]
    nodes += [Rep(id=r, name=r) for r in reps] + [
        Team(id=t, name=t, kind="KEY_ACCOUNT") for t in teams
    ]
    for r in reps:
        add(rel("MEMBER_OF", "Rep", r, "Team", rng.choice(teams)))
        add(rel("COVERS", "Rep", r, "Company", rng.choice(companies), kind="OWNER"))
        for p in rng.sample(contacts, 5):
            add(rel("KNOWS", "Rep", r, "Contact", p, level=rng.randint(0, 4)))
    add(rel("COVERS", "Team", "t1", "Company", companies[1], kind="SUPPORT"))
    comps = ["k0", "k1"]
    nodes += [Competitor(id=k, name=k) for k in comps]
    for o in opps:
        add(rel("COMPETES_FOR", "Competitor", rng.choice(comps), "Opportunity", o))
    for p in rng.sample(contacts, 4):
        add(rel("FAVORS", "Contact", p, "Competitor", rng.choice(comps)))
    at = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(20):
        iid = f"i{i}"
        nodes.append(Interaction(id=iid, at=at + timedelta(days=i), kind="VISIT"))
        target = rng.choice([*companies, *opps, None])
        if target is not None:
            label = "Company" if target in companies else "Opportunity"
            add(rel("ABOUT", "Interaction", iid, label, target))
        for p in rng.sample(contacts, rng.randint(0, 2)):
            add(rel("ATTENDED", "Contact", p, "Interaction", iid))
        for r in rng.sample(reps, rng.randint(0, 2)):
            add(rel("ATTENDED", "Rep", r, "Interaction", iid))
    return GraphBatch(nodes=nodes, relationships=list(rels.values()))


def neighbours_of(rels: Sequence[Relationship]):  # type: ignore[no-untyped-def]
    by_end: dict[tuple[str, str, str, str], list[Relationship]] = defaultdict(list)
    for r in rels:
        by_end[("out", str(r.from_label), r.from_id, str(r.type))].append(r)
        by_end[("in", str(r.to_label), r.to_id, str(r.type))].append(r)

    def neighbours(
        keys: set[tuple[str, str]], types: Sequence[RelType], direction: str
    ) -> list[Relationship]:
        return [
            r
            for label, node_id in keys
            for t in types
            for r in by_end.get((direction, label, node_id, str(t)), [])
        ]

    return neighbours


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_subgraph_is_the_one_the_rules_select(store: GraphStore, seed: int) -> None:
    batch = random_portfolio(seed)
    store.write(batch)
    neighbours = neighbours_of(batch.relationships)
    companies = [n.id for n in batch.nodes if n.label == Label.COMPANY]
    for depth in (1, 2, 6, MAX_PATH_DEPTH):
        graphs = store.account_subgraphs([*companies, "nobody"], path_depth=depth)
        assert set(graphs) == set(companies)
        for cid in companies:
            sel = select_account(cid, neighbours, path_depth=depth)
            g = graphs[cid]
            assert set(g.nodes) == {node_key(lab, nid) for lab, nid in sel.keys}, (cid, depth)
            foreign = {g.nodes[k]["id"] for k, a in g.nodes(data=True) if a.get("foreign")}
            assert foreign == sel.foreign_contact_ids
            wanted = {
                (r.from_key, r.to_key, str(r.type))
                for r in batch.relationships
                if r.from_key in g and r.to_key in g
            }
            assert set(g.edges(keys=True)) == wanted
            changes = store.changes_since(datetime.min, contact_ids=sorted(sel.contact_ids))
            assert [e.identity for e in g.graph["changes"]] == [
                e.identity
                for e in sorted(changes, key=lambda e: (e.at, e.entity, e.entity_id, e.field))
            ]
