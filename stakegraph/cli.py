"""The ``stakegraph`` command line: a thin composition root over the packages."""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from stakegraph.config import Settings, open_store
from stakegraph.graph.dataset import (
    dataset_json_schema,
    export_dataset,
    import_dataset,
    load_dataset_file,
)
from stakegraph.graph.errors import GraphError, InvalidDataset
from stakegraph.graph.store import GraphStore

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
    from stakegraph.seeds import generate, load_demo

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

    from stakegraph.gql.app import create_app

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
    from stakegraph.seeds import load_demo

    settings = Settings(store="embedded", db_path=db, demo_mode=True)
    with open_store(settings) as s:
        _import(s, load_demo(), "loading demo")
    if no_serve:
        return
    import uvicorn

    from stakegraph.gql.app import create_app

    bind_port = port or settings.port
    err.print(f"stakegraph demo on http://{host or settings.host}:{bind_port}  (health: /health)")
    uvicorn.run(create_app(settings), host=host or settings.host, port=bind_port, log_level="info")


@app.command("map")
def map_cmd(
    account_id: Annotated[str, typer.Argument(help="the account (Company id)")],
    output: Annotated[Path, typer.Option("-o", "--output", dir_okay=False, help="HTML file")],
    view: Annotated[str, typer.Option("--view", help="org | political")] = "org",
    opportunity: Annotated[str | None, typer.Option("--opportunity", help="scope to one")] = None,
    lang: Annotated[str, typer.Option("--lang", help="en | zh")] = "en",
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Write an account's org chart or political map as one standalone HTML file."""
    from datetime import UTC, datetime

    from stakegraph.viz.page import account_map_html

    if view not in ("org", "political") or lang not in ("en", "zh"):
        sys.stderr.write("error: --view is org or political; --lang is en or zh\n")
        raise typer.Exit(2)
    settings = _settings(store, db, neo4j_uri)
    with _open(store, db, neo4j_uri) as s:
        try:
            g = s.account_subgraph(account_id)
            html = account_map_html(
                g,
                view=view,
                as_of=datetime.now(UTC).date(),
                opportunity_id=opportunity,
                lang=lang,
                settings=settings.analysis,
            )
        except GraphError as exc:
            sys.stderr.write(f"error: {exc}\n")
            raise typer.Exit(1) from exc
    output.write_text(html, encoding="utf-8")
    err.print(f"wrote {output} ({len(html.encode()) // 1024} KiB)")


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


# ---------------------------------------------------------------- influence reports

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="html | md | json | csv")]
OutputOpt = Annotated[
    Path | None, typer.Option("-o", "--output", dir_okay=False, help="file (default: stdout)")
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="date analysed, YYYY-MM-DD (default: today, UTC)")
]
LangOpt = Annotated[str, typer.Option("--lang", help="labels: en | zh")]
OpportunityOpt = Annotated[
    str | None, typer.Option("--opportunity", help="focus on one opportunity (id)")
]


def _as_of(text: str | None) -> date:
    if text is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        err.print(f"[red]error:[/red] --as-of {text!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from exc


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        err.print(f"[red]error:[/red] {option} {value!r}: one of {', '.join(allowed)}")
        raise typer.Exit(2)
    return value


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    err.print(f"wrote {output}")


def _fail(exc: Exception) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}")
    return typer.Exit(1)


def _progress_bar(label: str) -> Progress:
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@app.command("report")
def report_cmd(
    account_id: Annotated[str | None, typer.Argument(help="the account (Company id)")] = None,
    portfolio: Annotated[
        bool, typer.Option("--portfolio", help="one row per account of a portfolio")
    ] = False,
    rep: Annotated[str | None, typer.Option("--rep", help="portfolio of this rep")] = None,
    team: Annotated[str | None, typer.Option("--team", help="portfolio of this team")] = None,
    fmt: FormatOpt = "html",
    output: OutputOpt = None,
    opportunity: OpportunityOpt = None,
    lang: LangOpt = "en",
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Influence report of one account, or of a portfolio (HTML, Markdown, JSON or CSV)."""
    from stakegraph.reports.i18n import LANGS
    from stakegraph.reports.model import BATCH_SIZE, account_report, portfolio_report
    from stakegraph.reports.render import FORMATS, render_account, render_portfolio

    fmt = _choice("--format", fmt, FORMATS)
    lang = _choice("--lang", lang, LANGS)
    day = _as_of(as_of)
    if portfolio == (account_id is not None) or (not portfolio and (rep or team)):
        err.print("[red]error:[/red] give ACCOUNT_ID, or --portfolio [--rep R | --team T]")
        raise typer.Exit(2)
    settings = _settings(store, db, neo4j_uri).analysis
    with _open(store, db, neo4j_uri) as s:
        try:
            if account_id is not None:
                report = account_report(
                    s.account_subgraph(account_id),
                    as_of=day,
                    settings=settings,
                    opportunity_id=opportunity,
                )
                text = render_account(report, fmt, lang=lang, settings=settings)  # type: ignore[arg-type]
            else:
                with _progress_bar(f"analysing accounts ({BATCH_SIZE} per batch)") as bar:
                    task = bar.add_task("accounts", total=None)
                    result = portfolio_report(
                        s,
                        as_of=day,
                        settings=settings,
                        rep_id=rep,
                        team_id=team,
                        progress=lambda done, total: bar.update(task, completed=done, total=total),
                    )
                text = render_portfolio(result, fmt, lang=lang)  # type: ignore[arg-type]
        except GraphError as exc:
            raise _fail(exc) from exc
    _write(text, output)


@app.command("grade")
def grade_cmd(
    rep: Annotated[str, typer.Option("--rep", help="the rep (Rep id)")],
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Grade a rep (大客户销售分级) from the STRATEGIC and KEY accounts it owns."""
    from stakegraph.reports.model import rep_grade_report

    day = _as_of(as_of)
    settings = _settings(store, db, neo4j_uri).analysis
    with _open(store, db, neo4j_uri) as s:
        try:
            with _progress_bar("grading accounts") as bar:
                task = bar.add_task("accounts", total=None)
                result = rep_grade_report(
                    s,
                    rep,
                    as_of=day,
                    settings=settings,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
        except GraphError as exc:
            raise _fail(exc) from exc
    g = result.grade
    summary = Table("rep", "grade", "b (>= BASIC)", "m (>= INTERMEDIATE)", "s (STRONG)", "expert")
    summary.add_row(
        f"{result.name} ({result.rep_id})",
        str(g.grade),
        str(g.basic),
        str(g.intermediate),
        str(g.strong),
        "yes" if g.industry_expert else "no",
    )
    console.print(summary)
    accounts = Table("account", "tier", "grade", "score", "counted", title=f"as of {day}")
    for a in result.accounts:
        accounts.add_row(
            f"{a.name} ({a.company_id})",
            a.tier or "",
            str(a.grade.grade),
            f"{a.grade.score:.1f}",
            "yes" if a.counted else "no",
        )
    console.print(accounts)


@app.command("whatif")
def whatif_cmd(
    account_id: Annotated[str, typer.Argument(help="the account (Company id)")],
    leave: Annotated[
        list[str] | None, typer.Option("--leave", help="CONTACT leaves (repeatable)")
    ] = None,
    stance: Annotated[
        list[str] | None, typer.Option("--stance", help="CONTACT=STANCE (repeatable)")
    ] = None,
    level: Annotated[
        list[str] | None,
        typer.Option(
            "--level",
            help="[REP:]CONTACT=LEVEL (repeatable; no REP: who knows them best, else the owner)",
        ),
    ] = None,
    tie: Annotated[
        list[str] | None, typer.Option("--tie", help="A>B=STRENGTH: A influences B (repeatable)")
    ] = None,
    opportunity: OpportunityOpt = None,
    as_of: AsOfOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the WhatIfResult as JSON")] = False,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Before/after analytics of hypothetical changes (§3.12); nothing is written."""
    from stakegraph.influence.whatif import what_if
    from stakegraph.reports.whatif import ChangeSpecError, comparison, parse_changes

    day = _as_of(as_of)
    settings = _settings(store, db, neo4j_uri).analysis
    with _open(store, db, neo4j_uri) as s:
        try:
            g = s.account_subgraph(account_id)
            changes = parse_changes(
                g,
                leave=leave or [],
                stance=stance or [],
                level=level or [],
                tie=tie or [],
                opportunity_id=opportunity,
            )
            if not changes:
                raise ChangeSpecError("give at least one of --leave, --stance, --level, --tie")
            result = what_if(g, changes, as_of=day, settings=settings, opportunity_id=opportunity)
        except ChangeSpecError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        except GraphError as exc:
            raise _fail(exc) from exc
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    table = Table("", "metric", "before", "after", title=f"what-if on {account_id} as of {day}")
    for row in comparison(result):
        style = "bold" if row.changed else None
        table.add_row("*" if row.changed else "", row.metric, row.before, row.after, style=style)
    console.print(table)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
