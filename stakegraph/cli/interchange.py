"""Interchange commands: import-table (CSV / Excel / CRM exports), export-graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from stakegraph.cli.common import (
    AsOfOpt,
    DbOpt,
    StoreOpt,
    UriOpt,
    as_of_date,
    err,
    failure,
    open_scope,
    progress_bar,
    t,
    write_text,
)
from stakegraph.cli.data import print_summary
from stakegraph.graph.table_mapping import packaged_mappings
from stakegraph.service import interchange

__all__ = ["register"]


def import_table_cmd(
    files: Annotated[
        list[Path],
        typer.Argument(help="CSV files, .xlsx workbooks, folders of them or .zip archives"),
    ],
    mapping: Annotated[
        str,
        typer.Option(
            "--mapping",
            "-m",
            help=f"a shipped mapping ({', '.join(packaged_mappings())}) or a TOML mapping file",
        ),
    ],
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="force the CSV encoding (default: detected)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Import spreadsheets or CRM exports through a mapping: every cell is checked
    first; one bad cell and nothing is written (one line per bad cell, exit 1)."""
    with (
        open_scope(store, db, neo4j_uri, needs="nothing") as scope,
        progress_bar(t("importing_tables")) as bar,
    ):
        task = bar.add_task("importing", total=None)
        result = interchange.import_tables(
            scope,
            files,
            mapping,
            encoding=encoding,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    for warning in result.dataset.warnings:
        err.print(f"{t('warning')} {warning}", markup=False)
    for sheet, rows in result.dataset.rows.items():
        err.print(t("sheet_rows", sheet=sheet, rows=rows), markup=False)
    print_summary(result.summary, as_json=as_json)


def export_graph_cmd(
    account_id: Annotated[str | None, typer.Argument(help="the account (Company id)")] = None,
    fmt: Annotated[
        Literal["graphml", "gexf", "cypher"], typer.Option("--format", "-f", help="the file format")
    ] = "graphml",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", dir_okay=False, help="file (default: stdout)")
    ] = None,
    portfolio_: Annotated[
        bool, typer.Option("--portfolio", help="every account of a portfolio in one graph")
    ] = False,
    rep: Annotated[str | None, typer.Option("--rep", help="portfolio of this rep")] = None,
    team: Annotated[str | None, typer.Option("--team", help="portfolio of this team")] = None,
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """The account subgraph (or a portfolio's) with every property and the computed
    influence, stance and roles: GraphML / GEXF (Gephi, yEd) or a Cypher script (Neo4j)."""
    day = as_of_date(as_of)
    if portfolio_ == (account_id is not None) or (not portfolio_ and (rep or team)):
        failure(t("give_account_or_portfolio"))
        raise typer.Exit(2)
    with open_scope(store, db, neo4j_uri) as scope:
        if account_id is not None:
            text = interchange.account_graph(scope, account_id, fmt, as_of=day)
        else:
            text = interchange.portfolio_graph(scope, fmt, rep_id=rep, team_id=team, as_of=day)
    write_text(text, output)


def register(app: typer.Typer) -> None:
    app.command("import-table")(import_table_cmd)
    app.command("export-graph")(export_graph_cmd)
