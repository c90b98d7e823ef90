"""Assembling account subgraphs (domain.md §3 preamble) as NetworkX graphs.

Both stores load the records of an account and hand them to :func:`build_subgraph`,
so the graph convention (documented in :mod:`stakegraph.graph.model`) lives in one place.
Tests and what-if analyses build graphs the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from stakegraph.graph.model import ChangeEvent, Node, Relationship, node_key

__all__ = ["build_subgraph", "graph_nodes", "graph_relationships"]


def build_subgraph(
    company_id: str,
    nodes: Iterable[Node],
    relationships: Iterable[Relationship],
    changes: Iterable[ChangeEvent] = (),
    *,
    foreign_contact_ids: Iterable[str] = (),
) -> nx.MultiDiGraph:
    """Build the ``MultiDiGraph`` of one account from its records.

    Parameters
    ----------
    company_id : str
        The account (a ``Company`` id); stored as ``G.graph["company_id"]``.
    nodes : iterable of Node
        Every node of the subgraph.
    relationships : iterable of Relationship
        Relationships among those nodes; one whose end is not among ``nodes`` is dropped.
    changes : iterable of ChangeEvent
        Change events of the account's contacts, kept in ``G.graph["changes"]``
        sorted by time.
    foreign_contact_ids : iterable of str
        Contacts of other accounts reached by a tie; marked ``foreign=True``.

    Returns
    -------
    networkx.MultiDiGraph

    Examples
    --------
    >>> from stakegraph.graph.model import Company, Relationship
    >>> g = build_subgraph("c1", [Company(id="c1", name="ACME")], [])
    >>> g.nodes["Company:c1"]["name"]
    'ACME'
    """
    g = nx.MultiDiGraph(company_id=company_id)
    foreign = set(foreign_contact_ids)
    for node in nodes:
        attrs = node.model_dump()
        attrs["label"] = str(node.label)
        if node.label == "Contact":
            attrs["foreign"] = node.id in foreign
        g.add_node(node_key(node.label, node.id), **attrs)
    for rel in relationships:
        u, v = rel.from_key, rel.to_key
        if u in g and v in g:
            g.add_edge(u, v, key=str(rel.type), type=str(rel.type), **rel.properties)
    g.graph["changes"] = sorted(changes, key=lambda e: (e.at, e.entity, e.entity_id, e.field))
    return g


def graph_nodes(g: nx.MultiDiGraph) -> list[Node]:
    """The nodes of a subgraph back as domain models (inverse of :func:`build_subgraph`)."""
    from stakegraph.graph.model import LABEL_MODELS, Label

    out: list[Node] = []
    for _, attrs in g.nodes(data=True):
        model = LABEL_MODELS[Label(attrs["label"])]
        fields = {k: v for k, v in attrs.items() if k in model.model_fields}
        out.append(model.model_validate(fields))
    return out


def graph_relationships(g: nx.MultiDiGraph) -> list[Relationship]:
    """The relationships of a subgraph back as domain models."""
    from stakegraph.graph.model import split_node_key

    out: list[Relationship] = []
    for u, v, key, attrs in g.edges(keys=True, data=True):
        fl, fid = split_node_key(u)
        tl, tid = split_node_key(v)
        props = {k: val for k, val in attrs.items() if k != "type"}
        out.append(
            Relationship(
                type=key, from_label=fl, from_id=fid, to_label=tl, to_id=tid, properties=props
            )
        )
    return out
