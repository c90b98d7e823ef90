"""§3.4 influence score: PageRank, authority, rating, betweenness, hidden influencers."""

from __future__ import annotations

import networkx as nx
import pytest
from influence_builders import Account

from stakegraph.influence import AnalysisSettings, influence_graph, influence_scores

ALPHA = 0.85


def _by_id(g, settings=None):
    result = influence_scores(g) if settings is None else influence_scores(g, settings=settings)
    return {c.contact_id: c for c in result.contacts}


def test_influences_points_to_the_influencer_and_reports_to_to_the_boss_with_weight_two():
    acct = Account()
    for c in ("a", "b", "c"):
        acct.contact(c)
    acct.influences("a", "b", strength=3)  # b listens to a
    acct.reports_to("c", "a")  # c listens to a, weight 2
    d = influence_graph(acct.graph())
    assert sorted(d.edges(data="weight")) == [("b", "a", 3), ("c", "a", 2.0)]


def test_edges_between_the_same_ordered_pair_add_their_weights():
    acct = Account()
    acct.contact("a")
    acct.contact("b")
    acct.reports_to("a", "b")  # a→b weight 2
    acct.influences("b", "a", strength=1)  # a→b weight 1
    d = influence_graph(acct.graph())
    assert d["a"]["b"]["weight"] == 3


def test_pagerank_is_divided_by_its_maximum():
    # a sways b: edge b→a. Uniform personalisation (both MANAGER, unrated).
    # a = 37/57, b = 20/57 (see personalised_pagerank); pagerank_n(b) = 20/37.
    acct = Account()
    acct.contact("a")
    acct.contact("b")
    acct.influences("a", "b")
    got = _by_id(acct.graph())
    assert got["a"].pagerank == pytest.approx(37 / 57, abs=1e-9)
    assert got["b"].pagerank == pytest.approx(20 / 57, abs=1e-9)
    assert got["a"].pagerank_n == 1.0
    assert got["b"].pagerank_n == pytest.approx(20 / 37, abs=1e-9)
    # influence = 0.5·pagerank_n + 0.3·0.4 + 0.2·0.4
    assert got["a"].score == pytest.approx(0.5 + 0.12 + 0.08)
    assert got["b"].score == pytest.approx(0.5 * 20 / 37 + 0.2)


def test_pagerank_is_weighted():
    # c listens to a (weight 1) and b (weight 3); a and b are dangling.
    acct = Account()
    for c in ("a", "b", "c"):
        acct.contact(c)
    acct.influences("a", "c", strength=1)
    acct.influences("b", "c", strength=3)
    got = _by_id(acct.graph())
    x_c = (1 / 3) / (1 + ALPHA / 3)
    x_b = ((1 - x_c) + ALPHA * x_c * 0.5) / 2
    x_a = (1 - x_c) - x_b
    assert got["c"].pagerank == pytest.approx(x_c, abs=1e-9)
    assert got["b"].pagerank == pytest.approx(x_b, abs=1e-9)
    assert got["a"].pagerank == pytest.approx(x_a, abs=1e-9)
    assert got["a"].pagerank_n == pytest.approx(x_a / x_b, abs=1e-9)


def test_pagerank_is_personalised_by_the_rating_weight():
    acct = Account()
    acct.contact("high", rating="HIGH")
    acct.contact("low", rating="LOW")
    got = _by_id(acct.graph())
    assert got["low"].pagerank_n == pytest.approx(0.3, abs=1e-9)


def test_unset_rating_takes_the_authority_value():
    acct = Account()
    acct.contact("vp", seniority="VP")
    acct.contact("staff", seniority="STAFF", rating="MEDIUM")
    got = _by_id(acct.graph())
    assert got["vp"].rating == 0.8
    assert got["staff"].rating == 0.6
    assert got["staff"].authority == 0.2


def test_influence_is_half_pagerank_three_tenths_authority_one_fifth_rating():
    acct = Account()
    acct.contact("ceo", seniority="EXECUTIVE")
    got = _by_id(acct.graph())
    assert got["ceo"].score == pytest.approx(1.0)
    acct = Account()
    acct.contact("dir", seniority="DIRECTOR", rating="LOW")
    got = _by_id(acct.graph())
    assert got["dir"].score == pytest.approx(0.5 + 0.3 * 0.6 + 0.2 * 0.3)


def test_contact_without_seniority_counts_as_staff():
    acct = Account()
    acct.contact("x", seniority=None)
    got = _by_id(acct.graph())
    assert (got["x"].authority, got["x"].rating) == (0.2, 0.2)
    assert got["x"].score == pytest.approx(0.5 + 0.3 * 0.2 + 0.2 * 0.2)  # 0.6
    assert got["x"].hidden  # a STAFF contact with influence >= 0.5
    assert got["x"].seniority is None  # the record keeps what it holds


def test_hidden_influencer_is_manager_or_staff_with_influence_at_least_half():
    acct = Account()
    acct.contact("staff", seniority="STAFF", rating="LOW")  # 0.5 + 0.06 + 0.06 = 0.62
    got = _by_id(acct.graph())
    assert got["staff"].hidden
    at = AnalysisSettings(hidden_influencer_threshold=0.62)
    above = AnalysisSettings(hidden_influencer_threshold=0.6201)
    assert _by_id(acct.graph(), at)["staff"].hidden
    assert not _by_id(acct.graph(), above)["staff"].hidden


def test_senior_contacts_are_never_hidden_influencers():
    acct = Account()
    acct.contact("dir", seniority="DIRECTOR")
    acct.contact("ceo", seniority="EXECUTIVE")
    assert not any(c.hidden for c in influence_scores(acct.graph()).contacts)


def test_betweenness_is_normalised_on_the_undirected_unweighted_graph():
    acct = Account()
    for c in ("a", "b", "c"):
        acct.contact(c)
    acct.reports_to("a", "b")  # a→b
    acct.influences("c", "b", strength=3)  # b→c
    got = _by_id(acct.graph())
    assert got["b"].betweenness == 1.0
    assert got["a"].betweenness == 0.0


def test_left_and_foreign_contacts_take_no_part():
    acct = Account()
    acct.contact("a")
    acct.contact("gone", status="LEFT")
    acct.contact("ext", foreign=True)
    acct.influences("gone", "a")
    acct.influences("ext", "a")
    result = influence_scores(acct.graph())
    assert [c.contact_id for c in result.contacts] == ["a"]
    assert result.contacts[0].pagerank_n == 1.0


def test_contacts_are_listed_most_influential_first():
    acct = Account()
    acct.contact("b", seniority="STAFF")
    acct.contact("a", seniority="EXECUTIVE")
    acct.contact("c", seniority="STAFF")
    assert [c.contact_id for c in influence_scores(acct.graph()).contacts] == ["a", "b", "c"]


def _florentine() -> Account:
    """The Florentine families (Padgett), one account, a mutual INFLUENCES tie per marriage."""
    acct = Account()
    for family in sorted(nx.florentine_families_graph()):
        acct.contact(family)
    for a, b in nx.florentine_families_graph().edges:
        acct.influences(a, b)
        acct.influences(b, a)
    return acct


def test_medici_are_the_first_broker_of_the_florentine_families():
    result = influence_scores(_florentine().graph())
    medici = result.get("Medici")
    assert medici.betweenness == pytest.approx(0.521978, abs=1e-6)  # published: 0.522
    b = result.brokers
    assert b[0].contact_id == "Medici"
    # betweenness >= 0.2 (Padgett's network: Medici .522, Guadagni .255, Albizzi .212),
    # highest first, at most 5
    assert [(x.contact_id, round(x.betweenness, 3)) for x in b] == [
        ("Medici", 0.522),
        ("Guadagni", 0.255),
        ("Albizzi", 0.212),
    ]


def test_brokers_threshold_and_count_are_settings():
    g = _florentine().graph()
    few = influence_scores(g, settings=AnalysisSettings(max_brokers=1)).brokers
    assert [x.contact_id for x in few] == ["Medici"]
    low = influence_scores(g, settings=AnalysisSettings(broker_threshold=0.1)).brokers
    assert [x.contact_id for x in low] == ["Medici", "Guadagni", "Albizzi", "Salviati", "Ridolfi"]
    assert all(x.betweenness >= 0.1 for x in low)
