"""Influence score, brokers and hidden influencers (政治版图; §3.4).

Readings of §3.4 taken here:

* A contact with no seniority counts as STAFF (``settings.unset_seniority``) wherever the
  rule reads seniority: authority 0.2, the rating fallback, and the hidden-influencer
  test; the result keeps the recorded (missing) seniority, and the analysis lists the
  contact as a data gap (§3.14).
* PageRank and betweenness run on rustworkx (compiled) over the same NetworkX "listens
  to" graph; their results are NetworkX's (``networkx.pagerank`` and
  ``networkx.betweenness_centrality``, checked by a property test), rustworkx being only
  the engine. Betweenness runs on one thread: rustworkx's threads add the sources'
  shares in a varying order, so the last digits (and a tie between brokers) would
  change from one process to the next.
* **Brokers** are the contacts whose betweenness is at least 0.2
  (``broker_threshold``), highest betweenness first (ties by influence, then id), at
  most 5 (``max_brokers``).
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import rustworkx as rx

from stakegraph.graph.model import InfluenceRating, Label, RelType, Seniority, node_key
from stakegraph.influence._num import at_least
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.memo import BETWEENNESS_MEMO
from stakegraph.influence.models import Broker, ContactInfluence, InfluenceResult
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = [
    "authority",
    "betweenness",
    "brokers",
    "influence_graph",
    "influence_scores",
    "personalised_pagerank",
    "rating",
]


def _seniority(seniority: Seniority | str | None, settings: AnalysisSettings) -> Seniority:
    return settings.unset_seniority if seniority is None else Seniority(seniority)


def authority(
    seniority: Seniority | str | None, *, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> float:
    """Authority of a seniority: EXECUTIVE 1.0, VP 0.8, DIRECTOR 0.6, MANAGER 0.4, STAFF 0.2.

    A contact without seniority counts as STAFF (``settings.unset_seniority``).

    Examples
    --------
    >>> authority("VP"), authority(None)
    (0.8, 0.2)

    References
    ----------
    §3.4
    """
    return settings.authority_weights[_seniority(seniority, settings)]


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
    §3.4
    """
    if influence_rating is None:
        return authority(seniority, settings=settings)
    return settings.rating_weights[InfluenceRating(influence_rating)]


def influence_graph(
    g: nx.MultiDiGraph,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    index: AccountIndex | None = None,
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
    index : AccountIndex, optional
        A precomputed :func:`~stakegraph.influence.index.account_index`.

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
    §3.4
    """
    ix = index if index is not None else account_index(g, settings=settings, company_id=company_id)
    contacts = ix.contacts
    members = ix.active
    nodes = g.nodes
    weights: dict[tuple[str, str], float] = {}
    for c in contacts:
        for _, v, key, strength in g.out_edges(
            node_key(Label.CONTACT, c), keys=True, data="strength", default=1
        ):
            if key == RelType.INFLUENCES:
                weight = strength
            elif key == RelType.REPORTS_TO:
                weight = settings.reports_to_weight
            else:
                continue
            attrs = nodes[v]
            other = attrs.get("id")
            if attrs["label"] != Label.CONTACT or other not in members or other == c:
                continue
            pair = (other, c) if key == RelType.INFLUENCES else (c, other)
            weights[pair] = weights.get(pair, 0) + weight
    d = nx.DiGraph()
    d.add_nodes_from(contacts)
    d.add_weighted_edges_from((u, w, weight) for (u, w), weight in weights.items())
    return d


def personalised_pagerank(
    d: nx.DiGraph,
    personalization: Mapping[str, float],
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> dict[str, float]:
    """Weighted, personalised PageRank with NetworkX's semantics, run on rustworkx.

    Rank flows along edges in proportion to their ``weight``; dangling nodes and the
    teleport step both follow the personalization vector, as in ``networkx.pagerank``
    (which needs SciPy, which stakegraph does not depend on). When every
    personalization value is 0 the vector is uniform.

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
    §3.4; networkx ``pagerank``; rustworkx ``pagerank``.
    """
    nodes = list(d)
    if not nodes:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    r = rx.PyDiGraph(multigraph=False)
    r.add_nodes_from(nodes)
    r.add_edges_from(
        [(index[u], index[v], float(a.get("weight", 1.0))) for u, v, a in d.edges(data=True)]
    )
    weights = {index[v]: max(0.0, float(personalization.get(v, 0.0))) for v in nodes}
    try:
        ranks = rx.pagerank(
            r,
            alpha=settings.pagerank_alpha,
            weight_fn=float,
            personalization=weights if any(weights.values()) else None,
            tol=settings.pagerank_tol,
            max_iter=settings.pagerank_max_iter,
        )
    except rx.FailedToConverge as exc:
        raise nx.PowerIterationFailedConvergence(settings.pagerank_max_iter) from exc
    return {v: ranks[index[v]] for v in nodes}


#: rustworkx runs betweenness on one thread below this many nodes: always (see above).
_ONE_THREAD = 2**62


def betweenness(d: nx.DiGraph | nx.Graph) -> dict[str, float]:
    """Normalised betweenness centrality of the undirected, unweighted version of ``d``.

    NetworkX's ``betweenness_centrality(nx.Graph(d), normalized=True)``, run on rustworkx
    on one thread (the same digits on every run); the values of a large graph are kept
    by its shape (:data:`~stakegraph.influence.memo.BETWEENNESS_MEMO`).

    Examples
    --------
    >>> b = betweenness(nx.DiGraph([("a", "b"), ("c", "b")]))
    >>> b["b"], b["a"]
    (1.0, 0.0)

    References
    ----------
    §3.4; networkx ``betweenness_centrality``; rustworkx ``graph_betweenness_centrality``.
    """
    nodes = tuple(d)
    index = {v: i for i, v in enumerate(nodes)}
    ties = tuple((index[u], index[v]) for u, v in d.edges() if u != v)

    def compute() -> list[float]:
        r = rx.PyGraph(multigraph=False)
        r.add_nodes_from(nodes)
        r.add_edges_from_no_data(list(ties))
        found = rx.graph_betweenness_centrality(r, normalized=True, parallel_threshold=_ONE_THREAD)
        return [float(found[i]) for i in range(len(nodes))]

    # a large account after a write that changed no tie: the same shape, the same digits
    values = BETWEENNESS_MEMO.get((nodes, ties), compute)
    return dict(zip(nodes, values, strict=True))


def brokers(
    contacts: list[ContactInfluence], *, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> list[Broker]:
    """Contacts with betweenness >= 0.2, highest first, at most 5.

    Ties are broken by influence, then by id.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> [(b.contact_id, round(b.betweenness, 3)) for b in influence_scores(tiny_account()).brokers]
    [('c-cio', 0.833), ('c-ceo', 0.5)]

    References
    ----------
    §3.4
    """
    found = [c for c in contacts if at_least(c.betweenness, settings.broker_threshold)]
    found.sort(key=lambda c: (-c.betweenness, -c.score, c.contact_id))
    return [
        Broker(contact_id=c.contact_id, name=c.name, betweenness=c.betweenness, score=c.score)
        for c in found[: settings.max_brokers]
    ]


def influence_scores(
    g: nx.MultiDiGraph,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    index: AccountIndex | None = None,
) -> InfluenceResult:
    """Influence (0–1) of every active contact of the account, with brokers and hidden ones.

    ``influence = 0.5·pagerank_n + 0.3·authority + 0.2·rating`` where ``pagerank_n`` is
    the PageRank on :func:`influence_graph` (alpha 0.85, weighted, personalised by the
    rating weight) divided by its maximum. ``betweenness`` is the normalised betweenness
    centrality on the undirected, unweighted version of that graph. A contact is a
    **hidden influencer** when its influence is >= 0.5 while its seniority is MANAGER
    or STAFF (no seniority counts as STAFF). **Brokers** (:func:`brokers`) are those
    with betweenness >= 0.2, highest first, at most 5.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph. Only the account's ``ACTIVE`` contacts take part.
    settings : AnalysisSettings
    company_id : str, optional
    index : AccountIndex, optional
        A precomputed :func:`~stakegraph.influence.index.account_index`.

    Returns
    -------
    InfluenceResult
        Contacts most influential first (ties by id), and the brokers.

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
    §3.4
    """
    d = influence_graph(g, settings=settings, company_id=company_id, index=index)
    attrs = {c: g.nodes[node_key(Label.CONTACT, c)] for c in d}
    auth = {c: authority(a.get("seniority"), settings=settings) for c, a in attrs.items()}
    rate = {
        c: rating(a.get("influence_rating"), a.get("seniority"), settings=settings)
        for c, a in attrs.items()
    }
    pr = personalised_pagerank(d, rate, settings=settings)
    top = max(pr.values(), default=0.0)
    between = betweenness(d)
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
                    _seniority(seniority, settings) in hidden_seniorities
                    and at_least(score, settings.hidden_influencer_threshold)
                ),
            )
        )
    out.sort(key=lambda ci: (-ci.score, ci.contact_id))
    return InfluenceResult(contacts=out, brokers=brokers(out, settings=settings))
