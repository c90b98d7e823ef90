"""Service commands: serve, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stakegraph.cli.common import (
    OPERATOR,
    DbOpt,
    StoreOpt,
    UriOpt,
    err,
    open_store_or_exit,
    settings_of,
)
from stakegraph.cli.data import load
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings

__all__ = ["register"]


def serve_cmd(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Run the HTTP service (GraphQL at /graphql, health at /health)."""
    import uvicorn

    from stakegraph.gql.app import create_app

    settings = settings_of(store, db, neo4j_uri)
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


def demo_cmd(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    db: Annotated[Path, typer.Option("--db", help="embedded store file")] = Path(
        "stakegraph-demo.db"
    ),
    no_serve: Annotated[bool, typer.Option("--no-serve", help="load the data and exit")] = False,
) -> None:
    """Load the demo dataset into the embedded store and start the service."""
    from stakegraph.seeds import load_demo

    settings = Settings(store="embedded", db_path=db, demo_mode=True)
    with open_store_or_exit(settings) as s:
        load(Scope(s, settings, OPERATOR), load_demo(), "loading demo")
    if no_serve:
        return
    import uvicorn

    from stakegraph.gql.app import create_app

    bind_port = port or settings.port
    err.print(f"stakegraph demo on http://{host or settings.host}:{bind_port}  (health: /health)")
    uvicorn.run(create_app(settings), host=host or settings.host, port=bind_port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
    app.command("demo")(demo_cmd)
