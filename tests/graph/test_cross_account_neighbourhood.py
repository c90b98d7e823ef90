"""An account's subgraph holds its cross-account neighbourhood (§3 preamble, §3.2, §3.11).

Every test runs on the embedded store AND on Neo4j.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from stakegraph.graph.model import (
    Company,
    Contact,
    Department,
    Interaction,
    Relationship,
    Rep,
)
from stakegraph.graph.store import GraphBatch, GraphStore
from stakegraph.influence.levels import knows_levels
from stakegraph.influence.paths import best_paths

AS_OF = date(2026, 11, 20)


def rel(t: str, fl: str, f: str, tl: str, to: str, **props: object) -> Relationship:
    return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to, properties=props)


def account(cid: str, *contacts: str) -> tuple[list, list[Relationship]]:
    """A company with one department holding ``contacts``."""
    nodes: list = [Company(id=cid, name=cid), Department(id=f"{cid}-d", name="Dept")]
    rels = [rel("PART_OF", "Department", f"{cid}-d", "Company", cid)]
    for p in contacts:
        nodes.append(Contact(id=p, name=p))
        rels.append(rel("WORKS_IN", "Contact", p, "Department", f"{cid}-d"))
    return nodes, rels


def three_accounts() -> GraphBatch:
    """Rep r1 knows b1 of account B; b1 is an ally of c1 of account C, who influences
    the target a1 of account A: a 3-edge warm path that crosses two other accounts."""
    nodes, rels = [], []
    for cid, people in (("A", ("a1", "a2")), ("B", ("b1", "b2")), ("C", ("c1",))):
        n, r = account(cid, *people)
        nodes += n
        rels += r
    nodes.append(Rep(id="r1", name="Rep One"))
    rels += [
        rel("KNOWS", "Rep", "r1", "Contact", "b1", level=4),
        rel("ALLY_OF", "Contact", "b1", "Contact", "c1"),
        rel("INFLUENCES", "Contact", "c1", "Contact", "a1", strength=3),
        rel("REPORTS_TO", "Contact", "a2", "Contact", "a1"),
        rel("REPORTS_TO", "Contact", "b2", "Contact", "b1"),
    ]
    return GraphBatch(nodes=nodes, relationships=rels)


def test_a_warm_path_through_contacts_of_two_other_accounts_is_in_the_subgraph(
    store: GraphStore,
) -> None:
    store.write(three_accounts())
    g = store.account_subgraph("A")
    for key in ("Rep:r1", "Contact:b1", "Contact:c1", "Contact:a1"):
        assert key in g
    assert g.nodes["Contact:b1"]["foreign"] is True
    assert g.nodes["Contact:c1"]["foreign"] is True
    assert g.nodes["Contact:a1"]["foreign"] is False
    assert g.edges["Rep:r1", "Contact:b1", "KNOWS"]["level"] == 4
    assert g.has_edge("Contact:b1", "Contact:c1", "ALLY_OF")
    assert g.edges["Contact:c1", "Contact:a1", "INFLUENCES"]["strength"] == 3
    # b2 is three ties from a1 (4 edges with a KNOWS): within the default depth
    assert g.has_edge("Contact:b2", "Contact:b1", "REPORTS_TO")
    # no department or company of the other accounts comes along
    assert not any(k.startswith(("Department:B", "Department:C", "Company:B")) for k in g)

    (path,) = best_paths(g, ["a1"], as_of=AS_OF).values()
    assert path.node_keys == ["Rep:r1", "Contact:b1", "Contact:c1", "Contact:a1"]
    assert [s.type for s in path.steps] == ["KNOWS", "ALLY_OF", "INFLUENCES"]


def chain(length: int) -> GraphBatch:
    """Account A's contact a0, then contacts x1 … x<length> of other accounts, each an
    ally of the one before."""
    nodes, rels = account("A", "a0")
    prev = "a0"
    for i in range(1, length + 1):
        n, r = account(f"X{i}", f"x{i}")
        nodes += n
        rels += r
        rels.append(rel("ALLY_OF", "Contact", f"x{i}", "Contact", prev))
        prev = f"x{i}"
    return GraphBatch(nodes=nodes, relationships=rels)


@pytest.mark.parametrize("depth", [1, 3, 6])
def test_the_neighbourhood_reaches_depth_minus_one_ties(store: GraphStore, depth: int) -> None:
    store.write(chain(8))
    g = store.account_subgraph("A", path_depth=depth)
    reached = sorted(k for k in g if k.startswith("Contact:x"))
    assert reached == sorted(f"Contact:x{i}" for i in range(1, depth))
    ties = sorted((u, v) for u, v, k in g.edges(keys=True) if k == "ALLY_OF")
    people = ["Contact:a0", *reached]
    assert ties == sorted(zip(sorted(people)[1:], sorted(people)[:-1], strict=True))


def test_the_default_depth_is_six_edges(store: GraphStore) -> None:
    store.write(chain(8))
    g = store.account_subgraph("A")
    assert "Contact:x5" in g and "Contact:x6" not in g
    assert set(store.account_subgraphs(["A"])["A"]) == set(g)


def test_a_depth_outside_one_to_twelve_is_refused(store: GraphStore) -> None:
    store.write(chain(1))
    for bad in (0, 13, -1):
        with pytest.raises(ValueError, match="path_depth"):
            store.account_subgraphs(["A"], path_depth=bad)


def test_rivals_are_one_hop_of_the_accounts_own_contacts_only(store: GraphStore) -> None:
    batch = three_accounts()
    batch.relationships += [
        rel("RIVAL_OF", "Contact", "a2", "Contact", "c1"),  # a rival of A's own contact
        rel("RIVAL_OF", "Contact", "b1", "Contact", "b2"),  # rivals abroad: not followed
    ]
    n, r = account("D", "d1", "d2")
    batch.nodes += n
    batch.relationships += [*r, rel("RIVAL_OF", "Contact", "d1", "Contact", "a1")]
    batch.relationships.append(rel("ALLY_OF", "Contact", "d2", "Contact", "d1"))
    store.write(batch)
    g = store.account_subgraph("A")
    assert g.has_edge("Contact:a2", "Contact:c1", "RIVAL_OF")
    assert g.has_edge("Contact:b1", "Contact:b2", "RIVAL_OF")  # both are in anyway
    assert g.has_edge("Contact:d1", "Contact:a1", "RIVAL_OF")
    assert g.nodes["Contact:d1"]["foreign"] is True
    assert "Contact:d2" not in g  # an ally of a rival is no path (RIVAL_OF is no step)


def visits() -> GraphBatch:
    """r1 has known x1 (account B, an ally of A's a1) for years, last noted 2 years
    ago, and met x1 last month at a visit about B."""
    nodes, rels = account("A", "a1")
    n, r = account("B", "x1", "x2")
    nodes += [*n, Rep(id="r1", name="R1"), Rep(id="r2", name="R2")]
    rels += r
    old = datetime(2024, 11, 1, tzinfo=UTC)
    nodes += [
        Interaction(id="i-b", at=datetime(2026, 10, 20, 10, tzinfo=UTC), kind="VISIT"),
        Interaction(id="i-rep-only", at=datetime(2026, 10, 21, tzinfo=UTC), kind="CALL"),
        Interaction(id="i-other", at=datetime(2026, 10, 22, tzinfo=UTC), kind="MEETING"),
    ]
    rels += [
        rel("ALLY_OF", "Contact", "x1", "Contact", "a1"),
        rel("KNOWS", "Rep", "r1", "Contact", "x1", level=3, last_contact_at=old),
        rel("ABOUT", "Interaction", "i-b", "Company", "B"),
        rel("ATTENDED", "Rep", "r1", "Interaction", "i-b"),
        rel("ATTENDED", "Contact", "x1", "Interaction", "i-b"),
        rel("ATTENDED", "Rep", "r2", "Interaction", "i-b"),  # r2 knows nobody here
        rel("ATTENDED", "Contact", "x2", "Interaction", "i-b"),
        # r1 without x1, and x1 with a rep who does not know x1: no decay evidence
        rel("ATTENDED", "Rep", "r1", "Interaction", "i-rep-only"),
        rel("ATTENDED", "Contact", "x2", "Interaction", "i-rep-only"),
        rel("ATTENDED", "Contact", "x1", "Interaction", "i-other"),
        rel("ATTENDED", "Rep", "r2", "Interaction", "i-other"),
    ]
    return GraphBatch(nodes=nodes, relationships=rels)


def test_a_visit_at_another_account_with_a_shared_contact_is_in_the_subgraph(
    store: GraphStore,
) -> None:
    store.write(visits())
    g = store.account_subgraph("A")
    assert "Interaction:i-b" in g
    assert g.has_edge("Rep:r1", "Interaction:i-b", "ATTENDED")
    assert g.has_edge("Contact:x1", "Interaction:i-b", "ATTENDED")
    assert "Interaction:i-rep-only" not in g and "Interaction:i-other" not in g
    assert "Rep:r2" not in g and "Contact:x2" not in g
    # §3.2: the visit is the latest meeting, 31 days before: no decay (2 years would cost 2)
    assert knows_levels(g, as_of=AS_OF)[("r1", "x1")] == 3


def test_a_foreign_visit_of_the_accounts_own_contact_is_kept_as_before(
    store: GraphStore,
) -> None:
    store.write(visits())
    g = store.account_subgraph("B")
    # i-other is attended by B's own contact x1: it belongs to B's subgraph, with r2
    assert "Interaction:i-other" in g and "Rep:r2" in g
