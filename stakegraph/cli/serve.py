"""Service commands: serve, demo."""

from __future__ import annotations

from typing import Annotated, Any

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
from stakegraph.service.settings import Settings

__all__ = ["register"]

HostOpt = Annotated[str | None, typer.Option("--host", help="address to listen on")]
PortOpt = Annotated[int | None, typer.Option("--port", help="port to listen on")]

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


def _run(settings: Settings, store: GraphStore, host: str | None, port: int | None) -> None:
    import uvicorn

    from stakegraph.gql.app import create_app
    from stakegraph.service.logs import uvicorn_options

    try:
        uvicorn.run(
            create_app(settings, store),
            host=host or settings.host,
            port=port or settings.port,
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
) -> None:
    """Run the HTTP service (front page at /, GraphQL at /graphql, health at /health)."""
    settings = with_admin_key(settings_of(store, db, neo4j_uri))
    if not settings.demo_mode and not settings.api_keys:
        failure(t("serve.no_key"))
        raise typer.Exit(2)
    _run(settings, open_store_or_exit(settings), host, port)


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
