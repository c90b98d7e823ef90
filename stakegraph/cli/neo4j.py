"""``stakegraph neo4j start|stop|status``: a local Neo4j 5.26 without Docker."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stakegraph import neo4j_local
from stakegraph.cli.common import console, err, t

__all__ = ["register"]

neo4j_app = typer.Typer(help="Run a local Neo4j 5.26 Community server (no Docker needed).")


@neo4j_app.command("start")
def neo4j_start(
    port: Annotated[int, typer.Option()] = 7687,
    data_dir: Annotated[Path | None, typer.Option()] = None,
) -> None:
    """Fetch Neo4j 5.26 jars from Maven Central (once) and start a server on 127.0.0.1."""
    try:
        server = neo4j_local.start(port=port, data_dir=data_dir)
    except neo4j_local.Neo4jLaunchError as exc:
        err.print(f"[red]{t('neo4j.failed')}[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    console.print(
        t("neo4j.running", uri=server.uri, pid=server.pid, data=server.data_dir), highlight=False
    )
    console.print(f"export NEO4J_URI={server.uri}")


@neo4j_app.command("stop")
def neo4j_stop(port: Annotated[int, typer.Option()] = 7687) -> None:
    """Stop the local Neo4j server."""
    stopped = neo4j_local.stop(port=port)
    console.print(t("neo4j.stopped") if stopped else t("neo4j.not_running"))


@neo4j_app.command("status")
def neo4j_status(port: Annotated[int, typer.Option()] = 7687) -> None:
    """Tell whether the local Neo4j server runs."""
    server = neo4j_local.status(port=port)
    if server is None:
        console.print(t("neo4j.not_running"))
        raise typer.Exit(1)
    console.print(t("neo4j.status", uri=server.uri, pid=server.pid), highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(neo4j_app, name="neo4j")
