"""Analysis commands: report, grade, whatif, map."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table
from rich.text import Text

from stakegraph.cli.common import (
    AsOfOpt,
    DbOpt,
    StoreOpt,
    UriOpt,
    as_of_date,
    console,
    err,
    open_scope,
    progress_bar,
    write_text,
)
from stakegraph.graph.model import Label, node_key
from stakegraph.reports.method_view import method_view_page, render_method_view
from stakegraph.reports.render import render_account, render_portfolio
from stakegraph.reports.whatif import comparison
from stakegraph.service import analysis, insights, interchange, maps, plans, portfolio, reports
from stakegraph.service.whatif_specs import ChangeSpecError, parse_changes
from stakegraph.viz.page import account_map_html

__all__ = ["register"]

Fmt = Literal["html", "md", "json", "csv"]
FormatOpt = Annotated[Fmt, typer.Option("--format", "-f", help="the report's format")]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        dir_okay=False,
        help="file, - for stdout (default: stdout; HTML: ACCOUNT-report.html)",
    ),
]
LangOpt = Annotated[Literal["en", "zh"], typer.Option("--lang", help="language of the labels")]
OpportunityOpt = Annotated[
    str | None, typer.Option("--opportunity", help="focus on one opportunity (id)")
]


def report_cmd(
    account_id: Annotated[str | None, typer.Argument(help="the account (Company id)")] = None,
    portfolio_: Annotated[
        bool, typer.Option("--portfolio", help="one row per account of a portfolio")
    ] = False,
    rep: Annotated[str | None, typer.Option("--rep", help="portfolio of this rep")] = None,
    team: Annotated[str | None, typer.Option("--team", help="portfolio of this team")] = None,
    fmt: FormatOpt = "html",
    output: OutputOpt = None,
    opportunity: OpportunityOpt = None,
    lang: LangOpt = "en",
    method: Annotated[
        Literal["meddpicc", "bluesheet", "altify"] | None,
        typer.Option("--method", help="the deal in a sales method's words"),
    ] = None,
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Influence report of one account, or of a portfolio (HTML, Markdown, JSON or CSV)."""
    if method is not None:
        _method_report(
            account_id, method, fmt, output, opportunity, lang, as_of, store, db, neo4j_uri
        )
        return
    day = as_of_date(as_of)
    if portfolio_ == (account_id is not None) or (not portfolio_ and (rep or team)):
        err.print("[red]error:[/red] give ACCOUNT_ID, or --portfolio [--rep R | --team T]")
        raise typer.Exit(2)
    with open_scope(store, db, neo4j_uri) as scope:
        if account_id is not None:
            report = reports.account_report(
                scope, account_id, as_of=day, opportunity_id=opportunity
            )
            text = render_account(report, fmt, lang=lang, settings=scope.analysis_settings)
        else:
            with progress_bar(f"analysing accounts ({reports.BATCH_SIZE} per batch)") as bar:
                task = bar.add_task("accounts", total=None)
                result = reports.portfolio_report(
                    scope,
                    rep_id=rep,
                    team_id=team,
                    as_of=day,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            text = render_portfolio(result, fmt, lang=lang)
    default = Path(f"{account_id or 'portfolio'}-report.html") if fmt == "html" else None
    write_text(text, output, default=default, bom=fmt == "csv")


METHOD_NAMES = {"meddpicc": "meddpicc", "bluesheet": "blue_sheet", "altify": "altify"}


def _method_report(
    account_id: str | None,
    method: Literal["meddpicc", "bluesheet", "altify"],
    fmt: Fmt,
    output: Path | None,
    opportunity: str | None,
    lang: Literal["en", "zh"],
    as_of: str | None,
    store: str | None,
    db: Path | None,
    neo4j_uri: str | None,
) -> None:
    """``report ACCOUNT --method M``: one deal (``--opportunity``, default the first
    open one) letter by letter or box by box, as HTML or Markdown."""
    if fmt not in ("html", "md"):
        err.print(f"[red]error:[/red] --method reports are html or md, not {fmt!r}")
        raise typer.Exit(2)
    day = as_of_date(as_of)
    if account_id is None:
        err.print("[red]error:[/red] --method needs ACCOUNT_ID")
        raise typer.Exit(2)
    with open_scope(store, db, neo4j_uri) as scope:
        view = interchange.method_view(
            scope, account_id, opportunity, METHOD_NAMES[method], as_of=day
        )
    text = (
        method_view_page(view, lang=lang)
        if fmt == "html"
        else render_method_view(view, "md", lang=lang)
    )
    default = Path(f"{account_id}-{method}.html") if fmt == "html" else None
    write_text(text, output, default=default)


def grade_cmd(
    rep: Annotated[str, typer.Option("--rep", help="the rep (Rep id)")],
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Grade a rep (大客户销售分级) from the STRATEGIC and KEY accounts it owns."""
    day = as_of_date(as_of)
    with open_scope(store, db, neo4j_uri) as scope:
        result = portfolio.rep_grade(scope, rep, day)
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
    all_rows: Annotated[
        bool, typer.Option("--all", help="every metric, also those that did not change")
    ] = False,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Before/after analytics of hypothetical changes (§3.12); nothing is written."""
    day = as_of_date(as_of)
    with open_scope(store, db, neo4j_uri) as scope:
        try:
            changes = parse_changes(
                scope.view(account_id).graph,
                leave=leave or [],
                stance=stance or [],
                level=level or [],
                tie=tie or [],
                opportunity_id=opportunity,
            )
            if not changes:
                raise ChangeSpecError("give at least one of --leave, --stance, --level, --tie")
        except ChangeSpecError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        result = analysis.what_if(scope, account_id, changes, as_of=day, opportunity_id=opportunity)
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    rows = comparison(result)
    shown = rows if all_rows else [r for r in rows if r.changed]
    table = Table("", "metric", "before", "after", title=f"what-if on {account_id} as of {day}")
    for row in shown:
        style = "bold" if row.changed and all_rows else None
        table.add_row("*" if row.changed else "", row.metric, row.before, row.after, style=style)
    console.print(table)
    changed = sum(r.changed for r in rows)
    hidden = len(rows) - len(shown)
    tail = f"; {hidden} unchanged hidden (--all shows them)" if hidden else ""
    console.print(f"{changed} of {len(rows)} metrics change{tail}", highlight=False)


def map_cmd(
    account_id: Annotated[str, typer.Argument(help="the account (Company id)")],
    output: Annotated[Path, typer.Option("-o", "--output", dir_okay=False, help="HTML file")],
    view: Annotated[Literal["org", "political"], typer.Option("--view", help="which map")] = "org",
    opportunity: Annotated[str | None, typer.Option("--opportunity", help="scope to one")] = None,
    lang: LangOpt = "en",
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Write an account's org chart or political map as one standalone HTML file."""
    day = as_of_date(as_of)
    with open_scope(store, db, neo4j_uri) as scope:
        shown = maps.map_view(scope, account_id, opportunity_id=opportunity)
        html = account_map_html(
            shown.graph,
            view=view,
            as_of=day,
            opportunity_id=opportunity,
            lang=lang,
            settings=scope.analysis_settings,
            suggestions=insights.account_suggestions(scope, account_id, day),
            collapse_above=scope.settings.org_collapse_above,
        )
    output.write_text(html, encoding="utf-8")
    err.print(f"wrote {output} ({len(html.encode()) // 1024} KiB)")


def plan_cmd(
    account_id: Annotated[str, typer.Argument(help="the account (Company id)")],
    as_of: AsOfOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the targets and the gap as JSON")
    ] = False,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """The account's relationship plan (§3.18): every target, the unmet ones (the gap)
    first — overdue ones first — with the contact to work on, its best path and gain."""
    day = as_of_date(as_of)
    with open_scope(store, db, neo4j_uri) as scope:
        plan = plans.account_plan(scope, account_id, day)
        g = scope.view(account_id).graph
        owners = sorted({t.rep_id for t in plan.targets if t.rep_id})
        reps = scope.visible_records(Label.REP, owners)
    if as_json:
        doc = {
            "account_id": plan.company_id,
            "as_of": plan.as_of.isoformat(),
            "targets": [
                {
                    "id": t.id,
                    "contact_id": t.contact_id,
                    "opportunity_id": t.opportunity_id,
                    "rep_id": t.rep_id,
                    **t.target.model_dump(mode="json", exclude={"id"}),
                }
                for t in plan.targets
            ],
            "gap": [i.model_dump(mode="json") for i in plan.gap],
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return

    def name(label: Label, node_id: str | None) -> str:
        if node_id is None:
            return ""
        attrs = g.nodes.get(node_key(label, node_id), {})
        return str(attrs.get("name") or node_id)

    table = Table(
        "target", "status", "level", "target level", "due", "owner", "work on", "best path",
        "score gain", "note", title=f"relationship plan of {account_id} as of {day}",
    )  # fmt: skip
    gap = {i.target_id: i for i in plan.gap}
    ordered = [t for i in plan.gap for t in plan.targets if t.id == i.target_id]
    ordered += [t for t in plan.targets if t.id not in gap]
    for t in ordered:
        item = gap.get(t.id)
        who = (
            name(Label.CONTACT, t.contact_id)
            if t.contact_id
            else f"{t.target.role} (any)"
            + (f" · {name(Label.OPPORTUNITY, t.opportunity_id)}" if t.opportunity_id else "")
        )
        status = "met" if item is None else ("overdue" if item.overdue else "open")
        path = ""
        if item is not None and item.path is not None:
            hops = " → ".join(
                str(g.nodes.get(k, {}).get("name") or k.partition(":")[2])
                for k in item.path.node_keys
            )
            path = f"{hops} (p={item.path.probability:.3f})"
        rep = reps.get(t.rep_id or "")
        table.add_row(
            Text(f"{who} [{t.id}]"),
            status,
            str(item.level) if item is not None else "≥ " + str(t.target.level),
            str(t.target.level),
            t.target.due.isoformat() if t.target.due else "",
            Text(str(getattr(rep, "name", t.rep_id or ""))),
            Text(name(Label.CONTACT, item.contact_id) if item is not None else ""),
            Text(path),
            f"{item.score_gain:+.2f}" if item is not None else "",
            Text(t.target.note or ""),
        )
    if not plan.targets:
        console.print(f"{account_id} has no relationship plan: no targets set")
        return
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
    app.command("plan")(plan_cmd)
    app.command("grade")(grade_cmd)
    app.command("whatif")(whatif_cmd)
    app.command("map")(map_cmd)
    app.command("whitespace")(whitespace_cmd)


def whitespace_cmd(
    headquarters: Annotated[
        str | None, typer.Argument(help="one group's headquarters (Company id); default: all")
    ] = None,
    as_of: AsOfOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the groups as JSON")] = False,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """总部-分公司 whitespace (§3.13): products a branch has not bought that another branch
    of its group has, and likely headquarters programmes."""
    day = as_of_date(as_of)
    with open_scope(store, db, neo4j_uri) as scope:
        groups = portfolio.whitespace(scope, headquarters, as_of=day)
    if as_json:
        sys.stdout.write(
            json.dumps([g.result.model_dump(mode="json") for g in groups], ensure_ascii=False)
            + "\n"
        )
        return
    if not groups:
        console.print("no headquarters with branches in the store")
        return
    for g in groups:
        table = Table(
            "branch",
            "product not bought",
            "bought by",
            title=f"group of {g.headquarters_id} ({len(g.branch_ids)} branches) as of {day}",
        )
        for company_id, product, won_by in g.items:
            table.add_row(company_id, product, ", ".join(won_by))
        console.print(table)
        for p in g.programmes:
            when = f", won {p.first_won} … {p.last_won}" if p.first_won else ""
            cov = p.headquarters_kdm_coverage
            ratio = f"; headquarters KDM coverage {cov.ratio:.0%}" if cov and cov.ratio else ""
            console.print(
                f"likely headquarters programme: {p.product} "
                f"(branches {', '.join(p.branch_ids)}{when}){ratio}",
                highlight=False,
            )
