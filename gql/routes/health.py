"""``GET /health``: 200 when the store answers, 503 when it does not; the state of the
last import (``none``, ``done``, ``running``, ``interrupted``: then ``degraded``)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from stakegraph.gql.deps import StoreDep
from stakegraph.graph.errors import StoreUnavailable
from stakegraph.graph.store import GraphStore, StoreHealth
from stakegraph.service.datasets import import_status

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(store: StoreDep) -> JSONResponse:
    """Status, backend and import state only (never a path or a driver's error text)."""
    info, state = await asyncio.to_thread(_check, store)
    body = {
        "status": "ok" if info.reachable and state != "interrupted" else "degraded",
        "store": {"backend": info.backend, "reachable": info.reachable},
        "import": state,
    }
    return JSONResponse(body, status_code=200 if info.reachable else 503)


def _check(store: GraphStore) -> tuple[StoreHealth, str]:
    info = store.health()
    if not info.reachable:
        return info, "unknown"
    try:
        return info, import_status(store)
    except StoreUnavailable:
        return info, "unknown"
