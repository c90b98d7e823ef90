"""Assembling account subgraphs (docs/analytics.md §3 preamble) as NetworkX graphs.

Both stores hand the stored records of an account to :func:`subgraph_from_records`,
which builds the graph attributes straight from the stored values (the records were
validated when written: reading them back does not validate them again); tests and
what-if analyses build graphs from domain models with :func:`build_subgraph`. Either
way a graph follows the one convention documented in :mod:`stakegraph.graph.model`:
node attributes are what ``model_dump()`` gives, edge attributes what
:func:`~stakegraph.graph.model.rel_properties` gives.
"""

from __future__ import annotations

import json
import types
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from enum import Enum
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

import networkx as nx
from pydantic import BaseModel

from stakegraph.graph.model import (
    LABEL_MODELS,
    REL_PROPERTY_MODELS,
    ChangeEvent,
    Label,
    Node,
    Relationship,
    RelType,
    node_key,
)

__all__ = [
    "RelationshipRecord",
    "build_subgraph",
    "graph_nodes",
    "graph_relationships",
    "node_attributes",
    "relationship_attributes",
    "subgraph_from_records",
]

#: A stored relationship: (type, from label, from id, to label, to id, properties).
RelationshipRecord = tuple[str, str, str, str, str, Mapping[str, Any]]
Convert = Callable[[Any], Any]


def _utc_datetime(value: Any) -> datetime:
    """A stored instant (ISO text, a driver temporal or a datetime) as an aware UTC datetime."""
    if isinstance(value, str):
        moment = datetime.fromisoformat(value)
    elif isinstance(value, datetime):
        moment = value
    else:
        moment = value.to_native()  # neo4j.time.DateTime
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _date(value: Any) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, date):
        return value
    native: date = value.to_native()  # neo4j.time.Date
    return native


def _converter(annotation: Any) -> Convert | None:
    """How to turn a stored value into what pydantic's ``model_dump()`` would give."""
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) != 1:
            return None
        annotation = inner[0]
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if annotation is datetime:
        return _utc_datetime
    if annotation is date:
        return _date
    if annotation is float:
        return float
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        members = {m.value: m for m in annotation}  # a lookup: far cheaper than Enum(v)
        enum = annotation
        return lambda v: members[v] if v in members else enum(v)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        nested = _Decoder(annotation, keep_none=True)
        return lambda v: nested(json.loads(v) if isinstance(v, str) else v)
    return None


class _Decoder:
    """Stored values of one pydantic model → the dict its ``model_dump()`` gives."""

    def __init__(self, model: type[BaseModel], *, keep_none: bool) -> None:
        self.defaults: dict[str, Any] = {}
        self.factories: list[tuple[str, Callable[[], Any]]] = []
        self.converters: list[tuple[str, Convert]] = []
        for name, info in model.model_fields.items():
            if info.exclude:  # input-only fields are never stored nor dumped
                continue
            if info.default_factory is not None:
                self.factories.append((name, info.default_factory))  # type: ignore[arg-type]
            elif not info.is_required() and (keep_none or info.default is not None):
                self.defaults[name] = info.default
            convert = _converter(info.annotation)
            if convert is not None:
                self.converters.append((name, convert))

    def __call__(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(self.defaults)
        out.update(stored)
        for name, factory in self.factories:
            if name not in stored:
                out[name] = factory()
        for name, convert in self.converters:
            value = out.get(name)
            if value is not None:
                out[name] = convert(value)
        return out


@cache
def _node_decoder(label: Label) -> _Decoder:
    return _Decoder(LABEL_MODELS[label], keep_none=True)


@cache
def _rel_decoder(rel_type: RelType) -> _Decoder:
    return _Decoder(REL_PROPERTY_MODELS[rel_type], keep_none=False)


def node_attributes(label: Label | str, stored: Mapping[str, Any]) -> dict[str, Any]:
    """A node's graph attributes from its stored properties, without validating them.

    The same names and Python values as ``Model.model_validate(stored).model_dump()``
    (enum members, aware UTC datetimes, dates, nested models as dicts, defaults for
    what was not stored), plus ``label``; for a record that was valid when written.

    Examples
    --------
    >>> attrs = node_attributes("Contact", {"id": "p1", "name": "Li", "stance": "CHAMPION"})
    >>> attrs["stance"] is attrs["stance"].CHAMPION, attrs["status"], attrs["label"]
    (True, <ContactStatus.ACTIVE: 'ACTIVE'>, 'Contact')
    """
    label = Label(label)
    attrs = _node_decoder(label)(stored)
    attrs["label"] = str(label)
    return attrs


def relationship_attributes(rel_type: RelType | str, stored: Mapping[str, Any]) -> dict[str, Any]:
    """A relationship's properties as :func:`~stakegraph.graph.model.rel_properties` gives
    them, without validating them.

    >>> relationship_attributes("KNOWS", {"level": 3, "since": "2024-05-01"})
    {'level': 3, 'since': datetime.date(2024, 5, 1)}
    """
    props = _rel_decoder(RelType(rel_type))(stored)
    return {k: v for k, v in props.items() if v is not None}


@cache
def _rel_attributes(type_name: str) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """:func:`relationship_attributes` of one relationship type, with the answer for no
    stored properties made once (most relationships carry none)."""
    decode = _rel_decoder(RelType(type_name))
    empty = {k: v for k, v in decode({}).items() if v is not None}

    def attributes(stored: Mapping[str, Any]) -> dict[str, Any]:
        if not stored:
            return dict(empty)
        return {k: v for k, v in decode(stored).items() if v is not None}

    return attributes


def subgraph_from_records(
    company_id: str,
    nodes: Iterable[tuple[str, Mapping[str, Any]]],
    relationships: Iterable[RelationshipRecord],
    changes: Iterable[ChangeEvent] = (),
    *,
    foreign_contact_ids: Iterable[str] = (),
) -> nx.MultiDiGraph:
    """Build the ``MultiDiGraph`` of one account from stored records.

    Parameters
    ----------
    company_id : str
        The account (a ``Company`` id); stored as ``G.graph["company_id"]``.
    nodes : iterable of (label, stored properties)
        Every node of the subgraph; a node given twice is kept once.
    relationships : iterable of RelationshipRecord
        Relationships among those nodes; one whose end is not among ``nodes`` is dropped.
    changes : iterable of ChangeEvent
        Change events of the account's contacts, sorted by time into ``G.graph["changes"]``.
    foreign_contact_ids : iterable of str
        Contacts of other accounts (docs/analytics.md §3.11); marked ``foreign=True``.

    Returns
    -------
    networkx.MultiDiGraph
        The same graph :func:`build_subgraph` builds from the validated models.

    Examples
    --------
    >>> g = subgraph_from_records("c1", [("Company", {"id": "c1", "name": "ACME"})], [])
    >>> g.nodes["Company:c1"]["tier"] is None
    True
    """
    g = nx.MultiDiGraph(company_id=company_id)
    foreign = set(foreign_contact_ids)
    for label, stored in nodes:
        attrs = node_attributes(label, stored)
        if attrs["label"] == Label.CONTACT:
            attrs["foreign"] = attrs["id"] in foreign
        g.add_node(node_key(attrs["label"], attrs["id"]), **attrs)
    for rel_type, fl, fid, tl, tid, stored in relationships:
        u, v = node_key(fl, fid), node_key(tl, tid)
        if u in g and v in g:
            t = str(rel_type)
            g.add_edge(u, v, key=t, type=t, **_rel_attributes(t)(stored))
    g.graph["changes"] = sorted(changes, key=lambda e: (e.at, e.entity, e.entity_id, e.field))
    return g


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
