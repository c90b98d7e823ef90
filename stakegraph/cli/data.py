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
    t,
)
from stakegraph.graph.dataset import dataset_json_schema, load_dataset_file
from stakegraph.graph.errors import InvalidDataset
from stakegraph.graph.store import WriteSummary
from stakegraph.service import datasets
from stakegraph.service.scope import Scope

__all__ = ["load", "print_summary", "register"]


JsonOpt = Annotated[bool, typer.Option("--json", help="print the summary as JSON")]


def load(scope: Scope, doc: Any, label: str, *, as_json: bool = False) -> WriteSummary:
    """Import a document with a progress bar and print what it changed (and that it
    completed an interrupted import of the same document)."""
    interrupted = datasets.interrupted_import(scope, doc)
    with progress_bar(label) as bar:
        task = bar.add_task(label, total=None)
        summary = datasets.import_dataset(
            scope, doc, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    print_summary(summary, as_json=as_json)
    if interrupted is not None:
        done, total, same = interrupted
        key = "import.completed" if same else "import.after_interrupted"
        err.print(t(key, done=done, total=total))
    return summary


def print_summary(summary: WriteSummary, *, as_json: bool = False) -> None:
    """What a write changed: a table for people, ``--json`` for scripts."""
    if as_json:
        sys.stdout.write(summary.model_dump_json() + "\n")
        return
    table = Table("", *(t(f"col.{c}") for c in ("created", "updated", "unchanged", "deleted")))
    table.add_row(
        t("row.records"),
        str(summary.nodes_created),
        str(summary.nodes_updated),
        str(summary.nodes_unchanged),
        "",
    )
    table.add_row(
        t("row.relationships"),
        str(summary.relationships_created),
        str(summary.relationships_updated),
        str(summary.relationships_unchanged),
        str(summary.relationships_deleted),
    )
    console.print(table)
    console.print(t("changes_recorded", n=summary.changes_recorded))


def import_cmd(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="dataset v1 JSON")],
    as_json: JsonOpt = False,
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
    with open_scope(store, db, neo4j_uri, needs="nothing") as scope:
        load(scope, doc, t("importing", name=file.name), as_json=as_json)


def export_cmd(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="where to write (- for stdout)")],
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Write the whole store as a dataset v1 file."""
    with open_scope(store, db, neo4j_uri, needs="store") as scope:
        text = json.dumps(datasets.export_dataset(scope), ensure_ascii=False, indent=2) + "\n"
    if str(file) == "-":
        sys.stdout.write(text)
    else:
        file.write_text(text, encoding="utf-8")
        err.print(t("wrote_plain", path=file), highlight=False)


def schema_cmd() -> None:
    """Print the JSON Schema of dataset v1."""
    sys.stdout.write(json.dumps(dataset_json_schema(), indent=2, ensure_ascii=False) + "\n")


def counts_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="print the counts as JSON")] = False,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Node and relationship counts of the store."""
    with open_scope(store, db, neo4j_uri, needs="store") as scope:
        counts = datasets.store_counts(scope)
    if as_json:
        sys.stdout.write(json.dumps(counts) + "\n")
        return
    table = Table(t("col.label_type"), t("col.count"))
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
    if_empty: Annotated[
        bool,
        typer.Option("--if-empty", help="only into a store without accounts (safe on every start)"),
    ] = False,
    as_json: JsonOpt = False,
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
        err.print(t("wrote_in", path=output, seconds=time.perf_counter() - t0), highlight=False)
        return
    with open_scope(store, db, neo4j_uri, needs="nothing") as scope:
        if if_empty and datasets.holds_accounts(scope):
            err.print(t("seed.not_empty"))
            return
        load(scope, doc, t("seeding"), as_json=as_json)


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)
    app.command("schema")(schema_cmd)
    app.command("counts")(counts_cmd)
    app.command("seed")(seed_cmd)
