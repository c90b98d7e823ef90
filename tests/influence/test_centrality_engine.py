"""§3.4 on rustworkx: PageRank and betweenness equal NetworkX's on random graphs."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from stakegraph.influence import DEFAULT_SETTINGS
from stakegraph.influence.score import betweenness, personalised_pagerank

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def weighted_digraphs(draw) -> tuple[nx.DiGraph, dict[str, float]]:
    n = draw(st.integers(1, 25))
    nodes = [f"n{i}" for i in range(n)]
    d = nx.DiGraph()
    d.add_nodes_from(nodes)
    pairs = st.tuples(st.sampled_from(nodes), st.sampled_from(nodes))
    for u, v in draw(st.lists(pairs, max_size=3 * n)):
        if u != v:
            d.add_edge(u, v, weight=draw(st.sampled_from([1, 2, 3, 4.0, 5.0])))
    ratings = st.sampled_from([0.0, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0])
    personalization = {v: draw(ratings) for v in nodes}
    return d, personalization


@PROPERTY
@given(weighted_digraphs())
def test_pagerank_on_rustworkx_equals_networkx(case):
    d, personalization = case
    got = personalised_pagerank(d, personalization)
    s = DEFAULT_SETTINGS
    want = _pagerank_python(
        d,
        alpha=s.pagerank_alpha,
        personalization=personalization if any(personalization.values()) else None,
        tol=s.pagerank_tol,
        max_iter=s.pagerank_max_iter,
        weight="weight",
    )
    assert set(got) == set(want)
    for v in d:
        assert got[v] == pytest.approx(want[v], abs=1e-6)


@PROPERTY
@given(weighted_digraphs())
def test_betweenness_on_rustworkx_equals_networkx(case):
    d, _ = case
    got = betweenness(d)
    want = nx.betweenness_centrality(nx.Graph(d.to_undirected()), normalized=True)
    assert set(got) == set(want)
    for v in d:
        assert got[v] == pytest.approx(want[v], abs=1e-9)
