"""Service commands: serve, demo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.cells import cell_len

from stakegraph.cli.common import (
    OPERATOR,
    DbOpt,
    StoreOpt,
    UriOpt,
    err,
    failure,
    open_store_or_exit,
    settings_of,
    t,
)
from stakegraph.cli.data import load
from stakegraph.cli.messages import current
from stakegraph.graph.store import GraphStore
from stakegraph.service import datasets
from stakegraph.service.access import admin_key_from_file
from stakegraph.service.errors import BadInput
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings, load_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["register"]

HostOpt = Annotated[str | None, typer.Option("--host", help="address to listen on")]
PortOpt = Annotated[int | None, typer.Option("--port", help="port to listen on")]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", min=1, max=64, help="server processes (STAKEGRAPH_WORKERS, 1)"),
]

#: The demo account whose map `stakegraph demo` points at.
DEMO_ACCOUNT = "co-orient"


def with_admin_key(settings: Settings) -> Settings:
    """Add the ADMIN key of ``STAKEGRAPH_ADMIN_KEY_FILE`` (created on first start and
    printed that once) to the configured keys."""
    if settings.admin_key_file is None:
        return settings
    try:
        record, created = admin_key_from_file(settings.admin_key_file)
    except (OSError, BadInput) as exc:
        message = exc.message if isinstance(exc, BadInput) else str(exc)
        failure(f"STAKEGRAPH_ADMIN_KEY_FILE: {message}")
        raise typer.Exit(2) from exc
    if created is not None:
        err.print(
            t("admin_key.generated", path=settings.admin_key_file, key=created),
            highlight=False,
            markup=False,
        )
    else:
        err.print(t("admin_key.kept", path=settings.admin_key_file), highlight=False)
    return settings.model_copy(update={"api_keys": [*settings.api_keys, record]})


def worker_app() -> FastAPI:
    """The app of one server process of ``stakegraph serve --workers N``.

    Each process builds its settings from the environment the parent prepared (the
    command's ``--store``/``--db``/``--neo4j-uri`` are passed on as their variables) and
    opens its own store connection in the app's lifespan. The ADMIN key file already
    exists (the parent created it), so a worker only reads it. The processes share
    what lives in the store — the data and the analysis cache — so an answer never
    depends on which process served it."""
    from stakegraph.gql.app import create_app

    settings = load_settings()
    if settings.admin_key_file is not None:
        record, _ = admin_key_from_file(settings.admin_key_file)
        settings = settings.model_copy(update={"api_keys": [*settings.api_keys, record]})
    return create_app(settings)


def _pass_on(settings: Settings) -> None:
    """Hand the command's store choice to worker processes through their environment."""
    os.environ["STAKEGRAPH_STORE"] = settings.backend
    if settings.backend == "embedded":
        os.environ["STAKEGRAPH_DB_PATH"] = str(Path(settings.db_path).resolve())
    elif settings.neo4j_uri:
        os.environ["NEO4J_URI"] = settings.neo4j_uri


def _run(
    settings: Settings,
    store: GraphStore,
    host: str | None,
    port: int | None,
    workers: int = 1,
) -> None:
    import uvicorn

    from stakegraph.gql.app import create_app
    from stakegraph.service.logs import uvicorn_options

    bind_host, bind_port = host or settings.host, port or settings.port
    if workers > 1:
        store.close()  # reachable and migrated: each worker opens its own
        _pass_on(settings)
        uvicorn.run(
            f"{__name__}:worker_app",
            factory=True,
            workers=workers,
            host=bind_host,
            port=bind_port,
            **uvicorn_options(settings),
        )
        return
    try:
        uvicorn.run(
            create_app(settings, store),
            host=bind_host,
            port=bind_port,
            **uvicorn_options(settings),
        )
    finally:
        store.close()


def serve_cmd(
    host: HostOpt = None,
    port: PortOpt = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Run the HTTP service (front page at /, GraphQL at /graphql, health at /health);
    ``--workers N`` runs N server processes on the one port."""
    settings = with_admin_key(settings_of(store, db, neo4j_uri))
    if not settings.demo_mode and not settings.api_keys:
        failure(t("serve.no_key"))
        raise typer.Exit(2)
    _run(settings, open_store_or_exit(settings), host, port, workers or settings.workers)


def demo_cmd(
    host: HostOpt = None,
    port: PortOpt = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="load the data and exit")] = False,
) -> None:
    """Load the demo dataset into the configured store (the one every command reads,
    by default stakegraph.db) and serve it in demo mode."""
    from stakegraph.seeds import load_demo

    overrides: dict[str, Any] = {"demo_mode": True}
    settings = settings_of(store, db, neo4j_uri, **overrides)
    opened = open_store_or_exit(settings)
    scope = Scope(opened, settings, OPERATOR)
    where = settings.db_path if settings.backend == "embedded" else settings.neo4j_uri
    if datasets.holds_accounts(scope):
        err.print(t("demo.kept", where=where), highlight=False)
    else:
        load(scope, load_demo(), t("demo.loading"))
        err.print(t("demo.loaded", where=where), highlight=False)
    if no_serve:
        opened.close()
        return
    base = f"http://{host or settings.host}:{port or settings.port}"
    lang = f"lang={current()}&" if current() != "en" else ""
    links = [
        ("demo.front", f"{base}/" + (f"?lang={current()}" if lang else "")),
        ("demo.map", f"{base}/accounts/{DEMO_ACCOUNT}/map?{lang}view=political"),
        ("demo.graphiql", f"{base}/graphql"),
        ("demo.health", f"{base}/health"),
    ]
    width = max(cell_len(t(key)) for key, _ in links)
    lines = [f"  {t(k)}{' ' * (width - cell_len(t(k)))}  {url}" for k, url in links]
    err.print(
        "\n".join([t("demo.on", base=base), *lines]),
        highlight=False,
        markup=False,
    )
    _run(settings, opened, host, port)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
    app.command("demo")(demo_cmd)
