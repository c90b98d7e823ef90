"""§3.4's betweenness of a large graph is kept by the graph's shape: the same contacts in
the same order with the same ties get the same digits back without computing them again;
any other shape is computed afresh; small graphs and a zero bound keep nothing."""

from __future__ import annotations

import random
from collections.abc import Iterator

import networkx as nx
import pytest

from stakegraph.influence.memo import BETWEENNESS_MEMO, BetweennessMemo
from stakegraph.influence.score import betweenness


def org(n: int, extra: int, seed: int) -> nx.DiGraph:
    """A reporting tree of ``n`` people with ``extra`` influence ties across it."""
    rng = random.Random(seed)
    d = nx.DiGraph()
    d.add_node("p0")
    for i in range(1, n):
        d.add_edge(f"p{i}", f"p{rng.randrange(max(0, i - 20), i)}")
    while d.number_of_edges() < n - 1 + extra:
        a, b = rng.sample(range(n), 2)
        d.add_edge(f"p{a}", f"p{b}")
    return d


def weight(d: nx.DiGraph) -> int:
    """What a graph takes of the memo's bound: its contacts plus its ties."""
    return d.number_of_nodes() + d.number_of_edges()


def networkx_betweenness(d: nx.DiGraph) -> dict[str, float]:
    return nx.betweenness_centrality(nx.Graph(d.to_undirected()), normalized=True)


@pytest.fixture
def memo() -> Iterator[BetweennessMemo]:
    bounds = BETWEENNESS_MEMO.size, BETWEENNESS_MEMO.min_nodes
    BETWEENNESS_MEMO.clear()
    BETWEENNESS_MEMO.resize(250_000, 200)
    yield BETWEENNESS_MEMO
    BETWEENNESS_MEMO.clear()
    BETWEENNESS_MEMO.resize(*bounds)


def test_the_same_shape_again_gets_the_same_digits_from_the_memo(memo: BetweennessMemo) -> None:
    d = org(300, 150, 1)
    first = betweenness(d)
    hits = memo.hits
    again = betweenness(d.copy())  # another graph object, the same contacts and ties
    assert memo.hits == hits + 1
    assert again == first  # the very digits
    want = networkx_betweenness(d)
    assert all(again[v] == pytest.approx(want[v], abs=1e-9) for v in d)


def test_what_the_caller_does_to_an_answer_does_not_reach_the_memo(memo: BetweennessMemo) -> None:
    d = org(300, 150, 2)
    betweenness(d)["p1"] = 99.0
    assert betweenness(d)["p1"] != 99.0


def test_a_new_tie_is_another_shape_computed_afresh(memo: BetweennessMemo) -> None:
    d = org(300, 150, 3)
    before = betweenness(d)
    hits = memo.hits
    changed = d.copy()
    far = next(v for v in d if not d.has_edge("p0", v) and not d.has_edge(v, "p0") and v != "p0")
    changed.add_edge("p0", far)
    after = betweenness(changed)
    assert memo.hits == hits
    want = networkx_betweenness(changed)
    assert all(after[v] == pytest.approx(want[v], abs=1e-9) for v in changed)
    assert after != before


def test_the_order_of_the_contacts_is_part_of_the_shape(memo: BetweennessMemo) -> None:
    d = org(300, 150, 4)
    first = betweenness(d)
    hits = memo.hits
    reordered = nx.DiGraph()
    reordered.add_nodes_from(reversed(list(d)))
    reordered.add_edges_from(d.edges())
    again = betweenness(reordered)
    assert memo.hits == hits  # computed: its own digits, in its own order
    assert all(again[v] == pytest.approx(first[v], abs=1e-12) for v in d)


def test_small_graphs_and_a_zero_bound_keep_nothing(memo: BetweennessMemo) -> None:
    hits = memo.hits
    small = org(199, 50, 5)
    betweenness(small)
    betweenness(small)
    assert memo.hits == hits
    memo.resize(0, 200)
    large = org(300, 150, 6)
    betweenness(large)
    betweenness(large)
    assert memo.hits == hits


def test_past_its_bound_the_least_recently_used_shape_goes_first(memo: BetweennessMemo) -> None:
    a, b = org(300, 150, 7), org(300, 150, 8)
    memo.resize(weight(a) + weight(b) - 1, 200)  # room for one of them
    betweenness(a)
    betweenness(b)  # a goes
    hits = memo.hits
    betweenness(b)
    assert memo.hits == hits + 1
    betweenness(a)
    assert memo.hits == hits + 1  # a was computed again (and b went)


def test_contacts_without_ties_count_against_the_bound(memo: BetweennessMemo) -> None:
    a, b = nx.DiGraph(), nx.DiGraph()
    a.add_nodes_from(f"a{i}" for i in range(300))
    b.add_nodes_from(f"b{i}" for i in range(300))
    memo.resize(500, 200)  # 300 contacts each: room for one
    betweenness(a)
    betweenness(b)
    hits = memo.hits
    betweenness(a)
    assert memo.hits == hits  # a had gone
