"""Data commands: import, export, schema, counts, seed."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from stakegraph.cli.common import (
    DbOpt,
    StoreOpt,
    UriOpt,
    console,
    err,
    open_scope,
    progress_bar,
    report_invalid,
)
from stakegraph.graph.dataset import dataset_json_schema, load_dataset_file
from stakegraph.graph.errors import InvalidDataset
from stakegraph.service import datasets
from stakegraph.service.scope import Scope

__all__ = ["load", "register"]


def load(scope: Scope, doc: Any, label: str) -> None:
    """Import a document with a progress bar and print what it changed."""
    with progress_bar(label) as bar:
        task = bar.add_task(label, total=None)
        summary = datasets.import_dataset(
            scope, doc, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    console.print(summary.model_dump())


def import_cmd(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="dataset v1 JSON")],
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Validate a dataset v1 file, then upsert it into the store."""
    try:
        doc = load_dataset_file(file)
    except InvalidDataset as exc:
        report_invalid(exc)
        raise typer.Exit(1) from exc
    with open_scope(store, db, neo4j_uri) as scope:
        load(scope, doc, f"importing {file.name}")


def export_cmd(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="where to write (- for stdout)")],
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Write the whole store as a dataset v1 file."""
    with open_scope(store, db, neo4j_uri) as scope:
        text = json.dumps(datasets.export_dataset(scope), ensure_ascii=False, indent=2) + "\n"
    if str(file) == "-":
        sys.stdout.write(text)
    else:
        file.write_text(text, encoding="utf-8")
        err.print(f"wrote {file}")


def schema_cmd() -> None:
    """Print the JSON Schema of dataset v1."""
    sys.stdout.write(json.dumps(dataset_json_schema(), indent=2, ensure_ascii=False) + "\n")


def counts_cmd(store: StoreOpt = None, db: DbOpt = None, neo4j_uri: UriOpt = None) -> None:
    """Node and relationship counts of the store."""
    with open_scope(store, db, neo4j_uri) as scope:
        counts = datasets.store_counts(scope)
    table = Table("label / type", "count")
    for key, value in counts.items():
        table.add_row(key, str(value))
    console.print(table)


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
    from stakegraph.seeds import generate, load_demo

    t0 = time.perf_counter()
    doc = generate(accounts, contacts_per_account, seed) if synthetic else load_demo()
    if output is not None:
        output.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        err.print(f"wrote {output} in {time.perf_counter() - t0:.1f}s")
        return
    with open_scope(store, db, neo4j_uri) as scope:
        load(scope, doc, "seeding")


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)
    app.command("schema")(schema_cmd)
    app.command("counts")(counts_cmd)
    app.command("seed")(seed_cmd)
