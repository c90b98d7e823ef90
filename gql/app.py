"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from graph.store import GraphStore
from stakegraph.config import Settings, get_settings, open_store

__all__ = ["create_app", "get_store"]


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


StoreDep = Annotated[GraphStore, Depends(get_store)]


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app; the store is opened in the lifespan unless one is given."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store if store is not None else open_store(settings)
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(title="stakegraph", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings

    @app.get("/health")
    def health(store: StoreDep) -> JSONResponse:
        info = store.health()
        return JSONResponse(
            {"status": "ok" if info.reachable else "unavailable", "store": info.model_dump()},
            status_code=200 if info.reachable else 503,
        )

    return app
