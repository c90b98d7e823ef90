"""``GET /health``: 200 when the store answers, 503 when it does not."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from stakegraph.gql.deps import StoreDep

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(store: StoreDep) -> JSONResponse:
    """Status and backend only (never a path or a driver's error text)."""
    info = await asyncio.to_thread(store.health)
    body = {
        "status": "ok" if info.reachable else "degraded",
        "store": {"backend": info.backend, "reachable": info.reachable},
    }
    return JSONResponse(body, status_code=200 if info.reachable else 503)
