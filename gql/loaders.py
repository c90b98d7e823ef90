"""DataLoaders of one request: every nested list is fetched in batches, once.

Loaders are plain batch functions over the :class:`~stakegraph.graph.store.GraphStore`
returning results in key order; :class:`Loaders` builds a fresh set per request
(in the context getter), so nothing is cached across requests or callers. Store calls
run in worker threads, so a slow store does not stall the event loop.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import networkx as nx
from strawberry.dataloader import DataLoader

from stakegraph.graph.model import Label, Node, Relationship, RelType
from stakegraph.graph.store import GraphStore

__all__ = ["Loaders", "in_thread"]

T = TypeVar("T")


async def in_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await asyncio.to_thread(fn, *args, **kwargs)


def _loader(fn: Callable[[list[str]], Awaitable[list[Any]]]) -> DataLoader[str, Any]:
    return DataLoader(load_fn=fn)


class Loaders:
    """The per-request loaders over one store."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.nodes: dict[Label, DataLoader[str, Node | None]] = {
            label: _loader(self._nodes_of(label)) for label in Label
        }
        self.subgraph: DataLoader[str, nx.MultiDiGraph | None] = _loader(self._subgraphs)
        self.out_rels: dict[RelType, DataLoader[str, list[Relationship]]] = {}
        self.in_rels: dict[RelType, DataLoader[str, list[Relationship]]] = {}
        self.company_of_department: DataLoader[str, str | None] = _loader(self._dept_companies)
        self.company_of_contact: DataLoader[str, str | None] = _loader(self._contact_companies)
        self.company_of_opportunity: DataLoader[str, str | None] = _loader(self._opp_companies)

    # ---------------------------------------------------------------- accessors
    async def node(self, label: Label, node_id: str) -> Node | None:
        return await self.nodes[label].load(node_id)

    async def many(self, label: Label, ids: Sequence[str]) -> list[Node]:
        found = await self.nodes[label].load_many(list(ids))
        return [n for n in found if n is not None]

    async def outgoing(self, rel_type: RelType, node_id: str) -> list[Relationship]:
        if rel_type not in self.out_rels:
            self.out_rels[rel_type] = _loader(self._rels(rel_type, "out"))
        return await self.out_rels[rel_type].load(node_id)

    async def incoming(self, rel_type: RelType, node_id: str) -> list[Relationship]:
        if rel_type not in self.in_rels:
            self.in_rels[rel_type] = _loader(self._rels(rel_type, "in"))
        return await self.in_rels[rel_type].load(node_id)

    async def company_of(self, label: Label, node_id: str) -> str | None:
        """The account a node belongs to (companies are their own account)."""
        if label == Label.COMPANY:
            return node_id if await self.node(label, node_id) is not None else None
        loader = {
            Label.CONTACT: self.company_of_contact,
            Label.DEPARTMENT: self.company_of_department,
            Label.OPPORTUNITY: self.company_of_opportunity,
        }.get(label)
        return None if loader is None else await loader.load(node_id)

    # ------------------------------------------------------------ batch functions
    def _nodes_of(self, label: Label) -> Callable[[list[str]], Awaitable[list[Node | None]]]:
        async def load(ids: list[str]) -> list[Node | None]:
            found = await in_thread(self.store.get_nodes, label, ids)
            return [found.get(i) for i in ids]

        return load

    async def _subgraphs(self, ids: list[str]) -> list[nx.MultiDiGraph | None]:
        found = await in_thread(self.store.account_subgraphs, ids)
        return [found.get(i) for i in ids]

    def _rels(
        self, rel_type: RelType, direction: str
    ) -> Callable[[list[str]], Awaitable[list[list[Relationship]]]]:
        async def load(ids: list[str]) -> list[list[Relationship]]:
            if direction == "out":
                rels = await in_thread(self.store.relationships, rel_type, from_ids=ids)
            else:
                rels = await in_thread(self.store.relationships, rel_type, to_ids=ids)
            by_id: dict[str, list[Relationship]] = defaultdict(list)
            for r in rels:
                by_id[r.from_id if direction == "out" else r.to_id].append(r)
            return [by_id.get(i, []) for i in ids]

        return load

    async def _dept_companies(self, ids: list[str]) -> list[str | None]:
        """Climb ``PART_OF`` (departments nest) until a company, in batches per level."""
        owner: dict[str, str | None] = {}
        parent_of: dict[str, str] = {}
        frontier = set(ids)
        seen: set[str] = set()
        while frontier:
            seen |= frontier
            rels = await in_thread(
                self.store.relationships, RelType.PART_OF, from_ids=sorted(frontier)
            )
            nxt: set[str] = set()
            for r in rels:
                if r.from_label != Label.DEPARTMENT:
                    continue
                if r.to_label == Label.COMPANY:
                    owner[r.from_id] = r.to_id
                else:
                    parent_of[r.from_id] = r.to_id
                    if r.to_id not in seen:
                        nxt.add(r.to_id)
            frontier = nxt

        def resolve(dept: str) -> str | None:
            hops: set[str] = set()
            while dept not in owner and dept in parent_of and dept not in hops:
                hops.add(dept)
                dept = parent_of[dept]
            return owner.get(dept)

        return [resolve(i) for i in ids]

    async def _contact_companies(self, ids: list[str]) -> list[str | None]:
        rels = await in_thread(self.store.relationships, RelType.WORKS_IN, from_ids=ids)
        dept = {r.from_id: r.to_id for r in rels if r.from_label == Label.CONTACT}
        companies = await self.company_of_department.load_many([dept[i] for i in ids if i in dept])
        by_dept = dict(zip([dept[i] for i in ids if i in dept], companies, strict=True))
        return [by_dept.get(dept[i]) if i in dept else None for i in ids]

    async def _opp_companies(self, ids: list[str]) -> list[str | None]:
        rels = await in_thread(self.store.relationships, RelType.FOR, from_ids=ids)
        company = {r.from_id: r.to_id for r in rels if r.from_label == Label.OPPORTUNITY}
        return [company.get(i) for i in ids]
