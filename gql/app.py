"""The FastAPI application factory: GraphQL at ``/graphql``, ``/health``, the maps (and
their content-hashed assets at ``/static/map``), the front page and reports, the API
docs and their vendored assets at ``/static``; responses gzip-compressed on request.

The composition is all here: the store is opened once in the lifespan (unless one is
given), the routers of :mod:`stakegraph.gql.routes` and the GraphQL router are
mounted, and the errors of the application layer are mapped to HTTP statuses once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from stakegraph.gql.context import context_getter
from stakegraph.gql.errors import Code, code_of
from stakegraph.gql.limits import BodySizeLimit, graphql_error_body
from stakegraph.gql.logging_mw import RequestLogging
from stakegraph.gql.router import GraphQLEndpoint
from stakegraph.gql.routes import front, health, maps
from stakegraph.gql.schema import build_schema
from stakegraph.graph.errors import StoreUnavailable
from stakegraph.graph.store import GraphStore
from stakegraph.service.errors import ServiceError, Unauthenticated
from stakegraph.service.logs import configure_logging
from stakegraph.service.settings import Settings, get_settings, open_store

__all__ = ["create_app"]

_STATUS = {
    Code.BAD_USER_INPUT: 400,
    Code.NOT_FOUND: 404,
    Code.FORBIDDEN: 403,
    Code.UNAUTHENTICATED: 401,
}


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app; the store is opened in the lifespan unless one is given.

    GraphiQL is served at ``/graphql`` in demo mode only; every request needs an API
    key (``X-API-Key`` or ``Authorization: Bearer``) unless demo mode is on.
    """
    settings = settings or get_settings()
    configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store if store is not None else open_store(settings)
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    # /docs is served by the front router over vendored assets; no /redoc (a CDN page).
    # Like GraphiQL, the API docs and their schema are for demo mode only: outside it
    # nothing answers without a key (GraphQL introspection with a key describes the API).
    app = FastAPI(
        title="stakegraph",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.demo_mode else None,
    )
    app.state.settings = settings
    if store is not None:
        app.state.store = store

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        code = code_of(exc)
        status = _STATUS.get(code, 500)
        headers = {"WWW-Authenticate": 'Bearer realm="stakegraph"'} if status == 401 else {}
        if request.url.path.startswith("/graphql"):
            return Response(
                graphql_error_body(exc.message, str(code)),
                status_code=status,
                media_type="application/json",
                headers=headers,
            )
        message = exc.message if isinstance(exc, Unauthenticated) or status != 404 else "not found"
        return maps.refuse(status, message, **headers)

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable) -> Response:
        if request.url.path.startswith("/graphql"):
            return Response(
                graphql_error_body("the graph store is unavailable", str(Code.STORE_UNAVAILABLE)),
                status_code=503,
                media_type="application/json",
            )
        return maps.refuse(503, "the graph store is unavailable", **{"Retry-After": "5"})

    router = GraphQLEndpoint(
        build_schema(settings),
        path="/graphql",
        context_getter=context_getter,
        graphql_ide="graphiql" if settings.demo_mode else None,
    )
    app.include_router(health.router)
    app.include_router(router)
    app.include_router(maps.router)
    app.include_router(front.router)
    app.mount("/static", StaticFiles(directory=front.STATIC_DIR), name="static")
    # pages, JSON and the vendored files compressed for clients that accept it; the map
    # assets come precompressed (maps.map_asset) and pass through untouched
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestLogging)  # outermost: also the refused (413) requests
    return app
