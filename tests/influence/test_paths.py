"""§3.11 paths to power: step probabilities, directions, k cheapest simple paths."""

from __future__ import annotations

import math

import pytest
from influence_builders import AS_OF, Account, days_ago

from stakegraph.graph.errors import NotFound
from stakegraph.influence import AnalysisSettings, best_paths, paths_to_power


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
