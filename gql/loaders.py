"""DataLoaders of one request: every nested list is fetched in batches, once.

Loaders are plain batch functions over the caller's :class:`~stakegraph.service.scope.Scope`
(so they see what the caller may see, and nothing else), returning results in key
order; :class:`Loaders` builds a fresh set per request, so nothing is shared across
requests or callers. Batch calls run in worker threads.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from stakegraph.graph.model import Label, Node, Relationship, RelType
from stakegraph.service.errors import NotFound
from stakegraph.service.scope import AccountView, Scope

__all__ = ["Loaders"]


def _loader(fn: Callable[[list[Any]], Awaitable[list[Any]]]) -> DataLoader[Any, Any]:
    return DataLoader(load_fn=fn)


class Loaders:
    """The per-request loaders over one scope."""

    def __init__(self, scope: Scope, run: Callable[..., Awaitable[Any]] | None = None) -> None:
        self.scope = scope
        #: how a blocking batch call runs: in a worker thread (within the request's
        #: time budget when the context passes its own runner)
        self._run: Callable[..., Awaitable[Any]] = run or asyncio.to_thread
        self._records: dict[tuple[Label, bool], DataLoader[str, Node | None]] = {}
        self._owners: dict[Label, DataLoader[str, str | None]] = {}
        self._out: dict[RelType, DataLoader[str, list[Relationship]]] = {}
        self._in: dict[RelType, DataLoader[str, list[Relationship]]] = {}
        self._views: DataLoader[str, AccountView | None] = _loader(self._load_views)
        self._teams: DataLoader[str, frozenset[str]] = _loader(self._load_teams)

    # ---------------------------------------------------------------- accessors
    async def record(self, label: Label, node_id: str, *, full: bool = False) -> Node | None:
        """A record the caller may see, else ``None`` (see ``Scope.visible_records``)."""
        key = (label, full)
        if key not in self._records:
            self._records[key] = _loader(self._visible(label, full))
        return await self._records[key].load(node_id)

    async def records(self, label: Label, ids: Sequence[str], *, full: bool = False) -> list[Node]:
        found = await asyncio.gather(*(self.record(label, i, full=full) for i in ids))
        return [n for n in found if n is not None]

    async def owner(self, label: Label, node_id: str) -> str | None:
        if label not in self._owners:
            self._owners[label] = _loader(self._owners_of(label))
        return await self._owners[label].load(node_id)

    async def outgoing(self, rel_type: RelType, node_id: str) -> list[Relationship]:
        if rel_type not in self._out:
            self._out[rel_type] = _loader(self._rels(rel_type, "out"))
        return await self._out[rel_type].load(node_id)

    async def incoming(self, rel_type: RelType, node_id: str) -> list[Relationship]:
        if rel_type not in self._in:
            self._in[rel_type] = _loader(self._rels(rel_type, "in"))
        return await self._in[rel_type].load(node_id)

    async def view(self, company_id: str) -> AccountView:
        """The account as the caller may see it; NotFound when absent or invisible."""
        view = await self._views.load(company_id)
        if view is None:
            raise NotFound.of(Label.COMPANY, company_id)
        return view

    async def maybe_view(self, company_id: str | None) -> AccountView | None:
        return None if company_id is None else await self._views.load(company_id)

    async def rep_teams(self, rep_id: str) -> frozenset[str]:
        return await self._teams.load(rep_id)

    # ------------------------------------------------------------ batch functions
    def _visible(
        self, label: Label, full: bool
    ) -> Callable[[list[str]], Awaitable[list[Node | None]]]:
        async def load(ids: list[str]) -> list[Node | None]:
            found = await self._run(self.scope.visible_records, label, ids, full=full)
            return [found.get(i) for i in ids]

        return load

    def _owners_of(self, label: Label) -> Callable[[list[str]], Awaitable[list[str | None]]]:
        async def load(ids: list[str]) -> list[str | None]:
            found = await self._run(self.scope.owners, label, ids)
            return [found.get(i) for i in ids]

        return load

    def _rels(
        self, rel_type: RelType, direction: str
    ) -> Callable[[list[str]], Awaitable[list[list[Relationship]]]]:
        async def load(ids: list[str]) -> list[list[Relationship]]:
            if direction == "out":
                rels = await self._run(self.scope.relationships, rel_type, from_ids=ids)
            else:
                rels = await self._run(self.scope.relationships, rel_type, to_ids=ids)
            by_id: dict[str, list[Relationship]] = defaultdict(list)
            for r in rels:
                by_id[r.from_id if direction == "out" else r.to_id].append(r)
            return [sorted(by_id.get(i, []), key=lambda r: r.key) for i in ids]

        return load

    async def _load_views(self, ids: list[str]) -> list[AccountView | None]:
        found = await self._run(self.scope.views, ids)
        return [found.get(i) for i in ids]

    async def _load_teams(self, ids: list[str]) -> list[frozenset[str]]:
        found = await self._run(self.scope.rep_team_ids, ids)
        return [found.get(i, frozenset()) for i in ids]
