"""What every command shares: the app, the store options, opening a scope, errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from stakegraph.graph.errors import GraphError, InvalidDataset
from stakegraph.graph.store import GraphStore
from stakegraph.service.access import Principal, Role
from stakegraph.service.errors import BadInput, ServiceError
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings, open_store

__all__ = [
    "OPERATOR",
    "AsOfOpt",
    "DbOpt",
    "StoreOpt",
    "UriOpt",
    "app",
    "as_of_date",
    "choice",
    "console",
    "err",
    "fail",
    "open_scope",
    "open_store_or_exit",
    "progress_bar",
    "report_invalid",
    "settings_of",
    "write_text",
]

app = typer.Typer(
    help="stakegraph: stakeholder intelligence for B2B key-account sales.", no_args_is_help=True
)

console = Console()
err = Console(stderr=True)

#: The local operator: whoever runs the CLI has the store's files or credentials.
OPERATOR = Principal(name="cli", role=Role.ADMIN)

StoreOpt = Annotated[str | None, typer.Option("--store", help="embedded | neo4j | auto")]
DbOpt = Annotated[Path | None, typer.Option("--db", help="embedded store file")]
UriOpt = Annotated[str | None, typer.Option("--neo4j-uri", help="bolt URI of Neo4j")]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="date analysed, YYYY-MM-DD (default: today, UTC); a past date analyses the "
        "account as it was then (docs/analytics.md §3.17)",
    ),
]


def settings_of(
    store: str | None = None, db: Path | None = None, uri: str | None = None
) -> Settings:
    overrides: dict[str, Any] = {}
    if store:
        overrides["store"] = store
    if db:
        overrides["db_path"] = db
    if uri:
        overrides["neo4j_uri"] = uri
    return Settings(**overrides)


def open_store_or_exit(settings: Settings) -> GraphStore:
    try:
        return open_store(settings)
    except (GraphError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


@contextmanager
def open_scope(store: str | None, db: Path | None, uri: str | None) -> Iterator[Scope]:
    """The operator's scope over the configured store; errors of the application layer
    become one line on stderr and exit 1 (2 for bad input)."""
    settings = settings_of(store, db, uri)
    with open_store_or_exit(settings) as s:
        try:
            yield Scope(s, settings, OPERATOR)
        except ServiceError as exc:
            raise fail(exc, code=2 if isinstance(exc, BadInput) else 1) from exc
        except InvalidDataset as exc:
            report_invalid(exc)
            raise typer.Exit(1) from exc
        except GraphError as exc:
            raise fail(exc) from exc


def as_of_date(text: str | None) -> date:
    if text is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        err.print(f"[red]error:[/red] --as-of {text!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from exc


def choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        err.print(f"[red]error:[/red] {option} {value!r}: one of {', '.join(allowed)}")
        raise typer.Exit(2)
    return value


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    err.print(f"wrote {output}")


def fail(exc: Exception, *, code: int = 1) -> typer.Exit:
    message = exc.message if isinstance(exc, ServiceError) else str(exc)
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


def report_invalid(exc: InvalidDataset) -> None:
    """One plain line per bad record (no wrapping: scripts read these)."""
    for e in exc.errors:
        sys.stderr.write(f"{e}\n")
    sys.stderr.write(f"{len(exc.errors)} invalid record(s); nothing was written.\n")


def progress_bar(label: str) -> Progress:
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
