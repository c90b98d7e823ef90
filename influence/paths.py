"""Paths to power (找到关键人; §3.11).

Every tie is a step with a probability ``p`` that it carries us on, and a cost
``−ln p``; the cheapest path is the most probable one. Steps:

* ``KNOWS`` rep → contact, p = decayed level / 4 (§3.2; level 0 gives no step);
* ``INFLUENCES`` a → b (the influencer a sways b), p = strength / 3;
* ``REPORTS_TO`` either way, p = 0.5; ``ALLY_OF`` either way, p = 0.6.

Readings of §3.11 taken here:

* A path may cross contacts of any number of other accounts (``foreign=True`` in the
  subgraph, however far from the account the store reached), through any tie among
  them; contacts who are not ``ACTIVE`` are never crossed. Where several ties join the
  same ordered pair the most probable one is the step.
* "Up to 6 edges in all" counts every step, the rep's ``KNOWS`` included
  (``max_path_edges``); the k cheapest simple paths are the cheapest among paths of at
  most that many edges (Yen's algorithm over hop-limited cheapest paths), and the best
  path to a contact (:func:`best_paths`) is the cheapest of at most that many edges.
  Paths of equal cost are told apart by fewer edges first.
* A ``KNOWS`` step decays like §3.2: from the later of ``last_contact_at`` and the last
  interaction the rep and the contact both attended, whichever account it is about.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from itertools import pairwise
from typing import Any

import networkx as nx

from stakegraph.graph.errors import NotFound
from stakegraph.graph.model import ContactStatus, Label, RelType, node_key
from stakegraph.influence.history import state_as_of
from stakegraph.influence.levels import knows_levels
from stakegraph.influence.models import Path, PathStep
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = [
    "SOURCE",
    "best_path_probabilities",
    "best_paths",
    "hop_limited_paths",
    "k_cheapest_paths",
    "paths_to_power",
    "power_graph",
]

#: The virtual source joined to every rep (cost 0).
SOURCE = "__reps__"

#: The ties a path may take between contacts.
_TIES = frozenset({RelType.INFLUENCES, RelType.REPORTS_TO, RelType.ALLY_OF})


#: One step of the path graph: its probability and the tie type it comes from.
Step = tuple[float, str]


def _add_step(steps: dict[tuple[str, str], Step], u: str, v: str, p: float, type_: str) -> None:
    """Keep the most probable step from ``u`` to ``v`` (the first of equal ones)."""
    p = min(1.0, p)
    if p <= 0:
        return
    held = steps.get((u, v))
    if held is None or held[0] < p:
        steps[u, v] = (p, type_)


def _active_contact(g: nx.MultiDiGraph, key: str) -> bool:
    attrs = g.nodes[key]
    return bool(
        attrs.get("label") == Label.CONTACT
        and attrs.get("status", ContactStatus.ACTIVE) == ContactStatus.ACTIVE
    )


def power_graph(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    knows: Mapping[tuple[str, str], int] | None = None,
) -> nx.DiGraph:
    """The derived step graph: virtual :data:`SOURCE` → every rep → contacts.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph, foreign contacts included.
    as_of : datetime.date
        For the decay of KNOWS levels (§3.2).
    settings : AnalysisSettings
        ``path_ally_probability`` (0.6), ``path_reports_to_probability`` (0.5),
        ``path_max_strength`` (3), ``max_level`` (4).
    knows : mapping, optional
        Precomputed :func:`~stakegraph.influence.levels.knows_levels` of ``g`` as of
        ``as_of``.

    Returns
    -------
    networkx.DiGraph
        Nodes are node keys plus :data:`SOURCE`; edges carry ``probability``, ``cost``
        (−ln p) and ``type``.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> d = power_graph(tiny_account(), as_of=AS_OF)
    >>> d["Rep:r-amy"]["Contact:c-ceo"]["probability"]
    0.75
    >>> d["Contact:c-eng"]["Contact:c-cio"]["type"], "Contact:c-old" in d
    ('INFLUENCES', False)

    References
    ----------
    §3.11
    """
    nodes = [SOURCE]
    active: set[str] = set()
    steps: dict[tuple[str, str], Step] = {}
    for key in sorted(g.nodes):
        label = g.nodes[key].get("label")
        if label == Label.REP:
            nodes.append(key)
            steps[SOURCE, key] = (1.0, "START")
        elif _active_contact(g, key):
            nodes.append(key)
            active.add(key)
    if knows is None:
        knows = knows_levels(g, as_of=as_of, settings=settings)
    for (rep, contact), level in sorted(knows.items()):
        c_key = node_key(Label.CONTACT, contact)
        if level > 0 and c_key in active:
            _add_step(steps, node_key(Label.REP, rep), c_key, level / settings.max_level, "KNOWS")
    ties = sorted(
        (u, v, k, strength)
        for u, v, k, strength in g.edges(keys=True, data="strength", default=1)
        if k in _TIES and u != v and u in active and v in active
    )
    for u, v, key, strength in ties:
        if key == RelType.INFLUENCES:
            _add_step(steps, u, v, strength / settings.path_max_strength, str(key))
        else:
            p = (
                settings.path_reports_to_probability
                if key == RelType.REPORTS_TO
                else settings.path_ally_probability
            )
            _add_step(steps, u, v, p, str(key))
            _add_step(steps, v, u, p, str(key))
    d = nx.DiGraph()
    d.add_nodes_from(nodes)
    d.add_edges_from(
        (u, v, {"probability": p, "cost": 0.0 - math.log(p), "type": type_})
        for (u, v), (p, type_) in steps.items()
    )
    return d


def _to_path(d: nx.DiGraph, nodes: list[str] | tuple[str, ...]) -> Path:
    """A :class:`Path` from ``[SOURCE, rep, …, target]``."""
    hops = list(pairwise(nodes[1:]))
    steps = [
        PathStep(from_key=u, to_key=v, type=d[u][v]["type"], probability=d[u][v]["probability"])
        for u, v in hops
    ]
    probability = math.prod(s.probability for s in steps)
    cost = sum(d[u][v]["cost"] for u, v in hops)
    return Path(
        rep_id=nodes[1].partition(":")[2],
        target_id=nodes[-1].partition(":")[2],
        probability=probability,
        cost=cost,
        steps=steps,
    )


def paths_to_power(
    g: nx.MultiDiGraph,
    contact_id: str,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    k: int | None = None,
    power: nx.DiGraph | None = None,
) -> list[Path]:
    """The k cheapest simple paths of at most 6 edges from any of our reps to a contact.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    contact_id : str
        The target contact.
    as_of : datetime.date
    settings : AnalysisSettings
        ``path_k`` (3) when ``k`` is not given.
    k : int, optional
    power : networkx.DiGraph, optional
        A precomputed :func:`power_graph` of ``g``.

    Returns
    -------
    list of Path
        Cheapest (most probable) first; empty when no rep reaches the contact, the
        contact is not ``ACTIVE`` or did not exist yet on ``as_of`` (§3.17).

    Raises
    ------
    stakegraph.graph.errors.NotFound
        When the contact is not in the subgraph.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> for p in paths_to_power(tiny_account(), "c-cfo", as_of=AS_OF, k=2):
    ...     print(round(p.probability, 4), " > ".join(p.node_keys))
    0.6 Rep:r-bob > Contact:c-partner > Contact:c-cfo
    0.375 Rep:r-amy > Contact:c-ceo > Contact:c-cfo

    References
    ----------
    §3.11
    """
    target = node_key(Label.CONTACT, contact_id)
    if target not in g:
        raise NotFound(str(Label.CONTACT), contact_id)
    if power is None:
        g = state_as_of(g, as_of, settings=settings)  # the account as it was (§3.17)
        if target not in g:
            return []  # not known yet on that day
    d = power if power is not None else power_graph(g, as_of=as_of, settings=settings)
    if target not in d:
        return []
    k = settings.path_k if k is None else k
    found = k_cheapest_paths(d, SOURCE, target, k=k, max_hops=settings.max_path_edges + 1)
    return [_to_path(d, nodes) for nodes in found]


_SLACK = 1e-12  # costs equal up to rounding count as equal (fewer edges win)

Route = tuple[float, tuple[str, ...]]


def hop_limited_paths(
    d: nx.DiGraph,
    source: str,
    max_hops: int,
    *,
    banned_nodes: frozenset[str] | set[str] = frozenset(),
    banned_edges: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
) -> dict[str, Route]:
    """The cheapest simple path of at most ``max_hops`` edges from ``source`` to every node.

    Bellman–Ford by rounds: round h relaxes the edges of the nodes improved in round
    h − 1, so after round h every node holds its cheapest path of at most h edges (with
    costs >= 0 such a path is simple). Of paths equal in cost (up to rounding), the one
    with fewer edges is kept.

    Parameters
    ----------
    d : networkx.DiGraph
        Edges carry ``cost`` (>= 0).
    source : str
    max_hops : int
    banned_nodes, banned_edges : sets, optional
        Nodes and edges the paths must avoid (for Yen's spur paths).

    Returns
    -------
    dict
        ``{node: (cost, nodes from source to it)}`` for the nodes reached.

    Examples
    --------
    >>> d = nx.DiGraph()
    >>> d.add_edge("s", "a", cost=0.0); d.add_edge("a", "b", cost=0.0)
    >>> d.add_edge("b", "t", cost=0.0); d.add_edge("s", "t", cost=1.0)
    >>> hop_limited_paths(d, "s", 3)["t"], hop_limited_paths(d, "s", 2)["t"]
    ((0.0, ('s', 'a', 'b', 't')), (1.0, ('s', 't')))

    References
    ----------
    §3.11
    """
    return _hop_limited(
        _adjacency(d), source, max_hops, banned_nodes=banned_nodes, banned_edges=banned_edges
    )


#: ``{node: [(successor, cost), …]}``, successors in the order of the graph's adjacency.
Adjacency = dict[str, list[tuple[str, float]]]


def _adjacency(d: nx.DiGraph) -> Adjacency:
    """The step costs of ``d`` as plain lists, in the order of ``d``'s adjacency: the
    searches below read them many times over, and a plain list is read far faster than
    a graph (or a view of one)."""
    adj: Adjacency = {u: [] for u in d}
    for u, v, cost in d.edges(data="cost"):
        adj[u].append((v, cost))
    return adj


def _steps(d: nx.DiGraph) -> tuple[Adjacency, dict[str, list[str]]]:
    """``d``'s :data:`Adjacency` and predecessor lists, made once per path graph and kept
    on it (``d.graph["steps"]``): the paths to many targets read them."""
    found: tuple[Adjacency, dict[str, list[str]]] | None = d.graph.get("steps")
    if found is None:
        found = _adjacency(d), {v: list(nbrs) for v, nbrs in d.pred.items()}
        d.graph["steps"] = found
    return found


def _hop_limited(
    adj: Adjacency,
    source: str,
    max_hops: int,
    *,
    banned_nodes: frozenset[str] | set[str] = frozenset(),
    banned_edges: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
    to_target: Mapping[str, int] | None = None,
) -> dict[str, Route]:
    """:func:`hop_limited_paths` on an :data:`Adjacency`.

    With ``to_target`` (the hop counts of :func:`_hops` from one target backwards), a
    step is taken only to a node that still reaches the target within the hops left:
    the target's route is the same (no state skipped lies on a route to it within the
    limit), the other nodes' routes are not all there.
    """
    best: dict[str, Route] = {source: (0.0, (source,))}
    frontier = [source]
    reach = to_target.get if to_target is not None else None
    for hop in range(max_hops):
        if not frontier:
            break
        left = max_hops - hop - 1  # the hops left once this round's step is taken
        snapshot = [(u, best[u]) for u in frontier]
        improved: dict[str, None] = {}
        for u, (cost_u, path_u) in snapshot:
            for v, step in adj[u]:
                if reach is not None:
                    hops_to_target = reach(v)
                    if hops_to_target is None or hops_to_target > left:
                        continue
                if v in banned_nodes or (u, v) in banned_edges or v in path_u:
                    continue
                cost = cost_u + step
                held = best.get(v)
                if held is None or cost < held[0] - _SLACK:
                    best[v] = (cost, (*path_u, v))
                    improved[v] = None
        frontier = list(improved)
    return best


def _hops(start: str, neighbours: Any, max_hops: int) -> dict[str, int]:
    """Breadth-first hop counts from ``start`` (at most ``max_hops``)."""
    seen, queue = {start: 0}, deque([start])
    while queue:
        u = queue.popleft()
        if seen[u] == max_hops:
            continue
        for v in neighbours[u]:
            if v not in seen:
                seen[v] = seen[u] + 1
                queue.append(v)
    return seen


def _routes_from(d: nx.DiGraph, source: str, max_hops: int) -> dict[str, Route]:
    """:func:`hop_limited_paths` from ``source``, kept on ``d`` (``d.graph["routes"]``):
    the coverage of the account and of each opportunity, and the first path to each of
    many targets, share one search per path graph."""
    cache: dict[tuple[str, int], dict[str, Route]] = d.graph.setdefault("routes", {})
    found = cache.get((source, max_hops))
    if found is None:
        found = cache[(source, max_hops)] = _hop_limited(_steps(d)[0], source, max_hops)
    return found


def k_cheapest_paths(
    d: nx.DiGraph, source: str, target: str, *, k: int, max_hops: int
) -> list[tuple[str, ...]]:
    """The k cheapest simple paths of at most ``max_hops`` edges (Yen's algorithm).

    Cheapest first; of equal cost, fewer edges first, then by their nodes.

    Examples
    --------
    >>> d = nx.DiGraph()
    >>> for u, v, c in [("s", "a", 1.0), ("a", "t", 1.0), ("s", "t", 3.0), ("s", "b", 0.5),
    ...                 ("b", "c", 0.5), ("c", "t", 0.5)]:
    ...     d.add_edge(u, v, cost=c)
    >>> k_cheapest_paths(d, "s", "t", k=3, max_hops=3)
    [('s', 'b', 'c', 't'), ('s', 'a', 't'), ('s', 't')]
    >>> k_cheapest_paths(d, "s", "t", k=3, max_hops=2)
    [('s', 'a', 't'), ('s', 't')]

    References
    ----------
    §3.11; J. Y. Yen, "Finding the k shortest loopless paths in a network" (1971).
    """
    if k <= 0 or source not in d or target not in d:
        return []
    first = _routes_from(d, source, max_hops).get(target)
    if first is None:
        return []
    adj, pred = _steps(d)
    # the spur searches step only where the target is still within reach
    to_target = _hops(target, pred, max_hops)
    succ = d.succ

    def cost_of(path: tuple[str, ...]) -> float:
        return float(sum(succ[u][v]["cost"] for u, v in pairwise(path)))

    found: list[Route] = [first]
    candidates: list[tuple[float, int, tuple[str, ...]]] = []
    seen = {first[1]}
    while len(found) < k:
        last = found[-1][1]
        for j in range(len(last) - 1):
            root = last[: j + 1]
            banned_edges = {(p[j], p[j + 1]) for _, p in found if p[: j + 1] == root}
            spur = _hop_limited(
                adj,
                last[j],
                max_hops - j,
                banned_nodes=set(root[:-1]),
                banned_edges=banned_edges,
                to_target=to_target,
            ).get(target)
            if spur is None:
                continue
            path = root[:-1] + spur[1]
            if path not in seen:
                seen.add(path)
                heapq.heappush(candidates, (cost_of(path), len(path), path))
        if not candidates:
            break
        cost, _, path = heapq.heappop(candidates)
        found.append((cost, path))
    ordered = sorted(found, key=lambda r: (round(r[0] / _SLACK) * _SLACK, len(r[1]), r[1]))
    return [path for _, path in ordered]


def best_paths(
    g: nx.MultiDiGraph,
    contact_ids: Iterable[str],
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    power: nx.DiGraph | None = None,
) -> dict[str, Path]:
    """The cheapest path of at most 6 edges to each of several contacts (one search).

    Parameters
    ----------
    g : networkx.MultiDiGraph
    contact_ids : iterable of str
    as_of : datetime.date
    settings : AnalysisSettings
    power : networkx.DiGraph, optional
        A precomputed :func:`power_graph` of ``g``.

    Returns
    -------
    dict
        ``{contact id: Path}`` for the contacts some rep reaches.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> best = best_paths(tiny_account(), ["c-cfo", "c-ops"], as_of=AS_OF)
    >>> round(best["c-cfo"].probability, 4), round(best["c-ops"].probability, 4)
    (0.6, 0.1875)

    References
    ----------
    §3.11
    """
    d = power if power is not None else power_graph(g, as_of=as_of, settings=settings)
    return {c: _to_path(d, list(nodes)) for c, nodes in _best_routes(d, contact_ids, settings)}


def best_path_probabilities(
    g: nx.MultiDiGraph,
    contact_ids: Iterable[str],
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    power: nx.DiGraph | None = None,
) -> dict[str, float]:
    """The probability of :func:`best_paths`' path to each contact, without the paths.

    The same number as ``best_paths(...)[c].probability`` (the product of the steps'
    probabilities, in path order), for ranking many candidates of which only a few get
    their path spelled out.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> p = best_path_probabilities(tiny_account(), ["c-cfo", "c-ops"], as_of=AS_OF)
    >>> round(p["c-cfo"], 4), round(p["c-ops"], 4)
    (0.6, 0.1875)

    References
    ----------
    §3.11
    """
    d = power if power is not None else power_graph(g, as_of=as_of, settings=settings)
    succ = d.succ
    return {
        c: math.prod(succ[u][v]["probability"] for u, v in pairwise(nodes[1:]))
        for c, nodes in _best_routes(d, contact_ids, settings)
    }


def _best_routes(
    d: nx.DiGraph, contact_ids: Iterable[str], settings: AnalysisSettings
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """``(contact id, nodes from SOURCE)`` of the cheapest route of at most
    ``max_path_edges`` steps to each contact some rep reaches."""
    hops = settings.max_path_edges + 1
    # The search from the reps is kept on the derived path graph it was run on, so the
    # coverage of the account and of each opportunity share one search per analysis.
    found = _routes_from(d, SOURCE, hops)
    for c in contact_ids:
        route = found.get(node_key(Label.CONTACT, c))
        if route is not None and len(route[1]) > 2:
            yield c, route[1]
