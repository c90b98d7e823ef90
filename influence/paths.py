"""Paths to power (找到关键人; domain.md §3.11).

Every tie is a step with a probability ``p`` that it carries us on, and a cost
``−ln p``; the cheapest path is the most probable one. Steps:

* ``KNOWS`` rep → contact, p = decayed level / 4 (§3.2; level 0 gives no step);
* ``INFLUENCES`` a → b (the influencer a sways b), p = strength / 3;
* ``REPORTS_TO`` either way, p = 0.5; ``ALLY_OF`` either way, p = 0.6.

Contacts of other accounts tied to the account's contacts (``foreign=True``) are
crossed like any other; contacts who are not ``ACTIVE`` are not. Where several ties
join the same ordered pair the most probable one is the step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from itertools import islice, pairwise

import networkx as nx

from stakegraph.graph.errors import NotFound
from stakegraph.graph.model import ContactStatus, Label, RelType, node_key
from stakegraph.influence.levels import knows_levels
from stakegraph.influence.models import Path, PathStep
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["SOURCE", "best_paths", "paths_to_power", "power_graph"]

#: The virtual source joined to every rep (cost 0).
SOURCE = "__reps__"


def _add_step(d: nx.DiGraph, u: str, v: str, p: float, type_: str) -> None:
    p = min(1.0, p)
    if p <= 0:
        return
    if d.has_edge(u, v) and d[u][v]["probability"] >= p:
        return
    d.add_edge(u, v, probability=p, cost=0.0 - math.log(p), type=type_)


def _active_contact(g: nx.MultiDiGraph, key: str) -> bool:
    attrs = g.nodes[key]
    return bool(
        attrs.get("label") == Label.CONTACT
        and attrs.get("status", ContactStatus.ACTIVE) == ContactStatus.ACTIVE
    )


def power_graph(
    g: nx.MultiDiGraph, *, as_of: date, settings: AnalysisSettings = DEFAULT_SETTINGS
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
    domain.md §3.11
    """
    d = nx.DiGraph()
    d.add_node(SOURCE)
    for key in sorted(g.nodes):
        label = g.nodes[key].get("label")
        if label == Label.REP:
            d.add_edge(SOURCE, key, probability=1.0, cost=0.0, type="START")
        elif _active_contact(g, key):
            d.add_node(key)
    for (rep, contact), level in sorted(knows_levels(g, as_of=as_of, settings=settings).items()):
        c_key = node_key(Label.CONTACT, contact)
        if level > 0 and c_key in d:
            _add_step(d, node_key(Label.REP, rep), c_key, level / settings.max_level, "KNOWS")
    ties = sorted(
        (u, v, k, a.get("strength", 1))
        for u, v, k, a in g.edges(keys=True, data=True)
        if k in (RelType.INFLUENCES, RelType.REPORTS_TO, RelType.ALLY_OF)
    )
    for u, v, key, strength in ties:
        if u == v or SOURCE in (u, v) or u not in d or v not in d:
            continue
        if not (_active_contact(g, u) and _active_contact(g, v)):
            continue
        if key == RelType.INFLUENCES:
            _add_step(d, u, v, strength / settings.path_max_strength, str(key))
        else:
            p = (
                settings.path_reports_to_probability
                if key == RelType.REPORTS_TO
                else settings.path_ally_probability
            )
            _add_step(d, u, v, p, str(key))
            _add_step(d, v, u, p, str(key))
    return d


def _to_path(d: nx.DiGraph, nodes: list[str]) -> Path:
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
    """The k cheapest simple paths from any of our reps to a contact.

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
        Cheapest (most probable) first; empty when no rep reaches the contact or the
        contact is not ``ACTIVE``.

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
    domain.md §3.11
    """
    target = node_key(Label.CONTACT, contact_id)
    if target not in g:
        raise NotFound(str(Label.CONTACT), contact_id)
    d = power if power is not None else power_graph(g, as_of=as_of, settings=settings)
    if target not in d:
        return []
    k = settings.path_k if k is None else k
    try:
        found = list(islice(nx.shortest_simple_paths(d, SOURCE, target, weight="cost"), k))
    except nx.NetworkXNoPath:
        return []
    paths = [_to_path(d, nodes) for nodes in found]
    return sorted(paths, key=lambda p: p.cost)


def best_paths(
    g: nx.MultiDiGraph,
    contact_ids: Iterable[str],
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    power: nx.DiGraph | None = None,
) -> dict[str, Path]:
    """The cheapest path to each of several contacts (one Dijkstra run).

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
    domain.md §3.11
    """
    d = power if power is not None else power_graph(g, as_of=as_of, settings=settings)
    _, found = nx.single_source_dijkstra(d, SOURCE, weight="cost")
    out: dict[str, Path] = {}
    for c in contact_ids:
        nodes = found.get(node_key(Label.CONTACT, c))
        if nodes is not None and len(nodes) > 2:
            out[c] = _to_path(d, nodes)
    return out
