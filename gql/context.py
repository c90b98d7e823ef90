"""The per-request context: caller, settings, store, loaders, analysis cache.

Built by :func:`context_getter` for every request. It answers the questions every
resolver asks — may the caller see this account? what is this account's analysis
as of that date? — each at most once per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import networkx as nx
from fastapi import Depends, Header, Request
from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from stakegraph.gql.auth import (
    Principal,
    Unauthenticated,
    authenticate,
    extract_key,
    may_see,
    visible_accounts,
)
from stakegraph.gql.errors import ForbiddenError, NotFoundError
from stakegraph.gql.loaders import Loaders, in_thread
from stakegraph.graph.model import Label, Node
from stakegraph.graph.store import GraphStore

if TYPE_CHECKING:
    from stakegraph.config import Settings
    from stakegraph.influence.models import AccountAnalysis

__all__ = ["Context", "Info", "context_getter"]


class AuthError(Exception):
    """Raised by the context getter; answered with HTTP 401 and a GraphQL error body."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Context(BaseContext):
    settings: Settings
    store: GraphStore
    principal: Principal
    loaders: Loaders
    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    _tasks: dict[Any, asyncio.Task[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()

    # ------------------------------------------------------------------ caching
    def once(self, key: Any, make: Callable[[], Awaitable[Any]]) -> asyncio.Task[Any]:
        """Run ``make()`` at most once per request for ``key``; share the result."""
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.ensure_future(make())
            self._tasks[key] = task
        return task

    def invalidate(self) -> None:
        """Forget what this request has read (after a write, e.g. between mutations)."""
        self.loaders = Loaders(self.store)
        self._tasks = {}

    # ----------------------------------------------------------- authorization
    async def visible(self) -> frozenset[str] | None:
        """Company ids the caller may see (``None``: all), computed once."""
        return await self.once(
            ("visible",), lambda: in_thread(visible_accounts, self.principal, self.store)
        )

    async def sees(self, company_id: str | None) -> bool:
        return may_see(await self.visible(), company_id)

    async def account_node(self, company_id: str, *, field: str = "id") -> Node:
        """The company, if it exists and the caller may see it; else NOT_FOUND / FORBIDDEN."""
        node = await self.loaders.node(Label.COMPANY, company_id)
        if node is None:
            raise NotFoundError(f"Company {company_id!r} not found", field=field)
        if not await self.sees(company_id):
            raise ForbiddenError(f"account {company_id!r} is not visible to you", field=field)
        return node

    async def owned_node(
        self, label: Label, node_id: str, *, field: str = "id"
    ) -> tuple[Node, str | None]:
        """A node and its account, if it exists and its account is visible."""
        node = await self.loaders.node(label, node_id)
        if node is None:
            raise NotFoundError(f"{label} {node_id!r} not found", field=field)
        company_id = await self.loaders.company_of(label, node_id)
        if not await self.sees(company_id):
            raise ForbiddenError(
                f"{label} {node_id!r} belongs to an account not visible to you", field=field
            )
        return node, company_id

    # ----------------------------------------------------------------- analysis
    async def subgraph(self, company_id: str) -> nx.MultiDiGraph:
        g = await self.loaders.subgraph.load(company_id)
        if g is None:
            raise NotFoundError(f"Company {company_id!r} not found")
        return g

    def as_of(self, value: date | None) -> date:
        return value or self.today

    async def analysis(
        self, company_id: str, as_of: date | None = None, opportunity_id: str | None = None
    ) -> AccountAnalysis:
        """The account's analysis (``stakegraph.influence.analyze_account``), at most once per key."""
        day = self.as_of(as_of)

        async def compute() -> AccountAnalysis:
            from stakegraph.influence import analyze_account

            g = await self.subgraph(company_id)
            return await in_thread(
                analyze_account,
                g,
                as_of=day,
                settings=self.settings.analysis,
                opportunity_id=opportunity_id,
            )

        return await self.once(("analysis", company_id, day, opportunity_id), compute)


Info = StrawberryInfo[Context, None]


def _settings_of(request: Request) -> Settings:
    return request.app.state.settings


def _store_of(request: Request) -> GraphStore:
    return request.app.state.store


async def context_getter(
    request: Request,
    settings: Annotated[Any, Depends(_settings_of)],
    store: Annotated[GraphStore, Depends(_store_of)],
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> Context:
    """Authenticate the caller and build a fresh context (and loaders) per request."""
    try:
        principal = authenticate(
            extract_key(authorization, x_api_key), settings.api_keys, demo_mode=settings.demo_mode
        )
    except Unauthenticated as exc:
        raise AuthError(str(exc)) from exc
    return Context(settings=settings, store=store, principal=principal, loaders=Loaders(store))
