"""The FastAPI application factory: ``/health`` and GraphQL at ``/graphql``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from strawberry.fastapi import GraphQLRouter

from stakegraph.config import Settings, get_settings, open_store
from stakegraph.gql.context import AuthError, context_getter
from stakegraph.gql.limits import BodySizeLimit, graphql_error_body
from stakegraph.gql.schema import build_schema
from stakegraph.graph.store import GraphStore
from stakegraph.viz.routes import router as map_router

__all__ = ["create_app", "get_store"]


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


StoreDep = Annotated[GraphStore, Depends(get_store)]


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app; the store is opened in the lifespan unless one is given.

    Routes: ``/health``, ``/graphql`` and the map pages of :mod:`stakegraph.viz.routes`
    (``/accounts/{id}/map``, ``/embed/accounts/{id}``).

    GraphiQL is served at ``/graphql`` in demo mode only; every GraphQL request needs
    an API key (``X-API-Key`` or ``Authorization: Bearer``) unless demo mode is on.
    """
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
    if store is not None:
        app.state.store = store

    @app.get("/health")
    def health(store: StoreDep) -> JSONResponse:
        """200 when the store answers, 503 (status "degraded") when it does not."""
        info = store.health()
        body = {"status": "ok" if info.reachable else "degraded", "store": info.model_dump()}
        return JSONResponse(body, status_code=200 if info.reachable else 503)

    @app.exception_handler(AuthError)
    async def unauthenticated(request: Request, exc: AuthError) -> Response:
        return Response(
            graphql_error_body(exc.message, "UNAUTHENTICATED"),
            status_code=401,
            media_type="application/json",
            headers={"WWW-Authenticate": 'Bearer realm="stakegraph"'},
        )

    router: GraphQLRouter[Any, None] = GraphQLRouter(
        build_schema(settings),
        path="/graphql",
        context_getter=context_getter,
        graphql_ide="graphiql" if settings.demo_mode else None,
    )
    app.include_router(router)
    app.include_router(map_router)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app
