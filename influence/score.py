"""Influence score, brokers and hidden influencers (政治版图; domain.md §3.4)."""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from stakegraph.graph.model import InfluenceRating, Label, RelType, Seniority, node_key
from stakegraph.influence._num import at_least
from stakegraph.influence.chain import account_contacts
from stakegraph.influence.models import ContactInfluence, InfluenceResult
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["authority", "influence_graph", "influence_scores", "personalised_pagerank", "rating"]


def authority(
    seniority: Seniority | str | None, *, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> float:
    """Authority of a seniority: EXECUTIVE 1.0, VP 0.8, DIRECTOR 0.6, MANAGER 0.4, STAFF 0.2.

    A contact without seniority gets ``settings.authority_unset`` (0.0).

    Examples
    --------
    >>> authority("VP"), authority(None)
    (0.8, 0.0)

    References
    ----------
    domain.md §3.4
    """
    if seniority is None:
        return settings.authority_unset
    return settings.authority_weights[Seniority(seniority)]


def rating(
    influence_rating: InfluenceRating | str | None,
    seniority: Seniority | str | None,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> float:
    """Rating weight: HIGH 1.0, MEDIUM 0.6, LOW 0.3; unset → the authority value.

    Examples
    --------
    >>> rating("LOW", "EXECUTIVE"), rating(None, "MANAGER")
    (0.3, 0.4)

    References
    ----------
    domain.md §3.4
    """
    if influence_rating is None:
        return authority(seniority, settings=settings)
    return settings.rating_weights[InfluenceRating(influence_rating)]


def influence_graph(
    g: nx.MultiDiGraph,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
) -> nx.DiGraph:
    """The "listens to" graph over the account's active contacts.

    ``(a)-[:INFLUENCES {strength s}]->(b)`` gives an edge b→a of weight s;
    ``(a)-[:REPORTS_TO]->(b)`` an edge a→b of weight 2. Edges between the same ordered
    pair add their weights into one. Self-loops are dropped.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    settings : AnalysisSettings
        ``reports_to_weight`` (2).
    company_id : str, optional

    Returns
    -------
    networkx.DiGraph
        Nodes are contact ids; edge attribute ``weight``.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> d = influence_graph(tiny_account())
    >>> d["c-cio"]["c-eng"]["weight"], d["c-cio"]["c-ceo"]["weight"]
    (3, 2.0)

    References
    ----------
    domain.md §3.4
    """
    contacts = account_contacts(g, company_id)
    members = set(contacts)
    d = nx.DiGraph()
    d.add_nodes_from(contacts)
    for c in contacts:
        for _, v, key, attrs in g.out_edges(node_key(Label.CONTACT, c), keys=True, data=True):
            other = g.nodes[v].get("id")
            if g.nodes[v]["label"] != Label.CONTACT or other not in members or other == c:
                continue
            if key == RelType.INFLUENCES:
                u, w, weight = other, c, attrs.get("strength", 1)
            elif key == RelType.REPORTS_TO:
                u, w, weight = c, other, settings.reports_to_weight
            else:
                continue
            if d.has_edge(u, w):
                d[u][w]["weight"] += weight
            else:
                d.add_edge(u, w, weight=weight)
    return d


def personalised_pagerank(
    d: nx.DiGraph,
    personalization: Mapping[str, float],
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> dict[str, float]:
    """Weighted, personalised PageRank by power iteration (NetworkX's semantics).

    Rank flows along edges in proportion to their ``weight``; dangling nodes and the
    teleport step both follow the personalization vector. It is computed here, in pure
    Python, because ``networkx.pagerank`` needs SciPy, which stakegraph does not depend on.
    When every personalization value is 0 the vector is uniform.

    Parameters
    ----------
    d : networkx.DiGraph
    personalization : mapping
        Non-negative weight per node (missing → 0).
    settings : AnalysisSettings
        ``pagerank_alpha`` (0.85), ``pagerank_tol``, ``pagerank_max_iter``.

    Returns
    -------
    dict
        ``{node: rank}``, summing to 1 (empty for an empty graph).

    Raises
    ------
    networkx.PowerIterationFailedConvergence

    Examples
    --------
    >>> d = nx.DiGraph([("b", "a")])
    >>> pr = personalised_pagerank(d, {"a": 1, "b": 1})
    >>> round(pr["a"], 6), round(pr["b"], 6)  # 37/57 and 20/57
    (0.649123, 0.350877)

    References
    ----------
    domain.md §3.4; networkx ``pagerank_alg._pagerank_python``.
    """
    nodes = list(d)
    n = len(nodes)
    if n == 0:
        return {}
    total = sum(max(0.0, float(personalization.get(v, 0.0))) for v in nodes)
    if total > 0:
        p = {v: max(0.0, float(personalization.get(v, 0.0))) / total for v in nodes}
    else:
        p = dict.fromkeys(nodes, 1.0 / n)
    out_weight = {v: sum(a.get("weight", 1.0) for a in d[v].values()) for v in nodes}
    dangling = [v for v in nodes if out_weight[v] == 0]
    alpha = settings.pagerank_alpha
    x = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(settings.pagerank_max_iter):
        last = x
        x = dict.fromkeys(nodes, 0.0)
        dangle = alpha * sum(last[v] for v in dangling)
        for v in nodes:
            if out_weight[v] > 0:
                for w, attrs in d[v].items():
                    x[w] += alpha * last[v] * attrs.get("weight", 1.0) / out_weight[v]
        for v in nodes:
            x[v] += dangle * p[v] + (1.0 - alpha) * p[v]
        if sum(abs(x[v] - last[v]) for v in nodes) < n * settings.pagerank_tol:
            return x
    raise nx.PowerIterationFailedConvergence(settings.pagerank_max_iter)


def influence_scores(
    g: nx.MultiDiGraph,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
) -> InfluenceResult:
    """Influence (0–1) of every active contact of the account, with brokers and hidden ones.

    ``influence = 0.5·pagerank_n + 0.3·authority + 0.2·rating`` where ``pagerank_n`` is
    the PageRank on :func:`influence_graph` (alpha 0.85, weighted, personalised by the
    rating weight) divided by its maximum. ``betweenness`` is the normalised betweenness
    centrality on the undirected, unweighted version of that graph. A contact is a
    **hidden influencer** when its influence is >= 0.5 while its seniority is MANAGER
    or STAFF.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph. Only the account's ``ACTIVE`` contacts take part.
    settings : AnalysisSettings
    company_id : str, optional

    Returns
    -------
    InfluenceResult
        Contacts most influential first (ties by id).

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> result = influence_scores(tiny_account())
    >>> [(c.contact_id, round(c.score, 3)) for c in result.contacts[:2]]
    [('c-ceo', 1.0), ('c-cio', 0.7)]
    >>> [c.contact_id for c in result.hidden_influencers]
    ['c-eng']

    References
    ----------
    domain.md §3.4
    """
    d = influence_graph(g, settings=settings, company_id=company_id)
    attrs = {c: g.nodes[node_key(Label.CONTACT, c)] for c in d}
    auth = {c: authority(a.get("seniority"), settings=settings) for c, a in attrs.items()}
    rate = {
        c: rating(a.get("influence_rating"), a.get("seniority"), settings=settings)
        for c, a in attrs.items()
    }
    pr = personalised_pagerank(d, rate, settings=settings)
    top = max(pr.values(), default=0.0)
    between = nx.betweenness_centrality(nx.Graph(d.to_undirected()), normalized=True)
    hidden_seniorities = set(settings.hidden_influencer_seniorities)
    out = []
    for c in d:
        pr_n = pr[c] / top if top > 0 else 0.0
        score = (
            settings.influence_pagerank_weight * pr_n
            + settings.influence_authority_weight * auth[c]
            + settings.influence_rating_weight * rate[c]
        )
        seniority = attrs[c].get("seniority")
        out.append(
            ContactInfluence(
                contact_id=c,
                name=attrs[c].get("name", c),
                seniority=seniority,
                score=score,
                pagerank=pr[c],
                pagerank_n=pr_n,
                authority=auth[c],
                rating=rate[c],
                betweenness=between.get(c, 0.0),
                hidden=(
                    seniority is not None
                    and Seniority(seniority) in hidden_seniorities
                    and at_least(score, settings.hidden_influencer_threshold)
                ),
            )
        )
    out.sort(key=lambda ci: (-ci.score, ci.contact_id))
    return InfluenceResult(contacts=out)
