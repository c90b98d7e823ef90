"""The ``stakegraph`` command line: a thin composition root over the packages."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.dataset import dataset_json_schema, export_dataset, import_dataset, load_dataset_file
from graph.errors import GraphError, InvalidDataset
from graph.store import GraphStore
from stakegraph.config import Settings, open_store

app = typer.Typer(
    help="stakegraph: stakeholder intelligence for B2B key-account sales.", no_args_is_help=True
)
neo4j_app = typer.Typer(help="Run a local Neo4j 5.26 Community server (no Docker needed).")
app.add_typer(neo4j_app, name="neo4j")

console = Console()
err = Console(stderr=True)

StoreOpt = Annotated[str | None, typer.Option("--store", help="embedded | neo4j | auto")]
DbOpt = Annotated[Path | None, typer.Option("--db", help="embedded store file")]
UriOpt = Annotated[str | None, typer.Option("--neo4j-uri", help="bolt URI of Neo4j")]


def _settings(store: str | None = None, db: Path | None = None, uri: str | None = None) -> Settings:
    overrides: dict[str, Any] = {}
    if store:
        overrides["store"] = store
    if db:
        overrides["db_path"] = db
    if uri:
        overrides["neo4j_uri"] = uri
    return Settings(**overrides)


def _open(store: str | None, db: Path | None, uri: str | None) -> GraphStore:
    try:
        return open_store(_settings(store, db, uri))
    except GraphError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _import(store: GraphStore, doc: Any, label: str) -> None:
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        summary = import_dataset(store, doc, progress=tick)
    console.print(summary.model_dump())


def _report_invalid(exc: InvalidDataset) -> None:
    """One plain line per bad record (no wrapping: scripts read these)."""
    for e in exc.errors:
        sys.stderr.write(f"{e}\n")
    sys.stderr.write(f"{len(exc.errors)} invalid record(s); nothing was written.\n")


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="dataset v1 JSON")],
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Validate a dataset v1 file, then upsert it into the store."""
    with _open(store, db, neo4j_uri) as s:
        try:
            doc = load_dataset_file(file)
            _import(s, doc, f"importing {file.name}")
        except InvalidDataset as exc:
            _report_invalid(exc)
            raise typer.Exit(1) from exc


@app.command("export")
def export_cmd(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="where to write (- for stdout)")],
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Write the whole store as a dataset v1 file."""
    with _open(store, db, neo4j_uri) as s:
        text = json.dumps(export_dataset(s), ensure_ascii=False, indent=2) + "\n"
    if str(file) == "-":
        sys.stdout.write(text)
    else:
        file.write_text(text, encoding="utf-8")
        err.print(f"wrote {file}")


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of dataset v1."""
    sys.stdout.write(json.dumps(dataset_json_schema(), indent=2, ensure_ascii=False) + "\n")


@app.command("counts")
def counts_cmd(store: StoreOpt = None, db: DbOpt = None, neo4j_uri: UriOpt = None) -> None:
    """Node and relationship counts of the store."""
    with _open(store, db, neo4j_uri) as s:
        counts = s.counts()
    table = Table("label / type", "count")
    for key, value in counts.items():
        table.add_row(key, str(value))
    console.print(table)


@app.command("seed")
def seed_cmd(
    synthetic: Annotated[
        bool, typer.Option("--synthetic", help="generate instead of the demo")
    ] = False,
    accounts: Annotated[int, typer.Option(min=1)] = 10,
    contacts_per_account: Annotated[int, typer.Option(min=1)] = 30,
    seed: Annotated[int, typer.Option()] = 1,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="write the file only")
    ] = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Load the demo dataset, or a deterministic synthetic one, into the store (or a file)."""
    from seeds import generate, load_demo

    t0 = time.perf_counter()
    doc = generate(accounts, contacts_per_account, seed) if synthetic else load_demo()
    if output is not None:
        output.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        err.print(f"wrote {output} in {time.perf_counter() - t0:.1f}s")
        return
    with _open(store, db, neo4j_uri) as s:
        try:
            _import(s, doc, "seeding")
        except InvalidDataset as exc:
            _report_invalid(exc)
            raise typer.Exit(1) from exc


@app.command("serve")
def serve_cmd(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Run the HTTP service (GraphQL at /graphql, health at /health)."""
    import uvicorn

    from gql.app import create_app

    settings = _settings(store, db, neo4j_uri)
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


@app.command("demo")
def demo_cmd(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    db: Annotated[Path, typer.Option("--db", help="embedded store file")] = Path(
        "stakegraph-demo.db"
    ),
    no_serve: Annotated[bool, typer.Option("--no-serve", help="load the data and exit")] = False,
) -> None:
    """Load the demo dataset into the embedded store and start the service."""
    from seeds import load_demo

    settings = Settings(store="embedded", db_path=db, demo_mode=True)
    with open_store(settings) as s:
        _import(s, load_demo(), "loading demo")
    if no_serve:
        return
    import uvicorn

    from gql.app import create_app

    bind_port = port or settings.port
    err.print(f"stakegraph demo on http://{host or settings.host}:{bind_port}  (health: /health)")
    uvicorn.run(create_app(settings), host=host or settings.host, port=bind_port, log_level="info")


# ------------------------------------------------------------------------ neo4j


@neo4j_app.command("start")
def neo4j_start(
    port: Annotated[int, typer.Option()] = 7687,
    data_dir: Annotated[Path | None, typer.Option()] = None,
) -> None:
    """Fetch Neo4j 5.26 jars from Maven Central (once) and start a server on 127.0.0.1."""
    from stakegraph import neo4j_local

    try:
        server = neo4j_local.start(port=port, data_dir=data_dir)
    except neo4j_local.Neo4jLaunchError as exc:
        err.print(f"[red]Neo4j did not start:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(f"Neo4j running at {server.uri} (pid {server.pid}, data {server.data_dir})")
    console.print(f"export NEO4J_URI={server.uri}")


@neo4j_app.command("stop")
def neo4j_stop(port: Annotated[int, typer.Option()] = 7687) -> None:
    """Stop the local Neo4j server."""
    from stakegraph import neo4j_local

    stopped = neo4j_local.stop(port=port)
    console.print("stopped" if stopped else "not running")


@neo4j_app.command("status")
def neo4j_status(port: Annotated[int, typer.Option()] = 7687) -> None:
    """Tell whether the local Neo4j server runs."""
    from stakegraph import neo4j_local

    server = neo4j_local.status(port=port)
    if server is None:
        console.print("not running")
        raise typer.Exit(1)
    console.print(f"running at {server.uri} (pid {server.pid})")


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
