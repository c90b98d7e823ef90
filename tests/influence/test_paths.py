"""§3.11 paths to power: step probabilities, directions, k cheapest simple paths."""

from __future__ import annotations

import math
from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from influence_builders import AS_OF, Account, days_ago

from stakegraph.graph.errors import NotFound
from stakegraph.influence import AnalysisSettings, best_paths, paths_to_power
from stakegraph.influence.paths import hop_limited_paths, k_cheapest_paths


def _paths(acct: Account, target: str = "t", **kw):
    return paths_to_power(acct.graph(), target, as_of=AS_OF, **kw)


def _chain(path) -> list[str]:
    return [k.partition(":")[2] for k in path.node_keys]


def test_knows_step_has_p_effective_level_over_four():
    acct = Account()
    acct.contact("t")
    acct.knows("r1", "t", 3, last=days_ago(200))  # decays to 2
    (path,) = _paths(acct)
    assert path.probability == 0.5
    assert path.cost == pytest.approx(-math.log(0.5))
    assert [(s.type, s.probability) for s in path.steps] == [("KNOWS", 0.5)]


def test_level_zero_gives_no_step():
    acct = Account()
    acct.contact("t")
    acct.knows("r1", "t", 0)
    acct.knows("r2", "t", 1, last=days_ago(181))  # decays to 0
    assert _paths(acct) == []


def test_influences_step_runs_from_the_influencer_to_the_swayed_with_p_strength_over_three():
    acct = Account()
    acct.contact("a")
    acct.contact("t")
    acct.knows("r1", "a", 4)
    acct.influences("a", "t", strength=2)
    (path,) = _paths(acct)
    assert _chain(path) == ["r1", "a", "t"]
    assert path.probability == pytest.approx(2 / 3)
    reverse = Account()
    reverse.contact("a")
    reverse.contact("t")
    reverse.knows("r1", "a", 4)
    reverse.influences("t", "a", strength=3)
    assert _paths(reverse) == []


@pytest.mark.parametrize(("tie", "p"), [("reports_to", 0.5), ("ally", 0.6)])
def test_reports_to_and_ally_of_are_crossed_either_way(tie, p):
    for a, b in (("a", "t"), ("t", "a")):
        acct = Account()
        acct.contact("a")
        acct.contact("t")
        acct.knows("r1", "a", 4)
        getattr(acct, tie)(a, b)
        (path,) = _paths(acct)
        assert path.probability == pytest.approx(p)


def test_paths_cross_contacts_of_other_accounts():
    acct = Account()
    acct.contact("t")
    acct.contact("ext", foreign=True)
    acct.knows("r1", "ext", 4)
    acct.ally("ext", "t")
    (path,) = _paths(acct)
    assert _chain(path) == ["r1", "ext", "t"]


def test_left_contacts_are_not_crossed_nor_targets():
    acct = Account()
    acct.contact("t")
    acct.contact("gone", status="LEFT")
    acct.knows("r1", "gone", 4)
    acct.ally("gone", "t")
    assert _paths(acct) == []
    assert _paths(acct, "gone") == []


def test_the_most_probable_of_parallel_ties_is_the_step():
    acct = Account()
    acct.contact("a")
    acct.contact("t")
    acct.knows("r1", "a", 4)
    acct.reports_to("a", "t")  # 0.5
    acct.ally("a", "t")  # 0.6
    acct.influences("a", "t", strength=1)  # 1/3
    (path,) = _paths(acct)
    assert path.steps[-1].type == "ALLY_OF"


def test_k_cheapest_simple_paths_sorted_by_cost():
    acct = Account()
    for c in ("a", "b", "t"):
        acct.contact(c)
    acct.knows("r1", "t", 1)  # r1 > t: 0.25
    acct.knows("r1", "a", 4)
    acct.knows("r2", "b", 3)
    acct.ally("a", "t")  # r1 > a > t: 0.6
    acct.influences("b", "t", strength=2)  # r2 > b > t: 0.75 · 2/3 = 0.5
    acct.reports_to("a", "b")  # r1 > a > b > t: 1/3; r2 > b > a > t: 0.225
    expected = [
        (["r1", "a", "t"], 0.6),
        (["r2", "b", "t"], 0.5),
        (["r1", "a", "b", "t"], 0.333333),
        (["r1", "t"], 0.25),
        (["r2", "b", "a", "t"], 0.225),
    ]
    paths = _paths(acct)
    assert [(_chain(p), round(p.probability, 6)) for p in paths] == expected[:3]
    every = _paths(acct, k=10)
    assert [(_chain(p), round(p.probability, 6)) for p in every] == expected
    assert [p.cost for p in every] == sorted(p.cost for p in every)
    assert all(p.cost == pytest.approx(-math.log(p.probability)) for p in every)
    assert len(_paths(acct, settings=AnalysisSettings(path_k=1))) == 1


def test_best_paths_gives_the_cheapest_path_per_contact():
    acct = Account()
    for c in ("a", "t", "u"):
        acct.contact(c)
    acct.knows("r1", "a", 4)
    acct.knows("r1", "t", 1)
    acct.ally("a", "t")
    best = best_paths(acct.graph(), ["t", "u", "a"], as_of=AS_OF)
    assert set(best) == {"t", "a"}
    assert best["t"].probability == pytest.approx(0.6)


def test_unknown_target_is_not_found():
    with pytest.raises(NotFound):
        _paths(Account(), "nobody")


def _foreign(acct: Account, contact: str, company: str) -> None:
    """A contact of another account: its own company and department, not ours."""
    if f"Company:{company}" not in acct.nodes:
        acct.company(company)
        acct.dept(f"d-{company}", company=company)
    acct.contact(contact, None, foreign=True)
    acct.rel("WORKS_IN", "Contact", contact, "Department", f"d-{company}")


def test_a_path_crosses_contacts_of_two_other_accounts():
    acct = Account()
    acct.contact("t", seniority="EXECUTIVE")
    _foreign(acct, "f-beta", "beta")
    _foreign(acct, "f-gamma", "gamma")
    acct.knows("r1", "f-beta", 3)  # p = 3/4
    acct.ally("f-beta", "f-gamma")  # p = 0.6, across two other accounts
    acct.influences("f-gamma", "t", strength=2)  # p = 2/3
    (path,) = _paths(acct)
    assert _chain(path) == ["r1", "f-beta", "f-gamma", "t"]
    assert [s.type for s in path.steps] == ["KNOWS", "ALLY_OF", "INFLUENCES"]
    assert path.probability == pytest.approx(0.75 * 0.6 * 2 / 3)  # 0.3
    assert path.cost == pytest.approx(-math.log(0.3))


def _line(acct: Account, length: int, prefix: str) -> list[str]:
    """A rep knowing the first of ``length`` contacts in a line of allies (p = 1, 0.6, …)."""
    names = [f"{prefix}{i}" for i in range(length)]
    for n in names:
        acct.contact(n)
    acct.knows(f"r-{prefix}", names[0], 4)
    for a, b in pairwise(names):
        acct.ally(a, b)
    return names


def test_paths_have_at_most_six_edges_in_all():
    acct = Account()
    near = _line(acct, 6, "n")  # r > n0 … n5: 6 edges
    far = _line(acct, 7, "f")  # r > f0 … f6: 7 edges
    g = acct.graph()
    (path,) = paths_to_power(g, near[-1], as_of=AS_OF)
    assert len(path.steps) == 6
    assert path.probability == pytest.approx(0.6**5)
    assert paths_to_power(g, far[-1], as_of=AS_OF) == []
    assert set(best_paths(g, [near[-1], far[-1]], as_of=AS_OF)) == {near[-1]}
    seven = AnalysisSettings(max_path_edges=7)
    assert len(paths_to_power(g, far[-1], as_of=AS_OF, settings=seven)) == 1
    assert set(best_paths(g, [far[-1]], as_of=AS_OF, settings=seven)) == {far[-1]}


def test_the_edge_limit_prefers_a_costlier_short_path_to_a_cheaper_long_one():
    acct = Account()
    names = [f"c{i}" for i in range(7)]
    for n in names:
        acct.contact(n)
    acct.knows("r1", "c0", 4)
    for a, b in pairwise(names):
        acct.influences(a, b, strength=3)  # p = 1: r1 > c0 … c6 costs nothing, 7 edges
    acct.knows("r2", "c5", 1)  # r2 > c5 > c6: 0.25 · 1, 2 edges
    g = acct.graph()
    (best,) = paths_to_power(g, "c6", as_of=AS_OF, k=1)
    assert _chain(best) == ["r2", "c5", "c6"]
    assert best_paths(g, ["c6"], as_of=AS_OF)["c6"].probability == pytest.approx(0.25)
    unlimited = AnalysisSettings(max_path_edges=20)
    (free,) = paths_to_power(g, "c6", as_of=AS_OF, k=1, settings=unlimited)
    assert free.probability == 1.0 and len(free.steps) == 7


def test_decay_is_saved_by_a_visit_logged_at_another_account():
    acct = Account()
    acct.contact("t")
    acct.knows("r1", "t", 3, last=days_ago(400))  # alone: 3 − 2 = 1, p = 1/4
    acct.company("beta")
    acct.interaction("i-beta", days_ago(10), reps=("r1",), contacts=("t",))
    acct.rels[-1] = acct.rels[-1].model_copy(update={"to_id": "beta"})  # ABOUT beta
    g = acct.graph()
    assert g.has_edge("Interaction:i-beta", "Company:beta", "ABOUT")
    (path,) = paths_to_power(g, "t", as_of=AS_OF)
    assert path.probability == 0.75


@st.composite
def step_graphs(draw) -> nx.DiGraph:
    n = draw(st.integers(2, 8))
    d = nx.DiGraph()
    d.add_nodes_from(range(n))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    for u, v in draw(st.lists(pairs, max_size=4 * n)):
        if u != v:
            p = draw(st.sampled_from([1.0, 0.75, 0.6, 0.5, 1 / 3, 0.25]))
            d.add_edge(u, v, cost=0.0 - math.log(p))
    return d


@settings(max_examples=200, deadline=None)
@given(step_graphs(), st.integers(1, 5), st.integers(1, 4))
def test_k_cheapest_paths_are_the_cheapest_simple_paths_within_the_edge_limit(d, k, hops):
    target = max(d)
    every = [tuple(p) for p in nx.all_simple_paths(d, 0, target, cutoff=hops)]
    cost = {p: sum(d[u][v]["cost"] for u, v in pairwise(p)) for p in every}
    want = sorted(cost.values())[:k]
    got = k_cheapest_paths(d, 0, target, k=k, max_hops=hops)
    assert len(set(got)) == len(got) == len(want)
    assert all(p in cost for p in got)  # simple, within the limit
    assert [cost[p] for p in got] == pytest.approx(want)
    best = hop_limited_paths(d, 0, hops).get(target)
    assert (best is None) == (not every)
    if best is not None:
        assert best[0] == pytest.approx(want[0])
