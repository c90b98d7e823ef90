"""Analysis commands: report, grade, whatif, map."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
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
    failure,
    open_scope,
    progress_bar,
    t,
    write_text,
)
from stakegraph.cli.messages import current
from stakegraph.graph.model import Label, node_key
from stakegraph.influence.models import TimelineStep
from stakegraph.reports.i18n import labels
from stakegraph.reports.method_view import method_view_page, render_method_view
from stakegraph.reports.render import event_text, render_account, render_portfolio
from stakegraph.reports.whatif import comparison
from stakegraph.service import (
    analysis,
    interchange,
    maps,
    plans,
    portfolio,
    reports,
    timeline,
)
from stakegraph.service.whatif_specs import ChangeSpecError, parse_changes
from stakegraph.viz.page import render_map_page

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
LangOpt = Annotated[
    Literal["en", "zh"] | None,
    typer.Option("--lang", help="language of the labels (default: the CLI's language)"),
]
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
    lang: LangOpt = None,
    method: Annotated[
        Literal["meddpicc", "bluesheet", "altify"] | None,
        typer.Option("--method", help="the deal in a sales method's words"),
    ] = None,
    as_of: AsOfOpt = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="portfolio: what changed since this day (YYYY-MM-DD)"),
    ] = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Influence report of one account, or of a portfolio (HTML, Markdown, JSON or CSV)."""
    lang = lang or current()
    if method is not None:
        _method_report(
            account_id, method, fmt, output, opportunity, lang, as_of, store, db, neo4j_uri
        )
        return
    day = as_of_date(as_of)
    if portfolio_ == (account_id is not None) or (not portfolio_ and (rep or team)):
        failure(t("give_account_or_portfolio"))
        raise typer.Exit(2)
    with open_scope(store, db, neo4j_uri) as scope:
        if account_id is not None:
            report = reports.account_report(
                scope, account_id, as_of=day, opportunity_id=opportunity
            )
            text = render_account(report, fmt, lang=lang, settings=scope.analysis_settings)
        else:
            with progress_bar(t("analysing", n=reports.BATCH_SIZE)) as bar:
                task = bar.add_task("accounts", total=None)
                result = reports.portfolio_report(
                    scope,
                    rep_id=rep,
                    team_id=team,
                    as_of=day,
                    since=None if since is None else as_of_date(since),
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
        failure(t("method_formats", fmt=fmt))
        raise typer.Exit(2)
    day = as_of_date(as_of)
    if account_id is None:
        failure(t("method_needs_account"))
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
    summary = Table(
        *(t(k) for k in ("col.rep", "col.grade", "col.basic", "col.intermediate", "col.strong")),
        t("col.expert"),
    )
    summary.add_row(
        f"{result.name} ({result.rep_id})",
        str(g.grade),
        str(g.basic),
        str(g.intermediate),
        str(g.strong),
        t("yes") if g.industry_expert else t("no"),
    )
    console.print(summary)
    accounts = Table(
        *(t(k) for k in ("col.account", "col.tier", "col.grade", "col.score", "col.counted")),
        title=t("as_of", day=day),
    )
    for a in result.accounts:
        accounts.add_row(
            f"{a.name} ({a.company_id})",
            a.tier or "",
            str(a.grade.grade),
            f"{a.grade.score:.1f}",
            t("yes") if a.counted else t("no"),
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
                raise ChangeSpecError(t("whatif.need_change"))
        except ChangeSpecError as exc:
            failure(str(exc))
            raise typer.Exit(2) from exc
        result = analysis.what_if(scope, account_id, changes, as_of=day, opportunity_id=opportunity)
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    rows = comparison(result, current())
    shown = rows if all_rows else [r for r in rows if r.changed]
    table = Table(
        "",
        t("col.metric"),
        t("col.before"),
        t("col.after"),
        title=t("whatif.title", account=account_id, day=day),
    )
    for row in shown:
        style = "bold" if row.changed and all_rows else None
        table.add_row("*" if row.changed else "", row.metric, row.before, row.after, style=style)
    console.print(table)
    changed = sum(r.changed for r in rows)
    hidden = len(rows) - len(shown)
    tail = t("whatif.hidden", hidden=hidden) if hidden else ""
    console.print(t("whatif.summary", changed=changed, total=len(rows)) + tail, highlight=False)


def map_cmd(
    account_id: Annotated[str, typer.Argument(help="the account (Company id)")],
    output: Annotated[Path, typer.Option("-o", "--output", dir_okay=False, help="HTML file")],
    view: Annotated[Literal["org", "political"], typer.Option("--view", help="which map")] = "org",
    opportunity: Annotated[str | None, typer.Option("--opportunity", help="scope to one")] = None,
    lang: LangOpt = None,
    as_of: AsOfOpt = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Write an account's org chart or political map as one standalone HTML file."""
    day = as_of_date(as_of)
    with open_scope(store, db, neo4j_uri) as scope:
        doc = maps.map_document(
            scope,
            account_id,
            view=view,
            opportunity_id=opportunity,
            lang=lang or current(),
            as_of=day,
        )
    html = render_map_page(doc.data, data_json=doc.json)
    output.write_text(html, encoding="utf-8")
    err.print(t("wrote", path=output, kib=len(html.encode()) // 1024), highlight=False)


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
        owners = sorted({pt.rep_id for pt in plan.targets if pt.rep_id})
        reps = scope.visible_records(Label.REP, owners)
    if as_json:
        doc = {
            "account_id": plan.company_id,
            "as_of": plan.as_of.isoformat(),
            "targets": [
                {
                    "id": pt.id,
                    "contact_id": pt.contact_id,
                    "opportunity_id": pt.opportunity_id,
                    "rep_id": pt.rep_id,
                    **pt.target.model_dump(mode="json", exclude={"id"}),
                }
                for pt in plan.targets
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

    columns = ("target", "status", "level", "target_level", "due", "owner", "work_on",
               "best_path", "score_gain", "note")  # fmt: skip
    table = Table(
        *(t(f"col.{c}") for c in columns), title=t("plan.title", account=account_id, day=day)
    )
    gap = {i.target_id: i for i in plan.gap}
    ordered = [pt for i in plan.gap for pt in plan.targets if pt.id == i.target_id]
    ordered += [pt for pt in plan.targets if pt.id not in gap]
    for pt in ordered:
        item = gap.get(pt.id)
        who = (
            name(Label.CONTACT, pt.contact_id)
            if pt.contact_id
            else t("plan.any", role=pt.target.role)
            + (f" · {name(Label.OPPORTUNITY, pt.opportunity_id)}" if pt.opportunity_id else "")
        )
        status = t(
            "plan.met" if item is None else ("plan.overdue" if item.overdue else "plan.open")
        )
        path = ""
        if item is not None and item.path is not None:
            hops = " → ".join(
                str(g.nodes.get(k, {}).get("name") or k.partition(":")[2])
                for k in item.path.node_keys
            )
            path = f"{hops} (p={item.path.probability:.3f})"
        rep = reps.get(pt.rep_id or "")
        table.add_row(
            Text(f"{who} [{pt.id}]"),
            status,
            str(item.level) if item is not None else "≥ " + str(pt.target.level),
            str(pt.target.level),
            pt.target.due.isoformat() if pt.target.due else "",
            Text(str(getattr(rep, "name", pt.rep_id or ""))),
            Text(name(Label.CONTACT, item.contact_id) if item is not None else ""),
            Text(path),
            f"{item.score_gain:+.2f}" if item is not None else "",
            Text(pt.target.note or ""),
        )
    if not plan.targets:
        console.print(t("plan.none", account=account_id), highlight=False)
        return
    console.print(table)


def timeline_cmd(
    account_id: Annotated[str, typer.Argument(help="the account (Company id)")],
    start: Annotated[
        str | None, typer.Option("--from", help="first day, YYYY-MM-DD (default: a year back)")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="last day (default: today)")] = None,
    every: Annotated[
        TimelineStep, typer.Option("--every", help="a point at each MONTH or WEEK end")
    ] = TimelineStep.MONTH,
    as_json: Annotated[bool, typer.Option("--json", help="print the timeline as JSON")] = False,
    lang: LangOpt = None,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """The account's timeline (§3.19): grade, score, coverage ratio, balance and health at
    each month (or week) end, with the change events that moved each step."""
    last = as_of_date(end, "--to")
    first = as_of_date(start, "--from") if start is not None else last - timedelta(days=365)
    with open_scope(store, db, neo4j_uri) as scope:
        found = timeline.timeline(scope, account_id, first, last, every)
        names = timeline.record_names(scope, account_id) if not as_json else {}
    if as_json:
        sys.stdout.write(found.model_dump_json(indent=2) + "\n")
        return
    w = labels(lang or current())
    table = Table(
        w["f.at"], w["f.grade"], w["f.score"], w["f.ratio"], w["f.balance"], w["f.health"],
        w["f.events"], title=f"{w['sec.timeline']} · {account_id} · {first} – {last}",
    )  # fmt: skip
    for p in found.points:
        table.add_row(
            p.at.isoformat(),
            w[f"grade.{p.grade.value}"],
            f"{p.score:.1f}",
            f"{p.coverage_ratio:.0%}",
            "–" if p.balance is None else f"{p.balance:+.2f}",
            w[f"health.{p.health.value}"],
            str(len(p.events)) if p.events else "",
        )
    console.print(table)
    # the events below the table, one line each: a table cell would cut them
    for p in found.points:
        for e in p.events:
            line = event_text(e, w, lambda i: names.get(i, i))
            console.print(Text(f"{p.at.isoformat()}  {line}"), soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
    app.command("plan")(plan_cmd)
    app.command("timeline")(timeline_cmd)
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
        console.print(t("ws.none"))
        return
    for g in groups:
        table = Table(
            t("col.branch"),
            t("col.product_not_bought"),
            t("col.bought_by"),
            title=t("ws.title", hq=g.headquarters_id, n=len(g.branch_ids), day=day),
        )
        for company_id, product, won_by in g.items:
            table.add_row(company_id, product, ", ".join(won_by))
        console.print(table)
        for p in g.programmes:
            when = t("ws.won", first=p.first_won, last=p.last_won) if p.first_won else ""
            cov = p.headquarters_kdm_coverage
            ratio = t("ws.coverage", ratio=cov.ratio) if cov and cov.ratio else ""
            line = t(
                "ws.programme",
                product=p.product,
                branches=", ".join(p.branch_ids),
                when=when,
                ratio=ratio,
            )
            console.print(line, highlight=False)
