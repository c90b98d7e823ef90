"""The per-request GraphQL context: the caller's scope and the request's loaders.

Built by :func:`context_getter` for every request from the FastAPI dependencies of
:mod:`stakegraph.gql.deps`. Resolvers ask the scope (the application layer), never
the store; calls that may reach the store run in worker threads (:meth:`Context.run`),
so a slow store or a long analysis does not stall the event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import ParamSpec, TypeVar

from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from stakegraph.gql.deps import ScopeDep
from stakegraph.gql.errors import TimeBudgetExceeded
from stakegraph.gql.loaders import Loaders
from stakegraph.influence.models import AccountAnalysis
from stakegraph.service.scope import AccountView, Scope

__all__ = ["Context", "Info", "context_getter"]

P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class Context(BaseContext):
    scope: Scope
    loaders: Loaders = field(init=False)
    #: ``time.monotonic()`` after which the request's calls are refused.
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        super().__init__()
        self.deadline = time.monotonic() + self.scope.settings.request_time_budget
        self.loaders = Loaders(self.scope, self.run)

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a (blocking) call of the application layer in a worker thread, within the
        request's time budget (:class:`~stakegraph.gql.errors.TimeBudgetExceeded`)."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeBudgetExceeded(self.scope.settings.request_time_budget)
        try:
            return await asyncio.wait_for(asyncio.to_thread(fn, *args, **kwargs), remaining)
        except TimeoutError:
            raise TimeBudgetExceeded(self.scope.settings.request_time_budget) from None

    def forget(self) -> None:
        """Drop what this request has read (after a write, before the next field)."""
        self.scope.forget()
        self.loaders = Loaders(self.scope, self.run)

    @property
    def page_max(self) -> int:
        return self.scope.settings.page_max

    async def view(self, company_id: str) -> AccountView:
        """The account as the caller may see it (NotFound otherwise)."""
        return await self.loaders.view(company_id)

    async def analysis(
        self, company_id: str, as_of: date | None = None, opportunity_id: str | None = None
    ) -> AccountAnalysis:
        return await self.run(self.scope.analysis, company_id, as_of, opportunity_id)


Info = StrawberryInfo[Context, None]


async def context_getter(scope: ScopeDep) -> Context:
    """A fresh context (and loaders) per request, over the caller's scope."""
    return Context(scope=scope)
