"""What every command shares: the app, the store options, opening a scope, errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from stakegraph.cli.messages import Lang, t, use
from stakegraph.graph.errors import GraphError, InvalidDataset, StoreUnavailable
from stakegraph.graph.store import GraphStore
from stakegraph.service.access import Principal, Role
from stakegraph.service.datasets import holds_accounts
from stakegraph.service.errors import BadInput, ServiceError
from stakegraph.service.logs import configure_logging
from stakegraph.service.scope import Scope
from stakegraph.service.settings import ConfigError, Settings, load_settings, open_store

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
    "failure",
    "open_scope",
    "open_store_or_exit",
    "progress_bar",
    "report_invalid",
    "settings_of",
    "t",
    "write_text",
]

app = typer.Typer(
    help="stakegraph: stakeholder intelligence for B2B key-account sales.", no_args_is_help=True
)

console = Console()
err = Console(stderr=True, soft_wrap=True)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        console.print(f"stakegraph {version('stakegraph')}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="print the version and exit"
        ),
    ] = False,
    lang: Annotated[
        Lang | None,
        typer.Option("--lang", help="language of the output (default: STAKEGRAPH_LANG, else en)"),
    ] = None,
) -> None:
    """stakegraph: stakeholder intelligence for B2B key-account sales."""
    if lang is None:
        try:
            lang = load_settings().default_lang
        except ConfigError:
            lang = "en"  # the command itself reports the mistake
    use(lang)


#: The local operator: whoever runs the CLI has the store's files or credentials.
OPERATOR = Principal(name="cli", role=Role.ADMIN)

StoreOpt = Annotated[
    Literal["auto", "embedded", "neo4j"] | None,
    typer.Option("--store", help="the store (default: STAKEGRAPH_STORE)"),
]
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
    store: str | None = None, db: Path | None = None, uri: str | None = None, **more: Any
) -> Settings:
    """The settings with the command's overrides; a mistake is one line, exit 2."""
    overrides: dict[str, Any] = dict(more)
    if store:
        overrides["store"] = store
    if db:
        overrides["db_path"] = db
    if uri:
        overrides["neo4j_uri"] = uri
    try:
        settings = load_settings(**overrides)
    except ConfigError as exc:
        err.print(f"[red]{t('error')}[/red] {exc}", highlight=False, markup=True)
        raise typer.Exit(2) from exc
    # A command tells its outcome in one line of its own; the log adds only errors
    # (`serve` reconfigures logging with the configured level).
    quiet = "ERROR" if settings.log_level in ("DEBUG", "INFO", "WARNING") else settings.log_level
    configure_logging(settings.model_copy(update={"log_level": quiet}))
    return settings


def open_store_or_exit(settings: Settings) -> GraphStore:
    """The configured store; one line and exit 1 when it cannot be reached, exit 2
    when it refuses the configuration."""
    try:
        return open_store(settings)
    except StoreUnavailable as exc:
        err.print(f"[red]{t('error')}[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    except (GraphError, ValueError) as exc:
        err.print(f"[red]{t('error')}[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc


#: What a command needs of the store: ``data`` (at least one account), ``store`` (a
#: store that exists; the embedded file is never created by a reading command) or
#: ``nothing`` (it writes: the store is created when missing).
Needs = Literal["data", "store", "nothing"]


@contextmanager
def open_scope(
    store: str | None, db: Path | None, uri: str | None, *, needs: Needs = "data"
) -> Iterator[Scope]:
    """The operator's scope over the configured store; errors of the application layer
    become one line on stderr and exit 1 (2 for bad input). A command that reads
    refuses a missing or empty store with one line instead of answering from nothing."""
    settings = settings_of(store, db, uri)
    if needs != "nothing" and settings.backend == "embedded" and not settings.db_path.exists():
        failure(t("no_store", where=settings.db_path, first_step=t("first_step")))
        raise typer.Exit(1)
    with open_store_or_exit(settings) as s:
        scope = Scope(s, settings, OPERATOR)
        if needs == "data" and not holds_accounts(scope):
            where = settings.db_path if settings.backend == "embedded" else settings.neo4j_uri
            failure(t("no_account", where=where, first_step=t("first_step")))
            raise typer.Exit(1)
        try:
            yield scope
        except ServiceError as exc:
            raise fail(exc, code=2 if isinstance(exc, BadInput) else 1) from exc
        except InvalidDataset as exc:
            report_invalid(exc)
            raise typer.Exit(1) from exc
        except GraphError as exc:
            raise fail(exc) from exc


def as_of_date(text: str | None, option: str = "--as-of") -> date:
    """The day ``text`` names (today, UTC, when none); a bad date is exit 2 naming
    ``option`` and the value."""
    if text is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        failure(t("bad_date", option=option, value=text))
        raise typer.Exit(2) from exc


def choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        failure(t("bad_choice", option=option, value=value, allowed=", ".join(allowed)))
        raise typer.Exit(2)
    return value


def write_text(
    text: str, output: Path | None, *, default: Path | None = None, bom: bool = False
) -> None:
    """Write ``text`` to ``output`` (``-``: stdout); without one, to ``default`` when
    given (a page is never dumped into a terminal), else to stdout. ``bom``: a UTF-8
    byte-order mark first, so spreadsheet programs read the file as UTF-8."""
    if output is None:
        output = default
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8-sig" if bom else "utf-8")
    err.print(t("wrote", path=output, kib=len(text.encode()) // 1024 or 1), highlight=False)


def fail(exc: Exception, *, code: int = 1) -> typer.Exit:
    message = exc.message if isinstance(exc, ServiceError) else str(exc)
    if isinstance(exc, ServiceError) and exc.code is not None:
        message = t(exc.code, **exc.params)
    failure(message)
    return typer.Exit(code)


def failure(message: str) -> None:
    """One error line on stderr (markup in ``message`` is printed as it is)."""
    err.print(f"[red]{t('error')}[/red] ", end="", highlight=False)
    err.print(message, highlight=False, markup=False)


def report_invalid(exc: InvalidDataset) -> None:
    """One plain line per bad record (no wrapping: scripts read these)."""
    for e in exc.errors:
        sys.stderr.write(f"{e}\n")
    sys.stderr.write(t("invalid_records", n=len(exc.errors)) + "\n")


def progress_bar(label: str) -> Progress:
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
